/*
 * mdriver - replay allocation traces against mm.c: check every result,
 * measure space utilization and throughput, print the table.
 *
 * Each trace runs in its own child process (runner.h), so a crash or a hang
 * costs one trace. The exit status is 0 when every trace is valid, 1 when
 * some trace is not, 2 for a usage error.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#include "allocators.h"
#include "channel.h"
#include "installed.h"
#include "memlib_driver.h"
#include "policy.h"
#include "report.h"
#include "runner.h"
#include "trace.h"

/* A coverage build's children write their counters to files as they end,
 * which the sandbox would refuse: there they run without it (grade's
 * programs are release builds, always sandboxed). */
#ifdef KIT_COVERAGE
#define COVERAGE_BUILD 1
#else
#define COVERAGE_BUILD 0
#endif

#ifndef MDRIVER_TRACEDIR
#define MDRIVER_TRACEDIR "traces/malloc"
#endif

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mdriver [options]\n"
            "Replays allocation traces against your mm.c and reports validity, space\n"
            "utilization and throughput. Without -f or -t it runs every .rep in\n"
            "traces/malloc (or " MDRIVER_TRACEDIR ").\n"
            "\n"
            "  -f FILE      replay the trace FILE (repeatable; - reads standard input)\n"
            "  -t DIR       replay every *.rep in DIR, in name order\n"
            "  -v           a detail line per trace\n"
            "  -V           more detail: also each trace's header and parameters\n"
            "  -l           also time the C library's malloc, in the same run\n"
            "  -D           call mm_check_heap after every operation\n"
            "  -g           print the autograder lines correct:N and perfidx:N\n"
            "               (with --json they are the summary's valid and perfidx)\n"
            "  -s SEED      seed of the payload signatures (default 1)\n"
            "  -P FILE      the grading policy (default: built in, as grader/policy.ini)\n"
            "  --json       print the run as one JSON document instead of the table\n"
            "  --svg FILE   also draw the run into FILE: per trace, utilization in its\n"
            "               bound and the throughput ratio (an SVG picture, for slides)\n"
            "  --name NAME  what to call the trace read from standard input (-f -)\n"
            "  --no-timing  check only; skip the throughput measurement\n"
            "  --deadline SECS\n"
            "               wall-clock seconds a replay may take, when fewer than the\n"
            "               policy's timeout (grade sets it from the reference's time)\n"
            "  --no-fork    replay in mdriver's own process, checks only, no deadline:\n"
            "               for gdb (gdb --args mdriver --no-fork -f TRACE)\n"
            "  -h, --help   this message\n");
}

/* A growable list of trace paths. */
typedef struct paths {
    char **v;
    unsigned n, cap;
} paths_t;

static void paths_add(paths_t *p, const char *path)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 32;
        p->v = realloc(p->v, p->cap * sizeof *p->v);
        if (!p->v) {
            perror("mdriver");
            exit(2);
        }
    }
    p->v[p->n++] = strdup(path);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* add_dir - every *.rep in dir, sorted by name; -1 when dir cannot be read. */
static int add_dir(paths_t *p, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    paths_t found = { 0 };
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".rep") == 0) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            paths_add(&found, path);
        }
    }
    closedir(d);
    if (found.n)
        qsort(found.v, found.n, sizeof *found.v, cmp_str);
    for (unsigned i = 0; i < found.n; i++) {
        paths_add(p, found.v[i]);
        free(found.v[i]);
    }
    free(found.v);
    return 0;
}

/* read_trace - read row's trace into *t; its problems go to stderr and,
 * for the JSON document, into row->errors. Whether it parsed. */
static bool read_trace(row_t *row, trace_t *t)
{
    size_t len = 0;
    FILE *err = open_memstream(&row->errors, &len);
    int problems = strcmp(row->path, "-") == 0
                       ? trace_read_stream(stdin, row->name, t, err ? err : stderr)
                       : trace_read(row->path, t, err ? err : stderr);
    if (err) {
        fclose(err);
        fputs(row->errors, stderr);
    }
    return problems == 0;
}

/* send_results - the run as JSON over grade's channel (channel.h). */
static void send_results(const channel_t *ch, const row_t *rows, unsigned n,
                         const summary_t *s, const run_params_t *rp)
{
    char *doc = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&doc, &len);
    if (f) {
        report_json(f, rows, n, s, rp);
        fclose(f);
        channel_send(ch, doc, len);
    }
    free(doc);
}

