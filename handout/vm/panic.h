/*
 * panic.h - a broken invariant of the machine: a bug, never bad input.
 *
 * vm_panic prints "vm panic: MESSAGE" to stderr and aborts. A program that
 * must survive a buggy implementation (vmsh) installs a handler, which must
 * not return (it longjmps back to its loop); the machine is then in an
 * unknown state and must be freed (machine.h).
 */
#ifndef VM_PANIC_H
#define VM_PANIC_H

typedef void (*vm_panic_handler_t)(const char *msg);

__attribute__((noreturn, format(printf, 1, 2)))
void vm_panic(const char *fmt, ...);

/* vm_panic_set_handler - route later panics to h (NULL: the default).
 * Returns the old handler. */
vm_panic_handler_t vm_panic_set_handler(vm_panic_handler_t h);

#endif
