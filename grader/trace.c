/*
 * trace.c - read a trace file into memory, checking every line and the
 * life of every ID (see trace.h for the format).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"

/* IDs beyond this many are refused rather than trusted to a header. */
#define TRACE_MAX_IDS (1u << 28)

enum id_state { ID_UNUSED, ID_LIVE, ID_FREED };

/* The reader's state while one file is read. */
typedef struct reader {
    const char *path;
    FILE *err;
    unsigned line;
    int errors;
    uint64_t header[4];
    unsigned nheader;
    unsigned header_line[4];
    uint8_t *ids;          /* enum id_state per ID */
    uint32_t *born;        /* line of each live ID's allocation */
    size_t nops, cap;      /* ops read, ops room */
    trace_t *t;
} reader_t;

static void complain(reader_t *r, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void complain(reader_t *r, unsigned line, const char *fmt, ...)
{
    if (++r->errors > TRACE_MAX_ERRORS)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(r->err, "%s:%u: ", r->path, line);
    vfprintf(r->err, fmt, ap);
    fputc('\n', r->err);
    va_end(ap);
}

/* parse_u64 - a decimal number that fills all of s, into *v; 0 if not. */
static int parse_u64(const char *s, uint64_t *v)
{
    if (*s < '0' || *s > '9')
        return 0;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (errno == ERANGE || *end != '\0')
        return 0;
    *v = x;
    return 1;
}

/* split - cut line into at most max whitespace-separated words; returns
 * how many there were (possibly more than max, which are not stored). */
static int split(char *line, char **words, int max)
{
    int n = 0;
    for (char *w = strtok(line, " \t\r\n\v\f"); w; w = strtok(NULL, " \t\r\n\v\f")) {
        if (n < max)
            words[n] = w;
        n++;
    }
    return n;
}

/* header_done - interpret the four header numbers; problems are reported.
 * On success the ID table exists, and ops can be read. */
static void header_done(reader_t *r)
{
    trace_t *t = r->t;
    uint64_t *h = r->header;
    if (h[0] <= 1 && h[3] > 1) {
        t->header = HEADER_WEIGHT_FIRST;
        t->weight = (double)h[0];
        t->max_alloc = h[3];
    } else {
        t->header = HEADER_CLASSIC;
        t->heap_hint = h[0];
        t->weight = (double)h[3];
    }
    if (h[1] > TRACE_MAX_IDS) {
        complain(r, r->header_line[1], "header: %llu IDs; at most %u are supported",
                 (unsigned long long)h[1], TRACE_MAX_IDS);
        return;
    }
    t->num_ids = (uint32_t)h[1];
    t->num_ops = h[2];
    r->ids = calloc(t->num_ids ? t->num_ids : 1, 1);
    r->born = calloc(t->num_ids ? t->num_ids : 1, sizeof *r->born);
    if (!r->ids || !r->born) {
        complain(r, r->header_line[1], "out of memory for %u IDs", t->num_ids);
        return;
    }
}

/* parse_id - the ID word of an op; -1 allowed when allow_none. */
static int parse_id(reader_t *r, const char *w, bool allow_none, uint32_t *id)
{
    uint64_t v;
    if (allow_none && strcmp(w, "-1") == 0) {
        *id = TRACE_NO_ID;
        return 1;
    }
    if (!parse_u64(w, &v)) {
        complain(r, r->line, "expected an ID (a number%s), found '%s'",
                 allow_none ? " or -1" : "", w);
        return 0;
    }
    if (v >= r->t->num_ids) {
        complain(r, r->line, "ID %llu is outside the header's 0..%ld",
                 (unsigned long long)v, (long)r->t->num_ids - 1);
        return 0;
    }
    *id = (uint32_t)v;
    return 1;
}

/* parse_size - the SIZE word of an op. */
static int parse_size(reader_t *r, const char *w, size_t *size)
{
    uint64_t v;
    if (!parse_u64(w, &v) || v > SIZE_MAX) {
        complain(r, r->line, "expected a size in bytes (0 to %zu), found '%s'",
                 (size_t)SIZE_MAX, w);
        return 0;
    }
    *size = (size_t)v;
    return 1;
}

/* add_op - append op, checking the life of its ID. */
static void add_op(reader_t *r, trace_op_t op)
{
    trace_t *t = r->t;
    uint8_t *state = op.id == TRACE_NO_ID ? NULL : &r->ids[op.id];
    switch (op.kind) {
    case OP_ALLOC:
        if (*state == ID_LIVE) {
            complain(r, r->line, "a %u: ID %u is still allocated (line %u)",
                     op.id, op.id, r->born[op.id]);
            return;
        }
        *state = ID_LIVE;
        r->born[op.id] = r->line;
        break;
    case OP_REALLOC:
        if (*state != ID_LIVE && op.size == 0) {
            complain(r, r->line, "r %u 0: ID %u is not allocated, nothing to free",
                     op.id, op.id);
            return;
        }
        if (*state != ID_LIVE)
            r->born[op.id] = r->line;
        *state = op.size == 0 ? ID_FREED : ID_LIVE;
        break;
    case OP_FREE:
        if (state && *state != ID_LIVE) {
            complain(r, r->line, "f %u: ID %u is not allocated%s", op.id, op.id,
                     *state == ID_FREED ? " (freed already)" : "");
            return;
        }
        if (state)
            *state = ID_FREED;
        break;
    }
    if (r->nops == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 1024;
        trace_op_t *ops = realloc(t->ops, cap * sizeof *ops);
        if (!ops) {
            complain(r, r->line, "out of memory for %zu operations", cap);
            return;
        }
        t->ops = ops;
        r->cap = cap;
    }
    op.line = r->line;
    t->ops[r->nops++] = op;
}

/* parse_op - one operation line of words. */
static void parse_op(reader_t *r, char **w, int n)
{
    trace_op_t op = { 0 };
    const char *want = NULL;
    if (strcmp(w[0], "a") == 0) {
        op.kind = OP_ALLOC;
        want = n == 3 ? NULL : "expected 'a ID SIZE'";
    } else if (strcmp(w[0], "r") == 0) {
        op.kind = OP_REALLOC;
        want = n == 3 ? NULL : "expected 'r ID SIZE'";
    } else if (strcmp(w[0], "f") == 0) {
        op.kind = OP_FREE;
        want = n == 2 ? NULL : "expected 'f ID'";
    } else {
        complain(r, r->line, "unknown operation '%s': expected a, r or f", w[0]);
        return;
    }
    if (want) {
        complain(r, r->line, "%s", want);
        return;
    }
    if (!parse_id(r, w[1], op.kind == OP_FREE, &op.id))
        return;
    if (op.kind != OP_FREE && !parse_size(r, w[2], &op.size))
        return;
    add_op(r, op);
}

/* parse_line - one line: header numbers until there are four, then ops. */
static void parse_line(reader_t *r, char *line)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    char *w[4];
    int n = split(line, w, 4);
    if (n == 0)
        return;
    if (r->nheader == 4) {
        if (r->ids)
            parse_op(r, w, n);
        return;
    }
    for (int i = 0; i < n && i < 4; i++) {
        uint64_t v;
        if (!parse_u64(w[i], &v)) {
            complain(r, r->line, "header: expected a number, found '%s' "
                     "(a trace starts with four numbers)", w[i]);
            r->nheader = 4;   /* read no ops from a trace without a header */
            return;
        }
        if (r->nheader < 4) {
            r->header_line[r->nheader] = r->line;
            r->header[r->nheader++] = v;
        } else {
            complain(r, r->line, "header: more than four numbers");
            return;
        }
    }
    if (n > 4)
        complain(r, r->line, "header: more than four numbers");
    if (r->nheader == 4)
        header_done(r);   /* reports its own problems */
}

