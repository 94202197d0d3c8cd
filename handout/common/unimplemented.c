/*
 * unimplemented.c - the report of a missing student function: one form,
 * the student's path, and the default handler (report, abort).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unimplemented.h"

static unimplemented_handler_t handler;

unimplemented_handler_t unimplemented_set_handler(unimplemented_handler_t h)
{
    unimplemented_handler_t old = handler;
    handler = h;
    return old;
}

const char *unimplemented_path(const char *file)
{
    const char *last = strrchr(file, '/');
    if (!last)
        return file;
    const char *dir = last;
    while (dir > file && dir[-1] != '/')
        dir--;
    return dir;
}

const char *unimplemented_format(char *buf, size_t n, const char *func,
                                 const char *file, int line)
{
    snprintf(buf, n, "%s:%d: %s is not implemented yet", file, line, func);
    return buf;
}

void unimplemented(const char *func, const char *file, int line)
{
    file = unimplemented_path(file);
    if (handler)
        handler(func, file, line);
    char msg[256];
    fflush(stdout);
    fprintf(stderr, "%s\n", unimplemented_format(msg, sizeof msg, func, file, line));
    abort();
}
