/*
 * convert.h - a recorder log becomes a balanced .rep trace.
 *
 * The rules, in the order of the log:
 *   malloc, calloc (n*m bytes), the memalign family -> "a ID SIZE" with a new
 *       ID (malloc(0) included: "a ID 0"); a NULL result is a failed call,
 *       dropped.
 *   realloc(NULL, n)      -> "a ID n"
 *   realloc(p, n)         -> "r ID n", ID keeps naming the (moved) block
 *   realloc(p, 0) = NULL  -> "f ID" (the C library freed p)
 *   realloc(p, 0) = q     -> "f ID", then "a ID2 0" for q
 *   realloc(p, n) = NULL  -> dropped (failed; p is unchanged)
 *   free(p)               -> "f ID"
 *   free(NULL)            -> dropped, counted
 *   free(p), p never handed out in this log (allocated before the recorder
 *       started, or by the parent before a fork) -> dropped, counted
 *   realloc(p, n), p never handed out -> "a ID n", counted
 *   a block handed out while the log still thinks it live (its free went
 *       unrecorded) -> "f OLD" first, counted
 * After max_ops ops (0: no cap) the rest of the log is ignored; then every
 * ID still live is freed, in ID order, so the trace is balanced.
 */
#ifndef CONVERT_H
#define CONVERT_H

#include <stdbool.h>
#include <stddef.h>

#include "mtlog.h"
#include "trace.h"

/* The classic rules a recorded trace keeps: all, but a size is whatever the
 * program asked for (malloc(0) included). */
#define MTRACE_RULES TRACE_SIZES_ANY

struct convert_stats {
    size_t records;         /* log records consumed */
    size_t free_null;       /* free(NULL): dropped */
    size_t unseen_free;     /* frees of blocks the log never handed out: dropped */
    size_t unseen_realloc;  /* reallocs of such blocks: became "a" */
    size_t failed;          /* calls that returned NULL: dropped */
    size_t implied_free;    /* "f" added for a block handed out again */
    size_t closing_free;    /* "f" appended at the end */
    bool ended;             /* the log holds an end mark: it is complete */
    bool capped;            /* max_ops stopped the conversion early */
};

/*
 * convert_records - convert n records into t, a trace built with trace.h's
 * builder (not initialized on entry; free it with trace_free). -1 when
 * memory runs out (t then holds nothing). The result always passes
 * trace_check_classic with MTRACE_RULES; a result that does not is a bug,
 * and aborts.
 */
int convert_records(const struct mtlog_record *recs, size_t n, size_t max_ops, trace_t *t,
                    struct convert_stats *st);

/* What mtrace and mtrace-rep ask for: which logs, which process, how much. */
struct convert_request {
    char *const *paths;     /* the logs of one recording */
    size_t npaths;
    long pid;               /* convert this process's log (< 0: any) */
    const char *program;    /* ... whose program is this (NULL: any) */
    size_t max_ops;         /* 0: no cap */
    bool list;              /* list the processes on stderr */
    const char *out;        /* the .rep to write; NULL: stdout */
};

/*
 * convert_logs - choose the log (the most records among those that match),
 * convert it, write the trace, print a summary line on stderr. 0 on success,
 * -1 after a message on stderr.
 */
int convert_logs(const struct convert_request *req);

#endif
