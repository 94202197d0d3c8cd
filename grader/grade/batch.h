/*
 * batch.h - a class at once: every submission graded by a worker process
 * of its own, N at a time, each result written to a results folder as it
 * is made, so that a run stopped anywhere (Ctrl-C, a kill, a reboot) goes
 * on where it stopped when started again.
 *
 * The results folder holds, per student (KEY: the student's name in
 * characters no tool minds):
 *
 *   KEY.txt    the report, as grade prints it
 *   KEY.csv    the CSV header and the student's row
 *   KEY.json   results.json (Gradescope's schema); written last, renamed
 *              into place: a student is graded when it is there
 *
 * and, at the end of a run with --out, summary.csv (a row per student)
 * and summary.md (the distribution of scores, the most common failures).
 * Without --out the folder is a scratch one in the work folder and the
 * reports go to stdout in the order of the submissions, as with one worker.
 *
 * A worker that outlives [sandbox] submission_timeout is killed with
 * everything it started, and its student gets a result that says so
 * (score 0); a worker that dies on its own is not graded (run again).
 */
#ifndef BATCH_H
#define BATCH_H

#include "grade.h"
#include "parts.h"
#include "plan.h"

/* One submission to grade: where it is, who it is. */
typedef struct item {
    char *source;
    char *name;
    char *key;              /* name in [A-Za-z0-9._-]: its files' and work folder's */
} item_t;

typedef struct items {
    item_t *v;
    size_t n, cap;
} items_t;

/* items_add - source as the submission named after path (an archive's
 * extension dropped); a name already taken gets -2, -3... (said on stderr). */
void items_add(items_t *l, const char *source, const char *path);
void items_free(items_t *l);

/* What grading one submission takes; the caller's. */
typedef void grade_fn(submission_t *s, const plan_t *p, const grade_policy_t *gp,
                      const options_t *o);

/*
 * batch_grade - grade every item with o->jobs workers under work (a folder
 * per submission, removed unless o->keep). Returns the exit status: 0
 * when all were graded, 1 when one could not be read or not be graded,
 * 130 when interrupted (SIGINT, SIGTERM; what was graded is kept).
 */
int batch_grade(const items_t *items, grade_fn *grade, const plan_t *p,
                const grade_policy_t *gp, const options_t *o, const char *work);

#endif