int main(int argc, char **argv)
{
    /* First of all: the channel's nonce must be gone from the environment
     * before any child, or anything else, could see it. */
    channel_t ch;
    bool graded = channel_from_env(&ch) == 0;
    enum { OPT_JSON = 1000, OPT_NO_TIMING, OPT_NO_FORK, OPT_NAME, OPT_DEADLINE, OPT_SVG };
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "json", no_argument, NULL, OPT_JSON },
        { "name", required_argument, NULL, OPT_NAME },
        { "no-timing", no_argument, NULL, OPT_NO_TIMING },
        { "no-fork", no_argument, NULL, OPT_NO_FORK },
        { "deadline", required_argument, NULL, OPT_DEADLINE },
        { "svg", required_argument, NULL, OPT_SVG },
        { 0 },
    };
    paths_t paths = { 0 };
    int verbose = 0;
    bool grades = false, json = false, in_process = false, traces_given = false;
    const char *stdin_name = "stdin", *svg_path = NULL;
    double deadline = 0;
    policy_t policy = policy_default();
    run_params_t rp = { .seed = 1, .timing = true, .policy = &policy };
    int c;
    while ((c = getopt_long(argc, argv, "f:t:vVlDgs:P:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            paths_add(&paths, optarg);
            traces_given = true;
            break;
        case 't':
            traces_given = true;
            if (add_dir(&paths, optarg) < 0) {
                fprintf(stderr, "mdriver: -t %s: cannot read the directory\n", optarg);
                return 2;
            }
            break;
        case 'v':
            verbose = verbose > 1 ? verbose : 1;
            break;
        case 'V':
            verbose = 2;
            break;
        case 'l':
            rp.libc = true;
            break;
        case 'D':
            rp.check_heap = true;
            break;
        case 'g':
            grades = true;
            break;
        case 's': {
            char *end;
            rp.seed = strtoull(optarg, &end, 0);
            if (*optarg < '0' || *optarg > '9' || *end) {
                fprintf(stderr, "mdriver: -s %s: expected a number\n", optarg);
                return 2;
            }
            break;
        }
        case 'P':
            if (policy_load(optarg, &policy, stderr) != 0)
                return 2;
            rp.policy_path = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case OPT_JSON:
            json = true;
            break;
        case OPT_NAME:
            stdin_name = optarg;
            break;
        case OPT_SVG:
            svg_path = optarg;
            break;
        case OPT_NO_TIMING:
            rp.timing = false;
            break;
        case OPT_NO_FORK:
            in_process = true;
            rp.timing = false;
            break;
        case OPT_DEADLINE: {
            char *end;
            deadline = strtod(optarg, &end);
            if (*end || !(deadline > 0)) {
                fprintf(stderr, "mdriver: --deadline %s: expected seconds\n", optarg);
                return 2;
            }
            break;
        }
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "mdriver: unexpected argument '%s' (traces are given with -f)\n",
                argv[optind]);
        usage(stderr);
        return 2;
    }
    char installed[4096];
    if (!traces_given && add_dir(&paths, "traces/malloc") < 0 &&
        (installed_path("share/memlabs/traces/malloc", installed, sizeof installed) < 0 ||
         add_dir(&paths, installed) < 0) &&
        add_dir(&paths, MDRIVER_TRACEDIR) < 0) {
        fprintf(stderr, "mdriver: no traces: give -f FILE or -t DIR\n");
        return 2;
    }
    if (paths.n == 0) {
        fprintf(stderr, "mdriver: the trace directory has no .rep files\n");
        return 2;
    }

    /* The picture's file is opened before any trace runs: a path that
     * cannot be written costs nothing but the message. */
    FILE *svg = NULL;
    if (svg_path && !(svg = fopen(svg_path, "w"))) {
        fprintf(stderr, "mdriver: --svg %s: cannot write: %s\n", svg_path, strerror(errno));
        for (unsigned i = 0; i < paths.n; i++)
            free(paths.v[i]);
        free(paths.v);
        return 2;
    }
    rp.reference = reference_allocator != NULL;
    run_config_t cfg = {
        .who = { &student_allocator, reference_allocator, rp.libc ? &libc_allocator : NULL },
        .replay = { .seed = rp.seed, .check_heap = rp.check_heap,
                    .max_heap = (size_t)policy.heap << 20 },
.timeout = policy.timeout, .stall = policy.stall, .min_cpu = policy.min_cpu,
        .rounds = policy.rounds,
        .timing = rp.timing, .in_process = in_process, .sandbox = !in_process && !COVERAGE_BUILD,
        .memory = (size_t)policy.memory << 20,
        .secret_fd = graded ? ch.fd : -1, .secret = graded ? ch.nonce : NULL,
        .secret_len = sizeof ch.nonce,
    };
    if (deadline > 0 && deadline < cfg.timeout)
        cfg.timeout = deadline;
    /* Under Valgrind (make memcheck) a replay runs some 40 times slower; the
     * deadline is there to stop a hang, so it grows by as much. */
    if (RUNNING_ON_VALGRIND)
        cfg.timeout *= 40, cfg.stall *= 40;
    /* Without a reference, throughput is measured against the C library. */
    if (!cfg.who[WHO_REFERENCE] && rp.timing)
        cfg.who[WHO_LIBC] = &libc_allocator, rp.libc = true;

    /* Run by grade, the results go through the channel: the table would
     * only crowd what the allocator printed, which grade shows. */
    FILE *sink = graded ? fopen("/dev/null", "w") : NULL;
    FILE *out = sink ? sink : json ? stderr : stdout;
    if (!json) {
        report_params(out, &rp, paths.n);
        report_header(out, &rp);
        fflush(out);
    }
    row_t *rows = calloc(paths.n, sizeof *rows);
    if (!rows) {
        perror("mdriver");
        return 2;
    }
    for (unsigned i = 0; i < paths.n; i++) {
        row_t *row = &rows[i];
        trace_t t;
        row->path = paths.v[i];
        const char *slash = strrchr(row->path, '/');
        row->name = strcmp(row->path, "-") == 0 ? stdin_name : slash ? slash + 1 : row->path;
        row->parsed = read_trace(row, &t);
        if (row->parsed) {
            row->weight = t.weight;
            row->ops = t.num_ops;
            if (verbose > 1)
                fprintf(out, "# %s: %s header, %u ids, %zu ops, weight %g\n", t.name,
                        t.header == HEADER_CLASSIC ? "classic" : "weight-first", t.num_ids,
                        t.num_ops, t.weight);
            run_trace(&cfg, &t, &row->r);
            if (row->r.status != RUN_OK && !graded) {   /* grade has it in the JSON */
                uint32_t line = row->r.checked.error_line;
                if (row->r.status == RUN_INVALID && line)
                    fprintf(stderr, "%s:%u: %s\n", row->path, line,
                            strchr(row->r.message, ':') ? strchr(row->r.message, ':') + 2
                                                        : row->r.message);
                else
                    fprintf(stderr, "%s: %s\n", row->path, row->r.message);
            }
            trace_free(&t);
        }
        if (!json) {
            report_row(out, row, &rp, verbose);
            fflush(out);
        }
    }
    summary_t s = summarize(rows, paths.n, &rp);
    if (json && !sink)
        report_json(stdout, rows, paths.n, &s, &rp);
    else
        report_summary(out, &s, &rp);
    if (grades && !json)   /* the JSON document has both figures */
        report_grades(stdout, &s);
    if (svg) {
        report_svg(svg, rows, paths.n, &s, &rp);
        fclose(svg);
    }
    if (graded)
        send_results(&ch, rows, paths.n, &s, &rp);
    if (sink)
        fclose(sink);
    for (unsigned i = 0; i < paths.n; i++) {
        free(paths.v[i]);
        free(rows[i].errors);
    }
    free(paths.v);
    free(rows);
    /* _exit, not return: a destructor of the allocator's (which grade and
     * the build refuse, but a hand-made build might not) would run after
     * the summary, and could print a line that passes for the last one. */
    fflush(stdout);
    fflush(stderr);
#ifdef KIT_COVERAGE
    extern void __gcov_dump(void);
    __gcov_dump();
#endif
    _exit(s.valid == s.traces ? 0 : 1);
}
