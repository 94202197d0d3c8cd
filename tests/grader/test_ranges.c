/*
 * test_ranges.c - the live-payload set behind the overlap check, against a
 * brute-force model: every query answers as a scan of all members would.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "grader_test.h"
#include "ranges.h"
#include "rng.h"

TestSuite(ranges, .timeout = SUITE_TIMEOUT);

#define SLOTS 512
#define SPACE 65536   /* addresses are drawn from [0, SPACE) */

typedef struct model {
    ranges_t set;
    range_t node[SLOTS];
    bool member[SLOTS];
} model_t;

/* brute_overlap - the member overlapping [s, e) with the highest start. */
static range_t *brute_overlap(model_t *m, uintptr_t s, uintptr_t e)
{
    range_t *best = NULL;
    for (int i = 0; i < SLOTS; i++)
        if (m->member[i] && m->node[i].start < e && m->node[i].end > s &&
            (!best || m->node[i].start > best->start))
            best = &m->node[i];
    return best;
}

Test(ranges, empty_set_overlaps_nothing)
{
    ranges_t set = { 0 };
    cr_expect(eq(ptr, ranges_overlap(&set, 0, 100), NULL));
}

Test(ranges, touching_ranges_do_not_overlap)
{
    ranges_t set = { 0 };
    range_t a = { .start = 100, .end = 200, .prio = 1 };
    ranges_insert(&set, &a);
    cr_expect(eq(ptr, ranges_overlap(&set, 200, 300), NULL));
    cr_expect(eq(ptr, ranges_overlap(&set, 50, 100), NULL));
    cr_expect(eq(ptr, ranges_overlap(&set, 199, 300), &a));
    cr_expect(eq(ptr, ranges_overlap(&set, 50, 101), &a));
}

Test(ranges, containment_is_overlap_both_ways)
{
    ranges_t set = { 0 };
    range_t a = { .start = 100, .end = 200, .prio = 1 };
    ranges_insert(&set, &a);
    cr_expect(eq(ptr, ranges_overlap(&set, 120, 130), &a), "inside a member");
    cr_expect(eq(ptr, ranges_overlap(&set, 0, 1000), &a), "around a member");
}

Test(ranges, random_inserts_and_removes_agree_with_a_scan)
{
    static model_t m;
    rng_t r = rng_seed(42);
    for (int step = 0; step < 20000; step++) {
        int i = (int)rng_below(&r, SLOTS);
        if (m.member[i]) {
            ranges_remove(&m.set, &m.node[i]);
            m.member[i] = false;
        } else {
            uintptr_t s = rng_below(&r, SPACE - 64), e = s + 1 + rng_below(&r, 64);
            if (!brute_overlap(&m, s, e)) {
                m.node[i] = (range_t){ .start = s, .end = e, .prio = (uint32_t)rng_next(&r) };
                ranges_insert(&m.set, &m.node[i]);
                m.member[i] = true;
            }
        }
        uintptr_t qs = rng_below(&r, SPACE - 256), qe = qs + 1 + rng_below(&r, 256);
        range_t *want = brute_overlap(&m, qs, qe);
        cr_assert(eq(ptr, ranges_overlap(&m.set, qs, qe), want), "step %d, query [%lu, %lu)",
                  step, (unsigned long)qs, (unsigned long)qe);
    }
}
