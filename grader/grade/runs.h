/*
 * runs.h - every graded run of a built lab, each ending in one verdict.
 *
 * The malloc lab: mdriver once per trace (the trace fed on stdin, so no
 * trace file is ever where the submission could read it), its JSON result
 * read from the channel; then mdriver's own summary over all the traces
 * (report.h), which gives the performance index. Test programs: each test
 * pattern of the policy's parts in one run (--jobs 1), one verdict per
 * test from the test hook (grader/testhook.c); when a run ends before its
 * last test, the test that was running takes the verdict of the run, and
 * every test not yet run runs alone. Scenarios: vmsh per scenario, in a
 * folder holding the scenarios' files only, its transcript (from the
 * channel) compared with the golden one.
 *
 * A hidden check's message names its verdict, never its contents.
 */
#ifndef RUNS_H
#define RUNS_H

#include "grade.h"
#include "parts.h"
#include "plan.h"

/*
 * runs_calibrate - the reference's checked replay of every trace grade
 * will replay (public and hidden), timed once for all the submissions of
 * this run by the kit's own mdriver: a trace's deadline is then
 * [sandbox] trace_deadline_multiple times it, at least
 * trace_deadline_floor seconds and at most [limits] timeout. Without it
 * (the kit's mdriver failed: said on stderr) the deadline is the timeout.
 */
void runs_calibrate(const plan_t *p, const grade_policy_t *gp, const options_t *o);

void runs_traces(submission_t *s, const plan_t *p, const grade_policy_t *gp,
                 const options_t *o);
void runs_tests(submission_t *s, const plan_t *p, const grade_policy_t *gp, enum lab lab,
                const options_t *o);
void runs_scenarios(submission_t *s, const plan_t *p, const grade_policy_t *gp,
                    const options_t *o);

#endif
