/*
 * trace.c - traces in memory: built op by op, read leniently or in the
 * classic format, checked, written (trace.h has the formats and the rules).
 *
 * Invariants of a trace_t: ops[0 .. num_ops) are its operations, in room
 * for ops_cap. In a built trace, IDs 0 .. num_ids-1 were handed out in that
 * order, life describes them after the last op, heap_hint is
 * life.peak_bytes and op i sits on line TRACE_HEADER_LINES + 1 + i; once
 * failed is set nothing more is appended.
 *
 * One table, trace_life_t, follows the IDs for the builder, for the lenient
 * reader and for the classic check. They differ only in the rules an op
 * must meet before life_set applies it, and in where the entries of IDs
 * are: indexed by ID for the builder and the classic check, whose IDs run
 * from 0 without gaps, in a hash table for the lenient reader (id_map_t).
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "trace.h"

/* IDs beyond this many are refused rather than trusted to a header. */
#define TRACE_MAX_IDS (1u << 28)

/* --- Problems ------------------------------------------------------------ */

typedef struct report {
    const char *path;
    FILE *err;         /* NULL: count only */
    int shown;         /* problems printed at most; the rest are counted */
    int count;
} report_t;

static void complain(report_t *p, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void complain(report_t *p, unsigned line, const char *fmt, ...)
{
    if (++p->count > p->shown || !p->err)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(p->err, "%s:%u: ", p->path, line);
    vfprintf(p->err, fmt, ap);
    fputc('\n', p->err);
    va_end(ap);
}

/* report_rest - the line that counts the problems not shown. */
static void report_rest(const report_t *p)
{
    if (p->err && p->count > p->shown)
        fprintf(p->err, "%s: %d more problems not shown\n", p->path, p->count - p->shown);
}

/* --- The life of every ID ------------------------------------------------- */

/* life_at - id's entry, the table grown to hold it (new IDs unused); NULL
 * when memory ran out. */
static trace_id_t *life_at(trace_life_t *l, uint32_t id)
{
    if (id >= l->cap) {
        size_t cap = l->cap ? l->cap : 1024;
        while (cap <= id)
            cap *= 2;
        trace_id_t *p = realloc(l->id, cap * sizeof *p);
        if (!p)
            return NULL;
        l->id = p;
        l->cap = cap;
    }
    if (id >= l->n) {
        memset(l->id + l->n, 0, ((size_t)id + 1 - l->n) * sizeof *l->id);
        l->n = (size_t)id + 1;
    }
    return &l->id[id];
}

static enum trace_id_state life_state(const trace_life_t *l, size_t id)
{
    return id < l->n ? l->id[id].state : ID_UNUSED;
}

/* life_set - the ID of entry e is now in state with size bytes; line is
 * where it became live, if it was not. */
static void life_set(trace_life_t *l, trace_id_t *e, enum trace_id_state state, size_t size,
                     unsigned line)
{
    bool was = e->state == ID_LIVE, is = state == ID_LIVE;
    if (was) {
        l->live_bytes -= e->size;
        l->nlive--;
    }
    if (is) {
        if (!was)
            e->line = line;
        l->live_bytes += size;
        l->nlive++;
    }
    e->size = is ? size : 0;
    e->state = state;
    if (l->live_bytes > l->peak_bytes)
        l->peak_bytes = l->live_bytes;
}

/*
 * The lenient reader's IDs. A header may allow TRACE_MAX_IDS of them and a
 * trace use a few, anywhere below: a table indexed by ID would take memory
 * for every ID up to the highest used (gigabytes for a two-line file). So
 * the lenient reader keeps the entries of the IDs it meets in a hash
 * table, in memory for those alone.
 */
typedef struct id_slot {
    uint32_t key;          /* the ID + 1; 0: an empty slot */
    trace_id_t e;
} id_slot_t;

typedef struct id_map {
    id_slot_t *slot;
    size_t cap, n;         /* cap a power of two (or 0), n at most cap / 2 */
} id_map_t;

/* map_find - the slot of id among cap slots: its own, or the empty one
 * where it goes. */
static id_slot_t *map_find(id_slot_t *slot, size_t cap, uint32_t id)
{
    size_t i = (size_t)((id * UINT64_C(0x9e3779b97f4a7c15)) >> 32) & (cap - 1);
    while (slot[i].key && slot[i].key != id + 1)
        i = (i + 1) & (cap - 1);
    return &slot[i];
}

static bool map_grow(id_map_t *m)
{
    size_t cap = m->cap ? 2 * m->cap : 1024;
    id_slot_t *slot = calloc(cap, sizeof *slot);
    if (!slot)
        return false;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slot[i].key)
            *map_find(slot, cap, m->slot[i].key - 1) = m->slot[i];
    free(m->slot);
    m->slot = slot;
    m->cap = cap;
    return true;
}

