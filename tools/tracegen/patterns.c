/*
 * patterns.c - the trace patterns: classic allocator stress tests, each a
 * named generator with documented parameters.
 *
 * A generator appends operations to a trace_t with the builder of trace.h
 * while tg_room() says the next step fits in the target length (ops), then
 * returns; tg_generate frees whatever is still live. A step is one
 * operation for the random-walk patterns and one round for the structured
 * ones, so a trace is at most -n operations long and short of it by less
 * than one step.
 *
 * The random-walk patterns share walk(): the live set moves towards a target
 * count drawn again each time it is reached, so a trace sweeps through full
 * and nearly empty heaps and reuses freed space with sizes unlike the ones
 * that left it; frees and reallocs pick a live block uniformly.
 *
 * Sizes are drawn from the parameters only, never from what an allocator
 * would do with them, so a trace holds for any allocator; the parameters
 * are chosen so that an allocator in the lecture's layout can reach high
 * utilization on every shipped trace (traces/malloc/README.md).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tracegen.h"

/* --- Live sets --------------------------------------------------------- */

/* An unordered set of ids, with removal of any member in O(1). */
struct idset {
    uint32_t *id;
    size_t n, cap;
};

/* idset_add - add id; on running out of memory mark t failed instead. */
static void idset_add(trace_t *t, struct idset *s, uint32_t id)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 256;
        uint32_t *p = realloc(s->id, cap * sizeof *p);
        if (!p) {
            t->failed = true;
            return;
        }
        s->id = p;
        s->cap = cap;
    }
    s->id[s->n++] = id;
}

/* idset_take - remove the member at index i and return it. */
static uint32_t idset_take(struct idset *s, size_t i)
{
    uint32_t id = s->id[i];
    s->id[i] = s->id[--s->n];
    return id;
}

/* idset_pick - the index of a member chosen uniformly; s is not empty. */
static size_t idset_pick(struct idset *s, rng_t *r)
{
    return (size_t)rng_below(r, s->n);
}

static void idset_release(struct idset *s)
{
    free(s->id);
    *s = (struct idset){ 0 };
}

/* shuffle - put the n ids of a in a uniformly random order (Fisher-Yates). */
static void shuffle(uint32_t *a, size_t n, rng_t *r)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)rng_below(r, i);
        uint32_t x = a[i - 1];
        a[i - 1] = a[j];
        a[j] = x;
    }
}

/* --- Size distributions ----------------------------------------------- */

static size_t uniform_size(rng_t *r, double lo, double hi)
{
    return (size_t)rng_range(r, (uint64_t)lo, (uint64_t)hi);
}

/*
 * pareto_size - a Pareto(alpha) size of at least lo, redrawn while above hi
 * (a truncated Pareto: capping instead would pile the tail onto hi). The
 * floor of the result only moves when pow's last bit sits exactly on an
 * integer, so the draws are the same on every IEEE machine in practice.
 */
static size_t pareto_size(rng_t *r, double lo, double hi, double alpha)
{
    for (;;) {
        double u = 1.0 - rng_unit(r);   /* (0, 1] */
        double x = floor(lo * pow(u, -1.0 / alpha));
        if (x <= hi)
            return (size_t)x;
    }
}

/* mode_size - a size around centre, within centre * (1 +- spread),
 * triangular (the sum of two uniforms): most sizes near the centre. */
static size_t mode_size(rng_t *r, double centre, double spread)
{
    double width = floor(centre * spread);
    double x = centre - width + (double)rng_range(r, 0, (uint64_t)width)
             + (double)rng_range(r, 0, (uint64_t)width);
    return x < 1 ? 1 : (size_t)x;
}

/* --- The random walk --------------------------------------------------- */

struct walk {
    size_t live_max;        /* most blocks live at once */
    double realloc_share;   /* share of steps that reallocate a live block */
    size_t (*draw)(rng_t *r, const double *p);   /* a request size */
    const double *p;        /* the pattern's parameters, for draw */
};

/*
 * walk - the random walk shared by the random-mix patterns: each step
 * reallocates (with probability realloc_share), allocates or frees. The
 * live count heads for a target drawn uniformly in [1, live_max] and drawn
 * again when reached: allocations are 3 in 4 steps below it, 1 in 4 above.
 */
