/*
 * proc.c - processes: spawn, switch, fork, exit and kill.
 *
 * A process's PML4 is allocated at spawn and freed at its end, with every
 * table below it. Its end always goes the same way: CR3 back to the
 * kernel's if it was running (TLB flushed, globals kept), every region
 * unmapped lowest first (mmap_unmap, then vma_destroy), tables freed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "huge.h"
#include "machine.h"
#include "mmap.h"
#include "pagetable.h"
#include "paging.h"
#include "proc.h"
#include "syscall.h"
#include "vma.h"

const char *proc_state_name(int state)
{
    switch (state) {
    case PROC_ALIVE: return "alive";
    case PROC_EXITED: return "exited";
    case PROC_KILLED: return "killed";
    }
    return "?";
}

const char *kill_reason_name(int reason)
{
    switch (reason) {
    case KILL_NONE: return "-";
    case KILL_SEGV: return "SIGSEGV";
    case KILL_GP: return "SIGSEGV (general protection)";
    case KILL_OOM: return "out of memory";
    }
    return "?";
}

struct proc *proc_find(struct machine *m, int pid)
{
    if (pid < 1 || (unsigned)pid > m->nproc)
        return NULL;
    return m->proc[pid - 1];
}

static struct proc *proc_new(struct machine *m, int ppid)
{
    if (m->nproc >= PROC_MAX) {
        errno = EAGAIN;
        return NULL;
    }
    if (m->nproc == m->proc_cap) {
        unsigned cap = m->proc_cap ? 2 * m->proc_cap : 8;
        struct proc **procs = realloc(m->proc, cap * sizeof *procs);
        if (!procs) {
            errno = ENOMEM;
            return NULL;
        }
        m->proc = procs;
        m->proc_cap = cap;
    }
    struct proc *p = calloc(1, sizeof *p);
    if (!p) {
        errno = ENOMEM;
        return NULL;
    }
    if (m->free.count < m->cfg.low_water)
        vm_pageout(m);
    frame_t f = frame_alloc(m, FRAME_TABLE);
    if (f == NO_FRAME) {
        free(p);
        errno = ENOMEM;
        return NULL;
    }
    p->pid = (int)m->nproc + 1;
    p->ppid = ppid;
    p->state = PROC_ALIVE;
    p->cr3 = (paddr_t)f << PAGE_SHIFT;
    m->frame[f].owner = p->pid;
    /* The kernel's entries: the upper half of a PML4, the top quarter of an
     * IA-32 page directory. */
    int arch = m->cfg.arch;
    size_t from = (arch == ARCH_IA32 ? KERNEL32_PDE_INDEX : KERNEL_PML4_INDEX) *
                  (size_t)arch_entry_size(arch);
    memcpy((uint8_t *)phys_table(m, p->cr3) + from,
           (uint8_t *)phys_table(m, m->kernel_pml4) + from, PAGE_SIZE - from);
    m->proc[m->nproc++] = p;
    return p;
}

struct proc *proc_spawn(struct machine *m)
{
    struct proc *p = proc_new(m, 0);
    if (p)
        vmlog_add(&m->log, LOG_EVENTS, "spawn: pid %d, %s in frame %" PRIu64,
                  p->pid, m->cfg.arch == ARCH_IA32 ? "page directory" : "PML4",
                  p->cr3 >> PAGE_SHIFT);
    return p;
}

int proc_switch(struct machine *m, struct proc *p)
{
    if (!proc_alive(p))
        return -ESRCH;
    if (m->cur == p)
        return 0;
    m->cur = p;
    m->cr3 = p->cr3;
    vmlog_add(&m->log, LOG_TLB, "switch: pid %d, CR3 %#" PRIx64
              ", TLB flushed except global entries", p->pid, p->cr3);
    tlb_flush(&m->tlb, true);
    return 0;
}

static void proc_end(struct machine *m, struct proc *p, int state)
{
    if (m->cur == p) {
        m->cur = NULL;
        m->cr3 = m->kernel_pml4;
        tlb_flush(&m->tlb, true);
    }
    while (p->vmas) {
        struct vma *v = p->vmas;
        if (vma_huge(v))
            huge_unmap(m, p, v, v->start, v->end);
        mmap_unmap(m, p, v, v->start, v->end);
        vma_destroy(m, p, v);
    }
    pt_free_user(m, p);
    p->state = state;
}

void proc_kill(struct machine *m, struct proc *p, int reason, vaddr_t va,
               uint32_t error)
{
    char etext[48];
    p->kill_reason = reason;
    p->kill_va = va;
    p->kill_error = error;
    vmlog_add(&m->log, LOG_EVENTS, "kill: pid %d, %s at va %#" PRIx64 "%s%s",
              p->pid, kill_reason_name(reason), va, error ? " error " : "",
              error ? pf_error_text(error, etext, sizeof etext) : "");
    proc_end(m, p, PROC_KILLED);
}

int vm_exit(struct machine *m, struct proc *p)
{
    if (!proc_alive(p))
        return -ESRCH;
    vmlog_add(&m->log, LOG_EVENTS, "exit: pid %d", p->pid);
    proc_end(m, p, PROC_EXITED);
    return 0;
}

int vm_fork(struct machine *m, struct proc *parent, struct proc **childp)
{
    if (!proc_alive(parent))
        return -ESRCH;
    struct proc *child = proc_new(m, parent->pid);
    if (!child)
        return -errno;
    vmlog_add(&m->log, LOG_EVENTS, "fork: pid %d -> pid %d, %s in frame %" PRIu64,
              parent->pid, child->pid,
              m->cfg.arch == ARCH_IA32 ? "page directory" : "PML4",
              child->cr3 >> PAGE_SHIFT);
    int r = 0;
    for (struct vma *v = parent->vmas; v && r == 0; v = v->next)
        if (!vma_create(m, child, v->start, v->end, v->prot, v->flags, v->file,
                        v->offset))
            r = -ENOMEM;
    if (r == 0)
        r = fork_copy(m, parent, child);
    if (r == 0)
        r = huge_fork(m, parent, child);
    if (r) {
        vmlog_add(&m->log, LOG_EVENTS, "fork: out of memory, pid %d undone",
                  child->pid);
        proc_end(m, child, PROC_EXITED);
        if (m->cur == parent)
            tlb_flush(&m->tlb, true);
        return r;
    }
    *childp = child;
    return 0;
}

static void count_present(void *ctx, int level, vaddr_t va, paddr_t entry_pa,
                          pte_t e)
{
    (void)va;
    (void)entry_pa;
    if (pte_present(e) && pte_is_leaf(e, level))   /* in 4 KiB pages */
        *(uint64_t *)ctx += level == 1 ? HUGE_FRAMES : 1;
}

uint64_t proc_resident(struct machine *m, struct proc *p)
{
    uint64_t n = 0;
    if (proc_alive(p))
        pt_visit(m, p->cr3, true, count_present, &n);
    return n;
}
