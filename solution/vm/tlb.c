/*
 * tlb.c - the TLB's four operations (reference).
 *
 * Lookups probe the set of each page size in turn, ways in order; LRU is
 * kept with stamps from one counter, so the least recently used way of a
 * full set is the one with the smallest stamp.
 */
#include "tlb.h"

struct tlb_entry *tlb_lookup(struct tlb *t, vaddr_t va)
{
    for (int level = 0; level < t->levels; level++) {
        vaddr_t vpn = va >> tlb_shift(t, level);
        struct tlb_entry *set = tlb_set(t, vpn);
        for (unsigned w = 0; w < t->ways; w++) {
            struct tlb_entry *e = &set[w];
            if (e->valid && e->vpn == vpn && e->level == level) {
                e->stamp = ++t->tick;
                return e;
            }
        }
    }
    return NULL;
}

void tlb_insert(struct tlb *t, const struct tlb_entry *e)
{
    struct tlb_entry *set = tlb_set(t, e->vpn);
    struct tlb_entry *victim = NULL;
    for (unsigned w = 0; w < t->ways && !victim; w++)
        if (set[w].valid && set[w].level == e->level && set[w].vpn == e->vpn)
            victim = &set[w];
    for (unsigned w = 0; w < t->ways && !victim; w++)
        if (!set[w].valid)
            victim = &set[w];
    if (!victim) {
        victim = &set[0];
        for (unsigned w = 1; w < t->ways; w++)
            if (set[w].stamp < victim->stamp)
                victim = &set[w];
    }
    *victim = *e;
    victim->valid = true;
    victim->stamp = ++t->tick;
}

void tlb_invalidate(struct tlb *t, vaddr_t va)
{
    for (int level = 0; level < t->levels; level++) {
        vaddr_t vpn = va >> tlb_shift(t, level);
        struct tlb_entry *set = tlb_set(t, vpn);
        for (unsigned w = 0; w < t->ways; w++)
            if (set[w].valid && set[w].level == level && set[w].vpn == vpn)
                set[w].valid = false;
    }
}

void tlb_flush(struct tlb *t, bool keep_global)
{
    for (size_t i = 0; i < (size_t)t->sets * t->ways; i++)
        if (!(keep_global && t->entry[i].global))
            t->entry[i].valid = false;
}
