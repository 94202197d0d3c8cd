/*
 * pagetable.c - software walks of the page tables: finding and making
 * entries, visiting them all, and freeing a process's tables.
 */
#include <errno.h>
#include <inttypes.h>

#include "machine.h"
#include "pagetable.h"
#include "panic.h"
#include "proc.h"

static paddr_t root_of(struct machine *m, struct proc *p)
{
    return p ? p->cr3 : m->kernel_pml4;
}

/* Flags of an entry pointing at a table: the leaf decides the rights. */
static pte_t table_flags(struct machine *m, vaddr_t va)
{
    vaddr_t kernel = m->cfg.arch == ARCH_IA32 ? KERNEL32_BASE : KERNEL_BASE;
    return va >= kernel ? PTE_P | PTE_W : PTE_P | PTE_W | PTE_U;
}

static bool is_leaf(struct machine *m, pte_t e, int level)
{
    return m->cfg.arch == ARCH_IA32 ? pte32_is_leaf(e, level) : pte_is_leaf(e, level);
}

/* The table below entry e (at level > 0) for va, made if missing and
 * create is set. 0 when missing, huge, or out of frames. */
static paddr_t descend(struct machine *m, struct proc *p, pte_t *e, int level,
                       vaddr_t va, bool create)
{
    if (!pte_present(*e)) {
        if (!create)
            return 0;
        frame_t f = frame_alloc(m, FRAME_TABLE);
        if (f == NO_FRAME)
            return 0;
        m->frame[f].owner = p ? p->pid : 0;
        *e = pte_make((paddr_t)f << PAGE_SHIFT, table_flags(m, va));
    } else if (is_leaf(m, *e, level)) {
        return 0;
    }
    return pte_addr(*e);
}

pte_t *pt_entry(struct machine *m, struct proc *p, vaddr_t va, int level)
{
    if (m->cfg.arch == ARCH_IA32)
        return NULL;
    paddr_t table = root_of(m, p);
    for (int l = PT_LEVELS - 1; l > level; l--) {
        table = descend(m, p, &phys_table(m, table)[va_index(va, l)], l, va, false);
        if (!table)
            return NULL;
    }
    return &phys_table(m, table)[va_index(va, level)];
}

pte_t *pt_walk(struct machine *m, struct proc *p, vaddr_t va, bool create)
{
    if (m->cfg.arch == ARCH_IA32)
        return NULL;
    paddr_t table = root_of(m, p);
    for (int level = PT_LEVELS - 1; level > 0; level--) {
        table = descend(m, p, &phys_table(m, table)[va_index(va, level)], level,
                        va, create);
        if (!table)
            return NULL;
    }
    return &phys_table(m, table)[va_index(va, 0)];
}

vaddr_t pt_next(struct machine *m, struct proc *p, vaddr_t va, vaddr_t end)
{
    paddr_t root = root_of(m, p);
    if (m->cfg.arch == ARCH_IA32)
        return end;
    while (va < end) {
        paddr_t table = root;
        int level = PT_LEVELS - 1;
        for (; level > 0; level--) {
            pte_t e = phys_table(m, table)[va_index(va, level)];
            if (!pte_present(e) || pte_is_leaf(e, level))
                break;
            table = pte_addr(e);
        }
        if (level > 0) {
            /* No table below: skip what this entry would cover. */
            vaddr_t next = (va & ~(level_size(level) - 1)) + level_size(level);
            if (next <= va)
                return end;
            va = next;
            continue;
        }
        const pte_t *t = phys_table(m, table);
        for (unsigned i = va_index(va, 0); i < PT_ENTRIES && va < end;
             i++, va += PAGE_SIZE)
            if (t[i])
                return va;
    }
    return end;
}

int pt_map(struct machine *m, struct proc *p, vaddr_t va, paddr_t pa,
           pte_t flags, int level)
{
    int r = pt_map_page(m, p, va, pa, flags, level);
    if (r == 0 && p)
        p->hand_made = true;
    return r;
}

