/*
 * print.c - the machine as vmsh shows it (print.h). Reads only: nothing
 * here changes the machine, not even an accessed bit or a TLB stamp.
 *
 * Addresses are printed "0x%" PRIx64 (so 0 is 0x0, unlike %#x); entries
 * through explain.h's pte_text, so every tool names bits the same way.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "print.h"

#define X "0x%" PRIx64      /* an address, in hex, 0x0 included */

void print_hexdump(uint64_t base, const uint8_t *buf, size_t n)
{
    for (size_t at = 0; at < n; at += 16) {
        char hex[16 * 3 + 2] = "", text[17] = "";
        size_t len = n - at < 16 ? n - at : 16;
        for (size_t i = 0; i < 16; i++) {
            char *h = hex + strlen(hex);
            if (i < len)
                sprintf(h, "%s%02x", i == 8 ? "  " : i ? " " : "", buf[at + i]);
            else
                sprintf(h, "%s  ", i == 8 ? "  " : i ? " " : "");
            if (i < len) {
                uint8_t c = buf[at + i];
                text[i] = c >= 0x20 && c < 0x7f ? (char)c : '.';
                text[i + 1] = '\0';
            }
        }
        printf(X ": %s  |%s|\n", base + at, hex, text);
    }
}

/* --- Page-table trees ------------------------------------------------------ */

struct pt_count {
    int arch;                       /* the machine's (enum arch) */
    unsigned tables[PT_LEVELS];     /* tables below the root, by level */
    unsigned pages[PT_LEVELS];      /* present leaves, by level */
    unsigned swapped;
};

static bool leaf_in(int arch, pte_t e, int level)
{
    return arch == ARCH_IA32 ? pte32_is_leaf(e, level) : pte_is_leaf(e, level);
}

static void count_entry(struct pt_count *n, int level, pte_t e)
{
    if (pte_is_swap(e))
        n->swapped++;
    else if (pte_present(e) && leaf_in(n->arch, e, level))
        n->pages[level]++;
    else if (pte_present(e))
        n->tables[level - 1]++;
}

static void pt_line(void *ctx, int level, vaddr_t va, paddr_t entry_pa, pte_t e)
{
    struct pt_count *n = ctx;
    char label[32], vtext[24], etext[160];
    snprintf(label, sizeof label, "%*s%s[%3u]", 2 * (arch_levels(n->arch) - 1 - level), "",
             level_name(level),
             (unsigned)((entry_pa & PAGE_MASK) / arch_entry_size(n->arch)));
    snprintf(vtext, sizeof vtext, X, va);
    printf("%-15s va %-18s  %s\n", label, vtext,
           pte_text_arch(n->arch, e, level, etext, sizeof etext));
    count_entry(n, level, e);
}

/* The lecture's arithmetic: what the tables in use take, and what one
 * table for the whole address space would. */
static void print_pt_size(const struct pt_count *n)
{
    unsigned tables = 1;
    for (int l = 0; l < PT_LEVELS; l++)
        tables += n->tables[l];
    if (n->arch == ARCH_IA32)
        printf("size: %u tables of 4 KiB in use (%u KiB); one level for 4 GiB would be "
               "2^20 entries of 4 bytes, 4 MiB per process\n", tables, 4 * tables);
    else
        printf("size: %u tables of 4 KiB in use (%u KiB); one level for 256 TiB would "
               "be 2^36 entries of 8 bytes, 512 GiB per process\n", tables, 4 * tables);
}

