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
#include "huge.h"
#include "machine.h"
#include "mmap.h"
#include "pagetable.h"
#include "proc.h"
#include "syscall.h"
#include "vma.h"

#define PROT_ALL (PROT_READ | PROT_WRITE | PROT_EXEC)
#define MAP_KNOWN (MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_HUGETLB)

/* len rounded up to pages; 0 when it cannot be (0 or too big). */
static uint64_t page_len(uint64_t len)
{
    if (len == 0 || len > USER_TOP)
        return 0;
    return page_round_up(len);
}

/* A region's length: pages, or 2 MiB pages for MAP_HUGETLB. */
static uint64_t region_len(uint64_t len, int flags)
{
    uint64_t n = page_len(len);
    if (n && (flags & MAP_HUGETLB))
        n = n > USER_TOP - HUGE_SIZE ? 0 : (n + HUGE_SIZE - 1) & ~(HUGE_SIZE - 1);
    return n;
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

/* Whether va cuts a huge region at a point that is not a 2 MiB boundary:
 * its pages cannot be split. */
static bool cuts_huge(const struct proc *p, vaddr_t va)
{
    const struct vma *v = vma_find(p, va);
    return v && vma_huge(v) && v->start < va && (va & (HUGE_SIZE - 1));
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
        if (vma_huge(v))
            huge_unmap(m, p, v, v->start, v->end);
        mmap_unmap(m, p, v, v->start, v->end);
        vma_destroy(m, p, v);
        v = next;
    }
    return 0;
}

/* -EINVAL, with the rule broken in *why. */
static int invalid(const char **why, const char *rule)
{
    *why = rule;
    return -EINVAL;
}

/*
 * The checks of vm_mmap, which change nothing: 0 when the call may go on,
 * else its error, and for -EINVAL the rule in *why. vm_mmap_invalid asks
 * the same function, so the rule it gives is the one that failed.
 */
static int mmap_check(struct machine *m, struct proc *p, vaddr_t addr,
                      uint64_t len, int prot, int flags, int file,
                      uint64_t offset, const char **why)
{
    *why = NULL;
    if (!proc_alive(p))
        return -ESRCH;
    bool shared = flags & MAP_SHARED, private = flags & MAP_PRIVATE;
    if (len == 0)
        return invalid(why, "the length must not be 0");
    if (prot & ~PROT_ALL)
        return invalid(why, "prot has bits other than PROT_READ, PROT_WRITE "
                       "and PROT_EXEC");
    if (flags & ~MAP_KNOWN)
        return invalid(why, "flags have bits other than MAP_SHARED, MAP_PRIVATE, "
                       "MAP_FIXED, MAP_ANONYMOUS and MAP_HUGETLB");
    if ((flags & MAP_HUGETLB) && (!private || !(flags & MAP_ANONYMOUS)))
        return invalid(why, "MAP_HUGETLB maps private anonymous memory only");
    if ((flags & MAP_HUGETLB) && m->cfg.arch != ARCH_X86_64)
        return invalid(why, "MAP_HUGETLB needs the x86-64 machine (2 MiB pages)");
    if ((flags & (MAP_HUGETLB | MAP_FIXED)) == (MAP_HUGETLB | MAP_FIXED) &&
        (addr & (HUGE_SIZE - 1)))
        return invalid(why, "MAP_HUGETLB with MAP_FIXED needs an address that is a "
                       "multiple of 2 MiB");
    if (shared == private)
        return invalid(why, shared ? "flags need exactly one of MAP_SHARED and "
                       "MAP_PRIVATE, not both" : "flags need exactly one of "
                       "MAP_SHARED and MAP_PRIVATE, and have neither");
    if (offset & PAGE_MASK)
        return invalid(why, "the file offset must be page-aligned");
    if (flags & MAP_ANONYMOUS) {
        if (file != -1)
            return invalid(why, "MAP_ANONYMOUS takes no file");
        if (offset != 0)
            return invalid(why, "MAP_ANONYMOUS takes no offset");
    } else {
        struct disk_file *df = disk_file(m, file);
        if (!df)
            return -EBADF;
        if (shared && (prot & PROT_WRITE) && df->readonly)
            return -EACCES;
        if (offset > UINT64_MAX - len)
            return invalid(why, "offset + length must not pass 2^64");
    }
    uint64_t n = region_len(len, flags);
    if (n == 0)
        return -ENOMEM;
    if (flags & MAP_FIXED) {
        if (cuts_huge(p, addr) || cuts_huge(p, addr + n))
            return invalid(why, "MAP_FIXED would cut a huge region inside a 2 MiB page");
        if (addr & PAGE_MASK)
            return invalid(why, "MAP_FIXED needs a page-aligned address");
        if (!in_user(addr, n))
            return invalid(why, "MAP_FIXED needs a range inside user space");
        if (p->nvmas + unmap_growth(p, addr, addr + n) + 1 > VMA_MAX)
            return -ENOMEM;
    } else if (p->nvmas + 1 > VMA_MAX) {
        return -ENOMEM;
    }
    return 0;
}

