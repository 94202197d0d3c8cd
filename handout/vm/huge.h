/*
 * huge.h - 2 MiB pages for users: regions mapped with MAP_HUGETLB.
 *
 * A huge region is private and anonymous, its start and end multiples of
 * 2 MiB. Its pages are 2 MiB each: PS leaves in the PD, each mapping
 * HUGE_FRAMES frames in a row (frame_alloc_huge). They are made at the first
 * touch, zero-filled, like small anonymous pages, but are pinned: the clock
 * never takes them, so they are never swapped, and fork copies them at
 * once instead of on write. This is the kernel's own code, not part of the
 * lab: the fault handler, munmap, mprotect, fork and exit call it for huge
 * regions, and the students' page-level functions never see a huge page
 * (pt_next passes over them).
 *
 * The price of a 2 MiB page is the lecture's internal fragmentation: a
 * region is rounded up to 2 MiB, and a touched page holds 2 MiB of frames
 * however little of it is used. The gain is TLB reach: one TLB entry
 * translates 512 times as much.
 */
#ifndef VM_HUGE_H
#define VM_HUGE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>

#include "pte.h"
#include "vma.h"

#define HUGE_SIZE ((uint64_t)2 << 20)

struct machine;
struct proc;

/* vma_huge - v was mapped with MAP_HUGETLB. */
static inline bool vma_huge(const struct vma *v)
{
    return v->flags & MAP_HUGETLB;
}

/* huge_fault - the page fault at va of huge region v: check the access
 * against the region, then map a zero-filled 2 MiB page there. 0, -EFAULT
 * (refused, or a protection fault on a present page), -ENOMEM. */
int huge_fault(struct machine *m, struct proc *p, struct vma *v, vaddr_t va,
               uint32_t error);

/* huge_unmap - unmap and free the 2 MiB pages of [start, end) in huge region
 * v (both multiples of 2 MiB). */
void huge_unmap(struct machine *m, struct proc *p, struct vma *v, vaddr_t start,
                vaddr_t end);

/* huge_reprotect - give the present pages of huge region v its rights. */
void huge_reprotect(struct machine *m, struct proc *p, struct vma *v);

/* huge_fork - copy every present 2 MiB page of parent's huge regions into
 * child, at the same addresses. 0 or -ENOMEM. */
int huge_fork(struct machine *m, struct proc *parent, struct proc *child);

#endif
