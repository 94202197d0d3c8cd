/*
 * machine.c - configuration, boot, and the CPU's memory references: the
 * loop that translates, lets the kernel handle page faults, and retries.
 *
 * The fast path of vm_access is one call of mmu_translate and a few
 * comparisons; everything else (faults, kills, logging) is out of line, so
 * a replay of a long trace costs little more than the TLB itself.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "huge.h"
#include "machine.h"
#include "pagetable.h"
#include "paging.h"
#include "panic.h"
#include "proc.h"
#include "swap.h"
#include "vma.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

void vm_config_default(struct vm_config *c)
{
    *c = (struct vm_config){
        .frames = 64,
        .tlb_sets = 8,
        .tlb_ways = 2,
        .policy = POLICY_CLOCK1,
        .low_water = 4,
        .high_water = 8,
        .swap_slots = 256,
        .handspread = 16,
        .log_level = LOG_EVENTS,
        .arch = ARCH_X86_64,
    };
}

int vm_config_check(const struct vm_config *c, char *why, size_t n)
{
    const char *bad = NULL;
    char buf[160];
    if (c->frames < FRAMES_MIN || c->frames > FRAMES_MAX) {
        snprintf(buf, sizeof buf, "frames is %u, expected %u..%u", c->frames,
                 FRAMES_MIN, FRAMES_MAX);
        bad = buf;
    } else if (c->tlb_sets == 0 || c->tlb_sets > TLB_MAX_SETS ||
               (c->tlb_sets & (c->tlb_sets - 1))) {
        snprintf(buf, sizeof buf, "tlb sets is %u, expected a power of two in 1..%u",
                 c->tlb_sets, TLB_MAX_SETS);
        bad = buf;
    } else if (c->tlb_ways == 0 || c->tlb_ways > TLB_MAX_WAYS) {
        snprintf(buf, sizeof buf, "tlb ways is %u, expected 1..%u", c->tlb_ways,
                 TLB_MAX_WAYS);
        bad = buf;
    } else if (c->policy != POLICY_CLOCK1 && c->policy != POLICY_CLOCK2) {
        snprintf(buf, sizeof buf, "policy is %d, expected clock1 or clock2",
                 c->policy);
        bad = buf;
    } else if (c->low_water < LOW_WATER_MIN || c->low_water > c->high_water ||
               c->high_water > c->frames - KERNEL_FRAMES - 1) {
        snprintf(buf, sizeof buf,
                 "watermarks are %u and %u, expected %u <= low <= high <= %u",
                 c->low_water, c->high_water, LOW_WATER_MIN,
                 c->frames - KERNEL_FRAMES - 1);
        bad = buf;
    } else if (c->swap_slots > SWAP_MAX) {
        snprintf(buf, sizeof buf, "swap is %u slots, expected 0..%u",
                 c->swap_slots, SWAP_MAX);
        bad = buf;
    } else if (c->handspread >= c->frames) {
        snprintf(buf, sizeof buf, "handspread is %u, expected 0..%u",
                 c->handspread, c->frames - 1);
        bad = buf;
    } else if (c->readahead > READAHEAD_MAX) {
        snprintf(buf, sizeof buf, "readahead is %u pages, expected 0..%u",
                 c->readahead, READAHEAD_MAX);
        bad = buf;
    } else if (c->arch != ARCH_X86_64 && c->arch != ARCH_IA32) {
        snprintf(buf, sizeof buf, "arch is %d, expected x86-64 or ia32", c->arch);
        bad = buf;
    } else if (c->log_level < LOG_OFF || c->log_level > LOG_REFS) {
        snprintf(buf, sizeof buf, "log level is %d, expected 0..%d",
                 c->log_level, LOG_REFS);
        bad = buf;
    }
    if (!bad)
        return 0;
    if (why && n)
        snprintf(why, n, "%s", bad);
    return -EINVAL;
}

const char *vm_policy_name(int policy)
{
    return policy == POLICY_CLOCK1 ? "clock1"
         : policy == POLICY_CLOCK2 ? "clock2" : "?";
}

int vm_policy_parse(const char *name)
{
    if (strcmp(name, "clock1") == 0)
        return POLICY_CLOCK1;
    if (strcmp(name, "clock2") == 0)
        return POLICY_CLOCK2;
    return -1;
}

const char *vm_arch_name(int arch)
{
    return arch == ARCH_X86_64 ? "x86-64" : arch == ARCH_IA32 ? "ia32" : "?";
}

int vm_arch_parse(const char *name)
{
    if (strcmp(name, "x86-64") == 0)
        return ARCH_X86_64;
    if (strcmp(name, "ia32") == 0)
        return ARCH_IA32;
    return -1;
}

/* The kernel half: all of memory in 2 MiB pages at KMAP_BASE, and once
 * more through a single 1 GiB page at KMAP_1G_BASE. On IA-32, the top
 * quarter: all of memory in 4 MiB pages at KERNEL32_BASE. */