int trace_read_stream(FILE *in, const char *path, trace_t *t, FILE *err)
{
    memset(t, 0, sizeof *t);
    reader_t r = { .path = path, .err = err, .t = t };
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, in) >= 0) {
        r.line++;
        parse_line(&r, line);
    }
    free(line);
    if (ferror(in))
        complain(&r, r.line, "read error");
    if (r.line == 0)
        complain(&r, 1, "the file is empty; a trace starts with four header numbers");
    else if (r.nheader < 4)
        complain(&r, r.line, "the file ends before the four header numbers");
    else if (r.ids && r.nops != t->num_ops && r.errors == 0)
        complain(&r, r.header_line[2], "the header says %zu operations, the file has %zu",
                 t->num_ops, r.nops);
    if (r.errors > TRACE_MAX_ERRORS)
        fprintf(err, "%s: %d more problems not shown\n", path, r.errors - TRACE_MAX_ERRORS);
    free(r.ids);
    free(r.born);
    if (r.errors) {
        free(t->ops);
        memset(t, 0, sizeof *t);
        return r.errors;
    }
    t->num_ops = r.nops;
    t->path = strdup(path);
    if (!t->path) {
        free(t->ops);
        memset(t, 0, sizeof *t);
        fprintf(err, "%s: out of memory\n", path);
        return 1;
    }
    const char *slash = strrchr(t->path, '/');
    t->name = slash ? slash + 1 : t->path;
    return 0;
}

int trace_read(const char *path, trace_t *t, FILE *err)
{
    FILE *in = fopen(path, "r");
    if (!in) {
        memset(t, 0, sizeof *t);
        fprintf(err, "%s: cannot open: %s\n", path, strerror(errno));
        return 1;
    }
    int errors = trace_read_stream(in, path, t, err);
    fclose(in);
    return errors;
}

void trace_free(trace_t *t)
{
    free(t->path);
    free(t->ops);
    memset(t, 0, sizeof *t);
}

const char *trace_op_text(const trace_op_t *op, char *buf, size_t n)
{
    switch (op->kind) {
    case OP_ALLOC:
        snprintf(buf, n, "a %u %zu", op->id, op->size);
        break;
    case OP_REALLOC:
        snprintf(buf, n, "r %u %zu", op->id, op->size);
        break;
    default:
        if (op->id == TRACE_NO_ID)
            snprintf(buf, n, "f -1");
        else
            snprintf(buf, n, "f %u", op->id);
    }
    return buf;
}
