/*
 * cow.c - part C: the copy-on-write fault, for MAP_PRIVATE file pages and
 * for pages shared by fork.
 *
 * mmap.h gives the contract. The kernel's tools: frame_alloc, frame_copy,
 * rmap_add, rmap_remove, frame_free (frame.h); swap_count (swap.h);
 * vma_pte_flags (vma.h); tlb_invalidate.
 */
#include <errno.h>

#include "machine.h"
#include "mmap.h"
#include "proc.h"
#include "swap.h"
#include "unimplemented.h"
#include "vma.h"

int cow_fault(struct machine *m, struct proc *p, struct vma *v, vaddr_t va,
              pte_t *pte)
{
    (void)m;
    (void)p;
    (void)v;
    (void)va;
    (void)pte;
    UNIMPLEMENTED();
}
