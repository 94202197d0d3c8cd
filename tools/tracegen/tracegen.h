/*
 * tracegen.h - seeded synthetic malloc traces: the patterns that build
 * them and the command line.
 *
 * A pattern builds a trace_t (trace.h) with its builder, which hands out
 * ids 0, 1, 2, ... in order of allocation and keeps the live set, so a
 * built trace is well formed by construction: every id is allocated once,
 * reallocated or freed only while live, freed once. tg_generate frees what
 * is still live. The trace is written in the classic format (trace_write)
 * and held to every rule of it (trace_read_classic with TG_RULES): sizes
 * from 1 to TRACE_CLASSIC_MAX, no comments, no blank lines, no extension
 * operations, so any driver that reads CS:APP traces runs these files
 * unchanged.
 *
 * Every pattern draws from one rng_t seeded by the caller, never from the
 * clock: the same pattern, parameters, seed and length give the same trace,
 * byte for byte.
 */
#ifndef TRACEGEN_H
#define TRACEGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rng.h"
#include "trace.h"

#define TG_MAX_OPS 5000000UL         /* most operations one trace may ask for */
#define TG_DEFAULT_OPS 20000UL       /* operations when -n is not given */
#define TG_DEFAULT_SEED 1UL          /* seed when -s is not given */
#define TG_MAX_PARAMS 10             /* pattern parameters, at most */
#define TG_RULES 0u                  /* the classic rules tracegen holds traces to: all */

/*
 * tg_room - operations a pattern aiming for target may still add to t
 * beyond the frees it owes: target - num_ops - nlive (each live id needs
 * one 'f'), 0 when none or when t is failed. An 'a' costs 2 of it (itself
 * and its free), an 'r' 1, an 'f' nothing.
 */
size_t tg_room(const trace_t *t, size_t target);

/* --- Patterns ------------------------------------------------------------- */

struct tg_param {
    const char *name;    /* option name, without the leading "--" */
    const char *help;    /* what it sets, one line */
    double def, min, max;
    bool integer;        /* only whole numbers are accepted */
};

struct tg_pattern {
    const char *name;
    const char *summary;     /* one line for --list */
    const char *step;        /* what one step is; -n stops at the last whole one */
    struct tg_param params[TG_MAX_PARAMS];   /* ended by a NULL name */
    /* check - NULL when the parameters (each already within its range) go
     * together, else what is wrong with them. May itself be NULL. */
    const char *(*check)(const double *p);
    /* generate - add to t (trace_init'ed) from r while tg_room(t, ops)
     * allows; p holds one value per parameter, in table order. */
    void (*generate)(trace_t *t, size_t ops, rng_t *r, const double *p);
};

/* tg_patterns - the patterns, ended by an entry with a NULL name. */
extern const struct tg_pattern tg_patterns[];

/* tg_pattern_find - the pattern called name, NULL when there is none. */
const struct tg_pattern *tg_pattern_find(const char *name);

/* tg_param_count - how many parameters pattern p has. */
size_t tg_param_count(const struct tg_pattern *p);

/* tg_param_defaults - fill p[] with pattern's default parameter values. */
void tg_param_defaults(const struct tg_pattern *pattern, double *p);

/*
 * tg_generate - build in t (not yet initialized) the trace of pattern with
 * parameters p, seed and target number of operations. The trace has at most
 * ops operations and ends balanced. Returns 0 (free t with trace_free), or
 * -1 when memory ran out (t holds nothing then).
 */
int tg_generate(trace_t *t, const struct tg_pattern *pattern,
                const double *p, uint64_t seed, size_t ops);

/* tg_list - describe every pattern and its parameters on out, for --list. */
void tg_list(FILE *out);

/* --- The command line ----------------------------------------------------- */

enum tg_mode { TG_GENERATE, TG_LIST, TG_HELP, TG_CHECK };

struct tg_options {
    enum tg_mode mode;
    const struct tg_pattern *pattern;   /* TG_GENERATE */
    double param[TG_MAX_PARAMS];        /* TG_GENERATE, in table order */
    uint64_t seed;
    size_t ops;
    const char *output;                 /* NULL: standard output */
    char **files;                       /* TG_CHECK: the traces to check */
    int nfiles;
};

/*
 * tg_parse_args - read the command line (argv[0] is the program) into *o.
 * Returns 0, or -1 after printing what is wrong to err.
 */
int tg_parse_args(int argc, char **argv, struct tg_options *o, FILE *err);

/* tg_usage - the usage lines, on out. */
void tg_usage(FILE *out);

#endif