/* map_at - id's entry, a new one unused; NULL when memory ran out. The
 * entry moves when a later ID is added. */
static trace_id_t *map_at(id_map_t *m, uint32_t id)
{
    id_slot_t *s = m->cap ? map_find(m->slot, m->cap, id) : NULL;
    if (s && s->key)
        return &s->e;
    if (2 * (m->n + 1) > m->cap) {
        if (!map_grow(m))
            return NULL;
        s = map_find(m->slot, m->cap, id);
    }
    s->key = id + 1;
    m->n++;
    return &s->e;
}

/* --- The trace ------------------------------------------------------------ */

/* ops_push - append op to t's ops; false when memory ran out. */
static bool ops_push(trace_t *t, trace_op_t op)
{
    if (t->num_ops == t->ops_cap) {
        size_t cap = t->ops_cap ? 2 * t->ops_cap : 1024;
        trace_op_t *ops = realloc(t->ops, cap * sizeof *ops);
        if (!ops)
            return false;
        t->ops = ops;
        t->ops_cap = cap;
    }
    t->ops[t->num_ops++] = op;
    return true;
}

void trace_free(trace_t *t)
{
    free(t->path);
    free(t->ops);
    free(t->life.id);
    memset(t, 0, sizeof *t);
}

/* --- Building -------------------------------------------------------------- */

void trace_init(trace_t *t)
{
    *t = (trace_t){ .header = HEADER_CLASSIC, .weight = 1 };
}

/* build - append the op kind id size; its ID is in state afterwards. */
static void build(trace_t *t, enum trace_op_kind kind, uint32_t id, size_t size,
                  enum trace_id_state state)
{
    if (t->failed)
        return;
    unsigned line = TRACE_HEADER_LINES + 1 + (unsigned)t->num_ops;
    trace_id_t *e = life_at(&t->life, id);
    if (!e || !ops_push(t, (trace_op_t){ .kind = kind, .id = id, .line = line, .size = size })) {
        t->failed = true;
        return;
    }
    life_set(&t->life, e, state, size, line);
    t->heap_hint = t->life.peak_bytes;
}

uint32_t trace_add_alloc(trace_t *t, size_t size)
{
    assert(t->num_ids < TRACE_NO_ID);
    uint32_t id = t->num_ids;
    build(t, OP_ALLOC, id, size, ID_LIVE);
    if (!t->failed)
        t->num_ids++;
    return id;
}

void trace_add_realloc(trace_t *t, uint32_t id, size_t size)
{
    assert(t->failed || (trace_live(t, id) && size > 0));
    build(t, OP_REALLOC, id, size, ID_LIVE);
}

void trace_add_free(trace_t *t, uint32_t id)
{
    assert(t->failed || trace_live(t, id));
    build(t, OP_FREE, id, 0, ID_FREED);
}

bool trace_live(const trace_t *t, uint32_t id)
{
    return life_state(&t->life, id) == ID_LIVE;
}

size_t trace_close(trace_t *t)
{
    size_t n = 0;
    for (uint32_t id = 0; id < t->num_ids && t->life.nlive > 0 && !t->failed; id++) {
        if (trace_live(t, id)) {
            trace_add_free(t, id);
            n++;
        }
    }
    return n;
}

/* --- Writing --------------------------------------------------------------- */