static int boot_kernel(struct machine *m)
{
    frame_t pml4 = frame_alloc(m, FRAME_TABLE);
    if (pml4 == NO_FRAME)
        return -ENOMEM;
    m->frame[pml4].owner = 0;
    m->kernel_pml4 = m->cr3 = (paddr_t)pml4 << PAGE_SHIFT;
    if (m->cfg.arch == ARCH_IA32) {
        uint64_t big = arch_size(ARCH_IA32, 1);
        for (uint64_t pa = 0; pa < m->memsize; pa += big)
            if (pt_map(m, NULL, KERNEL32_BASE + pa, pa, PTE_W | PTE_G, 1))
                return -ENOMEM;
        return 0;
    }
    const pte_t kflags = PTE_W | PTE_G | PTE_NX;
    uint64_t huge = level_size(1);
    for (uint64_t pa = 0; pa < m->memsize; pa += huge)
        if (pt_map(m, NULL, KMAP_BASE + pa, pa, kflags, 1))
            return -ENOMEM;
    if (pt_map(m, NULL, KMAP_1G_BASE, 0, kflags, 2))
        return -ENOMEM;
    return 0;
}

static int disk_init(struct disk *d, uint32_t nslots)
{
    d->nslots = nslots;
    if (nslots == 0)
        return 0;
    d->swap = calloc(nslots, PAGE_SIZE);
    d->swap_count = calloc(nslots, sizeof *d->swap_count);
    d->swap_cache = malloc(nslots * sizeof *d->swap_cache);
    if (!d->swap || !d->swap_count || !d->swap_cache)
        return -ENOMEM;
    for (uint32_t s = 0; s < nslots; s++)
        d->swap_cache[s] = NO_FRAME;
    return 0;
}

struct machine *machine_new(const struct vm_config *c)
{
    if (vm_config_check(c, NULL, 0)) {
        errno = EINVAL;
        return NULL;
    }
    struct machine *m = calloc(1, sizeof *m);
    if (!m) {
        errno = ENOMEM;
        return NULL;
    }
    m->cfg = *c;
    m->memsize = (uint64_t)c->frames * PAGE_SIZE;
    m->mem = calloc(c->frames, PAGE_SIZE);
    m->frame = calloc(c->frames, sizeof *m->frame);
    if (!m->mem || !m->frame || tlb_init(&m->tlb, c->tlb_sets, c->tlb_ways) ||
        disk_init(&m->disk, c->swap_slots))
        goto fail;
    tlb_set_arch(&m->tlb, c->arch);

    for (frame_t f = 0; f < c->frames; f++) {
        struct frame *fr = &m->frame[f];
        fr->use = FRAME_FREE;
        fr->free = true;
        fr->prev = f == 0 ? NO_FRAME : f - 1;
        fr->next = f + 1 == c->frames ? NO_FRAME : f + 1;
        fr->slot = NO_SLOT;
        fr->file = -1;
    }
    m->free = (struct freelist){ .head = 0, .tail = c->frames - 1,
                                 .count = c->frames };
    m->clock = (struct clock_hands){ .hand = 0, .back = 0,
                                     .front = c->handspread % c->frames };
    if (boot_kernel(m))
        goto fail;
    m->log.level = c->log_level;    /* after boot: its allocations are not events */
    return m;

fail:
    machine_free(m);
    errno = ENOMEM;
    return NULL;
}

