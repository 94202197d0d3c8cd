/*
 * fork.c - copying an address space for fork (reference): shared regions
 * share, private regions go copy-on-write in both processes.
 */
#include <errno.h>

#include "machine.h"
#include "mmap.h"
#include "pagetable.h"
#include "proc.h"
#include "swap.h"
#include "vma.h"

int fork_copy(struct machine *m, struct proc *parent, struct proc *child)
{
    int r = 0;
    for (struct vma *v = parent->vmas; v && r == 0; v = v->next) {
        for (vaddr_t va = pt_next(m, parent, v->start, v->end); va < v->end;
             va = pt_next(m, parent, va + PAGE_SIZE, v->end)) {
            pte_t *ce = pt_walk(m, child, va, true);
            if (!ce) {
                r = -ENOMEM;
                break;
            }
            pte_t *pe = pt_lookup(m, parent, va);
            if (!vma_shared(v))
                *pe = (*pe & ~PTE_W) | PTE_COW;
            if (pte_is_swap(*pe)) {
                swap_dup(m, pte_swap_slot(*pe));
                *ce = *pe;
            } else {
                *ce = *pe & ~(PTE_A | PTE_D);
                rmap_add(m, pte_frame(*pe), child, va);
            }
        }
    }
    if (m->cur == parent)
        tlb_flush(&m->tlb, true);
    return r;
}