void print_pt(struct vmsh *sh, struct proc *p)
{
    struct machine *m = sh->m;
    paddr_t root = p ? p->cr3 : m->kernel_pml4;
    bool ia32 = m->cfg.arch == ARCH_IA32;
    const char *top = ia32 ? "page directory" : "PML4";
    if (p)
        printf("pid %d: %s at " X " (frame %" PRIu64 ")\n", p->pid, top, root,
               root >> PAGE_SHIFT);
    else
        printf("kernel: %s at " X " (frame %" PRIu64 "), the CR3 when no "
               "process runs\n", top, root, root >> PAGE_SHIFT);
    struct pt_count n = { .arch = m->cfg.arch };
    pt_visit(m, root, p != NULL, pt_line, &n);
    if (ia32) {
        if (p) {
            char etext[160];
            pte_t k = pt_read(m, root, KERNEL32_PDE_INDEX);
            printf("%-15s va %-18s  %s: the kernel's top quarter (entries 768..1023), "
                   "shared (pt kernel)\n", "PD[768]", "0xc0000000",
                   pte_text_arch(ARCH_IA32, k, 1, etext, sizeof etext));
        }
        printf("tables: 1 PD, %u PT; pages: %u 4K, %u 4M; swap entries: %u\n",
               n.tables[0], n.pages[0], n.pages[1], n.swapped);
        print_pt_size(&n);
        return;
    }
    if (p) {
        pte_t k = phys_table(m, root)[KERNEL_PML4_INDEX];
        char etext[160];
        printf("%-15s va %-18s  %s: the kernel half, shared (pt kernel)\n",
               "PML4[256]", "0xffff800000000000", pte_text(k, 3, etext, sizeof etext));
    }
    printf("tables: 1 PML4, %u PDPT, %u PD, %u PT; pages: %u 4K, %u 2M, %u 1G; "
           "swap entries: %u\n", n.tables[2], n.tables[1], n.tables[0], n.pages[0],
           n.pages[1], n.pages[2], n.swapped);
    print_pt_size(&n);
}

/* Entries gathered for the Graphviz form: a table's entries must be
 * printed together, and a walk visits them between its children's. */
struct dot_entry {
    int level;
    vaddr_t va;
    paddr_t entry_pa;
    pte_t e;
};

struct dot_list {
    struct dot_entry *e;
    size_t n;
};

static void dot_count(void *ctx, int level, vaddr_t va, paddr_t entry_pa, pte_t e)
{
    (void)level;
    (void)va;
    (void)entry_pa;
    (void)e;
    (*(size_t *)ctx)++;
}

static void dot_gather(void *ctx, int level, vaddr_t va, paddr_t entry_pa, pte_t e)
{
    struct dot_list *l = ctx;
    l->e[l->n++] = (struct dot_entry){ level, va, entry_pa, e };
}

static void dot_table(const struct dot_list *l, paddr_t table,
                      int level, const char *owner, pte_t kernel_half)
{
    char flags[80];
    printf("  t%" PRIu64 " [label=\"{%s %s, frame %" PRIu64, table >> PAGE_SHIFT,
           level_name(level), owner, table >> PAGE_SHIFT);
    bool any = false;
    for (size_t i = 0; i < l->n; i++) {
        const struct dot_entry *d = &l->e[i];
        if ((d->entry_pa & ~PAGE_MASK) != table)
            continue;
        unsigned index = (unsigned)((d->entry_pa & PAGE_MASK) / sizeof(pte_t));
        printf("|<e%u> [%u] va " X "\\l%s\\l", index, index, d->va,
               pte_is_swap(d->e) ? "swap entry" : pte_flags_text(d->e, flags, sizeof flags));
        any = true;
    }
    if (kernel_half) {
        printf("|<e256> [256] kernel half\\l%s\\l",
               pte_flags_text(kernel_half, flags, sizeof flags));
        any = true;
    }
    if (!any)
        printf("|(empty)");
    printf("}\"];\n");
}

