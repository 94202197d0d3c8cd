/*
 * machine.h - the simulated x86-64 machine: its configuration, its state,
 * and the CPU's memory references.
 *
 * A machine is a value: everything it has (memory, frames, TLB, processes,
 * disk, statistics, log) hangs off struct machine, so a program may run
 * several side by side. (The only process-wide state is the two handlers
 * a front end may install: unimplemented.h's and panic.h's.) It is deterministic: the same calls
 * on the same configuration give the same state, the same statistics and
 * the same log, bit for bit.
 *
 * Physical memory is cfg.frames frames of 4 KiB holding real bytes; page
 * tables live in it as real 64-bit entries (pte.h). At boot the kernel takes
 * frames 0, 1, 2 for its own tables: a PML4 (CR3 when no process runs), a
 * PDPT and a PD. They map the kernel half, which every process's PML4
 * shares (entry 256, supervisor-only): all of physical memory at KMAP_BASE
 * in 2 MiB pages, and again at KMAP_1G_BASE through one 1 GiB page, both
 * global and not executable. Every other frame starts on the free list, in
 * increasing order.
 *
 * Student functions (mmu.h, tlb.h, paging.h, mmap.h) may not return: in a
 * skeleton they call UNIMPLEMENTED(), whose handler may longjmp out. The
 * machine is then in whatever state the interrupted call left it, possibly
 * inconsistent. The only safe things to do with it are vm_check (which
 * only reads, and says what is broken) and machine_free (which never calls
 * student code); then build a new one from the same configuration:
 *
 *     struct vm_config c = m->cfg;
 *     machine_free(m);
 *     m = machine_new(&c);
 *
 * The same holds after a vm_panic whose handler longjmps.
 */
#ifndef VM_MACHINE_H
#define VM_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "disk.h"
#include "frame.h"
#include "log.h"
#include "mmu.h"
#include "pte.h"
#include "stats.h"
#include "tlb.h"

struct proc;

/* The address-space layout. */
#define USER_MIN ((vaddr_t)0x10000)             /* lowest user page */
#define USER_TOP ((vaddr_t)0x00007ffffffff000)  /* user pages lie below */
#define MMAP_BASE ((vaddr_t)0x10000000)         /* where mmap looks first */
#define KERNEL_BASE ((vaddr_t)0xffff800000000000) /* PML4 entry 256 */
#define KMAP_BASE KERNEL_BASE                   /* physical memory, 2 MiB pages */
#define KMAP_1G_BASE ((vaddr_t)0xffff800040000000) /* the same, one 1 GiB page */
#define KERNEL_PML4_INDEX 256
#define KERNEL_FRAMES 3

/* The IA-32 layout: the kernel in the top quarter of every address space,
 * page-directory entries 768..1023, which map all of physical memory from
 * KERNEL32_BASE in 4 MiB pages (global, supervisor-only); users below. */
#define KERNEL32_BASE ((vaddr_t)0xc0000000)
#define KERNEL32_PDE_INDEX 768
#define USER32_TOP KERNEL32_BASE

enum vm_policy { POLICY_CLOCK1, POLICY_CLOCK2 };   /* one- or two-handed */

struct vm_config {
    unsigned frames;        /* physical frames, FRAMES_MIN .. FRAMES_MAX */
    unsigned tlb_sets;      /* a power of two, 1 .. TLB_MAX_SETS */
    unsigned tlb_ways;      /* 1 .. TLB_MAX_WAYS */
    int policy;             /* enum vm_policy */
    unsigned low_water;     /* the daemon runs when fewer frames are free */
    unsigned high_water;    /* ... and frees frames until this many are */
    unsigned swap_slots;    /* 0 .. SWAP_MAX */
    unsigned handspread;    /* two-handed clock: front - back, < frames */
    int log_level;          /* enum log_level */
    int arch;               /* enum arch (pte.h): x86-64, or IA-32 */
    unsigned readahead;     /* largest read-ahead window, pages; 0: none */
};

#define READAHEAD_MAX 256

#define FRAMES_MIN 16
#define FRAMES_MAX 65536
#define SWAP_MAX (1u << 20)
#define LOW_WATER_MIN 4     /* one fault needs at most 4 frames: 3 tables + 1 */

/* The clock's hands: frame numbers. hand is the one-handed clock's; front
 * and back the two-handed clock's, with front - back == handspread (mod
 * frames). */
struct clock_hands {
    frame_t hand;
    frame_t front;
    frame_t back;
};

struct freelist {
    frame_t head, tail;     /* NO_FRAME when empty */
    uint32_t count;
};

