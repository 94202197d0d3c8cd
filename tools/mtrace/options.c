/*
 * options.c - the options shared by mtrace and mtrace-rep (options.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "options.h"

/* number - arg as a whole decimal number, at least min; false if it is not. */
static bool number(const char *arg, unsigned long long min, unsigned long long *v)
{
    char *end;
    errno = 0;
    if (arg[0] < '0' || arg[0] > '9')
        return false;
    *v = strtoull(arg, &end, 10);
    return errno == 0 && *end == '\0' && *v >= min;
}

int options_take(struct convert_request *req, int opt, const char *arg, const char *me)
{
    unsigned long long v;
    switch (opt) {
    case 'l':
        req->list = true;
        return 1;
    case 'n':
        if (!number(arg, 1, &v)) {
            fprintf(stderr, "%s: -n: expected a number of operations >= 1, got '%s'\n", me, arg);
            return -1;
        }
        req->max_ops = (size_t)v;
        return 1;
    case 'p':
        if (!number(arg, 1, &v) || v > (unsigned long long)INT32_MAX) {
            fprintf(stderr, "%s: -p: expected a process id, got '%s'\n", me, arg);
            return -1;
        }
        req->pid = (long)v;
        return 1;
    case 'x':
        req->program = arg;
        return 1;
    case 'o':
        req->out = arg;
        return 1;
    }
    return 0;
}
