/*
 * policy.h - the grading policy: how utilization and throughput make a
 * performance index, and how long a replay may take.
 *
 * A course sets these in an INI file (grader/policy.ini is the default,
 * documented key by key) instead of changing code. Unset keys keep their
 * defaults, so a policy file lists only what a course changes.
 */
#ifndef POLICY_H
#define POLICY_H

#include <stdbool.h>
#include <stdio.h>

typedef struct policy {
    /* [perfidx] */
    double util_weight;     /* share of the index earned by space */
    bool util_of_bound;     /* score utilization / layout bound, not raw utilization */
    double util_min;        /* mean at or below which the space share is 0 */
    double util_max;        /* mean at or above which it is full */
    double thru_weight;     /* share earned by throughput */
    double thru_min;        /* throughput ratio to the reference scoring 0 */
    double thru_max;        /* ratio scoring full */
    /* [limits] */
    double timeout;         /* wall-clock seconds one replay child may take */
    double stall;           /* seconds one operation may take (0: no limit) */
    unsigned memory;        /* MiB of address space a replay child may add to its heap's */
    unsigned heap;          /* MiB the heap may reach (reserved, untouched until used) */
    /* [timing] */
    double min_cpu;         /* CPU seconds one timing child runs for */
    unsigned rounds;        /* timing rounds; the median counts */
} policy_t;

/* policy_default - the built-in policy (the values of grader/policy.ini). */
policy_t policy_default(void);

/*
 * policy_load - read path over *p. Each bad line is reported to err as
 * `path:line: message`. Returns 0, or the number of problems (then *p may
 * hold some of the file's values).
 */
int policy_load(const char *path, policy_t *p, FILE *err);

/*
 * policy_perfidx - the performance index, 0..100, from the mean utilization
 * score (util / bound, or util) and the throughput ratio; *space and *speed,
 * when not NULL, get the two parts.
 */
double policy_perfidx(const policy_t *p, double util_score, double thru_ratio,
                      double *space, double *speed);

#endif
