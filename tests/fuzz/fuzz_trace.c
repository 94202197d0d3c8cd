/*
 * fuzz_trace.c - libFuzzer target: the malloc trace reader (grader/trace.c)
 * on any bytes, read as a trace file the way mdriver reads one (leniently)
 * and the way tracegen --check and mtrace do (the classic format).
 *
 * Besides what the sanitizers catch, each read is held to what trace.h
 * promises, since mdriver trusts it:
 *   - problems are reported as "fuzz.rep:LINE: message", one line each, at
 *     most TRACE_MAX_ERRORS (or TRACE_CLASSIC_MAX_ERRORS) of them and then
 *     a line counting the rest; a trace without problems prints nothing;
 *   - a rejected trace holds nothing;
 *   - a trace read leniently without problems can be replayed as it is:
 *     every ID is below num_ids, allocated before it is freed or
 *     reallocated to 0, never allocated while live (the replay indexes
 *     its tables by ID and relies on this);
 *   - a trace accepted by the classic reader passes the classic check in
 *     memory (trace_check_classic) under the same rules.
 * A broken promise aborts with what was read and printed.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"

#define NAME "fuzz.rep"

/* What one reader printed. */
typedef struct output {
    char *text;
    size_t len;
} output_t;

static void fail(const char *what, const output_t *out)
{
    fprintf(stderr, "fuzz_trace: %s\n--- the reader printed:\n%s---\n", what,
            out && out->text ? out->text : "");
    abort();
}

/* check_report - out, the report of a read that found problems problems,
 * of which it prints shown at most. */
static void check_report(const output_t *out, int problems, int shown)
{
    size_t lines = 0;
    for (const char *p = out->text; (p = strchr(p, '\n')); p++)
        lines++;
    size_t want = problems == 0 ? 0 : problems <= shown ? (size_t)problems : (size_t)shown + 1;
    if (lines != want || (out->len && out->text[out->len - 1] != '\n'))
        fail("the report is not one line per problem shown (and one for the rest)", out);
    for (const char *p = out->text; *p; p = strchr(p, '\n') + 1)
        if (strncmp(p, NAME ":", strlen(NAME ":")))
            fail("a line of the report does not start with the trace's name", out);
}

/* An op of a trace, for checking the life of IDs. */
typedef struct seen {
    uint32_t id;
    size_t at;     /* index of the op in the trace */
} seen_t;

static int by_id_then_order(const void *a, const void *b)
{
    const seen_t *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* check_replayable - the life of every ID in t as the replay assumes it.
 * The ops are sorted by ID, so the check needs no table of num_ids. */
static void check_replayable(const trace_t *t, const output_t *out)
{
    seen_t *v = malloc((t->num_ops ? t->num_ops : 1) * sizeof *v);
    size_t n = 0;
    if (!v)
        fail("out of memory", NULL);
    for (size_t i = 0; i < t->num_ops; i++) {
        const trace_op_t *op = &t->ops[i];
        if (op->kind != OP_ALLOC && op->kind != OP_REALLOC && op->kind != OP_FREE)
            fail("an op of an accepted trace has no kind", out);
        if (op->id == TRACE_NO_ID && op->kind == OP_FREE)
            continue;
        if (op->id >= t->num_ids)
            fail("an accepted trace uses an ID at or above num_ids", out);
        v[n++] = (seen_t){ op->id, i };
    }
    qsort(v, n, sizeof *v, by_id_then_order);
    bool live = false;
    for (size_t k = 0; k < n; k++) {
        const trace_op_t *op = &t->ops[v[k].at];
        if (k == 0 || v[k - 1].id != op->id)
            live = false;
        if ((op->kind == OP_ALLOC && live) || (op->kind == OP_FREE && !live) ||
            (op->kind == OP_REALLOC && !live && op->size == 0))
            fail("an accepted trace uses an ID against its life", out);
        live = op->kind == OP_ALLOC || (op->kind == OP_REALLOC && op->size > 0);
    }
    free(v);
}

/* One way to read a trace: leniently, or in the classic format under
 * rules. */
typedef struct way {
    bool classic;
    unsigned rules;
} way_t;

/* read_checked - the input read w's way into *t, with its report (in out)
 * checked, and a rejected trace checked to hold nothing. Whether the trace
 * was accepted: then the caller frees it. */
static bool read_checked(const uint8_t *data, size_t size, way_t w, trace_t *t,
                         output_t *out)
{
    static const uint8_t nothing[1];    /* an empty input may come as NULL */
    FILE *in = fmemopen((void *)(size ? data : nothing), size, "r");
    FILE *err = open_memstream(&out->text, &out->len);
    if (!in || !err)
        fail("cannot open the input or the output stream", NULL);
    int problems = w.classic ? trace_read_classic(in, NAME, w.rules, t, err, NULL)
                             : trace_read_stream(in, NAME, t, err);
    fclose(in);
    fclose(err);
    check_report(out, problems, w.classic ? TRACE_CLASSIC_MAX_ERRORS : TRACE_MAX_ERRORS);
    if (problems && (t->ops || t->path))
        fail("a rejected trace holds ops or a path", out);
    return problems == 0;
}

static void fuzz_lenient(const uint8_t *data, size_t size)
{
    trace_t t;
    output_t out = { 0 };
    if (read_checked(data, size, (way_t){ false, 0 }, &t, &out)) {
        check_replayable(&t, &out);
        /* The classic check of a lenient trace: any result, but no crash. */
        trace_check_classic(&t, 0, NULL, NULL);
        trace_free(&t);
    }
    free(out.text);
}

static void fuzz_classic(const uint8_t *data, size_t size, unsigned rules)
{
    trace_t t;
    output_t out = { 0 };
    if (read_checked(data, size, (way_t){ true, rules }, &t, &out)) {
        if (trace_check_classic(&t, rules, NULL, NULL) != 0)
            fail("a trace the classic reader accepts fails the classic check", &out);
        trace_free(&t);
    }
    free(out.text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_lenient(data, size);
    fuzz_classic(data, size, 0);
    fuzz_classic(data, size, TRACE_SIZES_ANY);
    return 0;
}