void print_pt_dot(struct vmsh *sh, struct proc *p)
{
    struct machine *m = sh->m;
    paddr_t root = p ? p->cr3 : m->kernel_pml4;
    size_t n = 0;
    pt_visit(m, root, p != NULL, dot_count, &n);
    struct dot_list l = { session_temp(sh, (n ? n : 1) * sizeof *l.e), 0 };
    pt_visit(m, root, p != NULL, dot_gather, &l);

    char owner[32];
    if (p)
        snprintf(owner, sizeof owner, "of pid %d", p->pid);
    else
        snprintf(owner, sizeof owner, "of the kernel");
    printf("digraph pt {\n  rankdir=LR;\n  node [shape=record, fontname=\"monospace\", "
           "fontsize=10];\n");
    pte_t khalf = p ? phys_table(m, root)[KERNEL_PML4_INDEX] : 0;
    dot_table(&l, root, PT_LEVELS - 1, owner, khalf);
    for (size_t i = 0; i < l.n; i++) {
        const struct dot_entry *d = &l.e[i];
        if (pte_present(d->e) && !pte_is_leaf(d->e, d->level))
            dot_table(&l, pte_addr(d->e), d->level - 1, owner, 0);
    }
    if (khalf)
        printf("  kernel [shape=box, style=dashed, label=\"kernel half\\n"
               "(shared by every process)\"];\n  t%" PRIu64 ":e256 -> kernel;\n",
               root >> PAGE_SHIFT);
    static const char *const size[] = { "4K", "2M", "1G" };
    for (size_t i = 0; i < l.n; i++) {
        const struct dot_entry *d = &l.e[i];
        char from[48];
        snprintf(from, sizeof from, "t%" PRIu64 ":e%u", d->entry_pa >> PAGE_SHIFT,
                 (unsigned)((d->entry_pa & PAGE_MASK) / sizeof(pte_t)));
        if (pte_is_swap(d->e)) {
            printf("  s%" PRIu32 " [shape=box, style=dashed, label=\"swap slot %" PRIu32
                   "\"];\n  %s -> s%" PRIu32 " [style=dashed];\n", pte_swap_slot(d->e),
                   pte_swap_slot(d->e), from, pte_swap_slot(d->e));
        } else if (!pte_present(d->e)) {
            continue;
        } else if (pte_is_leaf(d->e, d->level)) {
            printf("  p%d_%" PRIx64 " [shape=box, label=\"%s page at " X "\\nframe %"
                   PRIu64 "\"];\n  %s -> p%d_%" PRIx64 ";\n", d->level, pte_addr(d->e),
                   size[d->level], pte_addr(d->e), pte_addr(d->e) >> PAGE_SHIFT, from,
                   d->level, pte_addr(d->e));
        } else {
            printf("  %s -> t%" PRIu64 ";\n", from, pte_addr(d->e) >> PAGE_SHIFT);
        }
    }
    printf("}\n");
}

/* --- The TLB --------------------------------------------------------------- */

void print_tlb(struct machine *m)
{
    struct tlb *t = &m->tlb;
    unsigned valid = 0;
    for (size_t i = 0; i < (size_t)t->sets * t->ways; i++)
        valid += t->entry[i].valid;
    printf("tlb %ux%u: %u of %u entries valid, tick %" PRIu64 "\n", t->sets, t->ways,
           valid, t->sets * t->ways, t->tick);
    if (valid)
        printf("set way size  vpn             va                  pa          "
               "rights  G D  stamp\n");
    for (unsigned s = 0; s < t->sets; s++) {
        for (unsigned w = 0; w < t->ways; w++) {
            const struct tlb_entry *e = &t->entry[(size_t)s * t->ways + w];
            if (!e->valid)
                continue;
            char vpn[24], va[24], pa[24];
            snprintf(vpn, sizeof vpn, X, e->vpn);
            vaddr_t base = e->vpn << tlb_shift(t, e->level);
            snprintf(va, sizeof va, X,
                     m->cfg.arch == ARCH_IA32 ? base : va_sign_extend(base));
            snprintf(pa, sizeof pa, X, e->base);
            printf("%3u %3u  %-4s  %-15s %-19s %-11s %c %c %-2s  %c %c  %5" PRIu64 "\n",
                   s, w, page_size_name(m->cfg.arch, e->level), vpn, va, pa,
                   e->writable ? 'W' : '-', e->user ? 'U' : '-', e->nx ? "NX" : "-",
                   e->global ? 'G' : '-', e->dirty ? 'D' : '-', e->stamp);
        }
    }
    uint64_t h = m->stats.tlb_hits, miss = m->stats.tlb_misses;
    if (h + miss)
        printf("hits %" PRIu64 ", misses %" PRIu64 " (%.1f%% hits)\n", h, miss,
               100.0 * (double)h / (double)(h + miss));
    else
        printf("hits 0, misses 0\n");
}

