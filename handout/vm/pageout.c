/*
 * pageout.c - part B: the pageout daemon.
 *
 * paging.h gives the contracts, docs/vm-lab.md the order of every step.
 * The kernel's tools: clock_select (yours, clock.c); swap_assign and
 * swap_dup (swap.h); pt_lookup (pagetable.h); rmap_remove, frame_evict
 * (frame.h); disk_write_swap, disk_write_file (disk.h); tlb_invalidate.
 */
#include "disk.h"
#include "machine.h"
#include "pagetable.h"
#include "paging.h"
#include "panic.h"
#include "proc.h"
#include "swap.h"
#include "unimplemented.h"

void pageout_unmap(struct machine *m, frame_t f)
{
    (void)m;
    (void)f;
    UNIMPLEMENTED();
}

unsigned pageout_step(struct machine *m)
{
    (void)m;
    UNIMPLEMENTED();
}
