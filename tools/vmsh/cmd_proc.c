/*
 * cmd_proc.c - processes: spawn, list, switch, fork, exit.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "commands.h"
#include "print.h"

int cmd_spawn(struct vmsh *sh, const struct call *c)
{
    char err[64];
    struct proc *p = proc_spawn(sh->m);
    if (!p)
        return sh_error(sh, "%s: %s", c->name, errno_text(errno, err, sizeof err));
    if (sh->m->cur) {
        printf("pid %d made; pid %d still runs (switch %d runs it)\n", p->pid,
               sh->m->cur->pid, p->pid);
        return 0;
    }
    int r = proc_switch(sh->m, p);
    if (r)
        return sh_error(sh, "%s: switch to pid %d: %s", c->name, p->pid,
                        errno_text(r, err, sizeof err));
    printf("pid %d runs (CR3 0x%" PRIx64 ")\n", p->pid, p->cr3);
    return 0;
}

int cmd_ps(struct vmsh *sh, const struct call *c)
{
    (void)c;
    print_ps(sh->m);
    return 0;
}

int cmd_switch(struct vmsh *sh, const struct call *c)
{
    struct proc *p;
    if (!arg_pid(c, c->argv[0], &p))
        return -1;
    if (!proc_alive(p))
        return sh_error(sh, "switch: pid %d %s", p->pid,
                        p->state == PROC_KILLED ? "was killed" : "has exited");
    proc_switch(sh->m, p);
    printf("pid %d runs (CR3 0x%" PRIx64 ")\n", p->pid, p->cr3);
    return 0;
}

int cmd_fork(struct vmsh *sh, const struct call *c)
{
    struct proc *parent = need_proc(c), *child;
    if (!parent)
        return -1;
    char err[64];
    int r = vm_fork(sh->m, parent, &child);
    if (r)
        return sh_error(sh, "fork: %s", errno_text(r, err, sizeof err));
    printf("child pid %d (switch %d runs it)\n", child->pid, child->pid);
    return 0;
}

int cmd_exit(struct vmsh *sh, const struct call *c)
{
    struct proc *p;
    if (c->argc == 1) {
        if (!arg_pid(c, c->argv[0], &p))
            return -1;
    } else if (!(p = need_proc(c))) {
        return -1;
    }
    bool ran = p == sh->m->cur;
    char err[64];
    int r = vm_exit(sh->m, p);
    if (r)
        return sh_error(sh, "exit: pid %d: %s (it %s)", p->pid,
                        errno_text(r, err, sizeof err),
                        p->state == PROC_KILLED ? "was killed" : "has exited");
    printf("pid %d has exited%s\n", p->pid, ran ? "; no process runs" : "");
    return 0;
}
