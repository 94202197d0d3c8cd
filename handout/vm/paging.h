/*
 * paging.h - part B: the page-fault handler, the clock, and the pageout
 * daemon. Yours, in fault.c, clock.c and pageout.c. docs/vm-lab.md gives
 * each algorithm step by step; the order of the steps is part of the
 * specification (it decides which frame and which slot each page gets).
 */
#ifndef VM_PAGING_H
#define VM_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#include "pte.h"

struct machine;
struct proc;

/*
 * fault_handle - the kernel's page-fault handler, called by the CPU for a
 * page fault of process p at va with the hardware's error code (PF_*).
 * Resolve it so the retried access succeeds:
 *   - a present page written through a PTE_COW entry: cow_fault;
 *   - a swap entry: the page from the swap cache (reclaimed if on the free
 *     list) or read from its slot;
 *   - a file region: the page from the page cache (reclaimed if on the
 *     free list) or read from the file; in a MAP_PRIVATE region mapped
 *     copy-on-write, and copied at once (cow_fault) when this is a write;
 *   - an anonymous page never touched: a zero-filled frame.
 * Returns 0 when resolved; -EFAULT when va is in no region, the region
 * does not allow the access, the error code has PF_RSVD, or the page lies
 * past the end of its file; -ENOMEM when a frame (or a table) cannot be
 * had.
 */
int fault_handle(struct machine *m, struct proc *p, vaddr_t va,
                 uint32_t error);

/* clock_referenced - whether any entry mapping f has PTE_A. */
bool clock_referenced(struct machine *m, frame_t f);

/* clock_clear_referenced - clear PTE_A in every entry mapping f, and
 * invalidate the TLB entry of each such mapping of the running process (so
 * the next use walks and sets A again). */
void clock_clear_referenced(struct machine *m, frame_t f);

/*
 * clock_select - choose the next victim among the pageable frames
 * (frame_pageable) by the machine's policy: the one-handed clock
 * (m->clock.hand) or the two-handed clock (m->clock.front and .back),
 * moving the hands. NO_FRAME after 2 * frames steps without a victim.
 */
frame_t clock_select(struct machine *m);

/*
 * pageout_unmap - take victim f from every mapping, oldest first: each
 * leaf entry mapping it becomes a swap entry for f's slot (anonymous; the
 * slot is assigned first if f has none) or 0 (file), keeping PTE_COW; its D
 * bit is gathered into f->dirty; the running process's TLB entry for it is
 * invalidated; the reverse map empties. f must be frame_pageable.
 */
void pageout_unmap(struct machine *m, frame_t f);

/*
 * pageout_step - one run of the pageout daemon: while fewer than
 * high_water frames are free, counting dirty victims waiting for their
 * write, take a victim (clock_select; stop at NO_FRAME) and unmap it
 * (pageout_unmap). A clean victim goes to the free list at once
 * (frame_evict); a dirty one waits in a batch. When PAGEOUT_BATCH victims
 * wait, and at the end, write the batch back (disk_write_swap or
 * disk_write_file) in the order the victims were chosen, and free each one
 * after its write (frame_evict). Returns the number of frames freed.
 */
#define PAGEOUT_BATCH 8
unsigned pageout_step(struct machine *m);

#endif