/* --- Frames ---------------------------------------------------------------- */

struct table_map {
    int8_t *level;      /* level of the table in each frame, -1: none found */
};

static void mark_tables(void *ctx, int level, vaddr_t va, paddr_t entry_pa, pte_t e)
{
    (void)va;
    (void)entry_pa;
    struct table_map *t = ctx;
    if (pte_present(e) && !pte_is_leaf(e, level))
        t->level[pte_frame(e)] = (int8_t)(level - 1);
}

/* The level of every table frame, found from the roots: the kernel's
 * PML4 and each live process's. */
static int8_t *table_levels(struct vmsh *sh)
{
    struct machine *m = sh->m;
    struct table_map t = { session_temp(sh, m->cfg.frames) };
    memset(t.level, -1, m->cfg.frames);
    t.level[m->kernel_pml4 >> PAGE_SHIFT] = (int8_t)(arch_levels(m->cfg.arch) - 1);
    pt_visit(m, m->kernel_pml4, false, mark_tables, &t);
    for (unsigned i = 0; i < m->nproc; i++) {
        struct proc *p = m->proc[i];
        if (!proc_alive(p))
            continue;
        t.level[p->cr3 >> PAGE_SHIFT] = (int8_t)(arch_levels(m->cfg.arch) - 1);
        pt_visit(m, p->cr3, true, mark_tables, &t);
    }
    return t.level;
}

/* What frame f holds, in a few words. */
static const char *frame_holds(struct machine *m, frame_t f, int level, char *buf,
                               size_t n)
{
    const struct frame *fr = &m->frame[f];
    switch (fr->use) {
    case FRAME_TABLE: {
        char owner[16];
        if (fr->owner)
            snprintf(owner, sizeof owner, "pid %d", fr->owner);
        else
            snprintf(owner, sizeof owner, "kernel");
        snprintf(buf, n, "%s %s", owner, level >= 0 ? level_name(level) : "table");
        break;
    }
    case FRAME_HUGE:
        snprintf(buf, n, "2M page, to %" PRIu32, f + HUGE_FRAMES - 1);
        break;
    case FRAME_ANON:
        if (fr->slot != NO_SLOT)
            snprintf(buf, n, "swap slot %" PRIu32, fr->slot);
        else
            snprintf(buf, n, "-");
        break;
    case FRAME_FILE: {
        struct disk_file *df = disk_file(m, fr->file);
        snprintf(buf, n, "%s page %" PRIu64, df ? df->name : "?", fr->index);
        break;
    }
    default:
        snprintf(buf, n, "-");
    }
    return buf;
}

/* Who maps f: "pid 1 0x10000000, pid 2 0x10000000", the first three. */
static const char *frame_mappers(const struct frame *fr, char *buf, size_t n)
{
    size_t len = 0;
    unsigned shown = 0;
    buf[0] = '\0';
    for (const struct rmap *r = fr->rmap; r && len < n; r = r->next, shown++) {
        if (shown == 3) {
            snprintf(buf + len, n - len, ", +%u more", fr->refcount - shown);
            break;
        }
        int k = snprintf(buf + len, n - len, "%spid %d " X, shown ? ", " : "",
                         r->proc->pid, r->va);
        len += k > 0 ? (size_t)k : 0;
    }
    return buf[0] ? buf : "-";
}

