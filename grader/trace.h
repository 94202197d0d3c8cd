/*
 * trace.h - allocation traces in the CS:APP format: the one form a trace
 * takes in memory, however it is made (read from a file by mdriver, built
 * op by op by tracegen and mtrace), its writer, and its two checks.
 *
 * A trace file is four header numbers, then one operation per line:
 *   a ID SIZE   malloc(SIZE), the result known as ID
 *   r ID SIZE   realloc(ID's payload, SIZE)
 *   f ID        free(ID's payload)
 *
 * Read leniently (trace_read), a trace may be anything found in the wild.
 * Two header conventions exist and are told apart by their values: the
 * classic `heap_hint num_ids num_ops weight` and the later `weight num_ids
 * num_ops max_alloc` (weight is 0 or 1 there). Blank lines, CRLF endings
 * and `#` comments are allowed. Extensions: `f -1` is free(NULL); `r` of an
 * ID not allocated is realloc(NULL, SIZE); `r ID 0` is realloc(p, 0), which
 * frees. The reader checks the whole life of every ID under these rules,
 * so a replay can trust the trace: no ID is used before its allocation or
 * after its free, and an ID still live at the end is freed by the replay,
 * not reported.
 *
 * The classic format is what any CS:APP driver reads, and all the kit's
 * tools write. trace_read_classic holds a file to all of it, and
 * trace_check_classic a trace in memory to what reading leaves of it (the
 * header convention, IDs, sizes, the life of every ID):
 *   - the classic header, one number alone on each of the first four lines;
 *     num_ids and num_ops agree with the body (heap_hint and weight are
 *     free);
 *   - then only `a ID SIZE`, `r ID SIZE` and `f ID` lines, their fields
 *     apart by blanks: no blank lines, no comments, no CR, no extensions;
 *   - every ID from 0 to num_ids - 1 allocated exactly once, reallocated
 *     and freed only while live, and freed by the end (the trace is
 *     balanced);
 *   - IDs, num_ids and num_ops at most TRACE_CLASSIC_MAX (an int, as the
 *     original driver stores them), and so are sizes, which are at least 1
 *     (malloc(0) may return NULL there, which that driver counts as a
 *     failure). With the rule TRACE_SIZES_ANY a size is anything a program
 *     may ask for, 0 included, except in `r ID 0` (an extension).
 * tracegen holds its traces to all of it; mtrace, which records what
 * programs asked for, adds TRACE_SIZES_ANY.
 *
 * The builder (trace_init, trace_add_alloc, trace_add_realloc,
 * trace_add_free, trace_close) hands out IDs 0, 1, 2, ... in order of
 * allocation and follows the life of each, so a built trace is classic by
 * construction once closed (but for its sizes, which are the caller's): its
 * heap_hint is its peak of live requested bytes, its weight 1, and op i
 * carries the line it gets from trace_write.
 */
#ifndef TRACE_H
#define TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum trace_op_kind { OP_ALLOC = 'a', OP_REALLOC = 'r', OP_FREE = 'f' };

#define TRACE_NO_ID UINT32_MAX            /* the ID of `f -1` */
#define TRACE_CLASSIC_MAX 2147483647UL    /* largest ID, count and SIZE of the classic format */
#define TRACE_HEADER_LINES 4              /* lines of the classic header */

typedef struct trace_op {
    uint8_t kind;      /* enum trace_op_kind */
    uint32_t id;       /* TRACE_NO_ID for free(NULL) */
    uint32_t line;     /* line in the file, for messages */
    size_t size;       /* bytes requested; 0 for OP_FREE */
} trace_op_t;

enum trace_header { HEADER_CLASSIC, HEADER_WEIGHT_FIRST };

enum trace_id_state { ID_UNUSED, ID_LIVE, ID_FREED };

/* One ID at a point of a trace. */
typedef struct trace_id {
    size_t size;       /* bytes requested, while live */
    uint32_t line;     /* line of the op that last made it live */
    uint8_t state;     /* enum trace_id_state */
} trace_id_t;

/* The life of every ID up to a point of a trace. */
typedef struct trace_life {
    trace_id_t *id;        /* IDs 0 .. n-1; the IDs from n on are unused */
    size_t n, cap;
    size_t nlive;          /* IDs live */
    uint64_t live_bytes;   /* their bytes requested */
    uint64_t peak_bytes;   /* the most live_bytes has been */
} trace_life_t;

