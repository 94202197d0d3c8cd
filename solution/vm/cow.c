/*
 * cow.c - the copy-on-write fault (reference): reuse the page when this
 * entry is its only holder, copy it otherwise.
 */
#include <errno.h>

#include "machine.h"
#include "mmap.h"
#include "proc.h"
#include "swap.h"
#include "vma.h"

int cow_fault(struct machine *m, struct proc *p, struct vma *v, vaddr_t va,
              pte_t *pte)
{
    frame_t old = pte_frame(*pte);
    struct frame *fr = &m->frame[old];
    bool alone = fr->use == FRAME_ANON && fr->refcount == 1 &&
                 (fr->slot == NO_SLOT || swap_count(m, fr->slot) == 1);
    if (alone) {
        *pte = (*pte & ~PTE_COW) | PTE_W;
    } else {
        frame_t f = frame_alloc(m, FRAME_ANON);
        if (f == NO_FRAME)
            return -ENOMEM;
        frame_copy(m, f, old);
        m->frame[f].dirty = true;
        if (*pte & PTE_D)
            fr->dirty = true;
        rmap_remove(m, old, p, va);
        if (fr->refcount == 0)
            frame_free(m, old);
        *pte = pte_make((paddr_t)f << PAGE_SHIFT, vma_pte_flags(v));
        rmap_add(m, f, p, va);
    }
    if (p == m->cur)
        tlb_invalidate(&m->tlb, va);
    return 0;
}
