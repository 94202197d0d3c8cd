/*
 * parts.h - grade's side of the policy file: the parts a score is made of,
 * and the limits of intake, checks and runs.
 *
 * The same INI file as mdriver's (grader/policy.ini holds every default),
 * with sections mdriver ignores:
 *
 *   [part ID]   title, lab (malloc | vm), kind (tests | traces | perfidx),
 *               points, match (globs: "suite/test" for tests, scenario and
 *               trace names)
 *   [sandbox]   limits of every graded run
 *   [intake]    limits of the files taken
 *   [rules]     the static checks' budgets
 *
 * grade reads the kit's file, then the course's over it: a course's file
 * lists only what it changes (a part's points, a new part, a limit).
 */
#ifndef PARTS_H
#define PARTS_H

#include <stdio.h>

#include "grade.h"

typedef struct grade_policy {
    policy_t mdriver;            /* [perfidx], [limits], [timing] */
    part_t *parts;
    size_t nparts;
    /* [sandbox] */
    double test_timeout;         /* seconds for one test program's run */
    double scenario_timeout;     /* seconds for one scenario */
    double compile_timeout;      /* seconds for one compiler run */
    double submission_timeout;   /* seconds for a whole submission's grading */
    double test_deadline;        /* seconds for one test */
    double deadline_multiple;    /* a replay's deadline: this times the reference's */
    double deadline_floor;       /* ... and at least this many seconds */
    size_t output;               /* bytes of output one run may print */
    size_t memory;               /* address space of a graded program, bytes */
    unsigned processes;          /* processes of one run (as nobody) */
    /* [intake] */
    size_t max_file;             /* bytes */
    /* [rules] */
    size_t data_budget[LAB_COUNT];   /* bytes of writable global data */
} grade_policy_t;

/*
 * grade_policy_load - the kit's policy file, then the course's (NULL: none).
 * Problems go to err as FILE:LINE: message. 0, or the number of problems.
 */
int grade_policy_load(grade_policy_t *gp, const char *kit_path, const char *course_path,
                      FILE *err);
void grade_policy_free(grade_policy_t *gp);

/* parts_copy - fresh copies of gp's parts for one submission's scores. */
part_t *parts_copy(const grade_policy_t *gp);
void parts_free(part_t *parts, size_t n);

/* part_of - the index of the first part of gp (with points) that counts c,
 * or -1. */
int part_of(const grade_policy_t *gp, const check_t *c);

/* parts_test_patterns - the test globs ("suite/test") of lab's parts with
 * points, into *v (pointers into gp); their number. */
size_t parts_test_patterns(const grade_policy_t *gp, enum lab lab, const char **v, size_t max);

#endif
