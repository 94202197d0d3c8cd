/*
 * tlb.h - the translation lookaside buffer: a set-associative cache of
 * recent translations, LRU within a set (part A; the functions at the end
 * are yours, in tlb.c).
 *
 * The TLB has sets x ways entries; sets is a power of two. An entry caches
 * one page of any size: a 4 KiB page (level 0), a 2 MiB page (level 1) or a
 * 1 GiB page (level 2); on an IA-32 machine a 4 KiB or a 4 MiB page (level
 * 1). Its tag is the virtual page number at that size, vpn = va >>
 * tlb_shift(t, level), and it lives in set vpn & (sets - 1). t->levels says
 * how many page sizes there are: 3 on x86-64, 2 on IA-32.
 * Entries of set s are entry[s * ways] .. entry[s * ways + ways - 1], way 0
 * first.
 *
 * An entry holds what the walk found: the page's physical base and the
 * permissions of the whole walk (writable and user only if every level
 * allowed them, nx if any level forbade execution), whether the leaf was
 * global, and whether it was dirty. The LRU clock: t->tick counts uses; an
 * entry's stamp is the tick of its last use (a hit, or its insertion).
 *
 * Invariants: no two valid entries of a set have the same level and vpn;
 * every valid entry agrees with the page tables of the current address
 * space (vm_check verifies it), because the kernel invalidates an entry
 * whenever it changes or removes the mapping behind it.
 */
#ifndef VM_TLB_H
#define VM_TLB_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "pte.h"

struct tlb_entry {
    bool valid;
    bool global;    /* the leaf had G: survives tlb_flush(t, true) */
    bool writable;  /* R/W set at every level of the walk */
    bool user;      /* U/S set at every level of the walk */
    bool nx;        /* NX set at some level of the walk */
    bool dirty;     /* the leaf had D when the entry was made */
    uint8_t level;  /* 0: 4 KiB page, 1: 2 MiB (IA-32: 4 MiB), 2: 1 GiB */
    vaddr_t vpn;    /* va >> tlb_shift(t, level) */
    paddr_t base;   /* physical address of the page */
    uint64_t stamp; /* value of tick at the entry's last use */
};

struct tlb {
    unsigned sets;  /* a power of two */
    unsigned ways;
    uint64_t tick;  /* uses so far: incremented before each stamp */
    int levels;     /* page sizes: 3 (x86-64) or 2 (IA-32) */
    uint8_t shift[3];   /* log2 of each page size, by level */
    struct tlb_entry *entry;    /* sets * ways entries, set by set */
};

#define TLB_MAX_SETS 4096
#define TLB_MAX_WAYS 64

/* tlb_set_arch - the page sizes of arch (enum arch, pte.h); tlb_init sets
 * x86-64's. */
static inline void tlb_set_arch(struct tlb *t, int arch)
{
    t->levels = arch == ARCH_IA32 ? 2 : 3;
    for (int level = 0; level < 3; level++)
        t->shift[level] = (uint8_t)arch_shift(arch, level);
}

/* tlb_init - an empty TLB of sets x ways, for x86-64's page sizes. -1 when
 * sets is not a power of two in [1, TLB_MAX_SETS], ways not in [1,
 * TLB_MAX_WAYS], or out of memory. */
static inline int tlb_init(struct tlb *t, unsigned sets, unsigned ways)
{
    if (sets == 0 || sets > TLB_MAX_SETS || (sets & (sets - 1)) ||
        ways == 0 || ways > TLB_MAX_WAYS)
        return -1;
    t->entry = calloc((size_t)sets * ways, sizeof *t->entry);
    if (!t->entry)
        return -1;
    t->sets = sets;
    t->ways = ways;
    t->tick = 0;
    tlb_set_arch(t, ARCH_X86_64);
    return 0;
}

static inline void tlb_destroy(struct tlb *t)
{
    free(t->entry);
    t->entry = NULL;
}

/* tlb_set - the first of the ways entries of the set that holds vpn. */
static inline struct tlb_entry *tlb_set(struct tlb *t, vaddr_t vpn)
{
    return &t->entry[(size_t)(vpn & (t->sets - 1)) * t->ways];
}

/* tlb_shift - log2 of the size of a page at level: 12, 21, 30 on x86-64;
 * 12, 22 on IA-32. */
static inline unsigned tlb_shift(const struct tlb *t, int level)
{
    return t->shift[level];
}

/* tlb_covers - e, an entry of t, is valid and translates va. */
static inline bool tlb_covers(const struct tlb *t, const struct tlb_entry *e,
                              vaddr_t va)
{
    return e->valid && e->vpn == va >> tlb_shift(t, e->level);
}

/* --- Part A: yours, in tlb.c --------------------------------------------- */

/*
 * tlb_lookup - the entry that translates va, or NULL. Probe the 4 KiB set
 * first, then the 2 MiB set, then the 1 GiB set (on IA-32: the 4 KiB set,
 * then the 4 MiB set; t->levels sizes in all); in a set, the ways in
 * order. A hit makes the entry the most recently used (stamp = ++tick); a
 * miss changes nothing.
 */
struct tlb_entry *tlb_lookup(struct tlb *t, vaddr_t va);

/*
 * tlb_insert - cache a copy of *e (level, vpn, base and flags set by
 * the caller; stamp is ignored) as the most recently used entry of its set,
 * valid whatever e->valid says.
 * If the set already holds an entry of the same level and vpn, that entry
 * is overwritten; otherwise the victim is the lowest-numbered invalid way,
 * or, when every way is valid, the least recently used one.
 */
void tlb_insert(struct tlb *t, const struct tlb_entry *e);

/* tlb_invalidate - drop every entry, of any size, global or not, that
 * translates va (x86's invlpg). Other entries and the tick are unchanged. */
void tlb_invalidate(struct tlb *t, vaddr_t va);

/* tlb_flush - drop every entry; keep the global ones when keep_global (a
 * CR3 load keeps them, so the kernel half survives a process switch). */
void tlb_flush(struct tlb *t, bool keep_global);

#endif
