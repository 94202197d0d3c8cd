/*
 * convert.c - recorder log -> .rep (the rules are in convert.h).
 *
 * The trace is built with trace.h's builder, which hands out the IDs and
 * follows their life. The live blocks are a map from address to ID in step
 * with it: an ID enters the map when its "a" is emitted and leaves it with
 * its "f". At the end trace_close frees the IDs still live, in ID order.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include "logfile.h"
#include "ptrmap.h"

struct converter {
    trace_t *t;
    struct ptrmap live;
    struct convert_stats *st;
};

/* release - emit "f" for the block at addr if it is live, telling which in
 * *was_live; -1 when memory runs out. */
static int release(struct converter *c, uint64_t addr, bool *was_live)
{
    uint32_t id;
    *was_live = ptrmap_get(&c->live, addr, &id);
    if (!*was_live)
        return 0;
    ptrmap_remove(&c->live, addr);
    trace_add_free(c->t, id);
    return c->t->failed ? -1 : 0;
}

/* hand_out - a new ID for the block at addr, after freeing any ID the map
 * still holds there; -1 when memory runs out. */
static int hand_out(struct converter *c, uint64_t addr, uint64_t size)
{
    bool stale;
    if (release(c, addr, &stale) < 0)
        return -1;
    if (stale)
        c->st->implied_free++;
    uint32_t id = trace_add_alloc(c->t, size);
    if (c->t->failed)
        return -1;
    return ptrmap_put(&c->live, addr, id);
}

static int convert_free(struct converter *c, uint64_t ptr)
{
    bool was_live;
    if (ptr == 0) {
        c->st->free_null++;
        return 0;
    }
    if (release(c, ptr, &was_live) < 0)
        return -1;
    if (!was_live)
        c->st->unseen_free++;
    return 0;
}

static int convert_realloc(struct converter *c, const struct mtlog_record *rec)
{
    uint32_t id;
    if (rec->ptr == 0) {
        if (rec->result == 0) {
            c->st->failed++;
            return 0;
        }
        return hand_out(c, rec->result, rec->size);
    }
    if (rec->result == 0) {
        if (rec->size == 0)
            return convert_free(c, rec->ptr);
        c->st->failed++;
        return 0;
    }
    if (!ptrmap_get(&c->live, rec->ptr, &id)) {
        c->st->unseen_realloc++;
        return hand_out(c, rec->result, rec->size);
    }
    if (rec->size == 0) {
        bool was_live;
        if (release(c, rec->ptr, &was_live) < 0)
            return -1;
        return hand_out(c, rec->result, 0);
    }
    ptrmap_remove(&c->live, rec->ptr);
    bool stale;
    if (release(c, rec->result, &stale) < 0)
        return -1;
    if (stale)
        c->st->implied_free++;
    trace_add_realloc(c->t, id, rec->size);
    if (c->t->failed)
        return -1;
    return ptrmap_put(&c->live, rec->result, id);
}

static int convert_one(struct converter *c, const struct mtlog_record *rec)
{
    switch ((enum mtlog_op)rec->op) {
    case MTLOG_MALLOC:
    case MTLOG_CALLOC:
    case MTLOG_MEMALIGN:
        if (rec->result == 0) {
            c->st->failed++;
            return 0;
        }
        return hand_out(c, rec->result, rec->size);
    case MTLOG_REALLOC:
        return convert_realloc(c, rec);
    case MTLOG_FREE:
        return convert_free(c, rec->ptr);
    case MTLOG_END:
        c->st->ended = true;
        return 0;
    case MTLOG_OP_LIMIT:
        break;
    }
    return 0; /* mtlog_load has refused unknown ops */
}

