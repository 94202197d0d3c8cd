/*
 * mmu.h - the memory-management unit: one virtual address to a physical
 * address, or a fault (part A; mmu_translate is yours, in mmu.c).
 *
 * The MMU is hardware: it reads the page tables through CR3 (m->cr3), sets
 * the accessed and dirty bits, fills the TLB, and reports a fault; it never
 * allocates anything and never calls the kernel. The CPU (vm_access in
 * machine.h) calls the kernel's fault handler when it reports a page fault,
 * then retries.
 *
 * A walk can be recorded for explanation: when mmu_translate is given a
 * struct walk, it writes there every entry it read, whether the TLB hit,
 * and why it stopped. vmsh's translate command prints that record.
 */
#ifndef VM_MMU_H
#define VM_MMU_H

#include <stdbool.h>
#include <stdint.h>

#include "pte.h"

struct machine;

enum access { ACC_READ, ACC_WRITE, ACC_EXEC };  /* load, store, instruction fetch */
enum mode { MODE_USER, MODE_KERNEL };           /* CPL 3, CPL 0 */

enum fault {
    FAULT_NONE,     /* translated */
    FAULT_PAGE,     /* page fault (#PF), with an error code */
    FAULT_GP,       /* general-protection fault (#GP): non-canonical address */
};

/* Why a walk (or a TLB hit) stopped. */
enum walk_stop {
    WALK_OK,            /* translated */
    WALK_NONCANONICAL,  /* bits 63..47 differ: #GP, nothing was looked up */
    WALK_NOT_PRESENT,   /* an entry had P clear */
    WALK_RESERVED,      /* PS set in a PML4 entry */
    WALK_USER,          /* user access, U/S clear */
    WALK_WRITE,         /* write, R/W clear */
    WALK_NX,            /* instruction fetch, NX set */
};

struct walk_step {
    int level;          /* 3 = PML4 .. 0 = PT (IA-32: 1 = PD, 0 = PT) */
    unsigned index;     /* va_index(va, level); IA-32: arch_index(ARCH_IA32, va, level) */
    paddr_t entry_pa;   /* where the entry lives: table + 8 * index
                           (IA-32: table + 4 * index) */
    pte_t entry;        /* its value after the walk (A and D as set) */
};

struct walk {
    bool tlb_hit;       /* the translation (or the fault) came from the TLB */
    int nsteps;         /* entries read: 0 on a TLB hit or a #GP */
    struct walk_step step[PT_LEVELS];
    enum walk_stop stop;
    int stop_level;     /* level of the entry that stopped it; -1 when the
                           walk did not stop at an entry (OK, #GP, TLB) */
};

struct translation {
    enum fault fault;
    uint32_t error;     /* FAULT_PAGE: the error code, PF_* bits */
    paddr_t pa;         /* FAULT_NONE: the physical address */
};

/* --- Part A: yours, in mmu.c --------------------------------------------- */

/*
 * mmu_translate - translate va for an access of kind acc made in mode, as
 * an x86-64 MMU with CR0.WP = 1 and EFER.NXE = 1 (no SMEP, no SMAP) does:
 *
 *  1. A non-canonical va is FAULT_GP; nothing else happens (no TLB lookup,
 *     nothing counted).
 *  2. TLB lookup. A hit counts in m->stats.tlb_hits. Check the entry's
 *     rights (user, then write, then execute, as in 3): a violation is a
 *     page fault with PF_P. A write through an entry whose dirty flag is
 *     clear (and which allows it) is not a hit but a miss: the walk sets D
 *     and tlb_insert overwrites the entry. Otherwise return base + offset.
 *  3. Miss: count it (m->stats.tlb_misses) and walk from m->cr3, level 3 to
 *     level 0. At each level read the entry (m->stats.walk_reads++), then
 *     check in this order: P (else fault, PF_P clear); at level 3, PS clear
 *     (else fault with PF_P | PF_RSVD); in user mode U/S (else fault, PF_P);
 *     for a write R/W (else fault, PF_P), in either mode; for a fetch NX
 *     clear (else fault, PF_P). An entry that passes gets A set. A leaf is a
 *     level-0 entry or a PS entry at level 1 or 2; on a write the leaf also
 *     gets D. Then insert the translation in the TLB (global from the
 *     leaf's G; writable, user, nx combined over the levels; dirty from the
 *     leaf's D) and return its physical address.
 *
 * Every page fault's error code has PF_W for a write, PF_U in user mode and
 * PF_I for a fetch, besides PF_P / PF_RSVD as above; before returning a page
 * fault, call tlb_invalidate(&m->tlb, va), as x86 does. When w is not NULL,
 * fill it (struct walk above) for every outcome.
 */
struct translation mmu_translate(struct machine *m, vaddr_t va,
                                 enum access acc, enum mode mode,
                                 struct walk *w);

/*
 * On an IA-32 machine (m->cfg.arch == ARCH_IA32) mmu_translate differs in
 * three places: a va above 0xffffffff is FAULT_GP (there is no canonical
 * check), a fetch never sets PF_I, and a miss is walked by mmu_walk_ia32.
 * mmu_translate does steps 1 and 2, fills w's tlb_hit and nsteps first as
 * always, counts the miss, then returns what mmu_walk_ia32 returns; the
 * walk does the rest of step 3 (reads, checks, A and D, the TLB insert,
 * the walk record's steps and stop) and, on a page fault, the
 * tlb_invalidate of step 4.
 *
 * mmu_walk_ia32 - step 3 for IA-32 (pte.h): read the page directory entry
 * at m->cr3 (level 1, index bits 31..22), then, unless it has PS (a 4 MiB
 * page), the page table entry (level 0, bits 21..12). Entries are 32 bits:
 * read them with phys_table32(m, table)[index]. The checks are those of the
 * 4-level walk without NX and without the reserved PS (there is none at
 * level 1), the error code the one mmu_translate computed (error), and
 * the TLB entry's level is 1 for a 4 MiB page, its vpn va >> 22.
 */
struct translation mmu_walk_ia32(struct machine *m, vaddr_t va,
                                 enum access acc, enum mode mode,
                                 uint32_t error, struct walk *w);

#endif