int trace_write(const trace_t *t, FILE *out)
{
    if (t->failed || t->life.nlive != 0)
        return -1;
    fprintf(out, "%zu\n%" PRIu32 "\n%zu\n%.0f\n", t->heap_hint, t->num_ids, t->num_ops,
            t->weight);
    char buf[64];
    for (size_t i = 0; i < t->num_ops; i++) {
        fputs(trace_op_text(&t->ops[i], buf, sizeof buf), out);
        fputc('\n', out);
    }
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

const char *trace_op_text(const trace_op_t *op, char *buf, size_t n)
{
    if (op->kind != OP_FREE)
        snprintf(buf, n, "%c %" PRIu32 " %zu", op->kind, op->id, op->size);
    else if (op->id == TRACE_NO_ID)
        snprintf(buf, n, "f -1");
    else
        snprintf(buf, n, "f %" PRIu32, op->id);
    return buf;
}

/* --- Reading: what both readers share ------------------------------------- */

/* The state of a reader while one file is read. */
typedef struct reader {
    report_t report;
    unsigned line;
    uint64_t header[4];
    unsigned nheader;
    unsigned header_line[4];
    bool header_ok;        /* the header was read and accepted */
    unsigned rules;        /* classic: TRACE_SIZES_ANY or not */
    id_map_t ids;          /* lenient: the IDs so far ... */
    trace_life_t life;     /* ... and what is live (life.id unused) */
    trace_t *t;
} reader_t;

/*
 * parse_uint - the unsigned decimal number at *s (no sign, at least one
 * digit, at most max) into *v, and *s past it; false when there is none or
 * it is larger than max.
 */
static bool parse_uint(const char **s, uint64_t max, uint64_t *v)
{
    const char *p = *s;
    uint64_t x = 0;
    if (*p < '0' || *p > '9')
        return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (x > (max - d) / 10)
            return false;
        x = x * 10 + d;
    }
    *s = p;
    *v = x;
    return true;
}

/* parse_word - parse_uint over all of the word w. */
static bool parse_word(const char *w, uint64_t max, uint64_t *v)
{
    return parse_uint(&w, max, v) && *w == '\0';
}

/* read_done - the end of a read: on problems *t is emptied and their count
 * returned; else t gets its path. */
static int read_done(reader_t *r, const char *path)
{
    trace_t *t = r->t;
    report_rest(&r->report);
    free(r->ids.slot);
    if (r->report.count) {
        trace_free(t);
        return r->report.count;
    }
    t->path = strdup(path);
    if (!t->path) {
        trace_free(t);
        if (r->report.err)
            fprintf(r->report.err, "%s: out of memory\n", path);
        return 1;
    }
    const char *slash = strrchr(t->path, '/');
    t->name = slash ? slash + 1 : t->path;
    return 0;
}

/* --- Reading leniently ----------------------------------------------------- */

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
 * On success ops can be read. */
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
        complain(&r->report, r->header_line[1], "header: %llu IDs; at most %u are supported",
                 (unsigned long long)h[1], TRACE_MAX_IDS);
        return;
    }
    t->num_ids = (uint32_t)h[1];
    r->header_ok = true;
}

