/*
 * grade.h - grade: untrusted submissions in, scores out.
 *
 * One submission goes through five stages, each adding lines to its
 * report and nothing else:
 *
 *   intake   the student-owned files, and only those, copied out of a
 *            directory or an archive into the submission's work folder;
 *            each file's SHA-256; missing, extra and oversized files named
 *   checks   static checks of each student object (forbidden calls and
 *            definitions, constructors, writable data, assembly, includes)
 *   build    the graded programs of each lab (plan.h), against the kit's
 *            framework objects
 *   runs     every trace, test and scenario in a sandboxed process
 *            (run.h), each ending in one verdict
 *   score    the verdicts weighed by the policy's parts (parts.h)
 *
 * and then leaves as a terminal report, results.json (Gradescope), the
 * Autolab line and a CSV row (output.h), all made from one result.
 */
#ifndef GRADE_H
#define GRADE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "policy.h"

enum lab { LAB_MALLOC, LAB_VM, LAB_COUNT };

/* How one graded run ended. */
typedef enum verdict {
    V_OK,          /* passed */
    V_WRONG,       /* a check failed: which, and the message */
    V_CRASH,       /* killed by a signal */
    V_TIMEOUT,     /* past its deadline */
    V_OOM,         /* out of memory */
    V_FORBIDDEN,   /* a system call the sandbox refuses */
    V_EXIT,        /* ended before it was done */
    V_OUTPUT,      /* printed more than the output limit */
    V_NOT_RUN,     /* its lab could not be built */
    V_COUNT
} verdict_t;

/* verdict_name - "ok", "wrong", "crash", "timeout", "out of memory",
 * "forbidden system call", "exited early", "output limit", "not run". */
const char *verdict_name(verdict_t v);

/* One graded run: a trace, a test or a scenario. */
typedef struct check {
    char *name;             /* "traces/gen-random.rep", "test partA/...", "scenario walk" */
    char *key;              /* what part patterns match: "gen-random", "partA/x", "walk" */
    enum { CHECK_TRACE, CHECK_TEST, CHECK_SCENARIO } kind;
    enum lab lab;
    bool hidden;            /* reported without contents */
    verdict_t v;
    char *message;          /* why it failed; NULL when ok */
    int part;               /* index into the submission's parts, -1: none */
} check_t;

/* One report line of the intake, checks and build stages. */
typedef struct note {
    char *text;
    bool bad;               /* a failure (the lab it concerns is refused) */
} note_t;

typedef struct lines {
    note_t *v;
    size_t n, cap;
} lines_t;

void lines_add(lines_t *l, bool bad, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void lines_free(lines_t *l);

/* A scored part of the policy ([part ID] sections, parts.h). */
typedef struct part {
    char *id;               /* "malloc.perfidx", "vm.A" */
    char *title;
    enum lab lab;
    enum { PART_TESTS, PART_TRACES, PART_PERFIDX } kind;
    double points;
    bool has_lab, has_kind; /* set by the policy file, not defaulted */
    bool in_kit;            /* a part of the kit's own policy file */
    char **patterns;        /* tests / scenarios / traces it counts */
    size_t npatterns;
    /* filled by scoring */
    unsigned total, passed;
    double score;
} part_t;

typedef struct file_taken {
    char *path;             /* student path, "malloc/mm.c" */
    char sha256[65];        /* hex; "" when the skeleton's was used */
    bool from_skeleton;
} file_taken_t;

/* Everything grade knows about one submission; made by grade_one. */
typedef struct submission {
    char *name;             /* the student, from the directory or archive name */
    char *source;           /* the path given */
    char *work;             /* its work folder */
    char *fingerprint;      /* of its files, the policy and the labs (batch.c): a result
                             * made with another is not kept by a later run */
    lines_t intake, checks, build;
    file_taken_t *files;
    size_t nfiles;
    bool lab_taken[LAB_COUNT];   /* at least one of the lab's files came from the student */
    bool lab_built[LAB_COUNT];
    check_t *checks_run;
    size_t nchecks, capchecks;
    part_t *parts;
    size_t nparts;
    /* the malloc lab's figures (mdriver's summary over all its traces) */
    double util, util_of_bound, thru_ratio, perfidx;
    bool perf_known;
    double score, max_score;
    bool unreadable;         /* the intake could read nothing */
    double wall, cpu;        /* seconds the grading took; cpu: the runs' */
    double build_wall;       /* seconds of it the intake, checks and build took */
} submission_t;

check_t *submission_add_check(submission_t *s);
void submission_free(submission_t *s);

/* What the command line chose. */
typedef struct options {
    const char *plan_path;
    const char *policy_path;     /* the course's policy, or NULL */
    const char *hidden;          /* --hidden DIR, or NULL */
    const char *traces;          /* --traces DIR: the public traces, or NULL: the kit's */
    const char *work;            /* --work DIR: where submissions are built */
    const char *json_path;       /* --json FILE (results.json) */
    const char *csv_path;        /* --csv FILE */
    bool autolab;                /* the Autolab line last on stdout */
    bool json_dir;               /* json_path is a folder: STUDENT.json each */
    bool keep;                   /* keep the work folders */
    const char *out;             /* --out DIR: the results folder (batch.h), or NULL */
    bool force;                  /* --force: grade again what --out holds */
    int jobs;                    /* submissions graded at once */
    bool labs[LAB_COUNT];        /* which labs to grade */
    bool color;
    int verbose;
} options_t;

#endif
