/*
 * pagetable.h - the kernel's side of page tables: finding, making and
 * visiting entries in software. (The hardware side, with its checks and
 * its accessed and dirty bits, is the MMU's: mmu.h.)
 *
 * These functions never count walk reads, never set A or D and never touch
 * the TLB: invalidating a changed translation is the caller's job. Tables
 * are allocated with frame_alloc(m, FRAME_TABLE), top level first, and an
 * entry pointing at a table in the user half is P | W | U (the leaf
 * restricts), in the kernel half P | W.
 *
 * p == NULL means the kernel's own tables (m->kernel_pml4).
 */
#ifndef VM_PAGETABLE_H
#define VM_PAGETABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "pte.h"

struct machine;
struct proc;

/*
 * pt_walk - the level-0 entry for user address va in p's tables, making
 * the missing tables on the way when create is set. NULL when a table is
 * missing and create is clear, when a huge page lies on the way, or when
 * no frame is free (tables made before that stay, empty).
 */
pte_t *pt_walk(struct machine *m, struct proc *p, vaddr_t va, bool create);

/* pt_lookup - pt_walk without creating: the leaf entry of va, or NULL. */
static inline pte_t *pt_lookup(struct machine *m, struct proc *p, vaddr_t va)
{
    return pt_walk(m, p, va, false);
}

/*
 * pt_next - the first page-aligned address in [va, end) whose leaf entry
 * in p's tables is nonzero (present or a swap entry), or end when none is.
 * va must be page-aligned. Skips missing tables whole, so going through a
 * large, mostly empty region costs little:
 *
 *     for (vaddr_t a = pt_next(m, p, start, end); a < end;
 *          a = pt_next(m, p, a + PAGE_SIZE, end))
 */
vaddr_t pt_next(struct machine *m, struct proc *p, vaddr_t va, vaddr_t end);

/* pt_entry - the entry at level for va (3 = PML4), or NULL when a table
 * above it is missing or a huge page lies above it. */
pte_t *pt_entry(struct machine *m, struct proc *p, vaddr_t va, int level);

/*
 * pt_map - make va a leaf at level (0: 4 KiB, 1: 2 MiB with PS, 2: 1 GiB
 * with PS) mapping pa with flags (PTE_P is added), making tables on the
 * way. No reverse map, no reference count: for the kernel half and for
 * tests that build tables by hand (a process given such a leaf is marked
 * hand_made, and pt_free_user clears its leaves). 0, -EINVAL (va or pa not aligned to the
 * page size, level not 0..2), -EEXIST (an entry is already there, or a huge
 * page lies above), -ENOMEM.
 */
int pt_map(struct machine *m, struct proc *p, vaddr_t va, paddr_t pa,
           pte_t flags, int level);

/*
 * pt_visit - call fn for every nonzero entry of the tables under root (a
 * PML4's physical address), depth first in address order, each entry
 * before the table it points to. va is the first address the entry covers
 * (canonical). user_only skips the kernel half.
 */
typedef void pt_visit_fn(void *ctx, int level, vaddr_t va, paddr_t entry_pa,
                         pte_t e);
void pt_visit(struct machine *m, paddr_t root, bool user_only,
              pt_visit_fn *fn, void *ctx);

/* pt_clear_hand_made - clear the leaves pt_map made in [start, end) of a
 * hand_made process p (and their TLB entries when p runs): a region made
 * there replaces them. */
void pt_clear_hand_made(struct machine *m, struct proc *p, vaddr_t start, vaddr_t end);

/* pt_map_page - pt_map for a page the kernel accounts for itself (its
 * reverse map and region): p is not marked hand_made. */
int pt_map_page(struct machine *m, struct proc *p, vaddr_t va, paddr_t pa,
                pte_t flags, int level);

/* pt_free_user - free every table of p's user half, and its PML4. Leaves
 * must all be gone already (vm_panic otherwise), but in a hand_made
 * process, whose leaves are cleared. */
void pt_free_user(struct machine *m, struct proc *p);

/* va_sign_extend - the canonical form of a 48-bit address. */
static inline vaddr_t va_sign_extend(vaddr_t va)
{
    return (vaddr_t)((int64_t)(va << (64 - VA_BITS)) >> (64 - VA_BITS));
}

#endif
