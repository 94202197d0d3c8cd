/*
 * mmu.c - part A: the MMU's translation of one virtual address.
 *
 * mmu.h gives the contract step by step: the canonical check, the TLB, the
 * 4-level walk from m->cr3 with its checks at every level, the accessed and
 * dirty bits, the TLB fill, the page-fault error code, and the walk record.
 * Read entries with phys_table(m, table)[index]; count what mmu.h says to
 * count in m->stats.
 *
 * mmu_walk_ia32 is the same walk for the IA-32 machine: two levels of
 * 32-bit entries (read them with phys_table32(m, table)[index]), 4 MiB
 * pages, no NX. mmu_translate calls it for a TLB miss when m->cfg.arch is
 * ARCH_IA32 (mmu.h says which of the two does what).
 */
#include "machine.h"
#include "mmu.h"
#include "unimplemented.h"

struct translation mmu_translate(struct machine *m, vaddr_t va,
                                 enum access acc, enum mode mode,
                                 struct walk *w)
{
    (void)m;
    (void)va;
    (void)acc;
    (void)mode;
    (void)w;
    UNIMPLEMENTED();
}

struct translation mmu_walk_ia32(struct machine *m, vaddr_t va,
                                 enum access acc, enum mode mode,
                                 uint32_t error, struct walk *w)
{
    (void)m;
    (void)va;
    (void)acc;
    (void)mode;
    (void)error;
    (void)w;
    UNIMPLEMENTED();
}
