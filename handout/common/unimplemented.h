/*
 * unimplemented.h - how a skeleton says "this part is yours to write".
 *
 * Every function a student has yet to write calls UNIMPLEMENTED(). By
 * default that prints which function, in which file, is missing and aborts,
 * so a test that reaches it fails with a clear message instead of computing
 * a silent wrong answer. A program that must survive a skeleton (vmsh) installs
 * its own handler, which must not return (it longjmps back to its loop).
 */
#ifndef UNIMPLEMENTED_H
#define UNIMPLEMENTED_H

typedef void (*unimplemented_handler_t)(const char *func, const char *file,
                                        int line);

/* unimplemented - report that func (at file:line) has no body yet; never returns. */
__attribute__((noreturn)) void unimplemented(const char *func, const char *file,
                                             int line);

/*
 * unimplemented_set_handler - route later calls of unimplemented() to h
 * (NULL restores the default: message on stderr, then abort). h must not
 * return; if it does, the default runs after it. Returns the old handler.
 */
unimplemented_handler_t unimplemented_set_handler(unimplemented_handler_t h);

#define UNIMPLEMENTED() unimplemented(__func__, __FILE__, __LINE__)

#endif
