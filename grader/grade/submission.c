/*
 * submission.c - the parts of grade.h shared by every stage: verdict
 * names, report lines, a submission's checks.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "grade.h"
#include "parts.h"

const char *verdict_name(verdict_t v)
{
    static const char *names[V_COUNT] = {
        "ok", "wrong", "crash", "timeout", "out of memory", "forbidden system call",
        "exited early", "output limit", "not run",
    };
    return v < V_COUNT ? names[v] : "?";
}

void lines_add(lines_t *l, bool bad, const char *fmt, ...)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        note_t *v = realloc(l->v, l->cap * sizeof *v);
        if (!v)
            abort();
        l->v = v;
    }
    va_list ap;
    va_start(ap, fmt);
    char *text;
    if (vasprintf(&text, fmt, ap) < 0)
        abort();
    va_end(ap);
    l->v[l->n++] = (note_t){ text, bad };
}

void lines_free(lines_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].text);
    free(l->v);
    memset(l, 0, sizeof *l);
}

check_t *submission_add_check(submission_t *s)
{
    if (s->nchecks == s->capchecks) {
        s->capchecks = s->capchecks ? 2 * s->capchecks : 64;
        check_t *v = realloc(s->checks_run, s->capchecks * sizeof *v);
        if (!v)
            abort();
        s->checks_run = v;
    }
    check_t *c = &s->checks_run[s->nchecks++];
    memset(c, 0, sizeof *c);
    c->part = -1;
    return c;
}

void submission_free(submission_t *s)
{
    free(s->name);
    free(s->source);
    free(s->work);
    free(s->fingerprint);
    lines_free(&s->intake);
    lines_free(&s->checks);
    lines_free(&s->build);
    for (size_t i = 0; i < s->nfiles; i++)
        free(s->files[i].path);
    free(s->files);
    for (size_t i = 0; i < s->nchecks; i++) {
        free(s->checks_run[i].name);
        free(s->checks_run[i].key);
        free(s->checks_run[i].message);
    }
    free(s->checks_run);
    parts_free(s->parts, s->nparts);
    memset(s, 0, sizeof *s);
}
