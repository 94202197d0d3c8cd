/*
 * report.h - what mdriver prints: the table, the summary, -g lines, JSON.
 *
 * The results of a run are gathered first (one row per trace), then
 * summarized once, so the table, the grading lines and the JSON document
 * all say the same thing.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "policy.h"
#include "runner.h"
#include "trace.h"

typedef struct row {
    const char *path;
    const char *name;
    bool parsed;              /* the trace file was read without errors */
    char *errors;             /* what the reader reported (malloc'd), or NULL */
    double weight;            /* 0: run and checked, left out of the index */
    size_t ops;
    trace_report_t r;
} row_t;

typedef struct summary {
    unsigned traces, valid;   /* rows, valid rows */
    unsigned counted;         /* valid rows with weight > 0 */
    unsigned spaced;          /* counted rows with live bytes: util is defined */
    double util, bound, util_of_bound;   /* means over spaced rows */
    size_t ops;               /* over counted rows */
    double secs[WHO_COUNT];   /* over counted rows; 0 if some row was not timed */
    double ratio, libc_ratio; /* student's throughput / reference's (libc's); 0 if unknown */
    double space, speed, perfidx;
} summary_t;

typedef struct run_params {
    unsigned long long seed;
    bool check_heap, timing, reference, libc;
    const char *policy_path;  /* NULL: the built-in policy */
    const policy_t *policy;
} run_params_t;

/* summarize - the totals and the index over rows[0..n). */
summary_t summarize(const row_t *rows, unsigned n, const run_params_t *rp);

/* report_params - the first line: every parameter of the run. */
void report_params(FILE *out, const run_params_t *rp, unsigned ntraces);

/* report_header, report_row - the table, a row at a time as traces finish. */
void report_header(FILE *out, const run_params_t *rp);
void report_row(FILE *out, const row_t *row, const run_params_t *rp, int verbose);

/* report_summary - the totals row, the index and the one-line summary. */
void report_summary(FILE *out, const summary_t *s, const run_params_t *rp);

/* report_grades - the CS:APP autograder lines `correct:N` and `perfidx:N`. */
void report_grades(FILE *out, const summary_t *s);

/* report_svg - the run as a picture (SVG), for a TA's slides: per trace,
 * utilization inside its layout bound, and the throughput ratio to the
 * reference (to the C library without one) on a log scale around 1x; the
 * summary line as its title. The same run gives the same bytes. */
void report_svg(FILE *out, const row_t *rows, unsigned n, const summary_t *s,
                const run_params_t *rp);

/* report_json - the whole run as one JSON document (cJSON). 0 on success. */
int report_json(FILE *out, const row_t *rows, unsigned n, const summary_t *s,
                const run_params_t *rp);

#endif
