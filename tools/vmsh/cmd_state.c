/*
 * cmd_state.c - looking at the machine: page tables, the TLB, frames,
 * regions, files, swap, counters, the event log's level, and vm_check.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "print.h"

int cmd_pt(struct vmsh *sh, const struct call *c)
{
    struct proc *p = NULL;
    if (c->argc == 1) {
        if (strcmp(c->argv[0], "kernel") != 0) {
            if (!arg_pid(c, c->argv[0], &p))
                return -1;
            if (!proc_alive(p))
                return sh_error(sh, "pt: pid %d %s: it has no tables", p->pid,
                                p->state == PROC_KILLED ? "was killed" : "has exited");
        }
    } else if (!(p = need_proc(c))) {
        return -1;
    }
    if (call_option(c, "--dot", NULL)) {
        if (sh->m->cfg.arch == ARCH_IA32)
            return sh_error(sh, "pt --dot: draws x86-64 tables only; use pt for the "
                            "IA-32 machine's");
        print_pt_dot(sh, p);
    }
    else {
        print_pt(sh, p);
    }
    return 0;
}

static unsigned tlb_valid(const struct tlb *t)
{
    unsigned n = 0;
    for (size_t i = 0; i < (size_t)t->sets * t->ways; i++)
        n += t->entry[i].valid;
    return n;
}

int cmd_tlb(struct vmsh *sh, const struct call *c)
{
    struct tlb *t = &sh->m->tlb;
    if (c->argc == 0) {
        print_tlb(sh->m);
        return 0;
    }
    unsigned before = tlb_valid(t);
    if (!strcmp(c->argv[0], "flush")) {
        bool all = c->argc == 2 && !strcmp(c->argv[1], "all");
        if (c->argc == 2 && !all)
            return call_usage(c, "tlb: bad word '%s': expected all", c->argv[1]);
        tlb_flush(t, !all);
        printf("tlb flush%s: %u entr%s dropped, %u kept\n", all ? " all" : "",
               before - tlb_valid(t), before - tlb_valid(t) == 1 ? "y" : "ies",
               tlb_valid(t));
        return 0;
    }
    if (!strcmp(c->argv[0], "invlpg")) {
        uint64_t va;
        if (c->argc != 2)
            return call_usage(c, "tlb: invlpg needs VA");
        if (!arg_number(c, c->argv[1], "VA", &va))
            return -1;
        tlb_invalidate(t, va);
        printf("tlb invlpg 0x%" PRIx64 ": %u entr%s dropped\n", va,
               before - tlb_valid(t), before - tlb_valid(t) == 1 ? "y" : "ies");
        return 0;
    }
    return call_usage(c, "tlb: bad word '%s': expected flush or invlpg", c->argv[0]);
}

int cmd_frames(struct vmsh *sh, const struct call *c)
{
    print_frames(sh, call_option(c, "--all", NULL));
    return 0;
}

int cmd_vmas(struct vmsh *sh, const struct call *c)
{
    struct proc *p;
    if (c->argc == 1) {
        if (!arg_pid(c, c->argv[0], &p))
            return -1;
    } else if (!(p = need_proc(c))) {
        return -1;
    }
    print_vmas(sh->m, p);
    return 0;
}

int cmd_files(struct vmsh *sh, const struct call *c)
{
    (void)c;
    print_files(sh->m);
    return 0;
}

int cmd_swap(struct vmsh *sh, const struct call *c)
{
    (void)c;
    print_swap(sh->m);
    return 0;
}

int cmd_stats(struct vmsh *sh, const struct call *c)
{
    if (c->argc == 1) {
        if (strcmp(c->argv[0], "reset") != 0)
            return call_usage(c, "stats: bad word '%s': expected reset", c->argv[0]);
        sh->base = sh->m->stats;
        printf("stats: counting from here\n");
        return 0;
    }
    print_stats(&sh->m->stats, &sh->base, arch_levels(sh->m->cfg.arch));
    return 0;
}

int cmd_log(struct vmsh *sh, const struct call *c)
{
    if (c->argc == 1) {
        int level = vmlog_level_parse(c->argv[0]);
        if (level < 0)
            return call_usage(c, "log: bad level '%s': expected off, events, tlb or refs",
                              c->argv[0]);
        sh->m->log.level = level;
        sh->cfg.log_level = level;
    }
    printf("log: %s\n", vmlog_level_name(sh->m->log.level));
    return 0;
}

int cmd_check(struct vmsh *sh, const struct call *c)
{
    (void)c;
    unsigned problems = vm_check(sh->m, stdout);
    if (problems)
        return sh_error(sh, "check: %u problem%s, listed above", problems,
                        problems == 1 ? "" : "s");
    printf("check: consistent\n");
    return 0;
}