const char *free_list_text(struct machine *m, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    frame_t f = m->free.head;
    unsigned guard = 0;
    while (f != NO_FRAME && guard++ <= m->cfg.frames) {
        frame_t last = f;
        while (m->frame[last].next != NO_FRAME && m->frame[last].next == last + 1)
            last++;
        char run[32];
        if (last == f)
            snprintf(run, sizeof run, "%s%" PRIu32, len ? " " : "", f);
        else
            snprintf(run, sizeof run, "%s%" PRIu32 "-%" PRIu32, len ? " " : "", f, last);
        if (len + strlen(run) + 5 > n) {
            snprintf(buf + len, n - len, " ...");
            break;
        }
        memcpy(buf + len, run, strlen(run) + 1);
        len += strlen(run);
        f = m->frame[last].next;
    }
    return buf[0] ? buf : "(empty)";
}

const char *hands_text(struct machine *m, char *buf, size_t n)
{
    if (m->cfg.policy == POLICY_CLOCK2)
        snprintf(buf, n, "clock2: front at frame %" PRIu32 ", back at frame %" PRIu32
                 " (handspread %u)", m->clock.front, m->clock.back, m->cfg.handspread);
    else
        snprintf(buf, n, "clock1: hand at frame %" PRIu32, m->clock.hand);
    return buf;
}

void print_frames(struct vmsh *sh, bool all)
{
    struct machine *m = sh->m;
    int8_t *level = table_levels(sh);
    printf("frames: %u, %" PRIu32 " free\n", m->cfg.frames, m->free.count);
    printf("frame use    holds                 refs A D dirty list  mapped by\n");
    for (frame_t f = 0; f < m->cfg.frames; f++) {
        const struct frame *fr = &m->frame[f];
        if ((!all && fr->use == FRAME_FREE && fr->free) ||
            (fr->use == FRAME_HUGE && fr->index))   /* one line per 2 MiB page */
            continue;
        char holds[96], by[160];
        pte_t bits = fr->refcount ? frame_mapped_bits(m, f) : 0;
        printf("%5" PRIu32 " %-6s %-21s %4" PRIu32 " %c %c %-5s %-5s %s\n", f,
               frame_use_name(fr->use), frame_holds(m, f, level[f], holds, sizeof holds),
               fr->refcount, bits & PTE_A ? 'A' : '-', bits & PTE_D ? 'D' : '-',
               fr->use == FRAME_ANON || fr->use == FRAME_FILE ? fr->dirty ? "yes" : "no" : "-",
               fr->free ? "free" : "-", frame_mappers(fr, by, sizeof by));
    }
    char list[512], hands[96];
    printf("free list (%" PRIu32 "), head to tail: %s\n", m->free.count,
           free_list_text(m, list, sizeof list));
    printf("%s\n", hands_text(m, hands, sizeof hands));
}

/* --- Regions, files, swap, processes ---------------------------------------- */

void print_vmas(struct machine *m, struct proc *p)
{
    printf("pid %d: %u region%s\n", p->pid, p->nvmas, p->nvmas == 1 ? "" : "s");
    if (!p->vmas)
        return;
    printf("start              end                size    prot flags              backing\n");
    for (const struct vma *v = p->vmas; v; v = v->next) {
        char s[24], e[24], size[24], prot[4], flags[48], backing[96];
        snprintf(s, sizeof s, X, v->start);
        snprintf(e, sizeof e, X, v->end);
        const struct disk_file *df = disk_file(m, v->file);
        if (v->file < 0)
            snprintf(backing, sizeof backing, "-");
        else
            snprintf(backing, sizeof backing, "%s at " X, df ? df->name : "?", v->offset);
        printf("%-18s %-18s %-7s %-4s %-18s %s\n", s, e,
               size_text(v->end - v->start, size, sizeof size),
               vma_prot_text(v->prot, prot), flags_text(v->flags, flags, sizeof flags),
               backing);
    }
}

