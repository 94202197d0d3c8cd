/*
 * stuck_tlb.c - the loop of vmsh-stuck, a vmsh for the tests only: it is
 * linked with --wrap=tlb_lookup, so the MMU's every TLB lookup comes here
 * and never returns, as a student's tlb_lookup that loops would. The tests
 * of Ctrl-C at the terminal and of the scenario runner's deadline run it.
 */
#include "tlb.h"

struct tlb_entry *__wrap_tlb_lookup(struct tlb *t, vaddr_t va);

struct tlb_entry *__wrap_tlb_lookup(struct tlb *t, vaddr_t va)
{
    (void)t;
    (void)va;
    for (;;)
        continue;
}
