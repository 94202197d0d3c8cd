/*
 * vma.c - region lists: sorted, disjoint, split at page boundaries. Every
 * region of a file holds one reference to it (disk_file_ref), so an shm
 * file lives exactly as long as some region maps it.
 */
#include <stdlib.h>

#include "disk.h"
#include "machine.h"
#include "proc.h"
#include "vma.h"

struct vma *vma_find(const struct proc *p, vaddr_t va)
{
    for (struct vma *v = p->vmas; v && v->start <= va; v = v->next)
        if (va < v->end)
            return v;
    return NULL;
}

bool vma_allows(const struct vma *v, enum access acc)
{
    switch (acc) {
    case ACC_READ: return v->prot != PROT_NONE;
    case ACC_WRITE: return v->prot & PROT_WRITE;
    case ACC_EXEC: return v->prot & PROT_EXEC;
    }
    return false;
}

pte_t vma_pte_flags(const struct vma *v)
{
    pte_t flags = PTE_P;
    if (v->prot != PROT_NONE)
        flags |= PTE_U;
    if (v->prot & PROT_WRITE)
        flags |= PTE_W;
    if (!(v->prot & PROT_EXEC))
        flags |= PTE_NX;
    return flags;
}

const char *vma_prot_text(int prot, char *buf)
{
    buf[0] = prot & PROT_READ ? 'r' : '-';
    buf[1] = prot & PROT_WRITE ? 'w' : '-';
    buf[2] = prot & PROT_EXEC ? 'x' : '-';
    buf[3] = '\0';
    return buf;
}

static void link_sorted(struct proc *p, struct vma *v)
{
    struct vma **vp = &p->vmas;
    while (*vp && (*vp)->start < v->start)
        vp = &(*vp)->next;
    v->next = *vp;
    *vp = v;
    p->nvmas++;
}

struct vma *vma_create(struct machine *m, struct proc *p, vaddr_t start,
                       vaddr_t end, int prot, int flags, int file,
                       uint64_t offset)
{
    if (p->nvmas >= VMA_MAX)
        return NULL;
    struct vma *v = malloc(sizeof *v);
    if (!v)
        return NULL;
    *v = (struct vma){ .start = start, .end = end, .prot = prot, .flags = flags,
                       .file = file, .offset = offset };
    if (file >= 0)
        disk_file_ref(m, file);
    link_sorted(p, v);
    return v;
}

struct vma *vma_split(struct machine *m, struct proc *p, struct vma *v,
                      vaddr_t at)
{
    struct vma *hi = malloc(sizeof *hi);
    if (!hi)
        return NULL;
    *hi = *v;
    hi->start = at;
    if (v->file >= 0) {
        hi->offset = v->offset + (at - v->start);
        disk_file_ref(m, v->file);
    }
    v->end = at;
    hi->next = v->next;
    v->next = hi;
    p->nvmas++;
    return hi;
}

void vma_destroy(struct machine *m, struct proc *p, struct vma *v)
{
    struct vma **vp = &p->vmas;
    while (*vp && *vp != v)
        vp = &(*vp)->next;
    if (*vp)
        *vp = v->next;
    p->nvmas--;
    if (v->file >= 0)
        disk_file_unref(m, v->file);
    free(v);
}

bool vma_range_free(const struct proc *p, vaddr_t start, vaddr_t end)
{
    for (struct vma *v = p->vmas; v && v->start < end; v = v->next)
        if (v->end > start)
            return false;
    return true;
}

bool vma_range_covered(const struct proc *p, vaddr_t start, vaddr_t end)
{
    vaddr_t at = start;
    for (struct vma *v = p->vmas; v && at < end; v = v->next) {
        if (v->end <= at)
            continue;
        if (v->start > at)
            return false;
        at = v->end;
    }
    return at >= end;
}

vaddr_t vma_gap(const struct proc *p, uint64_t len, vaddr_t hint)
{
    hint = page_round_down(hint);
    if (hint >= USER_MIN && hint < USER_TOP && len <= USER_TOP - hint &&
        vma_range_free(p, hint, hint + len))
        return hint;
    vaddr_t at = MMAP_BASE;
    for (struct vma *v = p->vmas; v; v = v->next) {
        if (v->end <= at)
            continue;
        if (v->start >= at && v->start - at >= len)
            break;
        at = v->end;
    }
    if (at >= USER_TOP || len > USER_TOP - at)
        return 0;
    return at;
}
