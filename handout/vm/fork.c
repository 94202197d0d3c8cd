/*
 * fork.c - part C: giving a child its parent's pages.
 *
 * mmap.h gives the contract. The kernel's tools: pt_next, pt_lookup and
 * pt_walk (pagetable.h); rmap_add (frame.h); swap_dup (swap.h);
 * vma_shared (vma.h); tlb_flush.
 */
#include <errno.h>

#include "machine.h"
#include "mmap.h"
#include "pagetable.h"
#include "proc.h"
#include "swap.h"
#include "unimplemented.h"
#include "vma.h"

int fork_copy(struct machine *m, struct proc *parent, struct proc *child)
{
    (void)m;
    (void)parent;
    (void)child;
    UNIMPLEMENTED();
}
