/*
 * gradetest.h - running grade as a TA does, for the tests of grade:
 * submissions made from the hostile cases (tests/grade/hostile), grade
 * run on them as a separate program, its results.json read back.
 */
#ifndef GRADETEST_H
#define GRADETEST_H

#include <stdbool.h>
#include <sys/types.h>

#include <cjson/cJSON.h>

/* A scratch folder for one test, removed by gt_done. */
typedef struct gt {
    char dir[256];          /* the folder: readable by all */
    bool as_user;           /* grade runs as the user nobody */
    cJSON *results;         /* the last run's results.json */
    int status;             /* the last run's exit status */
    char *out;              /* the last run's stdout and stderr */
} gt_t;

/* gt_begin - a scratch folder; as_user: grade will run as nobody (the
 * test is skipped when that cannot be arranged: not root). */
void gt_begin(gt_t *g, bool as_user);
void gt_done(gt_t *g);

/* gt_case - the malloc submission of hostile case name, in g->dir/subs/name;
 * its path (static storage). */
const char *gt_case(gt_t *g, const char *name);

/* gt_header_case - a malloc submission: the reference's files, with the
 * case's code at the end of malloc/mminline.h. */
const char *gt_header_case(gt_t *g, const char *name);

/* gt_vm_case - a vm submission: the reference's vm files, with file
 * (vm/tlb.c...) followed by the case's code, tests/grade/hostile/name.c;
 * fn, when not NULL, is the reference's function the case replaces (the
 * reference's is renamed honest_FN). */
const char *gt_vm_case(gt_t *g, const char *name, const char *file, const char *fn);

/* gt_spawn - start argv (argv[0] a path) with stdout and stderr into the
 * file out, as nobody when g->as_user; its pid. */
pid_t gt_spawn(const gt_t *g, const char *const *argv, const char *out);

/* gt_grade - run grade on submission with extra arguments (NULL-ended),
 * the test policy and traces (policy: NULL for policy.ini); results.json
 * into g->results. */
void gt_grade(gt_t *g, const char *submission, const char *policy, ...);

/* gt_grade_class - run grade on the folder of every case made so far,
 * one results file each; student's into g->results. */
void gt_grade_class(gt_t *g, const char *student, const char *policy, ...);

/* The verdict of the check called name ("trace random"), or NULL. */
const char *gt_verdict(const gt_t *g, const char *name);
/* Its message, or "". */
const char *gt_message(const gt_t *g, const char *name);
/* Whether a line of a stage (intake, static_checks, build) contains text. */
bool gt_line(const gt_t *g, const char *stage, const char *text);
/* A part's score, and the total. */
double gt_part(const gt_t *g, const char *id);
double gt_score(const gt_t *g);
/* How many checks have verdict v. */
int gt_count(const gt_t *g, const char *v);

#endif
