/*
 * pte.h - the hardware format of the simulated x86-64 machine: addresses,
 * page-table entries, page sizes and page-fault error codes.
 *
 * This is the one header that knows bit positions; everything else asks
 * these inline accessors. The format is the real one (Intel SDM vol. 3A,
 * chapter 4, 4-level paging):
 *
 *   63   62..52  51..12           11..9   8  7  6  5  4   3   2   1   0
 *   NX   (zero)  frame number     soft    G  PS D  A  PCD PWT U/S R/W P
 *
 * A virtual address has 48 significant bits; bits 63..48 must all equal bit
 * 47 (a canonical address), or the access is a general-protection fault, not
 * a page fault. The walk uses bits 47..39 (PML4 index, level 3), 38..30
 * (PDPT, level 2), 29..21 (PD, level 1), 20..12 (PT, level 0), and the low 12
 * bits are the offset in a 4 KiB page. PS in a PDPT entry makes it a 1 GiB
 * page, in a PD entry a 2 MiB page; PS in a PML4 entry is reserved.
 *
 * When P is clear the hardware ignores every other bit, so the kernel keeps
 * its own information there: an entry with PTE_SWAP set is a swap entry,
 * whose frame-number field holds a swap slot instead.
 */
#ifndef VM_PTE_H
#define VM_PTE_H

#include <stdbool.h>
#include <stdint.h>

typedef uint64_t vaddr_t;   /* a virtual address */
typedef uint64_t paddr_t;   /* a physical address */
typedef uint64_t pte_t;     /* a page-table entry, at any level */
typedef uint32_t frame_t;   /* a physical frame number (paddr >> PAGE_SHIFT) */

#define NO_FRAME ((frame_t)UINT32_MAX)

/* Pages and tables. */
#define PAGE_SHIFT 12
#define PAGE_SIZE ((uint64_t)1 << PAGE_SHIFT)
#define PAGE_MASK (PAGE_SIZE - 1)
#define PT_ENTRIES 512          /* entries in one table: 4 KiB / 8 bytes */
#define PT_LEVELS 4             /* level 3 = PML4, 2 = PDPT, 1 = PD, 0 = PT */
#define VA_BITS 48

/* Page-table entry bits. */
#define PTE_P   ((pte_t)1 << 0)   /* present */
#define PTE_W   ((pte_t)1 << 1)   /* R/W: writable */
#define PTE_U   ((pte_t)1 << 2)   /* U/S: user-accessible */
#define PTE_PWT ((pte_t)1 << 3)   /* write-through (recorded, no effect here) */
#define PTE_PCD ((pte_t)1 << 4)   /* cache disable (recorded, no effect here) */
#define PTE_A   ((pte_t)1 << 5)   /* accessed: set by the MMU */
#define PTE_D   ((pte_t)1 << 6)   /* dirty: set by the MMU on a write (leaf only) */
#define PTE_PS  ((pte_t)1 << 7)   /* page size: a 2 MiB (PD) or 1 GiB (PDPT) leaf */
#define PTE_G   ((pte_t)1 << 8)   /* global: kept in the TLB across CR3 loads */
#define PTE_COW ((pte_t)1 << 9)   /* software: copy this page at its first write */
#define PTE_SWAP ((pte_t)1 << 10) /* software, P clear: a swap entry */
#define PTE_SOFT ((pte_t)1 << 11) /* software: unused by the kit */
#define PTE_NX  ((pte_t)1 << 63)  /* no execute */
#define PTE_ADDR ((pte_t)0x000ffffffffff000ULL) /* frame address, bits 51..12 */

/* Page-fault error code, pushed by the hardware with the fault. */
#define PF_P    (1u << 0)   /* 0: the entry was not present; 1: protection */
#define PF_W    (1u << 1)   /* the access was a write */
#define PF_U    (1u << 2)   /* the access came from user mode */
#define PF_RSVD (1u << 3)   /* a reserved bit was set in an entry */
#define PF_I    (1u << 4)   /* the access was an instruction fetch */

/*
 * The IA-32 machine (config arch=ia32; Intel SDM vol. 3A, 4.3, 32-bit
 * paging) has 32-bit virtual addresses and 32-bit entries, 1024 to a 4 KiB
 * table, in two levels: bits 31..22 index the page directory (level 1, whose
 * address is CR3), bits 21..12 the page table (level 0), and the low 12 bits
 * are the offset. An entry has the same flag bits 0..8 as above and the
 * frame address in bits 31..12; there is no NX. PS in a directory entry
 * makes it a 4 MiB page (CR4.PSE = 1), whose base is bits 31..22. A
 * one-level table for 4 GiB of 4 KiB pages would take 2^20 entries of 4
 * bytes, 4 MiB for every process; x86-64's 2^36 pages of 8 bytes would take
 * 512 GiB (the lecture's 32 PB is 2^52 pages, for all 64 bits).
 */
enum arch { ARCH_X86_64, ARCH_IA32 };

