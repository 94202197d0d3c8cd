/*
 * trace.h - allocation traces: reading and checking the CS:APP format.
 *
 * A trace file is four header numbers, then one operation per line:
 *   a ID SIZE   malloc(SIZE), the result known as ID
 *   r ID SIZE   realloc(ID's payload, SIZE)
 *   f ID        free(ID's payload)
 * Two header conventions exist and are told apart by their values: the
 * classic `heap_hint num_ids num_ops weight` and the later
 * `weight num_ids num_ops max_alloc` (weight is 0 or 1 there). Blank lines,
 * CRLF endings and `#` comments are allowed. Extensions: `f -1` is
 * free(NULL); `r` of an ID never allocated is realloc(NULL, SIZE); `r ID 0`
 * is realloc(p, 0), which frees.
 *
 * trace_read checks the whole life of every ID, so a replay can trust the
 * trace: no ID is used before its allocation or after its free, and an ID
 * still live at the end is freed by the replay, not reported.
 */
#ifndef TRACE_H
#define TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum trace_op_kind { OP_ALLOC, OP_REALLOC, OP_FREE };

#define TRACE_NO_ID UINT32_MAX   /* the ID of `f -1` */

typedef struct trace_op {
    uint8_t kind;      /* enum trace_op_kind */
    uint32_t id;       /* TRACE_NO_ID for free(NULL) */
    uint32_t line;     /* line in the file, for messages */
    size_t size;       /* bytes requested; 0 for OP_FREE */
} trace_op_t;

enum trace_header { HEADER_CLASSIC, HEADER_WEIGHT_FIRST };

typedef struct trace {
    char *path;            /* as given */
    const char *name;      /* the file name part of path */
    enum trace_header header;
    size_t heap_hint;      /* classic header only */
    size_t max_alloc;      /* weight-first header only */
    double weight;
    uint32_t num_ids;
    size_t num_ops;
    trace_op_t *ops;
} trace_t;

/* Errors reported per trace before the rest are only counted. */
#define TRACE_MAX_ERRORS 10

/*
 * trace_read - read and check the trace at path into *t. Each problem is
 * printed to err as `path:line: message`. Returns the number of problems:
 * 0 means *t is a valid trace (free it with trace_free); otherwise *t holds
 * nothing to free.
 */
int trace_read(const char *path, trace_t *t, FILE *err);

/* trace_read_stream - as trace_read, from an open stream named path. */
int trace_read_stream(FILE *in, const char *path, trace_t *t, FILE *err);

/* trace_free - release what trace_read allocated; t may be zeroed. */
void trace_free(trace_t *t);

/* trace_op_text - the op as it reads in a trace ("a 12 448"), into buf. */
const char *trace_op_text(const trace_op_t *op, char *buf, size_t n);

#endif