static void walk(trace_t *t, size_t ops, rng_t *r, const struct walk *w)
{
    struct idset live = { 0 };
    size_t target = (size_t)rng_range(r, 1, w->live_max);
    size_t room;
    while ((room = tg_room(t, ops)) > 0) {
        if (live.n == target)
            target = (size_t)rng_range(r, 1, w->live_max);
        if (live.n > 0 && rng_unit(r) < w->realloc_share) {
            trace_add_realloc(t, live.id[idset_pick(&live, r)], w->draw(r, w->p));
            continue;
        }
        bool alloc = live.n == 0 ||
                     (live.n < w->live_max && rng_below(r, 4) < (live.n < target ? 3u : 1u));
        if (alloc && room < 2)
            break;          /* only a realloc could still fit; stop here */
        if (alloc)
            idset_add(t, &live, trace_add_alloc(t, w->draw(r, w->p)));
        else
            trace_add_free(t, idset_take(&live, idset_pick(&live, r)));
    }
    idset_release(&live);
}

/* free_all_random - free the live blocks in random order (trace_close frees
 * them in id order, which is allocation order, a pattern of its own). */
static void free_all_random(trace_t *t, rng_t *r)
{
    struct idset live = { 0 };
    for (uint32_t id = 0; id < t->num_ids; id++)
        if (trace_live(t, id))
            idset_add(t, &live, id);
    shuffle(live.id, live.n, r);
    for (size_t i = 0; i < live.n; i++)
        trace_add_free(t, live.id[i]);
    idset_release(&live);
}

/* --- binary: small/large alternation ------------------------------------ */

enum { BIN_SMALL, BIN_LARGE, BIN_GROW, BIN_JITTER };

static const char *binary_check(const double *p)
{
    return p[BIN_SMALL] > p[BIN_LARGE] ? "--small must not exceed --large" : NULL;
}

/* jittered - size made smaller by up to jitter percent, at least 1. */
static size_t jittered(rng_t *r, double size, double jitter)
{
    uint64_t cut = rng_range(r, 0, (uint64_t)floor(size * jitter / 100));
    return size - cut < 1 ? 1 : (size_t)size - cut;
}

/*
 * binary - CS:APP's binary-bal. Allocate pairs small, large, small, large,
 * ...; free every large block (in random order); then allocate, once per
 * pair, a block grow bytes larger than a large one. The freed blocks are
 * fenced in by the small ones and each too small for the new requests, so
 * an allocator that placed small and large blocks side by side grows the
 * heap by all of the new blocks; one that kept small blocks apart from
 * large ones finds the freed space in one piece.
 */
static void binary_generate(trace_t *t, size_t ops, rng_t *r, const double *p)
{
    size_t pairs = tg_room(t, ops) / 6;   /* a, a, f, a, then two frees at the end */
    struct idset large = { 0 }, rest = { 0 };
    for (size_t i = 0; i < pairs && !t->failed; i++) {
        idset_add(t, &rest, trace_add_alloc(t, jittered(r, p[BIN_SMALL], p[BIN_JITTER])));
        idset_add(t, &large, trace_add_alloc(t, jittered(r, p[BIN_LARGE], p[BIN_JITTER])));
    }
    shuffle(large.id, large.n, r);
    for (size_t i = 0; i < large.n; i++)
        trace_add_free(t, large.id[i]);
    for (size_t i = 0; i < pairs && !t->failed; i++)
        idset_add(t, &rest, trace_add_alloc(t, jittered(r, p[BIN_LARGE] + p[BIN_GROW],
                                                  p[BIN_JITTER])));
    shuffle(rest.id, rest.n, r);
    for (size_t i = 0; i < rest.n; i++)
        trace_add_free(t, rest.id[i]);
    idset_release(&large);
    idset_release(&rest);
}

/* --- coalesce: coalescing bait ----------------------------------------- */

enum { CO_RUN, CO_RUNS, CO_MIN, CO_MAX, CO_FENCE };

static const char *coalesce_check(const double *p)
{
    if (p[CO_MIN] > p[CO_MAX])
        return "--min must not exceed --max";
    if (p[CO_RUN] * p[CO_MAX] > TRACE_CLASSIC_MAX)
        return "--run times --max must fit a SIZE (2147483647)";
    return NULL;
}

