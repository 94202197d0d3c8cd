/*
 * mman.c - the mmap, munmap and mprotect system calls: argument checks and
 * region bookkeeping. The page-level work is part C's (mmap.h); the pages
 * themselves arrive later, one fault at a time.
 *
 * Every check is made before anything changes, so a call that fails leaves
 * the process as it was. Regions are split where a call cuts them and never
 * merged.
 */
#include <errno.h>

#include "disk.h"
#include "machine.h"
#include "mmap.h"
#include "pagetable.h"
#include "proc.h"
#include "syscall.h"
#include "vma.h"

#define PROT_ALL (PROT_READ | PROT_WRITE | PROT_EXEC)
#define MAP_KNOWN (MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS)

/* len rounded up to pages; 0 when it cannot be (0 or too big). */
static uint64_t page_len(uint64_t len)
{
    if (len == 0 || len > USER_TOP)
        return 0;
    return page_round_up(len);
}

static bool in_user(vaddr_t start, uint64_t len)
{
    return start >= USER_MIN && start < USER_TOP && len <= USER_TOP - start;
}

/* Whether va falls strictly inside a region of p (a cut there splits it). */
static bool cuts(const struct proc *p, vaddr_t va)
{
    const struct vma *v = vma_find(p, va);
    return v && v->start < va;
}

/* Regions a munmap of [start, end) adds: one when a region strictly
 * contains the range (it becomes two), none otherwise. */
static unsigned unmap_growth(const struct proc *p, vaddr_t start, vaddr_t end)
{
    const struct vma *v = vma_find(p, start);
    return v && v->start < start && v->end > end;
}

static int unmap_range(struct machine *m, struct proc *p, vaddr_t start,
                       vaddr_t end)
{
    if (p->nvmas + unmap_growth(p, start, end) > VMA_MAX)
        return -ENOMEM;
    struct vma *v = p->vmas;
    while (v && v->start < end) {
        if (v->end <= start) {
            v = v->next;
            continue;
        }
        if (v->start < start) {
            v = vma_split(m, p, v, start);
            if (!v)
                return -ENOMEM;
        }
        if (v->end > end && !vma_split(m, p, v, end))
            return -ENOMEM;
        struct vma *next = v->next;
        mmap_unmap(m, p, v, v->start, v->end);
        vma_destroy(m, p, v);
        v = next;
    }
    return 0;
}

int vm_mmap(struct machine *m, struct proc *p, vaddr_t addr, uint64_t len,
            int prot, int flags, int file, uint64_t offset, vaddr_t *out)
{
    if (!proc_alive(p))
        return -ESRCH;
    bool shared = flags & MAP_SHARED, private = flags & MAP_PRIVATE;
    if (len == 0 || (prot & ~PROT_ALL) || (flags & ~MAP_KNOWN) ||
        shared == private || (offset & PAGE_MASK))
        return -EINVAL;
    if (flags & MAP_ANONYMOUS) {
        if (file != -1 || offset != 0)
            return -EINVAL;
    } else {
        struct disk_file *df = disk_file(m, file);
        if (!df)
            return -EBADF;
        if (shared && (prot & PROT_WRITE) && df->readonly)
            return -EACCES;
        if (offset > UINT64_MAX - len)
            return -EINVAL;
    }
    uint64_t n = page_len(len);
    if (n == 0)
        return -ENOMEM;
    if (flags & MAP_FIXED) {
        if ((addr & PAGE_MASK) || !in_user(addr, n))
            return -EINVAL;
        if (p->nvmas + unmap_growth(p, addr, addr + n) + 1 > VMA_MAX)
            return -ENOMEM;
        int r = unmap_range(m, p, addr, addr + n);
        if (r)
            return r;
    } else {
        if (p->nvmas + 1 > VMA_MAX)
            return -ENOMEM;
        addr = vma_gap(p, n, addr);
        if (addr == 0)
            return -ENOMEM;
    }
    if ((flags & MAP_ANONYMOUS) && shared) {
        file = disk_shm_create(m, n);
        if (file < 0)
            return -ENOMEM;
    }
    if (!vma_create(m, p, addr, addr + n, prot, flags, file, offset)) {
        if (file >= 0 && disk_file(m, file)->shm) {
            disk_file_ref(m, file);     /* and the unref deletes it */
            disk_file_unref(m, file);
        }
        return -ENOMEM;
    }
    *out = addr;
    return 0;
}

int vm_munmap(struct machine *m, struct proc *p, vaddr_t addr, uint64_t len)
{
    if (!proc_alive(p))
        return -ESRCH;
    uint64_t n = page_len(len);
    if ((addr & PAGE_MASK) || len == 0 || n == 0 || !in_user(addr, n))
        return -EINVAL;
    return unmap_range(m, p, addr, addr + n);
}

/* Give the present pages of v the rights of its new protection. */
static void reprotect(struct machine *m, struct proc *p, struct vma *v)
{
    pte_t rights = vma_pte_flags(v);
    for (vaddr_t va = pt_next(m, p, v->start, v->end); va < v->end;
         va = pt_next(m, p, va + PAGE_SIZE, v->end)) {
        pte_t *e = pt_lookup(m, p, va);
        if (!pte_present(*e))
            continue;
        pte_t new = (*e & (PTE_ADDR | PTE_A | PTE_D | PTE_COW)) | rights;
        if (new & PTE_COW)
            new &= ~PTE_W;
        if (new != *e) {
            *e = new;
            if (m->cur == p)
                tlb_invalidate(&m->tlb, va);
        }
    }
}

int vm_mprotect(struct machine *m, struct proc *p, vaddr_t addr,
                uint64_t len, int prot)
{
    if (!proc_alive(p))
        return -ESRCH;
    uint64_t n = page_len(len);
    if ((addr & PAGE_MASK) || len == 0 || n == 0 || !in_user(addr, n) ||
        (prot & ~PROT_ALL))
        return -EINVAL;
    vaddr_t end = addr + n;
    if (!vma_range_covered(p, addr, end))
        return -ENOMEM;
    for (struct vma *v = p->vmas; v && v->start < end; v = v->next) {
        if (v->end <= addr || !vma_shared(v) || v->file < 0)
            continue;
        if ((prot & PROT_WRITE) && disk_file(m, v->file)->readonly)
            return -EACCES;
    }
    if (p->nvmas + cuts(p, addr) + cuts(p, end) > VMA_MAX)
        return -ENOMEM;
    for (struct vma *v = p->vmas; v && v->start < end; v = v->next) {
        if (v->end <= addr)
            continue;
        if (v->start < addr) {
            v = vma_split(m, p, v, addr);
            if (!v)
                return -ENOMEM;
        }
        if (v->end > end && !vma_split(m, p, v, end))
            return -ENOMEM;
        v->prot = prot;
        reprotect(m, p, v);
    }
    return 0;
}
