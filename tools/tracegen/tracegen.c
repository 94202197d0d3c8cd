/*
 * tracegen.c - the trace in memory, its writer and the validator.
 *
 * Invariants of struct tg_trace: ids 0..nids-1 have been allocated, in that
 * order; size[id] is nonzero exactly for the nlive ids still live;
 * live_bytes is the sum of size[], peak_bytes its maximum so far. Once
 * failed is set (an allocation failed) nothing more is appended.
 *
 * The validator reads text, not a struct tg_trace, so it checks what a
 * driver will read: the writer's output, a recorded trace, a hand-edited one.
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tracegen.h"

/* --- Building --------------------------------------------------------- */

void tg_init(struct tg_trace *t, size_t target)
{
    *t = (struct tg_trace){ .target = target };
}

void tg_release(struct tg_trace *t)
{
    free(t->ops);
    free(t->size);
    tg_init(t, 0);
}

size_t tg_room(const struct tg_trace *t)
{
    size_t owed = t->nops + t->nlive;
    return t->failed || owed >= t->target ? 0 : t->target - owed;
}

/* grow - make room for one more element in *array (cap elements of elem
 * bytes, count used). 0, or -1 when memory ran out (nothing changes). */
static int grow(void **array, size_t *cap, size_t count, size_t elem)
{
    if (count < *cap)
        return 0;
    size_t n = *cap ? 2 * *cap : 1024;
    void *p = realloc(*array, n * elem);
    if (!p)
        return -1;
    *array = p;
    *cap = n;
    return 0;
}

/* append - add one operation; false when the trace is (or now becomes) failed. */
static bool append(struct tg_trace *t, char kind, uint32_t id, uint32_t size)
{
    if (t->failed)
        return false;
    if (grow((void **)&t->ops, &t->ops_cap, t->nops, sizeof *t->ops) < 0) {
        t->failed = true;
        return false;
    }
    t->ops[t->nops++] = (struct tg_op){ .kind = kind, .id = id, .size = size };
    return true;
}

static void set_size(struct tg_trace *t, uint32_t id, uint32_t size)
{
    t->live_bytes = t->live_bytes - t->size[id] + size;
    t->size[id] = size;
    if (t->live_bytes > t->peak_bytes)
        t->peak_bytes = t->live_bytes;
}

uint32_t tg_alloc(struct tg_trace *t, size_t size)
{
    assert(size >= 1 && size <= TG_MAX_SIZE);
    assert(t->nids < TG_MAX_SIZE);
    uint32_t id = (uint32_t)t->nids;
    if (t->failed)
        return id;
    if (grow((void **)&t->size, &t->ids_cap, t->nids, sizeof *t->size) < 0) {
        t->failed = true;
        return id;
    }
    if (!append(t, 'a', id, (uint32_t)size))
        return id;
    t->nids++;
    t->size[id] = 0;
    t->nlive++;
    set_size(t, id, (uint32_t)size);
    return id;
}

bool tg_live(const struct tg_trace *t, uint32_t id)
{
    return id < t->nids && t->size[id] != 0;
}

void tg_realloc(struct tg_trace *t, uint32_t id, size_t size)
{
    assert(size >= 1 && size <= TG_MAX_SIZE);
    if (t->failed)
        return;
    assert(tg_live(t, id));
    if (append(t, 'r', id, (uint32_t)size))
        set_size(t, id, (uint32_t)size);
}

void tg_free(struct tg_trace *t, uint32_t id)
{
    if (t->failed)
        return;
    assert(tg_live(t, id));
    if (append(t, 'f', id, 0)) {
        set_size(t, id, 0);
        t->nlive--;
    }
}

void tg_finish(struct tg_trace *t)
{
    for (uint32_t id = 0; id < t->nids && t->nlive > 0; id++)
        if (tg_live(t, id))
            tg_free(t, id);
}

/* --- Writing ---------------------------------------------------------- */