int pt_map_page(struct machine *m, struct proc *p, vaddr_t va, paddr_t pa,
                pte_t flags, int level)
{
    int arch = m->cfg.arch, levels = arch_levels(arch);
    bool ia32 = arch == ARCH_IA32;
    int top_leaf = ia32 ? 1 : 2;    /* 4 MiB, or 1 GiB */
    uint64_t size = level < 0 || level > top_leaf ? 0 : arch_size(arch, level);
    if (!size || (ia32 ? va > VA32_MAX || pa > VA32_MAX || (flags & PTE_NX)
                       : !va_canonical(va)) ||
        (va & (size - 1)) || (pa & (size - 1)))
        return -EINVAL;
    paddr_t table = root_of(m, p);
    for (int l = levels - 1; l > level; l--) {
        unsigned i = arch_index(arch, va, l);
        pte_t e = pt_read(m, table, i);
        if (pte_present(e) && is_leaf(m, e, l))
            return -EEXIST;
        paddr_t below = descend(m, p, &e, l, va, true);
        if (!below)
            return -ENOMEM;
        pt_write(m, table, i, e);
        table = below;
    }
    unsigned i = arch_index(arch, va, level);
    if (pt_read(m, table, i))
        return -EEXIST;
    pt_write(m, table, i, pte_make(pa, flags | PTE_P | (level > 0 ? PTE_PS : 0)));
    return 0;
}

static void visit(struct machine *m, paddr_t table, int level, vaddr_t base,
                  unsigned from, unsigned to, pt_visit_fn *fn, void *ctx)
{
    int arch = m->cfg.arch;
    for (unsigned i = from; i < to; i++) {
        pte_t e = pt_read(m, table, i);
        if (e == 0)
            continue;
        vaddr_t va = base + ((vaddr_t)i << arch_shift(arch, level));
        if (arch != ARCH_IA32)
            va = va_sign_extend(va);
        fn(ctx, level, va, table + arch_entry_size(arch) * (paddr_t)i, e);
        if (pte_present(e) && !is_leaf(m, e, level))
            visit(m, pte_addr(e), level - 1, va, 0, arch_entries(arch), fn, ctx);
    }
}

void pt_visit(struct machine *m, paddr_t root, bool user_only,
              pt_visit_fn *fn, void *ctx)
{
    bool ia32 = m->cfg.arch == ARCH_IA32;
    visit(m, root, arch_levels(m->cfg.arch) - 1, 0, 0,
          !user_only ? arch_entries(m->cfg.arch)
          : ia32 ? KERNEL32_PDE_INDEX : KERNEL_PML4_INDEX, fn, ctx);
}

struct clearing {
    struct machine *m;
    struct proc *p;
    vaddr_t start, end;
};

static void clear_leaf(void *ctx, int level, vaddr_t va, paddr_t entry_pa, pte_t e)
{
    struct clearing *c = ctx;
    struct machine *m = c->m;
    if (!pte_present(e) || !is_leaf(m, e, level) ||
        va + arch_size(m->cfg.arch, level) <= c->start || va >= c->end)
        return;
    unsigned size = arch_entry_size(m->cfg.arch);
    pt_write(m, entry_pa & ~PAGE_MASK, (unsigned)((entry_pa & PAGE_MASK) / size), 0);
    if (m->cur == c->p)
        tlb_invalidate(&m->tlb, va);
}

void pt_clear_hand_made(struct machine *m, struct proc *p, vaddr_t start, vaddr_t end)
{
    struct clearing c = { m, p, start, end };
    if (p->hand_made)
        pt_visit(m, p->cr3, true, clear_leaf, &c);
}

static void free_tables(struct machine *m, struct proc *p, paddr_t table,
                        int level, vaddr_t base, unsigned to)
{
    int arch = m->cfg.arch;
    for (unsigned i = 0; i < to; i++) {
        vaddr_t va = base + ((vaddr_t)i << arch_shift(arch, level));
        pte_t e = pt_read(m, table, i);
        if (e == 0)
            continue;
        if (level == 0 || !pte_present(e) || is_leaf(m, e, level)) {
            if (!p->hand_made)
                vm_panic("pt_free_user: pid %d still maps %#" PRIx64 " (entry %#" PRIx64 ")",
                         p->pid, va, e);
            pt_write(m, table, i, 0);   /* a leaf made by hand: nobody else knows it */
            continue;
        }
        free_tables(m, p, pte_addr(e), level - 1, va, arch_entries(arch));
        pt_write(m, table, i, 0);
        frame_free(m, pte_frame(e));
    }
}

void pt_free_user(struct machine *m, struct proc *p)
{
    int arch = m->cfg.arch;
    free_tables(m, p, p->cr3, arch_levels(arch) - 1, 0,
                arch == ARCH_IA32 ? KERNEL32_PDE_INDEX : KERNEL_PML4_INDEX);
    frame_t root = (frame_t)(p->cr3 >> PAGE_SHIFT);
    p->cr3 = 0;
    frame_free(m, root);
}
