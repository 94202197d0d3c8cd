/*
 * mmap.h - part C: the page-level work of mmap and munmap, copy-on-write,
 * and fork. Yours, in mmap.c, cow.c and fork.c. The system calls
 * (syscall.h) check arguments and manage regions, then call these.
 *
 * The rule of D, here as in pageout_unmap: before a present leaf entry is
 * removed or made to map another frame, its D bit is ORed into the old
 * frame's dirty flag; a frame's dirty flag is the only record left of a
 * write once the entry is gone.
 */
#ifndef VM_MMAP_H
#define VM_MMAP_H

#include <stdint.h>

#include "pte.h"

struct machine;
struct proc;
struct vma;

/*
 * mmap_unmap - remove every page of [start, end) (page-aligned, inside v)
 * from p's tables, lowest address first. A present page of a MAP_SHARED
 * file region that is dirty (D in this entry, or the frame's dirty flag) is
 * written back to its file first. The entry becomes 0; its TLB entry (if p
 * runs) is invalidated; the mapping leaves the frame's reverse map, and a
 * frame nothing maps any more is freed (frame_free). A swap entry just lets
 * go of its slot (swap_put). Tables are kept.
 */
void mmap_unmap(struct machine *m, struct proc *p, struct vma *v,
                vaddr_t start, vaddr_t end);

/*
 * cow_fault - a write to a present page whose entry has PTE_COW, in region
 * v, which allows writing. If the frame is anonymous and this entry is its
 * only holder (refcount 1, and no swap entry shares its slot), make the
 * entry writable again; otherwise copy the page to a new anonymous frame
 * (frame_alloc first, then frame_copy; the copy is dirty), let go of the
 * old frame (the rule of D, rmap_remove, and frame_free if nothing maps it
 * any more) and map the copy with the region's rights. Then invalidate the
 * TLB entry of va (if p runs). 0, or -ENOMEM.
 */
int cow_fault(struct machine *m, struct proc *p, struct vma *v, vaddr_t va,
              pte_t *pte);

/*
 * fork_copy - give child (whose regions are already copies of parent's)
 * the parent's pages, region by region, lowest address first: in a
 * MAP_SHARED region the child's entry maps the same frame with the same
 * rights; in a private region both entries become copy-on-write (PTE_W
 * cleared, PTE_COW set). Swap entries are copied (one more holder of the
 * slot). The child's table is made (pt_walk) before the parent's entry
 * changes. The child's entries have A and D clear. At the end, even after
 * a failure, if parent is running, flush the TLB (keeping global entries).
 * 0, or -ENOMEM when a table of the child cannot be made (the caller then
 * undoes the child).
 */
int fork_copy(struct machine *m, struct proc *parent, struct proc *child);

#endif
