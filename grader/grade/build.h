/*
 * build.h - a submission's labs, from its files to its graded programs.
 *
 * For each lab: every student source is preprocessed first and its
 * includes checked (a source that includes a file that is neither the
 * kit's, the submission's own nor a system header is refused before the
 * compiler could print any of that file); then compiled; then each object
 * is checked (checks.h); then the lab's objects are joined into one, with
 * every name but the lab's API made local, and linked with the framework
 * objects of the plan into the lab's programs. Every step's problems are
 * lines of the report; a lab with a failed step is not run.
 */
#ifndef BUILD_H
#define BUILD_H

#include "grade.h"
#include "parts.h"
#include "plan.h"

/* build_lab - build lab's programs into s->work/bin; sets s->lab_built[lab].
 * hidden_tests, when not NULL, is a folder of hidden test sources for the
 * lab (compiled into a program "hidden_LAB"). */
void build_lab(submission_t *s, const plan_t *p, const grade_policy_t *gp, enum lab lab,
               const char *hidden_tests);

/* tool - run a trusted tool (the compiler, nm) with a deadline; its exit
 * status (-1: did not end well) and its output in *out (malloc'd). */
int tool(const char *const *argv, const char *cwd, char **out);

#endif