int convert_records(const struct mtlog_record *recs, size_t n, size_t max_ops, trace_t *t,
                    struct convert_stats *st)
{
    struct converter c = { .t = t, .st = st };
    *st = (struct convert_stats){ 0 };
    trace_init(t);
    int rc = 0;
    size_t i;
    for (i = 0; i < n && rc == 0; i++) {
        if (max_ops && t->num_ops >= max_ops) {
            st->capped = true;
            break;
        }
        rc = convert_one(&c, &recs[i]);
    }
    st->records = i;
    ptrmap_free(&c.live);
    if (rc == 0)
        st->closing_free = trace_close(t);
    if (rc < 0 || t->failed) {
        trace_free(t);
        return -1;
    }
    if (trace_check_classic(t, MTRACE_RULES, stderr, NULL) != 0) {
        fprintf(stderr, "convert_records: bug: the trace breaks the rules above\n");
        abort();
    }
    return 0;
}

static void print_summary(const struct mtlog_info *log, const trace_t *t,
                          const struct convert_stats *st)
{
    char prog[MTLOG_CMD_LEN];
    mtlog_program(&log->header, prog, sizeof prog);
    if (!st->ended && !st->capped)
        fprintf(stderr, "%s: warning: no end mark: a signal killed the process, or its image "
                "was replaced in a way the recorder does not see; its last records may be "
                "missing\n", log->path);
    fprintf(stderr,
            "mtrace: pid=%llu program=%s records=%zu ops=%zu ids=%" PRIu32 " peak=%" PRIu64
            " capped=%s closing-frees=%zu dropped: free-null=%zu unseen-free=%zu failed=%zu;"
            " unseen-realloc=%zu implied-free=%zu\n",
            (unsigned long long)log->header.pid, prog, st->records, t->num_ops, t->num_ids,
            (uint64_t)t->heap_hint, st->capped ? "yes" : "no", st->closing_free, st->free_null,
            st->unseen_free, st->failed, st->unseen_realloc, st->implied_free);
}

static int write_trace(const char *out, const trace_t *t)
{
    FILE *f = out ? fopen(out, "w") : stdout;
    if (!f) {
        fprintf(stderr, "%s: cannot create: %s\n", out, strerror(errno));
        return -1;
    }
    int rc = trace_write(t, f);
    if (out && fclose(f) != 0)
        rc = -1;
    if (rc < 0)
        fprintf(stderr, "%s: write error\n", out ? out : "stdout");
    return rc;
}

int convert_logs(const struct convert_request *req)
{
    fprintf(stderr, "# mtrace: logs=%zu pid=%ld program=%s max_ops=%zu out=%s\n", req->npaths,
            req->pid, req->program ? req->program : "any", req->max_ops,
            req->out ? req->out : "stdout");
    struct mtlog_info *logs = calloc(req->npaths ? req->npaths : 1, sizeof *logs);
    size_t nlogs = 0;
    int rc = -1;
    if (!logs) {
        fprintf(stderr, "mtrace: out of memory\n");
        return -1;
    }
    for (size_t i = 0; i < req->npaths; i++)
        if (mtlog_probe(req->paths[i], &logs[nlogs]) == 0)
            nlogs++;
    long chosen = mtlog_choose(logs, nlogs, req->pid, req->program);
    if (req->list)
        mtlog_list(stderr, logs, nlogs, chosen);
    if (chosen < 0) {
        fprintf(stderr, "mtrace: no log matches (of %zu readable); -l lists them\n", nlogs);
        goto out;
    }
    struct mtlog_info *log = &logs[chosen];
    struct mtlog_record *recs = mtlog_load(log);
    if (!recs)
        goto out;
    trace_t t;
    struct convert_stats st;
    if (convert_records(recs, log->records, req->max_ops, &t, &st) < 0) {
        fprintf(stderr, "%s: out of memory while converting\n", log->path);
        free(recs);
        goto out;
    }
    free(recs);
    rc = write_trace(req->out, &t);
    if (rc == 0)
        print_summary(log, &t, &st);
    trace_free(&t);
out:
    for (size_t i = 0; i < nlogs; i++)
        mtlog_info_free(&logs[i]);
    free(logs);
    return rc;
}