/*
 * coalesce - runs of k adjacent blocks, each run followed by a small fence
 * block that lives for the whole trace, so runs never merge with each
 * other. A round frees every run's blocks at odd positions first, then
 * those at even positions, so until the last frees the holes are single
 * blocks; then it asks, once per run, for a block as large as the run's
 * payloads together, which only the run coalesced into one free block can
 * hold. The next round frees those large blocks and allocates the runs again
 * (the same sizes in a new order), which fit exactly where they were.
 */
static void coalesce_generate(trace_t *t, size_t ops, rng_t *r, const double *p)
{
    size_t k = (size_t)p[CO_RUN];
    size_t runs = (size_t)p[CO_RUNS];
    size_t round_cost = 2 * (k + 1);     /* per run: k blocks and the large one */
    size_t room = tg_room(t, ops);
    if (runs * (round_cost + 2) > room)
        runs = room / (round_cost + 2);  /* the first round, fences included */
    if (runs == 0)
        return;

    size_t *sizes = malloc(runs * k * sizeof *sizes);
    uint32_t *block = malloc(runs * k * sizeof *block);
    uint32_t *big = malloc(runs * sizeof *big);
    uint32_t *order = malloc(runs * sizeof *order);
    if (!sizes || !block || !big || !order) {
        t->failed = true;
        goto out;
    }
    for (size_t i = 0; i < runs * k; i++)
        sizes[i] = uniform_size(r, p[CO_MIN], p[CO_MAX]);
    for (size_t j = 0; j < runs; j++)
        order[j] = (uint32_t)j;

    for (bool first = true; tg_room(t, ops) >= runs * round_cost; first = false) {
        for (size_t j = 0; j < runs; j++) {
            size_t *s = &sizes[j * k];
            if (!first) {
                trace_add_free(t, big[j]);
                for (size_t i = k; i > 1; i--) {   /* same run, new order */
                    size_t m = (size_t)rng_below(r, i), x = s[i - 1];
                    s[i - 1] = s[m];
                    s[m] = x;
                }
            }
            for (size_t i = 0; i < k; i++)
                block[j * k + i] = trace_add_alloc(t, s[i]);
            if (first)
                trace_add_alloc(t, (size_t)p[CO_FENCE]);
        }
        for (size_t parity = 1; parity <= 2; parity++) {
            shuffle(order, runs, r);
            for (size_t j = 0; j < runs; j++)
                for (size_t i = parity % 2; i < k; i += 2)
                    trace_add_free(t, block[order[j] * k + i]);
        }
        shuffle(order, runs, r);
        for (size_t j = 0; j < runs; j++) {
            size_t total = 0;
            for (size_t i = 0; i < k; i++)
                total += sizes[order[j] * k + i];
            big[order[j]] = trace_add_alloc(t, total);
        }
    }
out:
    free(sizes);
    free(block);
    free(big);
    free(order);
}

/* --- random: uniform random mix ---------------------------------------- */

enum { RND_MIN, RND_MAX, RND_LIVE, RND_REALLOC };

static const char *min_max_check(const double *p)
{
    return p[0] > p[1] ? "--min must not exceed --max" : NULL;
}

static size_t random_draw(rng_t *r, const double *p)
{
    return uniform_size(r, p[RND_MIN], p[RND_MAX]);
}

static void random_generate(trace_t *t, size_t ops, rng_t *r, const double *p)
{
    struct walk w = { .live_max = (size_t)p[RND_LIVE],
                      .realloc_share = p[RND_REALLOC] / 100,
                      .draw = random_draw, .p = p };
    walk(t, ops, r, &w);
    free_all_random(t, r);
}

/* --- realloc: growing buffers ------------------------------------------ */

enum { RE_BUFFERS, RE_KEEP_DONE, RE_START, RE_STEP, RE_GROW, RE_FINAL, RE_SMALL, RE_KEEP };

static const char *realloc_check(const double *p)
{
    return p[RE_START] >= p[RE_FINAL] ? "--start must be below --final" : NULL;
}

/*
 * realloc - buffers grown by realloc in steps, as a string builder (grow 0:
 * each step adds up to step bytes) or a vector (grow G: each step also adds
 * G percent) does. Each step grows one of the open buffers, chosen at
 * random; a buffer starts at up to start bytes and, once it reaches its
 * final size (drawn from final/2 to final), is kept as a result while a new
 * one opens in its place; the oldest result is freed when there are more
 * than done of them. Before each step the program allocates a short-lived
 * small block (up to small bytes), freeing the oldest once keep of them are
 * live, so small blocks keep landing right after the growing buffers.
 */