struct machine {
    struct vm_config cfg;
    uint8_t *mem;               /* cfg.frames * PAGE_SIZE bytes */
    uint64_t memsize;
    struct frame *frame;        /* the frame table, cfg.frames entries */
    struct freelist free;
    struct tlb tlb;
    struct clock_hands clock;
    paddr_t cr3;                /* the PML4 the MMU walks */
    paddr_t kernel_pml4;        /* CR3 when no process runs */
    struct proc *cur;           /* the running process, or NULL */
    struct proc **proc;         /* every process made, by pid - 1 */
    unsigned nproc, proc_cap;
    struct disk disk;
    struct stats stats;
    struct vmlog log;
};

/* vm_config_default - x86-64, 64 frames, TLB 8 x 2, one-handed clock,
 * watermarks 4 and 8, 256 swap slots, handspread 16, log level LOG_EVENTS,
 * no read-ahead. */
void vm_config_default(struct vm_config *c);

/* vm_config_check - 0 when c is usable; else -EINVAL, with a sentence
 * naming the bad field and its range written to why (size n). */
int vm_config_check(const struct vm_config *c, char *why, size_t n);

/* vm_policy_name, vm_policy_parse - "clock1", "clock2"; parse gives -1
 * for an unknown name. */
const char *vm_policy_name(int policy);
int vm_policy_parse(const char *name);

/* vm_arch_name, vm_arch_parse - "x86-64", "ia32"; parse gives -1 for an
 * unknown name. */
const char *vm_arch_name(int arch);
int vm_arch_parse(const char *name);

/* machine_new - boot a machine configured by c (see above). NULL when c is
 * bad (errno EINVAL) or the host is out of memory (ENOMEM). */
struct machine *machine_new(const struct vm_config *c);

/* machine_free - free everything the machine has; m may be NULL or in any
 * state. Never calls student code. */
void machine_free(struct machine *m);

/*
 * vm_access - one memory reference by the running process (or, in kernel
 * mode with no process, by the kernel): translate va, let the kernel handle
 * each page fault, retry, up to VM_FAULT_TRIES faults. Returns 0 with *pa
 * set, or:
 *   -EFAULT  the access is not allowed, or the handler could not resolve
 *            it, or va is not canonical (#GP), or pa is past the end of
 *            memory; in user mode the process is killed (SIGSEGV);
 *   -ENOMEM  no frame could be found; in user mode the process is killed;
 *   -ESRCH   user mode and no process is running.
 * Before each fault, the pageout daemon runs if fewer than low_water
 * frames are free.
 */
int vm_access(struct machine *m, vaddr_t va, enum access acc, enum mode mode,
              paddr_t *pa);

#define VM_FAULT_TRIES 3

/* vm_read, vm_write - copy n bytes between buf and the virtual memory at
 * va, one reference per page touched. 0, or the first error of vm_access
 * (bytes before the failing page have been transferred). */
int vm_read(struct machine *m, vaddr_t va, void *buf, size_t n,
            enum mode mode);
int vm_write(struct machine *m, vaddr_t va, const void *buf, size_t n,
             enum mode mode);

/* vm_pageout - run the pageout daemon once (pageout_step), counted and
 * logged; returns the frames it freed. */
unsigned vm_pageout(struct machine *m);

/* frame_data - the 4 KiB of frame f. */
static inline uint8_t *frame_data(struct machine *m, frame_t f)
{
    return m->mem + (uint64_t)f * PAGE_SIZE;
}

/* phys_table - the 512 entries of the table at physical address pa, which
 * must lie in memory (a walk through a corrupt entry is a machine check:
 * vm_panic). */
pte_t *phys_table(struct machine *m, paddr_t pa);

/* phys_table32 - the 1024 entries of the IA-32 table at pa (as phys_table). */
pte32_t *phys_table32(struct machine *m, paddr_t pa);

/* pt_read, pt_write - entry index of the table at pa, in the machine's own
 * format (64-bit on x86-64, 32-bit on IA-32), as a pte_t. */
static inline pte_t pt_read(struct machine *m, paddr_t pa, unsigned index)
{
    return m->cfg.arch == ARCH_IA32 ? (pte_t)phys_table32(m, pa)[index]
                                    : phys_table(m, pa)[index];
}

static inline void pt_write(struct machine *m, paddr_t pa, unsigned index,
                            pte_t e)
{
    if (m->cfg.arch == ARCH_IA32)
        phys_table32(m, pa)[index] = (pte32_t)e;
    else
        phys_table(m, pa)[index] = e;
}

/* vm_logging - whether events of level are being logged. */
static inline bool vm_logging(const struct machine *m, int level)
{
    return m->log.level >= level;
}

#endif
