/*
 * huge.c - 2 MiB pages for users (huge.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <string.h>

#include "huge.h"
#include "machine.h"
#include "pagetable.h"
#include "proc.h"

/* The PD entry of p that maps (or would map) the 2 MiB page at va. */
static pte_t *pd_entry(struct machine *m, struct proc *p, vaddr_t va)
{
    return pt_entry(m, p, va, 1);
}

/* e is the PD entry of a 2 MiB page (PS), not a table. */
static bool is_huge(const pte_t *e)
{
    return e && pte_present(*e) && (*e & PTE_PS);
}

/* A page table left where a 2 MiB page goes (pages made there by hand, and
 * cleared when the region came) goes too, when empty. Whether the slot is
 * free now. */
static bool drop_empty_table(struct machine *m, pte_t *e)
{
    const pte_t *t = phys_table(m, pte_addr(*e));
    for (unsigned i = 0; i < PT_ENTRIES; i++)
        if (t[i])
            return false;
    frame_t f = pte_frame(*e);
    *e = 0;
    frame_free(m, f);
    return true;
}

/* Map the 2 MiB page at frame f at va of p with v's rights. */
static int map_huge(struct machine *m, struct proc *p, struct vma *v, vaddr_t va,
                    frame_t f)
{
    int r = pt_map_page(m, p, va, (paddr_t)f << PAGE_SHIFT, vma_pte_flags(v) & ~PTE_P, 1);
    if (r)
        return r == -EEXIST ? -EFAULT : -ENOMEM;
    rmap_add(m, f, p, va);
    return 0;
}

int huge_fault(struct machine *m, struct proc *p, struct vma *v, vaddr_t va,
               uint32_t error)
{
    enum access acc = (error & PF_I) ? ACC_EXEC : (error & PF_W) ? ACC_WRITE : ACC_READ;
    if (!vma_allows(v, acc) || (error & (PF_P | PF_RSVD)))
        return -EFAULT;
    va &= ~(HUGE_SIZE - 1);
    pte_t *e = pd_entry(m, p, va);
    if (is_huge(e))
        return 0;   /* spurious: the retry walks again */
    if (e && pte_present(*e) && !drop_empty_table(m, e))
        return -EFAULT;
    frame_t f = frame_alloc_huge(m);
    if (f == NO_FRAME)
        return -ENOMEM;
    int r = map_huge(m, p, v, va, f);
    if (r)
        frame_free_huge(m, f);
    return r;
}

void huge_unmap(struct machine *m, struct proc *p, struct vma *v, vaddr_t start,
                vaddr_t end)
{
    (void)v;
    for (vaddr_t va = start; va < end; va += HUGE_SIZE) {
        pte_t *e = pd_entry(m, p, va);
        if (!is_huge(e))
            continue;
        frame_t f = pte_frame(*e);
        *e = 0;
        if (m->cur == p)
            tlb_invalidate(&m->tlb, va);
        rmap_remove(m, f, p, va);
        if (m->frame[f].refcount == 0)
            frame_free_huge(m, f);
    }
}

void huge_reprotect(struct machine *m, struct proc *p, struct vma *v)
{
    pte_t rights = vma_pte_flags(v);
    for (vaddr_t va = v->start; va < v->end; va += HUGE_SIZE) {
        pte_t *e = pd_entry(m, p, va);
        if (!is_huge(e))
            continue;
        pte_t new = (*e & (PTE_ADDR | PTE_A | PTE_D | PTE_PS)) | rights;
        if (new != *e) {
            *e = new;
            if (m->cur == p)
                tlb_invalidate(&m->tlb, va);
        }
    }
}

int huge_fork(struct machine *m, struct proc *parent, struct proc *child)
{
    for (struct vma *v = parent->vmas; v; v = v->next) {
        if (!vma_huge(v))
            continue;
        struct vma *cv = vma_find(child, v->start);
        for (vaddr_t va = v->start; va < v->end; va += HUGE_SIZE) {
            pte_t *e = pd_entry(m, parent, va);
            if (!is_huge(e))
                continue;
            frame_t f = frame_alloc_huge(m);
            if (f == NO_FRAME)
                return -ENOMEM;
            memcpy(frame_data(m, f), frame_data(m, pte_frame(*e)), HUGE_SIZE);
            int r = map_huge(m, child, cv, va, f);
            if (r) {
                frame_free_huge(m, f);
                return -ENOMEM;
            }
        }
    }
    return 0;
}