static void realloc_generate(trace_t *t, size_t ops, rng_t *r, const double *p)
{
    size_t nbuf = (size_t)p[RE_BUFFERS], ndone = (size_t)p[RE_KEEP_DONE];
    size_t keep = (size_t)p[RE_KEEP];
    uint32_t *buf = malloc(nbuf * sizeof *buf);
    size_t *size = malloc(nbuf * sizeof *size), *final = malloc(nbuf * sizeof *final);
    uint32_t *small = malloc(keep * sizeof *small), *done = malloc(ndone * sizeof *done);
    size_t nsmall = 0, oldest_small = 0, done_n = 0, oldest_done = 0;
    if (!buf || !size || !final || !small || !done) {
        t->failed = true;
        goto out;
    }
    for (size_t b = 0; b < nbuf; b++)
        size[b] = 0;   /* not open yet */

    /* A step takes at most 4 of the room: a small block's 'a' and a
     * buffer's 'a' (2 each), or a small block's 'a' and a realloc (3). */
    while (tg_room(t, ops) >= 4) {
        if (nsmall == keep) {
            trace_add_free(t, small[oldest_small]);
            small[oldest_small] = trace_add_alloc(t, uniform_size(r, 1, p[RE_SMALL]));
            oldest_small = (oldest_small + 1) % keep;
        } else {
            small[nsmall++] = trace_add_alloc(t, uniform_size(r, 1, p[RE_SMALL]));
        }

        size_t b = (size_t)rng_below(r, nbuf);
        if (size[b] == 0) {
            size[b] = uniform_size(r, 1, p[RE_START]);
            final[b] = uniform_size(r, fmax(size[b] + 1, floor(p[RE_FINAL] / 2)), p[RE_FINAL]);
            buf[b] = trace_add_alloc(t, size[b]);
            continue;
        }
        size_t more = uniform_size(r, 1, p[RE_STEP]) +
                      (size_t)((double)size[b] * p[RE_GROW] / 100);
        size[b] = size[b] + more >= final[b] ? final[b] : size[b] + more;
        trace_add_realloc(t, buf[b], size[b]);
        if (size[b] < final[b])
            continue;
        if (done_n == ndone) {
            trace_add_free(t, done[oldest_done]);
            done[oldest_done] = buf[b];
            oldest_done = (oldest_done + 1) % ndone;
        } else {
            done[done_n++] = buf[b];
        }
        size[b] = 0;
    }
out:
    free(buf);
    free(size);
    free(final);
    free(small);
    free(done);
}

/* --- fenced: buffers fenced by the block after each growth -------------- */

enum { FE_BUFFERS, FE_START, FE_STEP, FE_SMALL, FE_KEEP, FE_JITTER };

/*
 * fenced - CS:APP's realloc-bal and realloc2-bal: buffers grown by realloc
 * in small steps, in turn, with a small block allocated right after every
 * step. Where the heap grows, that block lands just past the buffer and
 * fences it from the free space above; the oldest small block is freed
 * once keep of them are live, so the fences leave holes behind. An
 * allocator that copies a fenced buffer into new heap on every step ends
 * with two buffers' worth of heap and copies the whole buffer each time;
 * one that moves it once to where it can keep growing, and puts the small
 * blocks elsewhere, reaches the layout's bound.
 */
static void fenced_generate(trace_t *t, size_t ops, rng_t *r, const double *p)
{
    size_t nbuf = (size_t)p[FE_BUFFERS], keep = (size_t)p[FE_KEEP];
    uint32_t *buf = malloc(nbuf * sizeof *buf), *small = malloc((keep + 1) * sizeof *small);
    size_t *size = malloc(nbuf * sizeof *size);
    size_t nsmall = 0;
    if (!buf || !small || !size) {
        t->failed = true;
        goto out;
    }
    for (size_t b = 0; b < nbuf && tg_room(t, ops) >= 2; b++) {
        size[b] = (size_t)p[FE_START];
        buf[b] = trace_add_alloc(t, size[b]);
    }
    /* A step: a realloc (1 of the room) and a small block's 'a' (2); the
     * new small block comes before the oldest goes, so it cannot take the
     * oldest's place. */
    for (size_t b = 0; tg_room(t, ops) >= 3 && !t->failed; b = (b + 1) % nbuf) {
        size_t step = jittered(r, p[FE_STEP], p[FE_JITTER]);
        if (size[b] + step > TRACE_CLASSIC_MAX)
            break;
        size[b] += step;
        trace_add_realloc(t, buf[b], size[b]);
        small[nsmall++] = trace_add_alloc(t, jittered(r, p[FE_SMALL], p[FE_JITTER]));
        if (nsmall > keep) {
            trace_add_free(t, small[0]);
            memmove(small, small + 1, --nsmall * sizeof *small);
        }
    }
out:
    free(buf);
    free(small);
    free(size);
}

