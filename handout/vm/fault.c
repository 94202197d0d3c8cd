/*
 * fault.c - part B: the page-fault handler.
 *
 * paging.h gives the contract and docs/vm-lab.md the exact order of the
 * steps. The kernel's tools: vma_find and vma_allows (vma.h); pt_walk
 * (pagetable.h); swapcache_lookup and swap_put (swap.h); pagecache_lookup
 * (pagecache.h); frame_alloc, frame_reclaim and rmap_add (frame.h);
 * disk_read_swap and disk_read_file (disk.h); cow_fault (mmap.h).
 */
#include <errno.h>

#include "disk.h"
#include "machine.h"
#include "mmap.h"
#include "pagecache.h"
#include "pagetable.h"
#include "paging.h"
#include "proc.h"
#include "swap.h"
#include "unimplemented.h"
#include "vma.h"

int fault_handle(struct machine *m, struct proc *p, vaddr_t va, uint32_t error)
{
    (void)m;
    (void)p;
    (void)va;
    (void)error;
    UNIMPLEMENTED();
}