typedef uint32_t pte32_t;   /* an IA-32 entry as it lies in memory */

#define PT32_ENTRIES 1024       /* entries in one IA-32 table: 4 KiB / 4 bytes */
#define PT32_LEVELS 2           /* level 1 = page directory, 0 = page table */
#define PTE32_ADDR ((pte_t)0xfffff000u)   /* frame address, bits 31..12 */
#define VA32_MAX ((vaddr_t)0xffffffffu)

/* arch_levels - levels of the walk: 4 (x86-64) or 2 (IA-32). */
static inline int arch_levels(int arch)
{
    return arch == ARCH_IA32 ? PT32_LEVELS : PT_LEVELS;
}

/* arch_entries - entries in one table: 512 or 1024. */
static inline unsigned arch_entries(int arch)
{
    return arch == ARCH_IA32 ? PT32_ENTRIES : PT_ENTRIES;
}

/* arch_entry_size - bytes of one entry: 8 or 4. */
static inline unsigned arch_entry_size(int arch)
{
    return arch == ARCH_IA32 ? 4 : 8;
}

/* arch_shift - log2 of the size one entry at level maps: 12, 21, 30, 39 on
 * x86-64; 12, 22 on IA-32. */
static inline unsigned arch_shift(int arch, int level)
{
    return PAGE_SHIFT + (arch == ARCH_IA32 ? 10u : 9u) * (unsigned)level;
}

/* arch_index - the index of va in the table at level. */
static inline unsigned arch_index(int arch, vaddr_t va, int level)
{
    return (unsigned)(va >> arch_shift(arch, level)) & (arch_entries(arch) - 1);
}

/* arch_size - bytes one entry at level maps (4 KiB, 2 MiB or 4 MiB, ...). */
static inline uint64_t arch_size(int arch, int level)
{
    return (uint64_t)1 << arch_shift(arch, level);
}

/* pte32_is_leaf - e, found at level of an IA-32 walk, maps a page. */
static inline bool pte32_is_leaf(pte_t e, int level)
{
    return level == 0 || (level == 1 && (e & PTE_PS));
}

/* va_index - the 9-bit index of va in the table at level (3 = PML4). */
static inline unsigned va_index(vaddr_t va, int level)
{
    return (unsigned)(va >> (PAGE_SHIFT + 9 * level)) & (PT_ENTRIES - 1);
}

/* level_shift - log2 of the size mapped by one entry at level (12, 21, 30, 39). */
static inline unsigned level_shift(int level)
{
    return PAGE_SHIFT + 9 * (unsigned)level;
}

/* level_size - bytes mapped by one entry at level: 4 KiB, 2 MiB, 1 GiB, 512 GiB. */
static inline uint64_t level_size(int level)
{
    return (uint64_t)1 << level_shift(level);
}

/* va_canonical - bits 63..47 of va are all equal. */
static inline bool va_canonical(vaddr_t va)
{
    return (vaddr_t)((int64_t)(va << (64 - VA_BITS)) >> (64 - VA_BITS)) == va;
}

/* page_round_down, page_round_up - va to a 4 KiB boundary. */
static inline vaddr_t page_round_down(vaddr_t va)
{
    return va & ~PAGE_MASK;
}

static inline vaddr_t page_round_up(vaddr_t va)
{
    return (va + PAGE_MASK) & ~PAGE_MASK;
}

static inline bool pte_present(pte_t e)
{
    return e & PTE_P;
}

/* pte_addr - the physical address in an entry (a table, or a page's base). */
static inline paddr_t pte_addr(pte_t e)
{
    return e & PTE_ADDR;
}

/* pte_frame - the frame number in an entry. */
static inline frame_t pte_frame(pte_t e)
{
    return (frame_t)((e & PTE_ADDR) >> PAGE_SHIFT);
}

/* pte_make - an entry pointing at pa (a multiple of 4 KiB) with flags. */
static inline pte_t pte_make(paddr_t pa, pte_t flags)
{
    return (pa & PTE_ADDR) | flags;
}

/* pte_is_leaf - e, found at level, maps a page rather than a table. */
static inline bool pte_is_leaf(pte_t e, int level)
{
    return level == 0 || ((level == 1 || level == 2) && (e & PTE_PS));
}

/* pte_is_swap - e is a swap entry: not present, with PTE_SWAP. */
static inline bool pte_is_swap(pte_t e)
{
    return (e & (PTE_P | PTE_SWAP)) == PTE_SWAP;
}

/* pte_swap - a swap entry for slot, keeping the COW bit of cow. */
static inline pte_t pte_swap(uint32_t slot, pte_t cow)
{
    return ((pte_t)slot << PAGE_SHIFT) | PTE_SWAP | (cow & PTE_COW);
}

/* pte_swap_slot - the slot of swap entry e. */
static inline uint32_t pte_swap_slot(pte_t e)
{
    return (uint32_t)((e & PTE_ADDR) >> PAGE_SHIFT);
}

#endif
