/*
 * score.c - a submission's verdicts weighed by the policy's parts.
 *
 * A tests or traces part scores points * passed / counted over the checks
 * it counts; the perfidx part scores points * mdriver's index / 100, which
 * is 0 when any trace failed (mdriver's rule, as CS:APP's). Parts without
 * points, and parts of a lab not graded, are left out of the maximum.
 */
#include "score.h"

void score(submission_t *s, const grade_policy_t *gp, const options_t *o)
{
    s->parts = parts_copy(gp);
    s->nparts = gp->nparts;
    s->score = s->max_score = 0;
    for (size_t i = 0; i < s->nparts; i++) {
        part_t *p = &s->parts[i];
        if (!o->labs[p->lab])
            p->points = 0;   /* a lab not graded: left out of every output */
        if (p->points <= 0)
            continue;
        if (p->kind == PART_PERFIDX) {
            p->total = 1;
            p->passed = s->perf_known && s->perfidx > 0;
            p->score = s->perf_known ? p->points * s->perfidx / 100 : 0;
        } else {
            for (size_t k = 0; k < s->nchecks; k++) {
                if (s->checks_run[k].part != (int)i)
                    continue;
                p->total++;
                p->passed += s->checks_run[k].v == V_OK;
            }
            p->score = p->total ? p->points * p->passed / p->total : 0;
        }
        s->score += p->score;
        s->max_score += p->points;
    }
}
