/*
 * log.c - the event log: lines appended to a growing buffer, or handed to
 * a sink. Invariant: buf holds len bytes of whole lines plus a NUL, and len
 * never passes VMLOG_LIMIT.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static const char *const level_names[] = { "off", "events", "tlb", "refs" };

const char *vmlog_level_name(int level)
{
    if (level < LOG_OFF || level > LOG_REFS)
        return "?";
    return level_names[level];
}

int vmlog_level_parse(const char *name)
{
    for (int i = LOG_OFF; i <= LOG_REFS; i++)
        if (strcmp(name, level_names[i]) == 0)
            return i;
    return -1;
}

static void keep(struct vmlog *l, const char *line, size_t n)
{
    if (l->len + n + 1 > VMLOG_LIMIT) {
        l->dropped++;
        return;
    }
    if (l->len + n + 1 > l->cap) {
        size_t cap = l->cap ? l->cap : 4096;
        while (cap < l->len + n + 1)
            cap *= 2;
        char *b = realloc(l->buf, cap);
        if (!b) {
            l->dropped++;
            return;
        }
        l->buf = b;
        l->cap = cap;
    }
    memcpy(l->buf + l->len, line, n);
    l->len += n;
    l->buf[l->len] = '\0';
}

void vmlog_add(struct vmlog *l, int level, const char *fmt, ...)
{
    if (l->level < level)
        return;
    char line[512];
    int indent = l->depth > 0 ? 2 * l->depth : 0;
    memset(line, ' ', (size_t)indent);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line + indent, sizeof line - (size_t)indent - 1, fmt, ap);
    va_end(ap);
    size_t len = (size_t)indent + (n < 0 ? 0 : (size_t)n);
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    if (l->sink) {
        line[len] = '\0';
        l->sink(l->sink_ctx, line);
        return;
    }
    line[len++] = '\n';
    keep(l, line, len);
}

const char *vmlog_text(const struct vmlog *l)
{
    return l->buf ? l->buf : "";
}

void vmlog_clear(struct vmlog *l)
{
    l->len = 0;
    if (l->buf)
        l->buf[0] = '\0';
    l->dropped = 0;
}

void vmlog_destroy(struct vmlog *l)
{
    free(l->buf);
    l->buf = NULL;
    l->len = l->cap = 0;
}