/* --- pareto: power-law sizes ------------------------------------------- */

enum { PA_MIN, PA_MAX, PA_ALPHA, PA_LIVE };

static size_t pareto_draw(rng_t *r, const double *p)
{
    return pareto_size(r, p[PA_MIN], p[PA_MAX], p[PA_ALPHA]);
}

static void pareto_generate(trace_t *t, size_t ops, rng_t *r, const double *p)
{
    struct walk w = { .live_max = (size_t)p[PA_LIVE], .draw = pareto_draw, .p = p };
    walk(t, ops, r, &w);
    free_all_random(t, r);
}

/* --- bimodal: two size modes ------------------------------------------- */

enum { BI_SMALL, BI_LARGE, BI_SPREAD, BI_PCT, BI_LIVE };

static const char *bimodal_check(const double *p)
{
    return p[BI_SMALL] > p[BI_LARGE] ? "--small must not exceed --large" : NULL;
}

static size_t bimodal_draw(rng_t *r, const double *p)
{
    double centre = rng_unit(r) * 100 < p[BI_PCT] ? p[BI_SMALL] : p[BI_LARGE];
    return mode_size(r, centre, p[BI_SPREAD] / 100);
}

static void bimodal_generate(trace_t *t, size_t ops, rng_t *r, const double *p)
{
    struct walk w = { .live_max = (size_t)p[BI_LIVE], .draw = bimodal_draw, .p = p };
    walk(t, ops, r, &w);
    free_all_random(t, r);
}

/* --- tiny: many tiny blocks -------------------------------------------- */

enum { TI_MIN, TI_MAX, TI_LIVE, TI_PCT, TI_OTHER };

static size_t tiny_draw(rng_t *r, const double *p)
{
    if (rng_unit(r) * 100 < p[TI_PCT])
        return uniform_size(r, p[TI_MIN], p[TI_MAX]);
    return uniform_size(r, p[TI_MAX] + 1, p[TI_OTHER]);
}

static const char *tiny_check(const double *p)
{
    if (p[TI_MIN] > p[TI_MAX])
        return "--min must not exceed --max";
    if (p[TI_PCT] < 100 && p[TI_OTHER] <= p[TI_MAX])
        return "--other must exceed --max";
    return NULL;
}

static void tiny_generate(trace_t *t, size_t ops, rng_t *r, const double *p)
{
    struct walk w = { .live_max = (size_t)p[TI_LIVE], .draw = tiny_draw, .p = p };
    walk(t, ops, r, &w);
    free_all_random(t, r);
}

/* --- huge: a few huge blocks among small ones -------------------------- */

enum { HU_MIN, HU_MAX, HU_COUNT, HU_PERMILLE, HU_SMALL, HU_LIVE };

static const char *huge_check(const double *p)
{
    if (p[HU_MIN] > p[HU_MAX])
        return "--huge-min must not exceed --huge-max";
    if (p[HU_SMALL] >= p[HU_MIN])
        return "--small must be below --huge-min";
    return NULL;
}

static size_t huge_small_draw(rng_t *r, const double *p)
{
    return uniform_size(r, 1, p[HU_SMALL]);
}

/*
 * huge - a random walk of small blocks; each step is, with probability
 * permille / 1000, instead about a huge block: a new one while fewer than
 * count are live, otherwise the oldest huge block is freed. Huge blocks so
 * live across many small operations and are replaced by others of another
 * size, in the small blocks' midst.
 */
