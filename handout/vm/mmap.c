/*
 * mmap.c - part C: the page-level work of munmap (and so of exit and of
 * MAP_FIXED replacing a mapping).
 *
 * mmap.h gives the contract. The kernel's tools: pt_next and pt_lookup
 * (pagetable.h); swap_put (swap.h); disk_write_file (disk.h); rmap_remove
 * and frame_free (frame.h); tlb_invalidate.
 */
#include "disk.h"
#include "machine.h"
#include "mmap.h"
#include "pagetable.h"
#include "proc.h"
#include "swap.h"
#include "unimplemented.h"
#include "vma.h"

void mmap_unmap(struct machine *m, struct proc *p, struct vma *v,
                vaddr_t start, vaddr_t end)
{
    (void)m;
    (void)p;
    (void)v;
    (void)start;
    (void)end;
    UNIMPLEMENTED();
}
