/*
 * proc.h - processes: an address space (a PML4 and a list of regions) and
 * a life.
 *
 * Processes get pids 1, 2, 3, ... in creation order, never reused. A
 * process is alive until it exits or is killed; it then keeps its pid, its
 * state and the reason it was killed (for ps), but no memory: its pages
 * are unmapped, its tables freed, cr3 is 0. The running process (m->cur)
 * is the one whose PML4 is in CR3; when none is, CR3 holds the kernel's.
 *
 * Every PML4 shares the kernel half: entries 256..511 are those of the
 * kernel's PML4 (machine.h), supervisor-only, so a process switch keeps the
 * kernel's global TLB entries.
 */
#ifndef VM_PROC_H
#define VM_PROC_H

#include <stdbool.h>
#include <stdint.h>

#include "pte.h"

struct machine;
struct vma;

enum proc_state { PROC_ALIVE, PROC_EXITED, PROC_KILLED };
enum kill_reason { KILL_NONE, KILL_SEGV, KILL_GP, KILL_OOM };

struct proc {
    int pid;
    int ppid;           /* 0 for a spawned process */
    int state;          /* enum proc_state */
    paddr_t cr3;        /* physical address of its PML4; 0 once dead */
    struct vma *vmas;   /* its regions, by address */
    unsigned nvmas;
    int kill_reason;    /* enum kill_reason, when killed */
    vaddr_t kill_va;    /* the address it was killed for */
    uint32_t kill_error;    /* the page-fault error code, if any */
    bool hand_made;     /* pt_map made leaves in its tables, which no region
                           accounts for: its end clears them (pagetable.h) */
};

#define PROC_MAX 4096

/* proc_spawn - a new process with an empty address space (the kernel half
 * only). It does not run until proc_switch. NULL with errno EAGAIN (PROC_MAX
 * processes made) or ENOMEM (no frame for its PML4, even after the pageout
 * daemon ran, or the host is out of memory). */
struct proc *proc_spawn(struct machine *m);

/* proc_switch - run p: load its PML4 into CR3 and flush the TLB, keeping
 * global entries (nothing happens if p already runs). -ESRCH when p is
 * dead. */
int proc_switch(struct machine *m, struct proc *p);

/* proc_find - the process with pid (alive or not), or NULL. */
struct proc *proc_find(struct machine *m, int pid);

static inline bool proc_alive(const struct proc *p)
{
    return p->state == PROC_ALIVE;
}

/* proc_kill - end p for reason (va and error say why, for ps), as
 * vm_exit does. */
void proc_kill(struct machine *m, struct proc *p, int reason, vaddr_t va,
               uint32_t error);

/* proc_resident - 4 KiB pages p has present (its resident set; a 2 MiB
 * page counts 512). */
uint64_t proc_resident(struct machine *m, struct proc *p);

const char *proc_state_name(int state);
const char *kill_reason_name(int reason);

#endif
