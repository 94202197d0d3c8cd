/*
 * tlb.c - part A: the TLB's lookup, insert, invalidate and flush.
 *
 * tlb.h describes the structure (sets of ways, entry fields, the LRU
 * stamps) and each function's contract; docs/vm-lab.md gives the victim
 * rule precisely. These functions are pure bookkeeping on struct tlb: no
 * statistics, no page tables.
 */
#include "tlb.h"
#include "unimplemented.h"

struct tlb_entry *tlb_lookup(struct tlb *t, vaddr_t va)
{
    (void)t;
    (void)va;
    UNIMPLEMENTED();
}

void tlb_insert(struct tlb *t, const struct tlb_entry *e)
{
    (void)t;
    (void)e;
    UNIMPLEMENTED();
}

void tlb_invalidate(struct tlb *t, vaddr_t va)
{
    (void)t;
    (void)va;
    UNIMPLEMENTED();
}

void tlb_flush(struct tlb *t, bool keep_global)
{
    (void)t;
    (void)keep_global;
    UNIMPLEMENTED();
}