static void free_vmas(struct proc *p)
{
    struct vma *v = p->vmas;
    while (v) {
        struct vma *next = v->next;
        free(v);
        v = next;
    }
}

void machine_free(struct machine *m)
{
    if (!m)
        return;
    if (m->frame)
        for (frame_t f = 0; f < m->cfg.frames; f++) {
            struct rmap *r = m->frame[f].rmap;
            while (r) {
                struct rmap *next = r->next;
                free(r);
                r = next;
            }
        }
    for (unsigned i = 0; i < m->nproc; i++) {
        free_vmas(m->proc[i]);
        free(m->proc[i]);
    }
    free(m->proc);
    for (unsigned i = 0; i < m->disk.nfiles; i++) {
        struct disk_file *df = m->disk.file[i];
        if (df) {
            free(df->data);
            free(df->cache);
            free(df);
        }
    }
    free(m->disk.file);
    free(m->disk.swap);
    free(m->disk.swap_count);
    free(m->disk.swap_cache);
    tlb_destroy(&m->tlb);
    vmlog_destroy(&m->log);
    free(m->frame);
    free(m->mem);
    free(m);
}

pte_t *phys_table(struct machine *m, paddr_t pa)
{
    if (pa >= m->memsize || (pa & PAGE_MASK))
        vm_panic("machine check: page table at %#" PRIx64
                 " is not a frame of memory (%" PRIu64 " bytes)", pa, m->memsize);
    return (pte_t *)(m->mem + pa);
}

pte32_t *phys_table32(struct machine *m, paddr_t pa)
{
    return (pte32_t *)phys_table(m, pa);
}

/* --- The CPU --------------------------------------------------------------- */

static int cur_pid(const struct machine *m)
{
    return m->cur ? m->cur->pid : 0;
}

static void log_tlb_miss(struct machine *m, vaddr_t va, paddr_t pa)
{
    vmlog_add(&m->log, LOG_TLB, "tlb miss: pid %d va %#" PRIx64 " -> pa %#" PRIx64,
              cur_pid(m), va, pa);
}

/* One page fault: the daemon if memory is low, then the handler. */
static int cpu_fault(struct machine *m, vaddr_t va, uint32_t error)
{
    char etext[48];
    struct proc *p = m->cur;
    pf_error_text(error, etext, sizeof etext);
    if (!p) {
        vmlog_add(&m->log, LOG_EVENTS,
                  "page fault: va %#" PRIx64 " error %s with no process", va, etext);
        return -EFAULT;
    }
    /* The IA-32 machine's kernel makes no pages (they are made by hand):
     * every fault is the access's fault, and no part B code runs. */
    if (m->cfg.arch == ARCH_IA32) {
        vmlog_add(&m->log, LOG_EVENTS, "page fault: pid %d va %#" PRIx64 " error %s: "
                  "the IA-32 machine's kernel handles no faults", p->pid, va, etext);
        return -EFAULT;
    }
    if (m->free.count < m->cfg.low_water)
        vm_pageout(m);
    vmlog_add(&m->log, LOG_EVENTS, "page fault: pid %d va %#" PRIx64 " error %s",
              p->pid, va, etext);
    uint64_t reads = m->stats.disk_reads;
    m->log.depth++;
    struct vma *v = vma_find(p, va);
    int r = v && vma_huge(v) ? huge_fault(m, p, v, va, error)
                             : fault_handle(m, p, va, error);
    m->log.depth--;
    if (r == 0) {
        bool major = m->stats.disk_reads != reads;
        if (major)
            m->stats.major_faults++;
        else
            m->stats.minor_faults++;
        vmlog_add(&m->log, LOG_EVENTS, "  %s fault", major ? "major" : "minor");
    } else {
        vmlog_add(&m->log, LOG_EVENTS, "  not resolved: %s",
                  r == -ENOMEM ? "out of memory" : "bad address");
    }
    return r;
}

/* A reference that cannot complete: the process dies if it was the user's. */
static int access_failed(struct machine *m, vaddr_t va, enum mode mode,
                         int reason, uint32_t error, int r)
{
    if (mode == MODE_USER && m->cur) {
        if (reason == KILL_OOM)
            m->stats.oom_kills++;
        else
            m->stats.segv_kills++;
        proc_kill(m, m->cur, reason, va, error);
    }
    return r;
}

