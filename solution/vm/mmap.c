/*
 * mmap.c - page-level munmap (reference): write back dirty shared file
 * pages, take every page out of the tables, let go of frames and slots.
 */
#include "disk.h"
#include "machine.h"
#include "mmap.h"
#include "pagetable.h"
#include "proc.h"
#include "swap.h"
#include "vma.h"

void mmap_unmap(struct machine *m, struct proc *p, struct vma *v,
                vaddr_t start, vaddr_t end)
{
    for (vaddr_t va = pt_next(m, p, start, end); va < end;
         va = pt_next(m, p, va + PAGE_SIZE, end)) {
        pte_t *pte = pt_lookup(m, p, va);
        if (pte_is_swap(*pte)) {
            swap_put(m, pte_swap_slot(*pte));
            *pte = 0;
            continue;
        }
        frame_t f = pte_frame(*pte);
        struct frame *fr = &m->frame[f];
        if (*pte & PTE_D)
            fr->dirty = true;
        if (vma_shared(v) && fr->use == FRAME_FILE && fr->dirty)
            disk_write_file(m, f);
        *pte = 0;
        if (p == m->cur)
            tlb_invalidate(&m->tlb, va);
        rmap_remove(m, f, p, va);
        if (fr->refcount == 0)
            frame_free(m, f);
    }
}
