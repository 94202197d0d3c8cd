/*
 * rep.c - building, checking, writing and reading .rep traces (rep.h).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "rep.h"

#define REP_MIN_CAP 4096
#define HEADER_LINES 4

int rep_push(struct rep *r, char kind, uint32_t id, uint64_t size)
{
    if (r->nops == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : REP_MIN_CAP;
        struct rep_op *ops = realloc(r->ops, cap * sizeof *ops);
        if (!ops)
            return -1;
        r->ops = ops;
        r->cap = cap;
    }
    r->ops[r->nops++] = (struct rep_op){ .kind = kind, .id = id, .size = size };
    if (kind == REP_ALLOC && id >= r->num_ids)
        r->num_ids = id + 1;
    return 0;
}

void rep_measure(struct rep *r)
{
    uint64_t *size = calloc(r->num_ids ? r->num_ids : 1, sizeof *size);
    uint64_t live = 0, peak = 0;
    if (!size) {
        r->peak_bytes = 0;
        return;
    }
    for (size_t i = 0; i < r->nops; i++) {
        const struct rep_op *op = &r->ops[i];
        live -= size[op->id];
        size[op->id] = op->kind == REP_FREE ? 0 : op->size;
        live += size[op->id];
        if (live > peak)
            peak = live;
    }
    free(size);
    r->peak_bytes = peak;
}

const char *rep_check(const struct rep *r)
{
    static char why[128];
    bool *live = calloc(r->num_ids ? r->num_ids : 1, sizeof *live);
    uint32_t next_id = 0, nlive = 0;
    const char *bad = NULL;
    size_t i;
    if (!live)
        return "rep_check: out of memory";
    for (i = 0; i < r->nops && !bad; i++) {
        const struct rep_op *op = &r->ops[i];
        switch (op->kind) {
        case REP_ALLOC:
            if (op->id != next_id)
                bad = "'a' does not allocate the next ID";
            else {
                live[next_id++] = true;
                nlive++;
            }
            break;
        case REP_REALLOC:
        case REP_FREE:
            if (op->id >= next_id || !live[op->id])
                bad = "names an ID that is not live";
            else if (op->kind == REP_FREE) {
                live[op->id] = false;
                nlive--;
            }
            break;
        default:
            bad = "unknown op kind";
        }
    }
    free(live);
    if (bad) {
        snprintf(why, sizeof why, "op %zu: %s", i - 1, bad);
        return why;
    }
    if (next_id != r->num_ids) {
        snprintf(why, sizeof why, "num_ids is %" PRIu32 " but %" PRIu32 " IDs are allocated",
                 r->num_ids, next_id);
        return why;
    }
    if (nlive) {
        snprintf(why, sizeof why, "%" PRIu32 " IDs are still live at the end", nlive);
        return why;
    }
    return NULL;
}

int rep_write(FILE *f, const struct rep *r)
{
    fprintf(f, "%" PRIu64 "\n%" PRIu32 "\n%zu\n%d\n", r->peak_bytes, r->num_ids, r->nops,
            REP_WEIGHT);
    for (size_t i = 0; i < r->nops; i++) {
        const struct rep_op *op = &r->ops[i];
        if (op->kind == REP_FREE)
            fprintf(f, "f %" PRIu32 "\n", op->id);
        else
            fprintf(f, "%c %" PRIu32 " %" PRIu64 "\n", op->kind, op->id, op->size);
    }
    return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}

/* parse_u64 - the decimal number at *s, which then points past it. */
static bool parse_u64(const char **s, uint64_t *v)
{
    const char *p = *s;
    uint64_t x = 0;
    if (*p < '0' || *p > '9')
        return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (x > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
            return false;
        x = x * 10 + (uint64_t)(*p - '0');
    }
    *s = p;
    *v = x;
    return true;
}

/* parse_op - one body line into op; false when it is not "a|r ID SIZE" or
 * "f ID". */
static bool parse_op(const char *line, struct rep_op *op)
{
    uint64_t id, size = 0;
    char kind = line[0];
    if ((kind != REP_ALLOC && kind != REP_REALLOC && kind != REP_FREE) || line[1] != ' ')
        return false;
    const char *p = line + 2;
    if (!parse_u64(&p, &id) || id > UINT32_MAX)
        return false;
    if (kind != REP_FREE && (*p++ != ' ' || !parse_u64(&p, &size)))
        return false;
    if (*p != '\0')
        return false;
    *op = (struct rep_op){ .kind = kind, .id = (uint32_t)id, .size = size };
    return true;
}

int rep_read(const char *path, struct rep *r)
{
    static const char *const header_names[HEADER_LINES] = {
        "the heap hint (a number)", "num_ids (a number)", "num_ops (a number)",
        "the weight (a number)",
    };
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: cannot open: %m\n", path);
        return -1;
    }
    *r = (struct rep){ 0 };
    uint64_t header[HEADER_LINES];
    char *line = NULL;
    size_t linecap = 0, lineno = 0;
    ssize_t len;
    int rc = 0;
    while ((len = getline(&line, &linecap, f)) >= 0) {
        lineno++;
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if (lineno <= HEADER_LINES) {
            const char *p = line;
            if (!parse_u64(&p, &header[lineno - 1]) || *p != '\0') {
                fprintf(stderr, "%s:%zu: expected %s\n", path, lineno, header_names[lineno - 1]);
                rc = -1;
                break;
            }
            continue;
        }
        struct rep_op op;
        if (!parse_op(line, &op)) {
            fprintf(stderr, "%s:%zu: expected 'a ID SIZE', 'r ID SIZE' or 'f ID'\n", path, lineno);
            rc = -1;
            break;
        }
        if (rep_push(r, op.kind, op.id, op.size) < 0) {
            fprintf(stderr, "%s:%zu: out of memory\n", path, lineno);
            rc = -1;
            break;
        }
    }
    free(line);
    fclose(f);
    if (rc == 0 && lineno < HEADER_LINES) {
        fprintf(stderr, "%s:%zu: expected %s\n", path, lineno + 1, header_names[lineno]);
        rc = -1;
    }
    if (rc == 0 && header[1] != r->num_ids) {
        fprintf(stderr, "%s:2: expected num_ids %" PRIu32 " (the body allocates that many), found %" PRIu64 "\n",
                path, r->num_ids, header[1]);
        rc = -1;
    }
    if (rc == 0 && header[2] != r->nops) {
        fprintf(stderr, "%s:3: expected num_ops %zu (the body has that many), found %" PRIu64 "\n",
                path, r->nops, header[2]);
        rc = -1;
    }
    if (rc == 0)
        r->peak_bytes = header[0];
    if (rc < 0)
        rep_free(r);
    return rc;
}

void rep_free(struct rep *r)
{
    free(r->ops);
    *r = (struct rep){ 0 };
}