void print_files(struct machine *m)
{
    unsigned n = 0;
    for (unsigned i = 0; i < m->disk.nfiles; i++)
        n += m->disk.file[i] != NULL;
    printf("%u file%s\n", n, n == 1 ? "" : "s");
    if (!n)
        return;
    printf(" id name                 size    pages mode maps cached\n");
    for (unsigned i = 0; i < m->disk.nfiles; i++) {
        const struct disk_file *df = m->disk.file[i];
        if (!df)
            continue;
        uint64_t cached = 0;
        for (uint64_t k = 0; k < df->npages; k++)
            cached += df->cache[k] != NO_FRAME;
        char size[24];
        printf("%3u %-20s %-7s %5" PRIu64 " %-4s %4u %6" PRIu64 "\n", i, df->name,
               size_text(df->size, size, sizeof size), df->npages,
               df->readonly ? "ro" : "rw", df->maps, cached);
    }
}

void print_swap(struct machine *m)
{
    const struct disk *d = &m->disk;
    printf("swap: %" PRIu32 " slots, %" PRIu32 " in use\n", d->nslots, d->swap_used);
    if (!d->swap_used)
        return;
    printf("slot holders cached in\n");
    for (uint32_t s = 0; s < d->nslots; s++) {
        if (!d->swap_count[s])
            continue;
        frame_t f = d->swap_cache[s];
        char where[48];
        if (f == NO_FRAME)
            snprintf(where, sizeof where, "-");
        else
            snprintf(where, sizeof where, "frame %" PRIu32 "%s", f,
                     m->frame[f].free ? " (free list)" : "");
        printf("%4" PRIu32 " %7" PRIu32 " %s\n", s, d->swap_count[s], where);
    }
}

void print_ps(struct machine *m)
{
    if (!m->nproc) {
        printf("no processes (spawn makes one)\n");
        return;
    }
    printf("  pid ppid state   cr3       regions resident\n");
    for (unsigned i = 0; i < m->nproc; i++) {
        const struct proc *p = m->proc[i];
        char mark = p == m->cur ? '*' : ' ';
        if (proc_alive(p)) {
            char cr3[24];
            snprintf(cr3, sizeof cr3, X, p->cr3);
            printf("%c%4d %4d %-7s %-9s %7u %8" PRIu64 "\n", mark, p->pid, p->ppid,
                   proc_state_name(p->state), cr3, p->nvmas,
                   proc_resident(m, (struct proc *)p));
            continue;
        }
        printf("%c%4d %4d %-7s %-9s %7s %8s", mark, p->pid, p->ppid,
               proc_state_name(p->state), "-", "-", "-");
        if (p->state == PROC_KILLED) {
            char err[48];
            printf("  %s at " X, kill_reason_name(p->kill_reason), p->kill_va);
            if (p->kill_error)
                printf(", error %s", pf_error_text(p->kill_error, err, sizeof err));
        }
        printf("\n");
    }
}

/* --- The clock and the counters --------------------------------------------- */

