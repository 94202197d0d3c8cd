/*
 * run.h - running one of a submission's programs, confined.
 *
 * The process gets: its own process group, killed as a whole with SIGKILL
 * at the deadline (and once more when the process ends, so nothing it left
 * behind goes on); resource limits (CPU, address space, file size, open
 * files, processes, no core dump); an environment holding nothing but
 * PATH, LC_ALL, HOME and the result channel; an empty working directory
 * of the caller's choosing; stdin from /dev/null or from the caller's
 * bytes; stdout and stderr captured together and cut at a limit (more
 * kills the run); and, when grade runs as root, the unprivileged user
 * nobody. The program itself loads the seccomp filter before any
 * submission code runs (sandbox.h); its results come back only through
 * the channel (channel.h). CPU time is the process's, from wait4.
 */
#ifndef RUN_H
#define RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "channel.h"

typedef struct limits {
    double wall;            /* seconds until the process group is killed */
    double cpu;             /* CPU seconds (RLIMIT_CPU) */
    size_t memory;          /* address space, bytes (RLIMIT_AS); 0: none */
    size_t output;          /* stdout + stderr bytes kept; more ends the run */
    size_t file_size;       /* RLIMIT_FSIZE */
    unsigned files;         /* RLIMIT_NOFILE */
    unsigned processes;     /* RLIMIT_NPROC, when the process runs as nobody */
} limits_t;

typedef struct run_request {
    const char *const *argv;    /* argv[0] is a path */
    const char *cwd;
    const char *input;          /* fed to stdin, or NULL: /dev/null */
    size_t input_len;
    limits_t lim;
    bool as_self;               /* keep grade's user (the compiler, which writes the work folder) */
} run_request_t;

typedef struct run_result {
    enum { RAN_EXITED, RAN_SIGNALED, RAN_TIMEOUT, RAN_OUTPUT, RAN_FAILED } how;
    int code;               /* exit status (RAN_EXITED) or signal (RAN_SIGNALED) */
    double wall, cpu;       /* seconds */
    size_t maxrss;          /* bytes */
    char *output;           /* stdout and stderr, as they came, cut; NUL-terminated */
    size_t output_len;
    char *payload;          /* the channel's records, joined; NUL-terminated */
    size_t payload_len;
    size_t records;         /* how many */
    bool forged;            /* something came through the channel that was not a record */
    bool cut;               /* the last record was cut short (the run was killed writing) */
    char error[256];        /* RAN_FAILED: why the program could not start */
} run_result_t;

/* run_confined - run rq; fills *res (free with run_result_free). */
void run_confined(const run_request_t *rq, run_result_t *res);
void run_result_free(run_result_t *res);

/* run_as_nobody - whether runs change to the user nobody (grade is root). */
bool run_as_nobody(void);

/* run_describe - "exit 3", "SIGSEGV (Segmentation fault)", "timeout after 20 s"... */
const char *run_describe(const run_result_t *r, const limits_t *lim, char *buf, size_t n);

#endif