static int access_slow(struct machine *m, vaddr_t va, enum access acc,
                       enum mode mode, paddr_t *pa, struct translation t,
                       uint64_t misses)
{
    for (int faults = 0;; faults++) {
        if (t.fault == FAULT_NONE) {
            if (t.pa >= m->memsize) {
                vmlog_add(&m->log, LOG_EVENTS,
                          "bus error: va %#" PRIx64 " -> pa %#" PRIx64
                          " is past the end of memory", va, t.pa);
                return access_failed(m, va, mode, KILL_SEGV, 0, -EFAULT);
            }
            if (vm_logging(m, LOG_TLB) && m->stats.tlb_misses != misses)
                log_tlb_miss(m, va, t.pa);
            *pa = t.pa;
            return 0;
        }
        if (t.fault == FAULT_GP) {
            vmlog_add(&m->log, LOG_EVENTS,
                      "general protection fault: pid %d va %#" PRIx64
                      " is not canonical", cur_pid(m), va);
            return access_failed(m, va, mode, KILL_GP, 0, -EFAULT);
        }
        if (faults == VM_FAULT_TRIES) {
            vmlog_add(&m->log, LOG_EVENTS,
                      "page fault: pid %d va %#" PRIx64 " still faults after %d"
                      " faults: given up", cur_pid(m), va, VM_FAULT_TRIES);
            return access_failed(m, va, mode, KILL_SEGV, t.error, -EFAULT);
        }
        int r = cpu_fault(m, va, t.error);
        if (r)
            return access_failed(m, va, mode,
                                 r == -ENOMEM ? KILL_OOM : KILL_SEGV, t.error, r);
        misses = m->stats.tlb_misses;
        t = mmu_translate(m, va, acc, mode, NULL);
    }
}

int vm_access(struct machine *m, vaddr_t va, enum access acc, enum mode mode,
              paddr_t *pa)
{
    m->stats.refs++;
    if (unlikely(m->log.level >= LOG_REFS))
        vmlog_add(&m->log, LOG_REFS, "ref: pid %d %s %s va %#" PRIx64,
                  cur_pid(m), mode_name(mode), access_name(acc), va);
    if (unlikely(mode == MODE_USER && !m->cur))
        return -ESRCH;
    uint64_t misses = m->stats.tlb_misses;
    struct translation t = mmu_translate(m, va, acc, mode, NULL);
    if (likely(t.fault == FAULT_NONE && t.pa < m->memsize &&
               m->log.level < LOG_TLB)) {
        *pa = t.pa;
        return 0;
    }
    return access_slow(m, va, acc, mode, pa, t, misses);
}

static int transfer(struct machine *m, vaddr_t va, void *buf, size_t n,
                    enum mode mode, bool write)
{
    uint8_t *b = buf;
    while (n > 0) {
        size_t chunk = PAGE_SIZE - (va & PAGE_MASK);
        if (chunk > n)
            chunk = n;
        paddr_t pa;
        int r = vm_access(m, va, write ? ACC_WRITE : ACC_READ, mode, &pa);
        if (r)
            return r;
        if (write)
            memcpy(m->mem + pa, b, chunk);
        else
            memcpy(b, m->mem + pa, chunk);
        b += chunk;
        va += chunk;
        n -= chunk;
    }
    return 0;
}

int vm_read(struct machine *m, vaddr_t va, void *buf, size_t n, enum mode mode)
{
    return transfer(m, va, buf, n, mode, false);
}

int vm_write(struct machine *m, vaddr_t va, const void *buf, size_t n,
             enum mode mode)
{
    return transfer(m, va, (void *)buf, n, mode, true);
}

unsigned vm_pageout(struct machine *m)
{
    m->stats.pageout_runs++;
    vmlog_add(&m->log, LOG_EVENTS, "pageout: free frames %" PRIu32 ", low %u, high %u",
              m->free.count, m->cfg.low_water, m->cfg.high_water);
    m->log.depth++;
    unsigned n = pageout_step(m);
    m->log.depth--;
    vmlog_add(&m->log, LOG_EVENTS, "pageout: freed %u, free frames %" PRIu32,
              n, m->free.count);
    return n;
}