void print_clock(struct machine *m)
{
    char hands[96];
    printf("%s\n", hands_text(m, hands, sizeof hands));
    bool two = m->cfg.policy == POLICY_CLOCK2;
    unsigned shown = 0;
    for (frame_t f = 0; f < m->cfg.frames; f++) {
        const struct frame *fr = &m->frame[f];
        if ((fr->use != FRAME_ANON && fr->use != FRAME_FILE) || fr->free)
            continue;
        if (!shown++)
            printf("   frame A D dirty pageable page\n");
        char mark[3] = "  ";
        if (two) {
            if (f == m->clock.front)
                mark[0] = 'F';
            if (f == m->clock.back)
                mark[1] = 'B';
        } else if (f == m->clock.hand) {
            mark[0] = '>';
        }
        pte_t bits = frame_mapped_bits(m, f);
        char holds[96], by[160];
        frame_holds(m, f, -1, holds, sizeof holds);
        printf("%s %5" PRIu32 " %c %c %-5s %-8s %s%s%s, %s\n", mark, f,
               bits & PTE_A ? 'A' : '-', bits & PTE_D ? 'D' : '-',
               fr->dirty ? "yes" : "no", frame_pageable(m, f) ? "yes" : "no",
               frame_use_name(fr->use), strcmp(holds, "-") ? " " : "",
               strcmp(holds, "-") ? holds : "", frame_mappers(fr, by, sizeof by));
    }
    if (!shown)
        printf("no mapped pages: nothing for the clock to take\n");
}

void print_stats(const struct stats *now, const struct stats *base, int levels)
{
    for (unsigned i = 0; i < stats_nfields; i++)
        printf("%-14s %10" PRIu64 "\n", stats_fields[i].name,
               stats_value(now, i) - stats_value(base, i));
    uint64_t refs = now->refs - base->refs;
    uint64_t hits = now->tlb_hits - base->tlb_hits;
    uint64_t misses = now->tlb_misses - base->tlb_misses;
    uint64_t walks = now->walk_reads - base->walk_reads;
    if (hits + misses)
        printf("tlb hit rate   %9.1f%% (%" PRIu64 " hits in %" PRIu64 " translations)\n",
               100.0 * (double)hits / (double)(hits + misses), hits, hits + misses);
    if (refs)
        printf("slowdown       %9.2fx (%" PRIu64 " memory accesses for %" PRIu64
               " references: with no TLB %dx, all hits 1x)\n",
               (double)(refs + walks) / (double)refs, refs + walks, refs, levels + 1);
}

/* --- Translations ------------------------------------------------------------ */

/* The TLB entry that answered va (scanned, not looked up: no stamp moves). */
static const struct tlb_entry *tlb_answer(struct machine *m, vaddr_t va)
{
    struct tlb *t = &m->tlb;
    for (int level = 0; level < t->levels; level++) {
        vaddr_t vpn = va >> tlb_shift(t, level);
        const struct tlb_entry *set = tlb_set(t, vpn);
        for (unsigned w = 0; w < t->ways; w++)
            if (set[w].valid && set[w].level == level && set[w].vpn == vpn)
                return &set[w];
    }
    return NULL;
}

int tlb_page_level(struct machine *m, vaddr_t va)
{
    const struct tlb_entry *e = tlb_answer(m, va);
    return e ? e->level : -1;
}

/* The level of the page that translates va as this translation found it:
 * the leaf the walk read, else the TLB entry that answered; 0 (4 KiB) when
 * neither was found, as when the walk stops above the leaf. */
static int found_level(struct machine *m, const struct walk *w, int tlb_level)
{
    if (w->nsteps > 0) {
        const struct walk_step *s = &w->step[w->nsteps - 1];
        bool leaf = m->cfg.arch == ARCH_IA32 ? pte32_is_leaf(s->entry, s->level)
                                             : pte_is_leaf(s->entry, s->level);
        return pte_present(s->entry) && leaf ? s->level : 0;
    }
    return w->tlb_hit && tlb_level > 0 ? tlb_level : 0;
}

/* The index of va at level, as a walk must take it: a walk that read
 * another entry of that table has a bug, and what it printed would blame
 * the wrong entry. */
static unsigned wanted_index(struct machine *m, vaddr_t va, int level)
{
    return arch_index(m->cfg.arch, va, level);
}

