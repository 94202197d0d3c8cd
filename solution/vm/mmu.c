/*
 * mmu.c - the MMU (reference): canonical check, TLB, then the 4-level walk
 * (or IA-32's 2-level walk) with the checks of every level, A and D, and
 * the x86 error code.
 */
#include "machine.h"
#include "mmu.h"

static struct translation page_fault(struct machine *m, vaddr_t va,
                                     uint32_t error, struct walk *w,
                                     enum walk_stop why, int level)
{
    if (w) {
        w->stop = why;
        w->stop_level = level;
    }
    tlb_invalidate(&m->tlb, va);
    return (struct translation){ .fault = FAULT_PAGE, .error = error };
}

/* Why an entry (or a TLB entry's rights) refuses the access, if it does. */
static enum walk_stop refuse(bool user_ok, bool write_ok, bool nx,
                             enum access acc, enum mode mode)
{
    if (mode == MODE_USER && !user_ok)
        return WALK_USER;
    if (acc == ACC_WRITE && !write_ok)
        return WALK_WRITE;
    if (acc == ACC_EXEC && nx)
        return WALK_NX;
    return WALK_OK;
}

/* The walk of either machine: 4 levels of 64-bit entries with NX and a
 * reserved PS at the top (x86-64), or 2 levels of 32-bit entries (IA-32). */
static struct translation walk(struct machine *m, vaddr_t va, enum access acc,
                               enum mode mode, uint32_t error, struct walk *w)
{
    int arch = m->cfg.arch;
    bool ia32 = arch == ARCH_IA32;
    paddr_t table = m->cr3;
    bool writable = true, user = true, nx = false;
    for (int level = arch_levels(arch) - 1;; level--) { /* level 0 is always a leaf */
        unsigned index = arch_index(arch, va, level);
        pte_t e = pt_read(m, table, index);
        m->stats.walk_reads++;
        struct walk_step *step = NULL;
        if (w) {
            step = &w->step[w->nsteps++];
            *step = (struct walk_step){
                .level = level, .index = index, .entry = e,
                .entry_pa = table + arch_entry_size(arch) * (paddr_t)index };
        }
        if (!pte_present(e))
            return page_fault(m, va, error, w, WALK_NOT_PRESENT, level);
        if (!ia32 && level == PT_LEVELS - 1 && (e & PTE_PS))
            return page_fault(m, va, error | PF_P | PF_RSVD, w, WALK_RESERVED, level);
        bool e_nx = !ia32 && (e & PTE_NX);
        enum walk_stop why = refuse(e & PTE_U, e & PTE_W, e_nx, acc, mode);
        if (why != WALK_OK)
            return page_fault(m, va, error | PF_P, w, why, level);
        bool leaf = ia32 ? pte32_is_leaf(e, level) : pte_is_leaf(e, level);
        e |= PTE_A;
        if (leaf && acc == ACC_WRITE)
            e |= PTE_D;
        pt_write(m, table, index, e);
        if (step)
            step->entry = e;
        writable = writable && (e & PTE_W);
        user = user && (e & PTE_U);
        nx = nx || e_nx;
        if (leaf) {
            uint64_t mask = arch_size(arch, level) - 1;
            struct tlb_entry t = {
                .valid = true, .global = e & PTE_G, .writable = writable,
                .user = user, .nx = nx, .dirty = e & PTE_D, .level = (uint8_t)level,
                .vpn = va >> arch_shift(arch, level), .base = pte_addr(e) & ~mask,
            };
            tlb_insert(&m->tlb, &t);
            return (struct translation){ .pa = t.base | (va & mask) };
        }
        table = pte_addr(e);
    }
}

struct translation mmu_walk_ia32(struct machine *m, vaddr_t va,
                                 enum access acc, enum mode mode,
                                 uint32_t error, struct walk *w)
{
    return walk(m, va, acc, mode, error, w);
}

struct translation mmu_translate(struct machine *m, vaddr_t va,
                                 enum access acc, enum mode mode,
                                 struct walk *w)
{
    if (w) {
        w->tlb_hit = false;
        w->nsteps = 0;
        w->stop = WALK_OK;
        w->stop_level = -1;
    }
    bool ia32 = m->cfg.arch == ARCH_IA32;
    if (ia32 ? va > VA32_MAX : !va_canonical(va)) {
        if (w)
            w->stop = WALK_NONCANONICAL;
        return (struct translation){ .fault = FAULT_GP };
    }
    uint32_t error = (acc == ACC_WRITE ? PF_W : 0) | (mode == MODE_USER ? PF_U : 0) |
                     (acc == ACC_EXEC && !ia32 ? PF_I : 0);
    struct tlb_entry *e = tlb_lookup(&m->tlb, va);
    if (e) {
        enum walk_stop why = refuse(e->user, e->writable, e->nx, acc, mode);
        if (why != WALK_OK || acc != ACC_WRITE || e->dirty) {
            m->stats.tlb_hits++;
            if (w)
                w->tlb_hit = true;
            if (why != WALK_OK)
                return page_fault(m, va, error | PF_P, w, why, -1);
            return (struct translation){
                .pa = e->base | (va & ((1ull << tlb_shift(&m->tlb, e->level)) - 1)) };
        }
        /* A write through a clean entry: walk again to set D. */
    }
    m->stats.tlb_misses++;
    if (ia32)
        return mmu_walk_ia32(m, va, acc, mode, error, w);
    return walk(m, va, acc, mode, error, w);
}