typedef struct trace {
    char *path;            /* as given; NULL for a built trace */
    const char *name;      /* the file name part of path */
    enum trace_header header;
    size_t heap_hint;      /* classic header only */
    size_t max_alloc;      /* weight-first header only */
    double weight;
    uint32_t num_ids;
    size_t num_ops;
    trace_op_t *ops;
    size_t ops_cap;        /* room in ops */
    trace_life_t life;     /* a built trace's IDs; empty in one read */
    bool failed;           /* building ran out of memory: the trace is incomplete */
} trace_t;

/* Problems reported per trace before the rest are only counted. */
#define TRACE_MAX_ERRORS 10            /* by the lenient reader */
#define TRACE_CLASSIC_MAX_ERRORS 20    /* by the classic checks */

/* Rules of the classic checks (a set of flags; 0 is the strictest). */
#define TRACE_SIZES_ANY 1u     /* any SIZE, 0 included (but `r ID 0`) */

/* What the classic checks count in a trace's body. */
typedef struct trace_stats {
    size_t ops, allocs, reallocs, frees;   /* operations, by kind */
    size_t ids;                            /* distinct IDs allocated */
    uint64_t peak_bytes;                   /* most bytes requested and live at once */
    uint64_t max_size;                     /* largest SIZE */
} trace_stats_t;

/* --- Reading ---------------------------------------------------------- */

/*
 * trace_read - read and check the trace at path into *t, leniently. Each
 * problem is printed to err as `path:line: message`. Returns the number of
 * problems: 0 means *t is a valid trace (free it with trace_free);
 * otherwise *t holds nothing to free.
 */
int trace_read(const char *path, trace_t *t, FILE *err);

/* trace_read_stream - as trace_read, from an open stream named path. */
int trace_read_stream(FILE *in, const char *path, trace_t *t, FILE *err);

/*
 * trace_read_classic - read the trace in, named path, into *t, holding it
 * to the classic format under rules. As trace_read otherwise, but each
 * problem is `path:line: expected ...` and err may be NULL. Fills *st
 * (when not NULL) even when there are problems.
 */
int trace_read_classic(FILE *in, const char *path, unsigned rules, trace_t *t, FILE *err,
                       trace_stats_t *st);

/*
 * trace_check_classic - hold t, read or built, to the classic format under
 * rules, reporting each problem as trace_read_classic does (a built trace
 * is named "(built trace)"). Fills *st when not NULL. Returns the number
 * of problems.
 */
int trace_check_classic(const trace_t *t, unsigned rules, FILE *err, trace_stats_t *st);

/* trace_free - release what a reader or the builder allocated; t may be
 * zeroed. */
void trace_free(trace_t *t);

/* --- Building --------------------------------------------------------- */

/* trace_init - an empty trace to build (classic header, weight 1). */
void trace_init(trace_t *t);

/*
 * trace_add_alloc - append `a ID size` for a new ID, the next one, and
 * return it. When memory runs out, t->failed is set and nothing more is
 * appended; the ID returned may still be passed back.
 */
uint32_t trace_add_alloc(trace_t *t, size_t size);

/* trace_add_realloc - append `r id size`; id is live, size at least 1. */
void trace_add_realloc(trace_t *t, uint32_t id, size_t size);

/* trace_add_free - append `f id`; id is live. */
void trace_add_free(trace_t *t, uint32_t id);

/* trace_live - whether id is allocated and not freed. */
bool trace_live(const trace_t *t, uint32_t id);

/* trace_close - free every ID still live, in increasing ID order; returns
 * how many there were. */
size_t trace_close(trace_t *t);

/* --- Writing ---------------------------------------------------------- */

/*
 * trace_write - write t in the classic format to out: the header one
 * number a line, then an op a line. Returns 0, or -1 when writing fails or
 * t is failed or has IDs still live (nothing sensible to write).
 */
int trace_write(const trace_t *t, FILE *out);

/* trace_op_text - the op as it reads in a trace ("a 12 448"), into buf. */
const char *trace_op_text(const trace_op_t *op, char *buf, size_t n);

#endif