/* parse_id - the ID word of an op; -1 allowed when allow_none. */
static int parse_id(reader_t *r, const char *w, bool allow_none, uint32_t *id)
{
    uint64_t v;
    if (allow_none && strcmp(w, "-1") == 0) {
        *id = TRACE_NO_ID;
        return 1;
    }
    if (!parse_word(w, UINT64_MAX, &v)) {
        complain(&r->report, r->line, "expected an ID (a number%s), found '%s'",
                 allow_none ? " or -1" : "", w);
        return 0;
    }
    if (v >= r->t->num_ids) {
        complain(&r->report, r->line, "ID %llu is outside the header's 0..%ld",
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
    if (!parse_word(w, SIZE_MAX, &v)) {
        complain(&r->report, r->line, "expected a size in bytes (0 to %zu), found '%s'",
                 (size_t)SIZE_MAX, w);
        return 0;
    }
    *size = (size_t)v;
    return 1;
}

/* add_op - append op, checking the life of its ID under the extensions. */
static void add_op(reader_t *r, trace_op_t op)
{
    trace_id_t *e = NULL;
    if (op.id != TRACE_NO_ID && !(e = map_at(&r->ids, op.id))) {
        complain(&r->report, r->line, "out of memory for %zu IDs", r->ids.n + 1);
        return;
    }
    switch (op.kind) {
    case OP_ALLOC:
        if (e->state == ID_LIVE) {
            complain(&r->report, r->line, "a %u: ID %u is still allocated (line %u)",
                     op.id, op.id, e->line);
            return;
        }
        break;
    case OP_REALLOC:
        if (e->state != ID_LIVE && op.size == 0) {
            complain(&r->report, r->line, "r %u 0: ID %u is not allocated, nothing to free",
                     op.id, op.id);
            return;
        }
        break;
    case OP_FREE:
        if (e && e->state != ID_LIVE) {
            complain(&r->report, r->line, "f %u: ID %u is not allocated%s", op.id, op.id,
                     e->state == ID_FREED ? " (freed already)" : "");
            return;
        }
        break;
    }
    op.line = r->line;
    if (!ops_push(r->t, op)) {
        complain(&r->report, r->line, "out of memory for %zu operations", r->t->num_ops + 1);
        return;
    }
    bool frees = op.kind == OP_FREE || (op.kind == OP_REALLOC && op.size == 0);
    if (e)
        life_set(&r->life, e, frees ? ID_FREED : ID_LIVE, op.size, r->line);
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
        complain(&r->report, r->line, "unknown operation '%s': expected a, r or f", w[0]);
        return;
    }
    if (want) {
        complain(&r->report, r->line, "%s", want);
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
        if (r->header_ok)
            parse_op(r, w, n);
        return;
    }
    for (int i = 0; i < n && i < 4; i++) {
        uint64_t v;
        if (!parse_word(w[i], UINT64_MAX, &v)) {
            complain(&r->report, r->line, "header: expected a number, found '%s' "
                     "(a trace starts with four numbers)", w[i]);
            r->nheader = 4;   /* read no ops from a trace without a header */
            return;
        }
        if (r->nheader < 4) {
            r->header_line[r->nheader] = r->line;
            r->header[r->nheader++] = v;
        } else {
            complain(&r->report, r->line, "header: more than four numbers");
            return;
        }
    }
    if (n > 4)
        complain(&r->report, r->line, "header: more than four numbers");
    if (r->nheader == 4)
        header_done(r);   /* reports its own problems */
}

int trace_read_stream(FILE *in, const char *path, trace_t *t, FILE *err)
{
    memset(t, 0, sizeof *t);
    reader_t r = { .report = { .path = path, .err = err, .shown = TRACE_MAX_ERRORS }, .t = t };
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, in) >= 0) {
        r.line++;
        parse_line(&r, line);
    }
    free(line);
    if (ferror(in))
        complain(&r.report, r.line, "read error");
    if (r.line == 0)
        complain(&r.report, 1, "the file is empty; a trace starts with four header numbers");
    else if (r.nheader < 4)
        complain(&r.report, r.line, "the file ends before the four header numbers");
    else if (r.header_ok && t->num_ops != r.header[2] && r.report.count == 0)
        complain(&r.report, r.header_line[2], "the header says %zu operations, the file has %zu",
                 (size_t)r.header[2], t->num_ops);
    return read_done(&r, path);
}

int trace_read(const char *path, trace_t *t, FILE *err)
{
    FILE *in = fopen(path, "r");
    struct stat st;
    if (!in || fstat(fileno(in), &st) < 0 || S_ISDIR(st.st_mode)) {
        int e = errno;
        bool dir = in && S_ISDIR(st.st_mode);
        if (in)
            fclose(in);
        memset(t, 0, sizeof *t);
        if (dir)
            fprintf(err, "%s: is a directory, not a trace (-t DIR replays every .rep in it)\n",
                    path);
        else
            fprintf(err, "%s: cannot open: %s\n", path, strerror(e));
        return 1;
    }
    int errors = trace_read_stream(in, path, t, err);
    fclose(in);
    return errors;
}

/* --- The classic format ------------------------------------------------------
 *
 * Two passes. The first reads the lines, checks the form of each and keeps
 * the operations; the second (check_ids) replays them against a table of
 * IDs. Keeping the operations bounds that table by the trace itself: in a
 * valid trace the IDs are exactly 0 .. (number of 'a' lines) - 1, so a
 * larger ID is an error found without making room for it.
 */

static const char OP_FORMS[] = "expected 'a ID SIZE', 'r ID SIZE' or 'f ID'";

/* check_size - the SIZE of an op of kind under rules, on line; *size is
 * brought into range when it is not (so counting goes on). */
static void check_size(report_t *p, unsigned line, char kind, unsigned rules, uint64_t *size)
{
    if (kind == OP_FREE)
        return;
    if (rules & TRACE_SIZES_ANY) {
        if (kind == OP_REALLOC && *size == 0)
            complain(p, line, "expected a SIZE from 1 in 'r ID SIZE' ('r ID 0' is an extension)");
        return;
    }
    if (*size < 1 || *size > TRACE_CLASSIC_MAX) {
        complain(p, line, "expected a SIZE from 1 to %lu, not %" PRIu64, TRACE_CLASSIC_MAX,
                 *size);
        if (*size > TRACE_CLASSIC_MAX)
            *size = TRACE_CLASSIC_MAX;
    }
}

