/*
 * unimplemented.h - how a skeleton says "this part is yours to write".
 *
 * Every function a student has yet to write calls UNIMPLEMENTED(). By
 * default that prints which function, in which file, is missing and aborts,
 * so a test that reaches it fails with a clear message instead of computing
 * a silent wrong answer. A program that must survive a skeleton (vmsh) installs
 * its own handler, which must not return (it longjmps back to its loop).
 *
 * Whoever reports it, the report has one form, unimplemented_format's:
 *
 *     vm/fault.c:29: fault_handle is not implemented yet
 *
 * where the file is the student's path, relative to the implementation
 * (handout/, solution/ or a submission): the same in every build.
 */
#ifndef UNIMPLEMENTED_H
#define UNIMPLEMENTED_H

#include <stddef.h>

/* file is the student's path (unimplemented_path), not __FILE__. */
typedef void (*unimplemented_handler_t)(const char *func, const char *file,
                                        int line);

/* unimplemented - report that func (at file:line, file as __FILE__ gives
 * it) has no body yet; never returns. */
__attribute__((noreturn)) void unimplemented(const char *func, const char *file,
                                             int line);

/*
 * unimplemented_set_handler - route later calls of unimplemented() to h
 * (NULL restores the default: the report on stderr, then abort). h must not
 * return; if it does, the default runs after it. Returns the old handler.
 */
unimplemented_handler_t unimplemented_set_handler(unimplemented_handler_t h);

/*
 * unimplemented_path - the student's path of a source file: its last two
 * components, which is where every student-owned file lives inside an
 * implementation ("vm/fault.c" of "/tmp/build/impl/sub-a/vm/fault.c" or
 * of "handout/vm/fault.c"); a path of one component is returned as is.
 * Points into file.
 */
const char *unimplemented_path(const char *file);

/* unimplemented_format - the report, without a newline, into buf (n bytes):
 * "FILE:LINE: FUNC is not implemented yet", file as the handler gets it.
 * Returns buf. */
const char *unimplemented_format(char *buf, size_t n, const char *func,
                                 const char *file, int line);

#define UNIMPLEMENTED() unimplemented(__func__, __FILE__, __LINE__)

#endif
