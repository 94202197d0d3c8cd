/*
 * cmd_translate.c - translate: one translation by the MMU, shown step by
 * step. It runs the student's mmu_translate with a walk record, exactly as
 * a reference would (the TLB is consulted and filled, A and D are set),
 * but calls no fault handler: it shows what the hardware does, and touch
 * shows what the kernel then does about it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "vma.h"
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
    int tlb_level = tlb_page_level(m, va);
    struct translation t = mmu_translate(m, va, (enum access)acc, (enum mode)mode, &w);
    print_walk(m, va, &w, &t, tlb_level);
    return 0;
}

int cmd_map(struct vmsh *sh, const struct call *c)
{
    struct machine *m = sh->m;
    bool ia32 = m->cfg.arch == ARCH_IA32;
    uint64_t va, pa;
    if (!arg_number(c, c->argv[0], "VA", &va) || !arg_number(c, c->argv[1], "PA", &pa))
        return -1;
    int level = 0;
    pte_t flags = 0;
    bool exec = false;
    for (int i = 2; i < c->argc; i++) {
        const char *w = c->argv[i];
        if (!strcmp(w, "4K"))
            level = 0;
        else if (!strcmp(w, ia32 ? "4M" : "2M"))
            level = 1;
        else if (!ia32 && !strcmp(w, "1G"))
            level = 2;
        else if (!strcmp(w, "w"))
            flags |= PTE_W;
        else if (!strcmp(w, "u"))
            flags |= PTE_U;
        else if (!strcmp(w, "g"))
            flags |= PTE_G;
        else if (!ia32 && !strcmp(w, "x"))
            exec = true;
        else
            return call_usage(c, "map: bad word '%s': expected a page size (%s), "
                              "or w, u, g%s", w, ia32 ? "4K or 4M" : "4K, 2M or 1G",
                              ia32 ? "" : ", x");
    }
    if (!ia32 && !exec)
        flags |= PTE_NX;
    /* Pages made by hand lie outside every region, where the kernel never
     * looks for pages of its own (a region made over them replaces them). */
    uint64_t span = arch_size(m->cfg.arch, level);
    for (const struct vma *v = m->cur ? m->cur->vmas : NULL; v; v = v->next)
        if (v->start < va + span && va < v->end)
            return sh_error(sh, "map: 0x%" PRIx64 " lies in a region (vmas): map makes "
                            "pages outside every region, which the kernel leaves alone",
                            va);
    int r = pt_map(m, m->cur, va, pa, flags, level);
    const char *size = page_size_name(m->cfg.arch, level);
    if (r == -EINVAL)
        return sh_error(sh, "map: VA and PA must be multiples of the page size (%s)%s",
                        size, ia32 ? " and below 4 GiB" : ", VA canonical");
    if (r == -EEXIST)
        return sh_error(sh, "map: 0x%" PRIx64 " is mapped already (or lies in a bigger "
                        "page)", va);
    if (r)
        return sh_error(sh, "map: no frame left for a table");
    sh->hand_made = true;
    printf("map 0x%" PRIx64 " -> 0x%" PRIx64 " (%s) in %s tables\n", va, pa, size,
           m->cur ? "the running process's" : "the kernel's");
    return 0;
}
