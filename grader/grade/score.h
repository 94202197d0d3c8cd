/*
 * score.h - the score of a graded submission, part by part.
 */
#ifndef SCORE_H
#define SCORE_H

#include "grade.h"
#include "parts.h"

/* score - fill s->parts (a copy of gp's), s->score and s->max_score. */
void score(submission_t *s, const grade_policy_t *gp, const options_t *o);

#endif
