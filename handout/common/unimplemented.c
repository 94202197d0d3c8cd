/*
 * unimplemented.c - the default report of a missing student function.
 */
#include <stdio.h>
#include <stdlib.h>

#include "unimplemented.h"

static unimplemented_handler_t handler;

unimplemented_handler_t unimplemented_set_handler(unimplemented_handler_t h)
{
    unimplemented_handler_t old = handler;
    handler = h;
    return old;
}

void unimplemented(const char *func, const char *file, int line)
{
    if (handler)
        handler(func, file, line);
    fflush(stdout);
    fprintf(stderr, "%s:%d: %s is not implemented yet\n", file, line, func);
    abort();
}
