/*
 * tracegen.h - seeded synthetic malloc traces: build one in memory, write
 * it, check it.
 *
 * A trace is a sequence of operations on numbered blocks: 'a ID SIZE'
 * (malloc), 'r ID SIZE' (realloc), 'f ID' (free). A pattern fills a trace
 * through tg_alloc/tg_realloc/tg_free, which hand out ids 0, 1, 2, ... in
 * order of allocation and keep the live set, so a built trace is well formed
 * by construction: every id is allocated once, reallocated or freed only
 * while live, freed once. tg_finish frees what is still live.
 *
 * The file format is the CS:APP one with the classic header, four numbers on
 * four lines (heap_hint num_ids num_ops weight; heap_hint is the peak of live
 * requested bytes, weight is 1), then one operation per line, nothing else:
 * no comments, no blank lines, no extension operations, so any driver that
 * reads CS:APP traces runs these files unchanged. Sizes and ids fit an int,
 * as the original driver stores them.
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

#define TG_MAX_SIZE 2147483647UL     /* largest SIZE: INT_MAX, the classic driver's int */
#define TG_MAX_OPS 5000000UL         /* most operations one trace may ask for */
#define TG_DEFAULT_OPS 20000UL       /* operations when -n is not given */
#define TG_DEFAULT_SEED 1UL          /* seed when -s is not given */
#define TG_MAX_PARAMS 10             /* pattern parameters, at most */

/* --- The trace in memory -------------------------------------------------- */

struct tg_op {
    char kind;        /* 'a', 'r' or 'f' */
    uint32_t id;
    uint32_t size;    /* bytes asked for; 0 for 'f' */
};

struct tg_trace {
    struct tg_op *ops;
    size_t nops, ops_cap;
    uint32_t *size;        /* size[id]: current size of a live id, 0 otherwise */
    size_t nids, ids_cap;
    size_t nlive;          /* ids allocated and not yet freed */
    uint64_t live_bytes;   /* sum of size[] */
    uint64_t peak_bytes;   /* most live_bytes ever was */
    size_t target;         /* operations the pattern aims for, frees included */
    bool failed;           /* out of memory: the trace is incomplete */
};

/* tg_init - an empty trace that aims for target operations. */
void tg_init(struct tg_trace *t, size_t target);

/* tg_release - free what the trace holds; t may be tg_init'ed again. */
void tg_release(struct tg_trace *t);

/*
 * tg_room - operations the pattern may still add beyond the frees it owes:
 * target - nops - nlive (each live id needs one 'f'), 0 when none. An 'a'
 * costs 2 of it (itself and its free), an 'r' 1, an 'f' nothing.
 */
size_t tg_room(const struct tg_trace *t);

/*
 * tg_alloc - append 'a' of a new id with size bytes (1 <= size <=
 * TG_MAX_SIZE) and return the id. On running out of memory the trace is
 * marked failed and later calls add nothing; the id returned is still
 * valid to pass back.
 */
uint32_t tg_alloc(struct tg_trace *t, size_t size);

/* tg_realloc - append 'r' of live id to size bytes (1 <= size <= TG_MAX_SIZE). */
void tg_realloc(struct tg_trace *t, uint32_t id, size_t size);

/* tg_free - append 'f' of live id. */
void tg_free(struct tg_trace *t, uint32_t id);

/* tg_live - whether id is allocated and not freed. */
bool tg_live(const struct tg_trace *t, uint32_t id);

/* tg_finish - free every id still live, in increasing id order. */
void tg_finish(struct tg_trace *t);

/*
 * tg_write - write t in the trace format to out. Returns 0, or -1 when
 * writing fails or t is failed or unbalanced (nothing sensible to write).
 */
int tg_write(const struct tg_trace *t, FILE *out);

/* --- The validator -------------------------------------------------------- */

struct tg_stats {
    uint64_t heap_hint, weight;     /* header fields 1 and 4 */
    uint64_t num_ids, num_ops;      /* header fields 2 and 3 */
    size_t ops, allocs, reallocs, frees;   /* counted in the body */
    size_t ids;                     /* distinct ids allocated */
    uint64_t peak_bytes;            /* most live requested bytes at any time */
    uint64_t max_size;              /* largest SIZE */
};

/*
 * tg_validate - check the trace read from in against the format above:
 * a header of four unsigned integers alone on their lines whose num_ids and
 * num_ops match the body; every line an operation; ids below num_ids; each
 * id allocated once, reallocated and freed only while live, freed once;
 * every id in 0..num_ids-1 used, all freed by the end; sizes in
 * 1..TG_MAX_SIZE. Each problem is reported on err (which may be NULL) as
 * "name:line: what was expected", at most a screenful, and checking goes
 * on. Fills *st when it is not NULL. Returns the number of problems.
 */
size_t tg_validate(FILE *in, const char *name, FILE *err, struct tg_stats *st);

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
    /* generate - fill t (tg_init'ed with its target) from r; p holds one
     * value per parameter, in table order. Ends with everything freed. */
    void (*generate)(struct tg_trace *t, rng_t *r, const double *p);
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
 * ops operations and ends balanced. Returns 0, or -1 when memory ran out
 * (t is released then).
 */
int tg_generate(struct tg_trace *t, const struct tg_pattern *pattern,
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
