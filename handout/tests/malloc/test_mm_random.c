/*
 * test_mm_random.c - the allocator under a few thousand seeded random
 * operations (suite mm_4_random): malloc, free and realloc mixed, every
 * payload filled with a pattern of its own and verified when it is freed,
 * resized and at the end, and mm_check_heap after every operation.
 *
 * The generator is rng.h's, seeded per test: a failure names the seed and
 * the operation, and repeats exactly.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "memlib_driver.h"
#include "mm.h"
#include "not_yet.h"
#include "rng.h"
#include "timeouts.h"

static void init_allocator(void)
{
    cr_assert(eq(int, mm_init(), 0), "mm_init on an empty heap");
}

static void fresh_heap(void)
{
    cr_assert(eq(int, mem_init(0), 0), "mem_init: %s", strerror(errno));
    not_yet_setup(init_allocator);
}

static void release_heap(void)
{
    mem_deinit();
}

/* One test's mix of operations. */
struct mix {
    uint64_t seed;
    int ops;                 /* operations */
    size_t small_max;        /* most requests: 1 .. small_max bytes */
    size_t large_max;        /* large_per_mille of them: 1 .. large_max */
    unsigned large_per_mille;
    unsigned realloc_percent; /* of the operations on a live payload */
};

#define SLOTS 128

struct slot {
    unsigned char *p;   /* NULL when the slot is empty */
    size_t n;
    unsigned tag;       /* the pattern written into the payload */
};

static unsigned char pattern(unsigned tag, size_t i)
{
    return (unsigned char)(tag * 37 + i * 13 + (i >> 8) + 1);
}

static void fill(struct slot *s)
{
    for (size_t i = 0; i < s->n; i++)
        s->p[i] = pattern(s->tag, i);
}

/* verify - the first n bytes of s's payload hold its pattern. */
static void verify(const struct mix *m, int op, int k, const struct slot *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s->p[i] != pattern(s->tag, i))
            cr_assert(eq(u8, s->p[i], pattern(s->tag, i)),
                      "seed %llu op %d: slot %d, byte %zu of %zu of the payload at %p changed",
                      (unsigned long long)m->seed, op, k, i, n, (void *)s->p);
}

/* check_new - s's payload, just returned, is aligned, in the heap and
 * overlaps no other live payload. */
static void check_new(const struct mix *m, int op, int k, const struct slot *slots)
{
    const struct slot *s = &slots[k];
    cr_assert(ne(ptr, s->p, NULL), "seed %llu op %d: no payload of %zu bytes",
              (unsigned long long)m->seed, op, s->n);
    cr_assert(eq(u64, (uintptr_t)s->p % ALIGNMENT, 0), "seed %llu op %d: payload %p not aligned",
              (unsigned long long)m->seed, op, (void *)s->p);
    unsigned char *lo = mem_heap_lo(), *hi = mem_heap_hi();
    cr_assert(s->p >= lo && s->p + s->n - 1 <= hi,
              "seed %llu op %d: payload [%p, +%zu) outside the heap [%p, %p]",
              (unsigned long long)m->seed, op, (void *)s->p, s->n, (void *)lo, (void *)hi);
    for (int j = 0; j < SLOTS; j++) {
        const struct slot *o = &slots[j];
        if (j == k || !o->p)
            continue;
        cr_assert(s->p + s->n <= o->p || o->p + o->n <= s->p,
                  "seed %llu op %d: payload [%p, +%zu) overlaps slot %d's [%p, +%zu)",
                  (unsigned long long)m->seed, op, (void *)s->p, s->n, j, (void *)o->p, o->n);
    }
}

static size_t draw_size(const struct mix *m, rng_t *r)
{
    if (rng_below(r, 1000) < m->large_per_mille)
        return rng_range(r, 1, m->large_max);
    return rng_range(r, 1, m->small_max);
}

static void run_mix(const struct mix *m)
{
    struct slot slots[SLOTS] = { 0 };
    rng_t r = rng_seed(m->seed);
    unsigned next_tag = 1;
    for (int op = 0; op < m->ops; op++) {
        int k = (int)rng_below(&r, SLOTS);
        struct slot *s = &slots[k];
        const char *what;
        if (!s->p) {
            s->n = draw_size(m, &r);
            s->tag = next_tag++;
            if (rng_below(&r, 10) == 0) {
                what = "realloc(NULL, n)";
                s->p = mm_realloc(NULL, s->n);
            } else {
                what = "malloc";
                s->p = mm_malloc(s->n);
            }
            check_new(m, op, k, slots);
            fill(s);
        } else if (rng_below(&r, 100) < m->realloc_percent) {
            size_t n = rng_below(&r, 50) == 0 ? 0 : draw_size(m, &r);
            what = n ? "realloc" : "realloc(p, 0)";
            verify(m, op, k, s, s->n);
            unsigned char *p = mm_realloc(s->p, n);
            if (n == 0) {
                cr_assert(eq(ptr, p, NULL), "seed %llu op %d: realloc(p, 0)",
                          (unsigned long long)m->seed, op);
                s->p = NULL;
            } else {
                size_t keep = n < s->n ? n : s->n;
                s->p = p;
                s->n = n;
                check_new(m, op, k, slots);
                verify(m, op, k, s, keep);
                fill(s);
            }
        } else {
            what = "free";
            verify(m, op, k, s, s->n);
            mm_free(s->p);
            s->p = NULL;
        }
        cr_assert(ne(int, mm_check_heap(), 0), "seed %llu op %d (%s, slot %d): heap inconsistent",
                  (unsigned long long)m->seed, op, what, k);
    }
    for (int k = 0; k < SLOTS; k++)
        if (slots[k].p) {
            verify(m, m->ops, k, &slots[k], slots[k].n);
            mm_free(slots[k].p);
            slots[k].p = NULL;
        }
    cr_assert(ne(int, mm_check_heap(), 0), "seed %llu: heap inconsistent after freeing everything",
              (unsigned long long)m->seed);
}

TestSuite(mm_4_random, .init = fresh_heap, .fini = release_heap, .timeout = TIMEOUT(5));

Test(mm_4_random, random_small_requests)
{
    run_mix(&(struct mix){ .seed = 1, .ops = 4000, .small_max = 64,
                           .large_max = 64, .large_per_mille = 0, .realloc_percent = 20 });
}

Test(mm_4_random, random_mixed_requests)
{
    run_mix(&(struct mix){ .seed = 2, .ops = 4000, .small_max = 512,
                           .large_max = 32768, .large_per_mille = 50, .realloc_percent = 20 });
}

Test(mm_4_random, random_realloc_heavy)
{
    run_mix(&(struct mix){ .seed = 3, .ops = 4000, .small_max = 256,
                           .large_max = 8192, .large_per_mille = 100, .realloc_percent = 60 });
}