int tg_write(const struct tg_trace *t, FILE *out)
{
    if (t->failed || t->nlive != 0)
        return -1;
    fprintf(out, "%" PRIu64 "\n%zu\n%zu\n1\n", t->peak_bytes, t->nids, t->nops);
    for (size_t i = 0; i < t->nops; i++) {
        const struct tg_op *op = &t->ops[i];
        if (op->kind == 'f')
            fprintf(out, "f %" PRIu32 "\n", op->id);
        else
            fprintf(out, "%c %" PRIu32 " %" PRIu32 "\n", op->kind, op->id, op->size);
    }
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

/* --- Validating ------------------------------------------------------- */

/*
 * Two passes. The first reads the lines, checks the form of each and keeps
 * the operations; the second replays them against a table of ids. Keeping
 * the operations bounds that table by the trace itself: in a valid trace the
 * ids are exactly 0 .. (number of 'a' lines) - 1, so a larger id is an error
 * found without making room for it.
 */

#define MAX_REPORTS 20   /* problems printed per trace; the rest are counted */

struct parsed_op {
    size_t line;
    uint32_t id;
    uint32_t size;
    char kind;
};

enum id_state { ID_UNUSED, ID_LIVE, ID_FREED };

struct id_info {
    enum id_state state;
    uint32_t size;       /* current size while live */
    size_t line;         /* where it was allocated */
};

struct validation {
    const char *name;
    FILE *err;
    size_t problems;
    bool have_header;    /* four valid header lines */
    struct parsed_op *ops;
    size_t nops, ops_cap;
    struct tg_stats st;
};

__attribute__((format(printf, 3, 4)))
static void problem(struct validation *v, size_t line, const char *fmt, ...)
{
    if (v->err && v->problems < MAX_REPORTS) {
        va_list ap;
        va_start(ap, fmt);
        fprintf(v->err, "%s:%zu: ", v->name, line);
        vfprintf(v->err, fmt, ap);
        fputc('\n', v->err);
        va_end(ap);
    }
    v->problems++;
}

/*
 * parse_uint - read an unsigned decimal integer at *s (no sign, at least one
 * digit, at most max) and advance *s past it; false when there is none or it
 * is larger than max.
 */
static bool parse_uint(const char **s, uint64_t max, uint64_t *value)
{
    const char *p = *s;
    uint64_t v = 0;
    if (*p < '0' || *p > '9')
        return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (max - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *s = p;
    *value = v;
    return true;
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

static const char OP_FORMS[] = "expected 'a ID SIZE', 'r ID SIZE' or 'f ID'";

/* read_header_line - header field i (0..3) from s. */
static void read_header_line(struct validation *v, size_t line, const char *s)
{
    static const char *const fields[4] = { "heap_hint", "num_ids", "num_ops", "weight" };
    uint64_t *value[4] = { &v->st.heap_hint, &v->st.num_ids, &v->st.num_ops, &v->st.weight };
    uint64_t max = line == 2 || line == 3 ? TG_MAX_SIZE : UINT64_MAX;
    if (!parse_uint(&s, max, value[line - 1]) || *s != '\0') {
        problem(v, line, "expected %s, an unsigned integer%s alone on the line",
                fields[line - 1], max == TG_MAX_SIZE ? " up to 2147483647," : "");
        v->have_header = false;
    }
}

/* read_op_line - check the form of one operation line and keep it. */
static void read_op_line(struct validation *v, size_t line, const char *s)
{
    if (*s == '\0') {
        problem(v, line, "%s (blank lines are not part of the format)", OP_FORMS);
        return;
    }
    if (*s == '#') {
        problem(v, line, "%s (comments are not part of the format)", OP_FORMS);
        return;
    }
    char kind = *s++;
    uint64_t id, size = 0;
    if ((kind != 'a' && kind != 'r' && kind != 'f') || !skip_blanks(&s)) {
        problem(v, line, "%s", OP_FORMS);
        return;
    }
    if (!parse_uint(&s, TG_MAX_SIZE, &id)) {
        problem(v, line, "expected an id from 0 to %lu after '%c'", TG_MAX_SIZE, kind);
        return;
    }
    if (kind != 'f' && (!skip_blanks(&s) || !parse_uint(&s, UINT64_MAX, &size))) {
        problem(v, line, "expected '%c ID SIZE'", kind);
        return;
    }
    /* From here on the operation is known: it is kept even when the rest
     * of the line is wrong, so one bad line is one problem, not a cascade. */
    skip_blanks(&s);
    if (*s != '\0')
        problem(v, line, "expected the line to end after '%s'",
                kind == 'f' ? "f ID" : kind == 'a' ? "a ID SIZE" : "r ID SIZE");
    if (kind != 'f' && (size < 1 || size > TG_MAX_SIZE)) {
        problem(v, line, "expected a SIZE from 1 to %lu, not %" PRIu64, TG_MAX_SIZE, size);
        if (size > TG_MAX_SIZE)
            size = TG_MAX_SIZE;
    }
    if (grow((void **)&v->ops, &v->ops_cap, v->nops, sizeof *v->ops) < 0) {
        problem(v, line, "out of memory after %zu operations", v->nops);
        return;
    }
    v->ops[v->nops++] = (struct parsed_op){
        .line = line, .id = (uint32_t)id, .size = (uint32_t)size, .kind = kind
    };
    v->st.ops++;
    v->st.allocs += kind == 'a';
    v->st.reallocs += kind == 'r';
    v->st.frees += kind == 'f';
    if (size > v->st.max_size)
        v->st.max_size = size;
}

/* replay_op - apply op to the id table (nids entries); track live bytes. */
static void replay_op(struct validation *v, const struct parsed_op *op,
                      struct id_info *ids, size_t nids, uint64_t *live)
{
    if (v->have_header && op->id >= v->st.num_ids) {
        problem(v, op->line, "expected an id below num_ids (%" PRIu64 "), not %" PRIu32,
                v->st.num_ids, op->id);
        return;
    }
    if (op->id >= nids) {
        problem(v, op->line, "expected an id below %zu, the number of 'a' lines "
                "(ids run from 0 without gaps), not %" PRIu32, nids, op->id);
        return;
    }
    struct id_info *info = &ids[op->id];
    if (op->kind == 'a') {
        if (info->state != ID_UNUSED) {
            problem(v, op->line, "expected a new id: %" PRIu32 " was allocated at line %zu",
                    op->id, info->line);
            return;
        }
        *info = (struct id_info){ .state = ID_LIVE, .size = op->size, .line = op->line };
        v->st.ids++;
        *live += op->size;
    } else {
        if (info->state != ID_LIVE) {
            problem(v, op->line, "expected a live id: %" PRIu32 " is %s", op->id,
                    info->state == ID_UNUSED ? "not allocated yet" : "already freed");
            return;
        }
        *live -= info->size;
        info->size = op->size;
        *live += op->size;
        if (op->kind == 'f')
            info->state = ID_FREED;
    }
    if (*live > v->st.peak_bytes)
        v->st.peak_bytes = *live;
}

/* replay - the second pass: ids, liveness, balance, the header's counts. */
static void replay(struct validation *v)
{
    size_t nids = v->st.allocs;
    struct id_info *ids = calloc(nids ? nids : 1, sizeof *ids);
    if (!ids) {
        problem(v, 2, "out of memory for %zu ids", nids);
        return;
    }
    uint64_t live = 0;
    for (size_t i = 0; i < v->nops; i++)
        replay_op(v, &v->ops[i], ids, nids, &live);

    for (size_t id = 0; id < nids; id++)
        if (ids[id].state == ID_LIVE)
            problem(v, ids[id].line, "expected id %zu to be freed by the end of the trace", id);
    if (v->have_header) {
        uint64_t unused = 0, first = v->st.num_ids;
        for (size_t id = 0; id < nids && id < v->st.num_ids; id++) {
            if (ids[id].state == ID_UNUSED && !unused++)
                first = id;
        }
        if (v->st.num_ids > nids) {
            unused += v->st.num_ids - nids;
            if (first == v->st.num_ids)
                first = nids;
        }
        if (unused)
            problem(v, 2, "expected every id below num_ids (%" PRIu64 ") to be allocated: "
                    "%" PRIu64 " are not, the first is %" PRIu64, v->st.num_ids, unused, first);
        if (v->st.num_ops != v->st.ops)
            problem(v, 3, "expected num_ops to be the number of operations, %zu, not %" PRIu64,
                    v->st.ops, v->st.num_ops);
    }
    free(ids);
}

size_t tg_validate(FILE *in, const char *name, FILE *err, struct tg_stats *st)
{
    struct validation v = { .name = name, .err = err, .have_header = true };
    char *buf = NULL;
    size_t cap = 0, lines = 0;
    ssize_t len;

    while ((len = getline(&buf, &cap, in)) >= 0) {
        size_t line = ++lines;
        if (len > 0 && buf[len - 1] == '\n')
            buf[--len] = '\0';
        if (len > 0 && buf[len - 1] == '\r') {
            problem(&v, line, "expected the line to end in a bare '\\n', not \"\\r\\n\"");
            buf[--len] = '\0';
        }
        if (memchr(buf, '\0', (size_t)len) || memchr(buf, '\r', (size_t)len)) {
            problem(&v, line, "expected plain text (found a NUL or a carriage return)");
            if (line <= 4)
                v.have_header = false;
        } else if (line <= 4)
            read_header_line(&v, line, buf);
        else
            read_op_line(&v, line, buf);
    }
    if (ferror(in))
        problem(&v, lines, "expected to read the whole trace: %s", strerror(errno));
    if (lines < 4) {
        problem(&v, lines + 1, "expected 4 header lines, the file has %zu lines", lines);
        v.have_header = false;
    }
    free(buf);

    replay(&v);
    if (v.err && v.problems > MAX_REPORTS)
        fprintf(v.err, "%s: %zu more problems not shown\n", name, v.problems - MAX_REPORTS);
    free(v.ops);
    if (st)
        *st = v.st;
    return v.problems;
}
