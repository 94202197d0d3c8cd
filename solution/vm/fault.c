/*
 * fault.c - the page-fault handler (reference).
 *
 * Steps, in the order the specification fixes: find the region and check
 * the access against it; refuse a page past the end of its file; make sure
 * the tables exist (pt_walk with create), then bring the page in: from the
 * swap cache or swap, from the page cache or the file, or a zero-filled
 * frame. A write that finds (or has just made) a copy-on-write entry goes on
 * to cow_fault.
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
#include "vma.h"

static int swap_in(struct machine *m, struct proc *p, struct vma *v,
                   vaddr_t va, pte_t *pte)
{
    uint32_t slot = pte_swap_slot(*pte);
    frame_t f = swapcache_lookup(m, slot);
    if (f != NO_FRAME) {
        if (m->frame[f].free)
            frame_reclaim(m, f);
    } else {
        f = frame_alloc(m, FRAME_ANON);
        if (f == NO_FRAME)
            return -ENOMEM;
        disk_read_swap(m, slot, f);
    }
    pte_t flags = vma_pte_flags(v);
    if (*pte & PTE_COW)
        flags = (flags & ~PTE_W) | PTE_COW;
    swap_put(m, slot);
    *pte = pte_make((paddr_t)f << PAGE_SHIFT, flags);
    rmap_add(m, f, p, va);
    return 0;
}

static int file_in(struct machine *m, struct proc *p, struct vma *v,
                   vaddr_t va, pte_t *pte)
{
    uint64_t index = vma_file_index(v, va);
    frame_t f = pagecache_lookup(m, v->file, index);
    if (f != NO_FRAME) {
        if (m->frame[f].free)
            frame_reclaim(m, f);
    } else {
        f = frame_alloc(m, FRAME_FILE);
        if (f == NO_FRAME)
            return -ENOMEM;
        disk_read_file(m, v->file, index, f);
    }
    pte_t flags = vma_pte_flags(v);
    if (!vma_shared(v))
        flags = (flags & ~PTE_W) | PTE_COW;
    *pte = pte_make((paddr_t)f << PAGE_SHIFT, flags);
    rmap_add(m, f, p, va);
    return 0;
}

static int zero_fill(struct machine *m, struct proc *p, struct vma *v,
                     vaddr_t va, pte_t *pte)
{
    frame_t f = frame_alloc(m, FRAME_ANON);
    if (f == NO_FRAME)
        return -ENOMEM;
    m->frame[f].dirty = true;   /* its only copy */
    *pte = pte_make((paddr_t)f << PAGE_SHIFT, vma_pte_flags(v));
    rmap_add(m, f, p, va);
    return 0;
}

int fault_handle(struct machine *m, struct proc *p, vaddr_t va, uint32_t error)
{
    enum access acc = (error & PF_I) ? ACC_EXEC
                    : (error & PF_W) ? ACC_WRITE : ACC_READ;
    struct vma *v = vma_find(p, va);
    if (!v || !vma_allows(v, acc) || (error & PF_RSVD))
        return -EFAULT;
    va = page_round_down(va);
    if (v->file >= 0 && vma_file_index(v, va) >= disk_file(m, v->file)->npages)
        return -EFAULT;
    pte_t *pte = pt_walk(m, p, va, true);
    if (!pte)
        return -ENOMEM;
    if (!pte_present(*pte)) {
        int r = pte_is_swap(*pte) ? swap_in(m, p, v, va, pte)
              : v->file >= 0 ? file_in(m, p, v, va, pte)
              : zero_fill(m, p, v, va, pte);
        if (r)
            return r;
    }
    if (acc == ACC_WRITE && (*pte & PTE_COW))
        return cow_fault(m, p, v, va, pte);
    return 0;   /* resolved, or spurious: the retry walks again */
}
