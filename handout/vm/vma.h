/*
 * vma.h - a process's regions (virtual memory areas): the ranges of its
 * address space that mmap made, with their protection, flags and backing.
 *
 * A region is [start, end), both page-aligned, start < end, inside
 * [USER_MIN, USER_TOP). prot is PROT_NONE or an OR of PROT_READ,
 * PROT_WRITE, PROT_EXEC; flags is MAP_SHARED or MAP_PRIVATE, maybe with
 * MAP_ANONYMOUS (the flags of <sys/mman.h>). A file region maps page
 * offset / PAGE_SIZE + (va - start) / PAGE_SIZE of file; an anonymous
 * private region has file -1; an anonymous shared region is backed by an
 * unnamed shm file, so it is a file region too.
 *
 * A process's regions form a list sorted by start; they never overlap.
 * Splitting (a partial munmap or mprotect) keeps both halves' backing
 * exact: the upper half's offset grows by the lower half's length.
 */
#ifndef VM_VMA_H
#define VM_VMA_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>

#include "mmu.h"
#include "pte.h"

struct machine;
struct proc;

struct vma {
    vaddr_t start, end;
    int prot;           /* PROT_* */
    int flags;          /* MAP_SHARED or MAP_PRIVATE, | MAP_ANONYMOUS */
    int file;           /* file id, or -1 */
    uint64_t offset;    /* bytes into the file of start */
    struct vma *next;   /* the next region up */
};

#define VMA_MAX 1024    /* regions per process */

/* vma_find - the region containing va, or NULL. */
struct vma *vma_find(const struct proc *p, vaddr_t va);

/* vma_shared - the region is MAP_SHARED (its pages are never copied). */
static inline bool vma_shared(const struct vma *v)
{
    return v->flags & MAP_SHARED;
}

/* vma_file_index - the page of the file that va of file region v maps. */
static inline uint64_t vma_file_index(const struct vma *v, vaddr_t va)
{
    return (v->offset + (va - v->start)) >> PAGE_SHIFT;
}

/* vma_allows - the region's protection permits an access of kind acc:
 * a read needs any permission (x86 cannot refuse reads of a mapped page),
 * a write PROT_WRITE, a fetch PROT_EXEC. */
bool vma_allows(const struct vma *v, enum access acc);

/* vma_pte_flags - the leaf bits the region's protection gives a page it
 * maps: PTE_P, PTE_U unless PROT_NONE, PTE_W with PROT_WRITE, PTE_NX
 * without PROT_EXEC. (Copy-on-write pages then lose PTE_W.) */
pte_t vma_pte_flags(const struct vma *v);

/* vma_prot_text - "rwx" style, into buf of at least 4 bytes. */
const char *vma_prot_text(int prot, char *buf);

/* --- The kernel's own: used by the system calls ------------------------- */

/* vma_create - insert a new region (the caller has checked that the range
 * is free) and count one more mapping of its file. NULL when the process
 * has VMA_MAX regions or the host is out of memory. */
struct vma *vma_create(struct machine *m, struct proc *p, vaddr_t start,
                       vaddr_t end, int prot, int flags, int file,
                       uint64_t offset);

/* vma_split - cut v at page-aligned at (start < at < end): v keeps
 * [start, at), the returned new region has [at, end). NULL when the host is
 * out of memory (v is then unchanged). The caller keeps the count of
 * regions within VMA_MAX. */
struct vma *vma_split(struct machine *m, struct proc *p, struct vma *v,
                      vaddr_t at);

/* vma_destroy - remove v from p's list and free it; one mapping fewer of
 * its file. The pages must already be unmapped. */
void vma_destroy(struct machine *m, struct proc *p, struct vma *v);

/* vma_range_free - no region of p overlaps [start, end). */
bool vma_range_free(const struct proc *p, vaddr_t start, vaddr_t end);

/* vma_range_covered - every page of [start, end) is in some region. */
bool vma_range_covered(const struct proc *p, vaddr_t start, vaddr_t end);

/* vma_gap - where mmap puts len bytes without MAP_FIXED: at hint if the
 * range there is free and inside user space, else at the lowest address
 * >= MMAP_BASE with room. 0 when there is no room. */
vaddr_t vma_gap(const struct proc *p, uint64_t len, vaddr_t hint);

#endif
