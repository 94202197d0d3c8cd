/*
 * cmd_translate.c - translate: one translation by the MMU, shown step by
 * step. It runs the student's mmu_translate with a walk record, exactly as
 * a reference would (the TLB is consulted and filled, A and D are set),
 * but calls no fault handler: it shows what the hardware does, and touch
 * shows what the kernel then does about it.
 */
#include <inttypes.h>
#include <stdio.h>

#include "commands.h"
#include "print.h"

int cmd_translate(struct vmsh *sh, const struct call *c)
{
    struct machine *m = sh->m;
    uint64_t va;
    if (!arg_number(c, c->argv[0], "VA", &va))
        return -1;
    int acc = ACC_READ, mode = m->cur ? MODE_USER : MODE_KERNEL;
    bool have_acc = false, have_mode = false;
    for (int i = 1; i < c->argc; i++) {
        const char *w = c->argv[i];
        if (!have_acc && parse_access(w) >= 0) {
            acc = parse_access(w);
            have_acc = true;
        } else if (!have_mode && parse_mode(w) >= 0) {
            mode = parse_mode(w);
            have_mode = true;
        } else {
            return call_usage(c, "translate: bad word '%s': expected r, w or x, "
                              "and user or kernel", w);
        }
    }
    if (mode == MODE_USER && !m->cur)
        return sh_error(sh, "translate: no process is running; add kernel to walk the "
                        "kernel's tables");
    printf("translate 0x%" PRIx64 ": %s, %s mode, ", va, access_name((enum access)acc),
           mode_name((enum mode)mode));
    if (m->cur)
        printf("pid %d (CR3 0x%" PRIx64 ")\n", m->cur->pid, m->cr3);
    else
        printf("no process (CR3 0x%" PRIx64 ", the kernel's)\n", m->cr3);
    struct walk w = { 0 };
    struct translation t = mmu_translate(m, va, (enum access)acc, (enum mode)mode, &w);
    print_walk(m, va, &w, &t);
    return 0;
}