/*
 * check_ids - hold the n ops to the classic rules on IDs and their life,
 * and to the counts of header (NULL when the trace has none to trust);
 * count what st counts.
 */
static void check_ids(report_t *p, const trace_op_t *ops, size_t n, const uint64_t *header,
                      trace_stats_t *st)
{
    *st = (trace_stats_t){ .ops = n };
    for (size_t i = 0; i < n; i++) {
        st->allocs += ops[i].kind == OP_ALLOC;
        st->reallocs += ops[i].kind == OP_REALLOC;
        st->frees += ops[i].kind == OP_FREE;
        if (ops[i].size > st->max_size)
            st->max_size = ops[i].size;
    }
    size_t nids = st->allocs;
    trace_life_t life = { 0 };
    for (size_t i = 0; i < n; i++) {
        const trace_op_t *op = &ops[i];
        trace_id_t *e;
        if (op->id == TRACE_NO_ID) {
            complain(p, op->line, "expected an id, not -1 ('f -1' is an extension)");
        } else if (header && op->id >= header[1]) {
            complain(p, op->line, "expected an id below num_ids (%" PRIu64 "), not %" PRIu32,
                     header[1], op->id);
        } else if (op->id >= nids) {
            complain(p, op->line, "expected an id below %zu, the number of 'a' lines "
                     "(ids run from 0 without gaps), not %" PRIu32, nids, op->id);
        } else if (!(e = life_at(&life, op->id))) {
            complain(p, op->line, "out of memory for %zu ids", nids);
            break;
        } else if (op->kind == OP_ALLOC && e->state != ID_UNUSED) {
            complain(p, op->line, "expected a new id: %" PRIu32 " was allocated at line %u",
                     op->id, e->line);
        } else if (op->kind != OP_ALLOC && e->state != ID_LIVE) {
            complain(p, op->line, "expected a live id: %" PRIu32 " is %s", op->id,
                     e->state == ID_UNUSED ? "not allocated yet" : "already freed");
        } else {
            st->ids += op->kind == OP_ALLOC;
            life_set(&life, e, op->kind == OP_FREE ? ID_FREED : ID_LIVE, op->size, op->line);
        }
    }
    st->peak_bytes = life.peak_bytes;

    for (size_t id = 0; id < life.n; id++)
        if (life.id[id].state == ID_LIVE)
            complain(p, life.id[id].line, "expected id %zu to be freed by the end of the trace",
                     id);
    if (header) {
        uint64_t unused = 0, first = header[1];
        for (size_t id = 0; id < nids && id < header[1]; id++)
            if (life_state(&life, id) == ID_UNUSED && !unused++)
                first = id;
        if (header[1] > nids) {
            unused += header[1] - nids;
            if (first == header[1])
                first = nids;
        }
        if (unused)
            complain(p, 2, "expected every id below num_ids (%" PRIu64 ") to be allocated: "
                     "%" PRIu64 " are not, the first is %" PRIu64, header[1], unused, first);
        if (header[2] != st->ops)
            complain(p, 3, "expected num_ops to be the number of operations, %zu, not %" PRIu64,
                     st->ops, header[2]);
    }
    free(life.id);
}

/* skip_blanks - advance *s past spaces and tabs; whether there were any. */
static bool skip_blanks(const char **s)
{
    const char *p = *s;
    while (*p == ' ' || *p == '\t')
        p++;
    bool any = p != *s;
    *s = p;
    return any;
}

/* classic_header_line - header field r->line (1..4) from s. */
static void classic_header_line(reader_t *r, const char *s)
{
    static const char *const fields[4] = { "heap_hint", "num_ids", "num_ops", "weight" };
    unsigned i = r->line - 1;
    uint64_t max = i == 1 || i == 2 ? TRACE_CLASSIC_MAX : UINT64_MAX;
    if (!parse_uint(&s, max, &r->header[i]) || *s != '\0') {
        complain(&r->report, r->line, "expected %s, an unsigned integer%s alone on the line",
                 fields[i], max == TRACE_CLASSIC_MAX ? " up to 2147483647," : "");
        r->header_ok = false;
    }
}