static void huge_generate(trace_t *t, size_t ops, rng_t *r, const double *p)
{
    size_t count = (size_t)p[HU_COUNT];
    uint32_t *huge = malloc(count * sizeof *huge);
    size_t nhuge = 0;
    struct idset small = { 0 };
    size_t target = (size_t)rng_range(r, 1, (uint64_t)p[HU_LIVE]);
    if (!huge) {
        t->failed = true;
        return;
    }
    size_t room;
    while ((room = tg_room(t, ops)) > 0) {
        if (rng_unit(r) * 1000 < p[HU_PERMILLE]) {
            if (nhuge < count) {
                if (room < 2)
                    break;
                huge[nhuge++] = trace_add_alloc(t, uniform_size(r, p[HU_MIN], p[HU_MAX]));
            } else {
                trace_add_free(t, huge[0]);
                memmove(huge, huge + 1, --nhuge * sizeof *huge);
            }
            continue;
        }
        if (small.n == target)
            target = (size_t)rng_range(r, 1, (uint64_t)p[HU_LIVE]);
        bool alloc = small.n == 0 || rng_below(r, 4) < (small.n < target ? 3u : 1u);
        if (alloc && room < 2)
            break;
        if (alloc)
            idset_add(t, &small, trace_add_alloc(t, huge_small_draw(r, p)));
        else
            trace_add_free(t, idset_take(&small, idset_pick(&small, r)));
    }
    idset_release(&small);
    free(huge);
    free_all_random(t, r);
}

/* --- The table --------------------------------------------------------- */

#define KB 1024.0
#define MB (1024.0 * 1024.0)

const struct tg_pattern tg_patterns[] = {
    { "binary", "small/large alternation that defeats naive placement (CS:APP's binary-bal)",
      "one small/large pair (6 operations)",
      { { "small", "size of the small blocks", 64, 1, 1 * MB, true },
        { "large", "size of the large blocks (the ones freed)", 448, 1, 1 * MB, true },
        { "grow", "the last blocks are this much larger than large", 64, 1, 1 * MB, true },
        { "jitter", "each size is up to this percent smaller, at random", 0, 0, 90, false },
        { 0 } },
      binary_check, binary_generate },
    { "coalesce", "coalescing bait: runs freed out of order, then requests only a whole run holds",
      "one round over all runs, 2 * runs * (run + 1) operations",
      { { "run", "blocks in a run", 8, 2, 1024, true },
        { "runs", "runs live at once", 128, 1, 100000, true },
        { "min", "smallest block in a run", 64, 1, 1 * MB, true },
        { "max", "largest block in a run", 512, 1, 1 * MB, true },
        { "fence", "size of the block that separates runs", 32, 1, 1 * MB, true },
        { 0 } },
      coalesce_check, coalesce_generate },
    { "random", "random mix: a live set in a random walk; malloc, free, realloc, uniform sizes",
      "one operation",
      { { "min", "smallest size", 16, 1, 16 * MB, true },
        { "max", "largest size", 4096, 1, 16 * MB, true },
        { "live", "most blocks live at once", 1000, 1, 1000000, true },
        { "realloc", "percent of operations that are reallocs", 20, 0, 90, false },
        { 0 } },
      min_max_check, random_generate },
    { "realloc", "buffers grown by realloc in steps, short-lived small blocks in between",
      "a small block in (and one out), then one buffer opened or grown",
      { { "buffers", "buffers growing at once", 4, 1, 10000, true },
        { "done", "finished buffers kept live (then the oldest is freed)", 16, 1, 100000, true },
        { "start", "largest first size of a buffer", 64, 1, 16 * MB, true },
        { "step", "each step adds up to this many bytes", 256, 1, 16 * MB, true },
        { "grow", "each step also adds this percent (0: string builder)", 0, 0, 400, false },
        { "final", "largest final size (each buffer draws one from final/2)", 64 * KB, 1, 1024 * MB, true },
        { "small", "largest short-lived block", 128, 1, 1 * MB, true },
        { "keep", "short-lived blocks live at once", 4, 1, 10000, true },
        { 0 } },
      realloc_check, realloc_generate },
    { "fenced", "buffers grown in small steps, each step fenced by a new small block (CS:APP's realloc-bal)",
      "one buffer grown, then a small block in (and the oldest out)",
      { { "buffers", "buffers grown in turn", 1, 1, 64, true },
        { "start", "first size of every buffer", 512, 1, 16 * MB, true },
        { "step", "each growth adds this many bytes", 128, 1, 1 * MB, true },
        { "small", "size of the block allocated after each growth", 128, 1, 1 * MB, true },
        { "keep", "small blocks live at once (then the oldest is freed)", 1, 1, 100000, true },
        { "jitter", "each step and small block is up to this percent smaller, at random", 10, 0, 90, false },
        { 0 } },
      NULL, fenced_generate },
    { "pareto", "power-law sizes (truncated Pareto): many small blocks, few large",
      "one operation",
      { { "min", "smallest size (the scale of the power law)", 32, 1, 1 * MB, true },
        { "max", "largest size (larger draws are redrawn)", 64 * KB, 1, 16 * MB, true },
        { "alpha", "tail index: smaller means more large blocks", 1.0, 0.1, 10, false },
        { "live", "most blocks live at once", 2000, 1, 1000000, true },
        { 0 } },
      min_max_check, pareto_generate },
    { "bimodal", "bimodal sizes: a small mode and a large mode, mixed at random",
      "one operation",
      { { "small", "centre of the small mode", 64, 1, 1 * MB, true },
        { "large", "centre of the large mode", 4096, 1, 16 * MB, true },
        { "spread", "each mode spans its centre +- this percent", 25, 0, 100, false },
        { "pct", "percent of blocks from the small mode", 80, 0, 100, false },
        { "live", "most blocks live at once", 1500, 1, 1000000, true },
        { 0 } },
      bimodal_check, bimodal_generate },
    { "tiny", "many tiny blocks (1-16 bytes) among fewer larger ones",
      "one operation",
      { { "min", "smallest tiny size", 1, 1, 4096, true },
        { "max", "largest tiny size", 16, 1, 4096, true },
        { "live", "most blocks live at once", 4000, 1, 1000000, true },
        { "pct", "percent of blocks that are tiny", 90, 1, 100, false },
        { "other", "the others are sizes from max+1 up to this", 8192, 2, 16 * MB, true },
        { 0 } },
      tiny_check, tiny_generate },
    { "huge", "a few huge blocks (hundreds of KB to a few MB) among small ones",
      "one operation",
      { { "huge-min", "smallest huge block", 256 * KB, 1, 64 * MB, true },
        { "huge-max", "largest huge block", 4 * MB, 1, 64 * MB, true },
        { "count", "most huge blocks live at once", 4, 1, 64, true },
        { "permille", "per mille of steps about a huge block", 0.5, 0.01, 500, false },
        { "small", "largest small block", 1024, 1, 1 * MB, true },
        { "live", "most small blocks live at once", 2000, 1, 1000000, true },
        { 0 } },
      huge_check, huge_generate },
    { 0 }
};

