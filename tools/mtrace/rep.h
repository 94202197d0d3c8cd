/*
 * rep.h - a malloc trace in the CS:APP .rep format, as the recorder emits it.
 *
 * The file: four header lines in the classic convention
 *     heap_hint   (the peak of live requested bytes)
 *     num_ids
 *     num_ops
 *     weight      (always 1)
 * then one operation a line: "a ID SIZE", "r ID SIZE", "f ID". No comments,
 * no extension ops, so any driver reads it.
 *
 * A rep built here always satisfies rep_check: IDs are allocated once, in
 * increasing order from 0; "r" and "f" name a live ID; every ID is freed by
 * the end (the trace is balanced).
 */
#ifndef REP_H
#define REP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum rep_kind { REP_ALLOC = 'a', REP_REALLOC = 'r', REP_FREE = 'f' };

struct rep_op {
    char kind;      /* enum rep_kind */
    uint32_t id;
    uint64_t size;  /* unused for REP_FREE */
};

struct rep {
    struct rep_op *ops;
    size_t nops, cap;
    uint32_t num_ids;    /* IDs allocated so far; the next "a" gets this one */
    uint64_t peak_bytes; /* the heap hint; set by rep_measure */
};

#define REP_WEIGHT 1

/* rep_push - append an op; -1 when memory runs out (nothing appended). */
int rep_push(struct rep *r, char kind, uint32_t id, uint64_t size);

/* rep_measure - replay r's ops and set peak_bytes to the peak of the sum of
 * live sizes. r must satisfy rep_check. */
void rep_measure(struct rep *r);

/* rep_check - NULL when r satisfies the invariants above, else a static
 * message naming the first op (0-based) that breaks one. */
const char *rep_check(const struct rep *r);

/* rep_write - write r to f; -1 on a write error. */
int rep_write(FILE *f, const struct rep *r);

/*
 * rep_read - read the trace at path (exactly the format above, as written by
 * rep_write) into r. -1 with "path:line: expected ..." on stderr when the
 * file breaks the format or its header disagrees with its body.
 */
int rep_read(const char *path, struct rep *r);

/* rep_free - release r's memory; r is empty afterwards. */
void rep_free(struct rep *r);

#endif
