/*
 * runner.h - running replays in child processes, and timing them.
 *
 * Every replay runs in a fresh child, so an allocator that crashes or loops
 * costs one trace, never the run, and a message says what happened and at
 * which trace line. The parent owns the verdict and the clock: CPU time is
 * the child's, as wait4 reports it, and a child past its deadline is killed.
 * A child limits its own address space (the heap's reservation plus
 * cfg->memory) and, once its heap is set up, enters the sandbox (sandbox.h)
 * before the allocator's first instruction: a forbidden system call kills
 * it, and the verdict names the call. A failed run that ran the heap to its
 * maximum, or used memory outside the heap beyond half of cfg->memory, is
 * out of memory.
 *
 * Throughput: after the checked replay, each allocator is calibrated (a
 * child repeats the trace until it has used min_cpu seconds of CPU), then
 * the allocators are timed in interleaved rounds, each a child running the
 * calibrated number of repetitions; a trace's time is the median round.
 * Interleaving spreads the machine's noise evenly over the allocators, so
 * their ratio is steadier than either figure.
 */
#ifndef RUNNER_H
#define RUNNER_H

#include <stdbool.h>

#include "replay.h"
#include "trace.h"

enum { WHO_STUDENT, WHO_REFERENCE, WHO_LIBC, WHO_COUNT };

typedef struct run_config {
    const allocator_t *who[WHO_COUNT];   /* reference and libc may be NULL */
    replay_options_t replay;
    double timeout;      /* wall-clock seconds for one child */
    double stall;        /* seconds one operation may take; 0: no limit */
    double min_cpu;      /* CPU seconds a timing child runs for, at least */
    unsigned rounds;     /* timing rounds; the median counts */
    bool timing;         /* measure throughput at all */
    bool in_process;     /* check in this process: no child, no deadline, no timing */
    bool sandbox;        /* children run the allocator under sandbox.h's filter */
    size_t memory;       /* bytes of address space a child may add to the heap's; 0: no limit */
    int secret_fd;       /* a descriptor (> 2) children close before the allocator runs */
    char *secret;        /* bytes children wipe before then (grade's nonce), or NULL */
    size_t secret_len;
} run_config_t;

enum run_status {
    RUN_OK,          /* valid, measured */
    RUN_INVALID,     /* a check failed */
    RUN_CRASH,       /* killed by a signal */
    RUN_TIMEOUT,     /* past the deadline */
    RUN_EXIT,        /* the allocator ended the process */
    RUN_FORBIDDEN,   /* the allocator made a system call the sandbox refuses */
    RUN_OOM,         /* the allocator ran out of memory and the run failed */
};

#define RUN_MESSAGE 1200

typedef struct trace_report {
    enum run_status status;
    char message[RUN_MESSAGE];   /* why, when status is not RUN_OK */
    replay_result_t checked;
    int syscall;                 /* RUN_FORBIDDEN: the call's number */
    double secs[WHO_COUNT];      /* CPU seconds for one replay; 0 if not timed */
    unsigned reps[WHO_COUNT];
    unsigned rounds;             /* timing rounds run: fewer than the policy's when stable */
    double check_wall;           /* wall seconds of the checked replay */
} trace_report_t;

/* run_trace - check t against the student's allocator and, when the run is
 * valid and cfg->timing, time every allocator of cfg. */
void run_trace(const run_config_t *cfg, const trace_t *t, trace_report_t *rep);

/* run_status_name - "ok", "invalid", "crash", "timeout", "exit",
 * "forbidden", "oom". */
const char *run_status_name(enum run_status s);

#endif