const struct tg_pattern *tg_pattern_find(const char *name)
{
    for (const struct tg_pattern *p = tg_patterns; p->name; p++)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}

size_t tg_param_count(const struct tg_pattern *p)
{
    size_t n = 0;
    while (n < TG_MAX_PARAMS && p->params[n].name)
        n++;
    return n;
}

void tg_param_defaults(const struct tg_pattern *pattern, double *p)
{
    for (size_t i = 0; i < tg_param_count(pattern); i++)
        p[i] = pattern->params[i].def;
}

size_t tg_room(const trace_t *t, size_t target)
{
    size_t owed = t->num_ops + t->life.nlive;
    return t->failed || owed >= target ? 0 : target - owed;
}

int tg_generate(trace_t *t, const struct tg_pattern *pattern,
                const double *p, uint64_t seed, size_t ops)
{
    rng_t r = rng_seed(seed);
    trace_init(t);
    pattern->generate(t, ops, &r, p);
    trace_close(t);
    if (t->failed) {
        trace_free(t);
        return -1;
    }
    return 0;
}

/* print_number - v as the shortest of integer or decimal. */
static void print_number(FILE *out, double v)
{
    if (v == floor(v) && fabs(v) < 1e15)
        fprintf(out, "%.0f", v);
    else
        fprintf(out, "%g", v);
}

void tg_list(FILE *out)
{
    fputs("Each pattern, what one step is, and its parameters as\n"
          "    --NAME      what it sets [default; lowest..highest]\n\n", out);
    for (const struct tg_pattern *p = tg_patterns; p->name; p++) {
        fprintf(out, "%s - %s\n", p->name, p->summary);
        fprintf(out, "    step: %s\n", p->step);
        for (size_t i = 0; i < tg_param_count(p); i++) {
            const struct tg_param *q = &p->params[i];
            fprintf(out, "    --%-9s %s [", q->name, q->help);
            print_number(out, q->def);
            fputs("; ", out);
            print_number(out, q->min);
            fputs("..", out);
            print_number(out, q->max);
            fputs(q->integer ? "]\n" : ", decimal]\n", out);
        }
    }
}
