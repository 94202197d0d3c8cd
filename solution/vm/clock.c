/*
 * clock.c - the clock (reference): referenced bits through the reverse
 * maps, and the one- and two-handed sweeps over frame numbers.
 */
#include "machine.h"
#include "pagetable.h"
#include "paging.h"
#include "proc.h"

bool clock_referenced(struct machine *m, frame_t f)
{
    for (struct rmap *r = m->frame[f].rmap; r; r = r->next) {
        pte_t *pte = pt_lookup(m, r->proc, r->va);
        if (pte && (*pte & PTE_A))
            return true;
    }
    return false;
}

void clock_clear_referenced(struct machine *m, frame_t f)
{
    for (struct rmap *r = m->frame[f].rmap; r; r = r->next) {
        pte_t *pte = pt_lookup(m, r->proc, r->va);
        if (pte && (*pte & PTE_A)) {
            *pte &= ~PTE_A;
            if (r->proc == m->cur)
                tlb_invalidate(&m->tlb, r->va);
        }
    }
}

static frame_t one_handed(struct machine *m)
{
    unsigned n = m->cfg.frames;
    for (unsigned step = 0; step < 2 * n; step++) {
        frame_t f = m->clock.hand;
        m->clock.hand = (f + 1) % n;
        if (!frame_pageable(m, f))
            continue;
        if (!clock_referenced(m, f))
            return f;
        clock_clear_referenced(m, f);
    }
    return NO_FRAME;
}

static frame_t two_handed(struct machine *m)
{
    unsigned n = m->cfg.frames;
    for (unsigned step = 0; step < 2 * n; step++) {
        frame_t front = m->clock.front, back = m->clock.back;
        m->clock.front = (front + 1) % n;
        m->clock.back = (back + 1) % n;
        clock_clear_referenced(m, front);
        if (frame_pageable(m, back) && !clock_referenced(m, back))
            return back;
    }
    return NO_FRAME;
}

frame_t clock_select(struct machine *m)
{
    return m->cfg.policy == POLICY_CLOCK2 ? two_handed(m) : one_handed(m);
}