const char *vm_mmap_invalid(struct machine *m, struct proc *p, vaddr_t addr,
                            uint64_t len, int prot, int flags, int file,
                            uint64_t offset)
{
    const char *why;
    return mmap_check(m, p, addr, len, prot, flags, file, offset, &why) == -EINVAL
           ? why : NULL;
}

int vm_mmap(struct machine *m, struct proc *p, vaddr_t addr, uint64_t len,
            int prot, int flags, int file, uint64_t offset, vaddr_t *out)
{
    const char *why;
    int r = mmap_check(m, p, addr, len, prot, flags, file, offset, &why);
    if (r)
        return r;
    bool shared = flags & MAP_SHARED;
    uint64_t n = region_len(len, flags);
    if (flags & MAP_FIXED) {
        r = unmap_range(m, p, addr, addr + n);
        if (r)
            return r;
    } else if (flags & MAP_HUGETLB) {
        /* A gap with room for a 2 MiB boundary, then that boundary. */
        vaddr_t hint = (addr + HUGE_SIZE - 1) & ~(HUGE_SIZE - 1);
        addr = vma_gap(p, n, hint);
        if (addr & (HUGE_SIZE - 1))
            addr = vma_gap(p, n + HUGE_SIZE - PAGE_SIZE, hint);
        addr = (addr + HUGE_SIZE - 1) & ~(HUGE_SIZE - 1);
        if (addr == 0)
            return -ENOMEM;
    } else {
        addr = vma_gap(p, n, addr);
        if (addr == 0)
            return -ENOMEM;
    }
    pt_clear_hand_made(m, p, addr, addr + n);
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

const char *vm_range_invalid(const struct proc *p, vaddr_t addr, uint64_t len)
{
    uint64_t n = page_len(len);
    if (addr & PAGE_MASK)
        return "the address must be page-aligned";
    if (len == 0)
        return "the length must not be 0";
    if (n == 0 || !in_user(addr, n))
        return "the range must lie inside user space";
    if (cuts_huge(p, addr) || cuts_huge(p, addr + n))
        return "the range would cut a 2 MiB page of a huge region";
    return NULL;
}

int vm_munmap(struct machine *m, struct proc *p, vaddr_t addr, uint64_t len)
{
    if (!proc_alive(p))
        return -ESRCH;
    if (vm_range_invalid(p, addr, len))
        return -EINVAL;
    uint64_t n = page_len(len);
    return unmap_range(m, p, addr, addr + n);
}

/* Give the present pages of v the rights of its new protection. */
static void reprotect(struct machine *m, struct proc *p, struct vma *v)
{
    if (vma_huge(v)) {
        huge_reprotect(m, p, v);
        return;
    }
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
    if (vm_range_invalid(p, addr, len) || (prot & ~PROT_ALL))
        return -EINVAL;
    uint64_t n = page_len(len);
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