void print_walk(struct machine *m, vaddr_t va, const struct walk *w,
                const struct translation *t, int tlb_level)
{
    if (t->fault == FAULT_GP) {
        printf("  %s\n  general-protection fault (#GP), not a page fault\n",
               m->cfg.arch == ARCH_IA32 ? "not a 32-bit address: general protection"
                                        : walk_stop_text(WALK_NONCANONICAL));
        return;
    }
    /* Split at the page size found: a 2 MiB page has no PT index, and its
     * offset is 21 bits. */
    int arch = m->cfg.arch, levels = arch_levels(arch);
    int leaf = found_level(m, w, tlb_level);
    unsigned shift = arch_shift(arch, leaf);
    printf("  indices:");
    for (int level = levels - 1; level >= leaf; level--)
        printf(" %s %u,", level_name(level), wanted_index(m, va, level));
    printf(" offset 0x%0*" PRIx64, (int)(shift + 3) / 4,
           va & (((uint64_t)1 << shift) - 1));
    if (leaf > 0) {
        char page[24];
        printf(" (%s page)", size_text(arch_size(arch, leaf), page, sizeof page));
    }
    printf("\n");
    if (w->tlb_hit) {
        const struct tlb_entry *e = t->fault == FAULT_NONE ? tlb_answer(m, va) : NULL;
        if (e)
            printf("  TLB hit: %s page " X " -> " X ", %s %s %s%s%s\n",
                   page_size_name(arch, e->level),
                   arch == ARCH_IA32 ? e->vpn << tlb_shift(&m->tlb, e->level)
                                     : va_sign_extend(e->vpn << tlb_shift(&m->tlb, e->level)),
                   e->base,
                   e->writable ? "W" : "-", e->user ? "U" : "-", e->nx ? "NX" : "-",
                   e->global ? " G" : "", e->dirty ? " D" : "");
        else
            printf("  TLB hit: the cached rights refuse the access (the entry is "
                   "dropped)\n");
    } else {
        printf("  TLB miss: walk from CR3 " X "\n", m->cr3);
    }
    for (int i = 0; i < w->nsteps; i++) {
        const struct walk_step *s = &w->step[i];
        char label[24], at[32], etext[160];
        snprintf(label, sizeof label, "%s[%u]", level_name(s->level), s->index);
        snprintf(at, sizeof at, "at " X, s->entry_pa);
        printf("  %-10s %-12s %s\n", label, at,
               pte_text_arch(arch, s->entry, s->level, etext, sizeof etext));
        if (s->level >= 0 && s->level < levels &&
            s->index != wanted_index(m, va, s->level))
            printf("  the walk read %s entry %u, but the address's %s index is %u "
                   "(its bits %u..%u): check how the walk computes the index\n",
                   level_name(s->level), s->index, level_name(s->level),
                   wanted_index(m, va, s->level), arch_shift(arch, s->level + 1) - 1,
                   arch_shift(arch, s->level));
    }
    if (t->fault == FAULT_PAGE) {
        char err[64];
        printf("  page fault, error %s: %s", pf_error_text(t->error, err, sizeof err),
               walk_stop_text(w->stop));
        if (w->stop_level >= 0 && w->stop_level < levels) {
            /* The entry that refused is the one the walk read there. */
            unsigned want = wanted_index(m, va, w->stop_level);
            const struct walk_step *read = NULL;
            for (int i = 0; i < w->nsteps; i++)
                if (w->step[i].level == w->stop_level)
                    read = &w->step[i];
            if (read && read->index != want)
                printf(" (%s entry %u, which the walk read instead of entry %u)",
                       level_name(w->stop_level), read->index, want);
            else
                printf(" (%s entry %u)", level_name(w->stop_level), want);
        }
        printf("\n");
        return;
    }
    printf("  -> pa " X ": frame %" PRIu64 ", offset 0x%03" PRIx64, t->pa,
           t->pa >> PAGE_SHIFT, t->pa & PAGE_MASK);
    if (t->pa >= m->memsize)
        printf(", past the end of memory (%u frames): a bus error if used",
               m->cfg.frames);
    printf("\n");
}
