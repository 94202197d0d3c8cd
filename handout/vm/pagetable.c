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
static pte_t table_flags(vaddr_t va)
{
    return va >= KERNEL_BASE ? PTE_P | PTE_W : PTE_P | PTE_W | PTE_U;
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
        *e = pte_make((paddr_t)f << PAGE_SHIFT, table_flags(va));
    } else if (pte_is_leaf(*e, level)) {
        return 0;
    }
    return pte_addr(*e);
}

pte_t *pt_entry(struct machine *m, struct proc *p, vaddr_t va, int level)
{
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
    if (level < 0 || level > 2 || !va_canonical(va) ||
        (va & (level_size(level) - 1)) || (pa & (level_size(level) - 1)))
        return -EINVAL;
    paddr_t table = root_of(m, p);
    for (int l = PT_LEVELS - 1; l > level; l--) {
        pte_t *e = &phys_table(m, table)[va_index(va, l)];
        if (pte_present(*e) && pte_is_leaf(*e, l))
            return -EEXIST;
        table = descend(m, p, e, l, va, true);
        if (!table)
            return -ENOMEM;
    }
    pte_t *leaf = &phys_table(m, table)[va_index(va, level)];
    if (*leaf)
        return -EEXIST;
    *leaf = pte_make(pa, flags | PTE_P | (level > 0 ? PTE_PS : 0));
    return 0;
}

static void visit(struct machine *m, paddr_t table, int level, vaddr_t base,
                  unsigned from, unsigned to, pt_visit_fn *fn, void *ctx)
{
    for (unsigned i = from; i < to; i++) {
        pte_t e = phys_table(m, table)[i];
        if (e == 0)
            continue;
        vaddr_t va = va_sign_extend(base + ((vaddr_t)i << level_shift(level)));
        fn(ctx, level, va, table + 8 * (paddr_t)i, e);
        if (pte_present(e) && !pte_is_leaf(e, level))
            visit(m, pte_addr(e), level - 1, va, 0, PT_ENTRIES, fn, ctx);
    }
}

void pt_visit(struct machine *m, paddr_t root, bool user_only,
              pt_visit_fn *fn, void *ctx)
{
    visit(m, root, PT_LEVELS - 1, 0, 0,
          user_only ? KERNEL_PML4_INDEX : PT_ENTRIES, fn, ctx);
}

static void free_tables(struct machine *m, struct proc *p, paddr_t table,
                        int level, vaddr_t base)
{
    pte_t *t = phys_table(m, table);
    for (unsigned i = 0; i < PT_ENTRIES; i++) {
        vaddr_t va = base + ((vaddr_t)i << level_shift(level));
        if (t[i] == 0)
            continue;
        if (level == 0 || !pte_present(t[i]) || pte_is_leaf(t[i], level))
            vm_panic("pt_free_user: pid %d still maps %#" PRIx64 " (entry %#" PRIx64 ")",
                     p->pid, va, t[i]);
        frame_t child = pte_frame(t[i]);
        free_tables(m, p, pte_addr(t[i]), level - 1, va);
        t[i] = 0;
        frame_free(m, child);
    }
}

void pt_free_user(struct machine *m, struct proc *p)
{
    pte_t *pml4 = phys_table(m, p->cr3);
    for (unsigned i = 0; i < KERNEL_PML4_INDEX; i++) {
        if (pml4[i] == 0)
            continue;
        if (!pte_present(pml4[i]))
            vm_panic("pt_free_user: pid %d has a bad PML4 entry %u", p->pid, i);
        frame_t child = pte_frame(pml4[i]);
        free_tables(m, p, pte_addr(pml4[i]), PT_LEVELS - 2,
                    (vaddr_t)i << level_shift(PT_LEVELS - 1));
        pml4[i] = 0;
        frame_free(m, child);
    }
    frame_t root = (frame_t)(p->cr3 >> PAGE_SHIFT);
    p->cr3 = 0;
    frame_free(m, root);
}