/* classic_op_line - check the form of one operation line and keep it. */
static void classic_op_line(reader_t *r, const char *s)
{
    report_t *p = &r->report;
    if (*s == '\0') {
        complain(p, r->line, "%s (blank lines are not part of the format)", OP_FORMS);
        return;
    }
    if (*s == '#') {
        complain(p, r->line, "%s (comments are not part of the format)", OP_FORMS);
        return;
    }
    char kind = *s++;
    uint64_t id, size = 0;
    if ((kind != OP_ALLOC && kind != OP_REALLOC && kind != OP_FREE) || !skip_blanks(&s)) {
        complain(p, r->line, "%s", OP_FORMS);
        return;
    }
    if (!parse_uint(&s, TRACE_CLASSIC_MAX, &id)) {
        complain(p, r->line, "expected an id from 0 to %lu after '%c'", TRACE_CLASSIC_MAX, kind);
        return;
    }
    if (kind != OP_FREE && (!skip_blanks(&s) || !parse_uint(&s, UINT64_MAX, &size))) {
        complain(p, r->line, "expected '%c ID SIZE'", kind);
        return;
    }
    /* From here on the operation is known: it is kept even when the rest
     * of the line is wrong, so one bad line is one problem, not a cascade. */
    skip_blanks(&s);
    if (*s != '\0')
        complain(p, r->line, "expected the line to end after '%s'",
                 kind == OP_FREE ? "f ID" : kind == OP_ALLOC ? "a ID SIZE" : "r ID SIZE");
    check_size(p, r->line, kind, r->rules, &size);
    trace_op_t op = { .kind = (uint8_t)kind, .id = (uint32_t)id, .line = r->line,
                      .size = (size_t)size };
    if (!ops_push(r->t, op))
        complain(p, r->line, "out of memory after %zu operations", r->t->num_ops);
}

int trace_read_classic(FILE *in, const char *path, unsigned rules, trace_t *t, FILE *err,
                       trace_stats_t *st)
{
    memset(t, 0, sizeof *t);
    reader_t r = { .report = { .path = path, .err = err, .shown = TRACE_CLASSIC_MAX_ERRORS },
                   .header_ok = true, .rules = rules, .t = t };
    char *buf = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&buf, &cap, in)) >= 0) {
        r.line++;
        if (len > 0 && buf[len - 1] == '\n')
            buf[--len] = '\0';
        if (len > 0 && buf[len - 1] == '\r') {
            complain(&r.report, r.line,
                     "expected the line to end in a bare '\\n', not \"\\r\\n\"");
            buf[--len] = '\0';
        }
        if (memchr(buf, '\0', (size_t)len) || memchr(buf, '\r', (size_t)len)) {
            complain(&r.report, r.line, "expected plain text (found a NUL or a carriage return)");
            if (r.line <= TRACE_HEADER_LINES)
                r.header_ok = false;
        } else if (r.line <= TRACE_HEADER_LINES) {
            classic_header_line(&r, buf);
        } else {
            classic_op_line(&r, buf);
        }
    }
    if (ferror(in))
        complain(&r.report, r.line, "expected to read the whole trace: %s", strerror(errno));
    if (r.line < TRACE_HEADER_LINES) {
        complain(&r.report, r.line + 1, "expected 4 header lines, the file has %u lines", r.line);
        r.header_ok = false;
    }
    free(buf);

    trace_stats_t counts;
    check_ids(&r.report, t->ops, t->num_ops, r.header_ok ? r.header : NULL, &counts);
    if (st)
        *st = counts;
    t->header = HEADER_CLASSIC;
    t->heap_hint = r.header[0];
    t->num_ids = (uint32_t)r.header[1];
    t->weight = (double)r.header[3];
    return read_done(&r, path);
}

int trace_check_classic(const trace_t *t, unsigned rules, FILE *err, trace_stats_t *st)
{
    report_t p = { .path = t->path ? t->path : "(built trace)", .err = err,
                   .shown = TRACE_CLASSIC_MAX_ERRORS };
    if (t->header != HEADER_CLASSIC)
        complain(&p, 1, "expected the classic header (heap_hint num_ids num_ops weight)");
    for (size_t i = 0; i < t->num_ops; i++) {
        uint64_t size = t->ops[i].size;
        check_size(&p, t->ops[i].line, (char)t->ops[i].kind, rules, &size);
    }
    uint64_t header[4] = { t->heap_hint, t->num_ids, t->num_ops, (uint64_t)t->weight };
    trace_stats_t counts;
    check_ids(&p, t->ops, t->num_ops, header, &counts);
    if (st)
        *st = counts;
    report_rest(&p);
    return p.count;
}
