/*
 * panic.c - report a broken invariant and stop (or hand it to the handler
 * a front end installed).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "panic.h"

static vm_panic_handler_t handler;

vm_panic_handler_t vm_panic_set_handler(vm_panic_handler_t h)
{
    vm_panic_handler_t old = handler;
    handler = h;
    return old;
}

void vm_panic(const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (handler)
        handler(msg);
    fflush(stdout);
    fprintf(stderr, "vm panic: %s\n", msg);
    abort();
}
