/*
 * check.c - vm_check: recount everything from the page tables up and
 * compare with what the machine believes (check.h lists the rules).
 *
 * The checker reads only; it never sets a bit, never counts a statistic,
 * never calls student code, so calling it between any two steps changes
 * nothing.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "huge.h"
#include "machine.h"
#include "pagetable.h"
#include "proc.h"
#include "vma.h"

struct checker {
    struct machine *m;
    FILE *out;
    unsigned problems;
    uint32_t *maps;         /* leaf entries found mapping each frame */
    uint32_t *private_writable; /* ... of which writable, from MAP_PRIVATE regions */
    uint32_t *table_refs;   /* entries found pointing at each table frame */
    uint32_t *swap_refs;    /* swap entries found naming each slot */
    struct proc *proc;      /* the process being visited */
};

__attribute__((format(printf, 2, 3)))
static void problem(struct checker *c, const char *fmt, ...)
{
    c->problems++;
    if (!c->out)
        return;
    /* The line is made first and written at once: tests running in
     * parallel share stderr, and a line written in pieces gets another
     * test's pieces in the middle of it. */
    char line[512];
    int n = snprintf(line, sizeof line, "vm_check: ");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    strcat(line, "\n");
    fputs(line, c->out);
}

static void check_free_list(struct checker *c)
{
    struct machine *m = c->m;
    uint32_t n = 0;
    frame_t prev = NO_FRAME;
    uint8_t *seen = calloc(m->cfg.frames, 1);
    if (!seen)
        return;
    for (frame_t f = m->free.head; f != NO_FRAME; f = m->frame[f].next) {
        if (f >= m->cfg.frames) {
            problem(c, "free list: link to frame %" PRIu32 " past memory", f);
            break;
        }
        if (seen[f]) {
            problem(c, "free list: frame %" PRIu32 " appears twice (a cycle)", f);
            break;
        }
        seen[f] = 1;
        n++;
        if (m->frame[f].prev != prev)
            problem(c, "free list: frame %" PRIu32 " has prev %" PRIu32 ", expected %" PRIu32,
                    f, m->frame[f].prev, prev);
        prev = f;
    }
    if (prev != m->free.tail)
        problem(c, "free list: tail is %" PRIu32 ", the last frame is %" PRIu32,
                m->free.tail, prev);
    if (n != m->free.count)
        problem(c, "free list: count is %" PRIu32 ", the list has %" PRIu32, m->free.count, n);
    for (frame_t f = 0; f < m->cfg.frames; f++) {
        const struct frame *fr = &m->frame[f];
        if (fr->free != (seen[f] != 0))
            problem(c, "frame %" PRIu32 ": free flag is %d but it is %son the free list",
                    f, fr->free, seen[f] ? "" : "not ");
        if (fr->free) {
            bool kept = (fr->use == FRAME_ANON && fr->slot != NO_SLOT) ||
                        fr->use == FRAME_FILE;
            if (fr->use != FRAME_FREE && !kept)
                problem(c, "frame %" PRIu32 ": free, but a %s frame with nothing on disk",
                        f, frame_use_name(fr->use));
            if (fr->refcount || fr->rmap)
                problem(c, "frame %" PRIu32 ": free, but mapped (refcount %" PRIu32 ")",
                        f, fr->refcount);
            if (fr->dirty)
                problem(c, "frame %" PRIu32 ": free, but dirty", f);
        } else if (fr->use == FRAME_FREE) {
            problem(c, "frame %" PRIu32 ": holds nothing, but is not on the free list", f);
        }
    }
    free(seen);
}

/* The table at pa, or NULL when pa is not a frame of memory: the checker
 * must survive any corruption, so it never lets phys_table panic. */
static const pte_t *table_at(const struct machine *m, paddr_t pa)
{
    if (pa >= m->memsize || (pa & PAGE_MASK))
        return NULL;
    return (const pte_t *)(m->mem + pa);
}

/* Entry i of the table at pa, in the machine's format (64 or 32 bits);
 * 0 when pa is not a frame. */
static pte_t entry_at(const struct machine *m, paddr_t pa, unsigned i)
{
    const pte_t *t = table_at(m, pa);
    if (!t)
        return 0;
    return m->cfg.arch == ARCH_IA32 ? ((const pte32_t *)t)[i] : t[i];
}

static bool leaf_at(const struct machine *m, pte_t e, int level)
{
    return m->cfg.arch == ARCH_IA32 ? pte32_is_leaf(e, level) : pte_is_leaf(e, level);
}

/* The entry for va at level under root, or 0 when a table on the way is
 * missing, broken or a leaf. */
static pte_t entry_at_level(const struct machine *m, paddr_t root, vaddr_t va, int at)
{
    int arch = m->cfg.arch;
    paddr_t table = root;
    for (int level = arch_levels(arch) - 1; level > at; level--) {
        if (!table_at(m, table))
            return 0;
        pte_t e = entry_at(m, table, arch_index(arch, va, level));
        if (!pte_present(e) || leaf_at(m, e, level))
            return 0;
        table = pte_addr(e);
    }
    return entry_at(m, table, arch_index(arch, va, at));
}

/* p's level-0 entry for va, or 0. */
static pte_t leaf_of(const struct machine *m, paddr_t root, vaddr_t va)
{
    return entry_at_level(m, root, va, 0);
}

static bool region_allows_leaf(const struct machine *m, const struct vma *v, pte_t e)
{
    pte_t rights = vma_pte_flags(v);
    if (m->cfg.arch == ARCH_IA32)   /* no NX: every readable page executes */
        rights &= ~PTE_NX;
    if ((e & PTE_W) && !(rights & PTE_W))
        return false;
    if ((e & PTE_U) && !(rights & PTE_U))
        return false;
    if (!(e & PTE_NX) && (rights & PTE_NX))
        return false;
    return true;
}

static bool rmap_has(const struct frame *fr, const struct proc *p, vaddr_t va)
{
    for (const struct rmap *r = fr->rmap; r; r = r->next)
        if (r->proc == p && r->va == va)
            return true;
    return false;
}

static void check_leaf(struct checker *c, vaddr_t va, pte_t e)
{
    struct machine *m = c->m;
    struct proc *p = c->proc;
    const struct vma *v = vma_find(p, va);
    int pid = p->pid;
    if (pte_is_swap(e)) {
        uint32_t slot = pte_swap_slot(e);
        if (slot >= m->disk.nslots)
            problem(c, "pid %d va %#" PRIx64 ": swap entry names slot %" PRIu32
                    " of %" PRIu32, pid, va, slot, m->disk.nslots);
        else
            c->swap_refs[slot]++;
        if (!v || v->file >= 0)
            problem(c, "pid %d va %#" PRIx64 ": swap entry outside an anonymous region",
                    pid, va);
        return;
    }
    if (!pte_present(e)) {
        problem(c, "pid %d va %#" PRIx64 ": entry %#" PRIx64 " is neither present, "
                "a swap entry, nor 0", pid, va, e);
        return;
    }
    if (!v) {
        problem(c, "pid %d va %#" PRIx64 ": present page outside every region", pid, va);
    } else {
        if (!region_allows_leaf(c->m, v, e))
            problem(c, "pid %d va %#" PRIx64 ": entry %#" PRIx64 " grants more than "
                    "the region's protection", pid, va, e);
        if ((e & PTE_COW) && vma_shared(v))
            problem(c, "pid %d va %#" PRIx64 ": copy-on-write in a MAP_SHARED region",
                    pid, va);
    }
    if ((e & PTE_W) && (e & PTE_COW))
        problem(c, "pid %d va %#" PRIx64 ": entry both writable and copy-on-write",
                pid, va);
    frame_t f = pte_frame(e);
    if (f >= m->cfg.frames) {
        problem(c, "pid %d va %#" PRIx64 ": maps frame %" PRIu32 " past memory",
                pid, va, f);
        return;
    }
    const struct frame *fr = &m->frame[f];
    if (fr->use != FRAME_ANON && fr->use != FRAME_FILE)
        problem(c, "pid %d va %#" PRIx64 ": maps frame %" PRIu32 ", a %s frame",
                pid, va, f, frame_use_name(fr->use));
    if (fr->free)
        problem(c, "pid %d va %#" PRIx64 ": maps frame %" PRIu32 ", on the free list",
                pid, va, f);
    if (!rmap_has(fr, p, va))
        problem(c, "pid %d va %#" PRIx64 ": maps frame %" PRIu32
                " but is not in its reverse map", pid, va, f);
    if (fr->use == FRAME_FILE && v && !vma_shared(v) && (e & PTE_W))
        problem(c, "pid %d va %#" PRIx64 ": file page writable in a private region",
                pid, va);
    if (fr->use == FRAME_FILE && v &&
        (v->file != fr->file || vma_file_index(v, va) != fr->index))
        problem(c, "pid %d va %#" PRIx64 ": maps a page of the wrong file or offset",
                pid, va);
    c->maps[f]++;
    if ((!v || !vma_shared(v)) && (e & PTE_W))
        c->private_writable[f]++;
}

/* A 2 MiB leaf at va: it must lie in a huge region and map the first
 * frame of a 2 MiB page, which names it in its reverse map. */
static void check_huge_leaf(struct checker *c, vaddr_t va, pte_t e)
{
    struct machine *m = c->m;
    int pid = c->proc->pid;
    const struct vma *v = vma_find(c->proc, va);
    frame_t f = pte_frame(e);
    if (!v || !vma_huge(v))
        problem(c, "pid %d va %#" PRIx64 ": a 2 MiB page outside every huge region",
                pid, va);
    else if (!region_allows_leaf(m, v, e))
        problem(c, "pid %d va %#" PRIx64 ": entry %#" PRIx64 " grants more than "
                "the region's protection", pid, va, e);
    if (f % HUGE_FRAMES || f >= m->cfg.frames || m->frame[f].use != FRAME_HUGE) {
        problem(c, "pid %d va %#" PRIx64 ": a 2 MiB page at frame %" PRIu32
                ", not the start of a huge page", pid, va, f);
        return;
    }
    if (!rmap_has(&m->frame[f], c->proc, va))
        problem(c, "pid %d va %#" PRIx64 ": maps frame %" PRIu32
                " but is not in its reverse map", pid, va, f);
    c->maps[f]++;
}

/* Checks entry e of the table at level, which covers va; returns whether
 * it points at a table to descend into. */
static bool check_entry(struct checker *c, int level, vaddr_t va, pte_t e)
{
    if (level == 1 && c->m->cfg.arch == ARCH_X86_64 && pte_present(e) &&
        pte_is_leaf(e, level)) {
        check_huge_leaf(c, va, e);
        return false;
    }
    if (pte_is_leaf(e, level) && level > 0 && pte_present(e)) {
        problem(c, "pid %d va %#" PRIx64 ": a %s page in user space, which no region "
                "makes", c->proc->pid, va, c->m->cfg.arch == ARCH_IA32 ? "4 MiB"
                                           : level == 1 ? "2 MiB" : "1 GiB");
        return false;
    }
    if (level == 0) {
        check_leaf(c, va, e);
        return false;
    }
    if (!pte_present(e)) {
        problem(c, "pid %d va %#" PRIx64 ": non-present %s-level entry %#" PRIx64,
                c->proc->pid, va, level == 3 ? "PML4" : level == 2 ? "PDPT" : "PD", e);
        return false;
    }
    frame_t t = pte_frame(e);
    if (t >= c->m->cfg.frames || c->m->frame[t].use != FRAME_TABLE) {
        problem(c, "pid %d va %#" PRIx64 ": entry points at frame %" PRIu32
                ", not a table", c->proc->pid, va, t);
        return false;
    }
    return ++c->table_refs[t] == 1;    /* a table reached twice is walked once */
}

/* Checks the user entries of the table at pa (level), covering from base. */
static void check_table(struct checker *c, paddr_t pa, int level, vaddr_t base,
                        unsigned entries)
{
    int arch = c->m->cfg.arch;
    for (unsigned i = 0; table_at(c->m, pa) && i < entries; i++) {
        pte_t e = entry_at(c->m, pa, i);
        if (e == 0)
            continue;
        vaddr_t va = base + ((vaddr_t)i << arch_shift(arch, level));
        if (check_entry(c, level, va, e))
            check_table(c, pte_addr(e), level - 1, va, arch_entries(arch));
    }
}

/* The kernel's tables: count them, and nothing else. */
static void count_kernel_tables(struct checker *c, paddr_t pa, int level)
{
    for (unsigned i = 0; table_at(c->m, pa) && i < arch_entries(c->m->cfg.arch); i++) {
        pte_t e = entry_at(c->m, pa, i);
        if (!pte_present(e) || leaf_at(c->m, e, level))
            continue;
        frame_t f = pte_frame(e);
        if (f < c->m->cfg.frames && c->table_refs[f]++ == 0 && level > 1)
            count_kernel_tables(c, pte_addr(e), level - 1);
    }
}

static void check_vmas(struct checker *c, struct proc *p, unsigned *file_maps)
{
    unsigned n = 0;
    vaddr_t last = 0;
    for (const struct vma *v = p->vmas; v; v = v->next) {
        n++;
        if (v->start >= v->end || (v->start & PAGE_MASK) || (v->end & PAGE_MASK) ||
            v->start < USER_MIN || v->end > USER_TOP)
            problem(c, "pid %d: bad region [%#" PRIx64 ", %#" PRIx64 ")",
                    p->pid, v->start, v->end);
        if (v->start < last)
            problem(c, "pid %d: region at %#" PRIx64 " overlaps or is out of order",
                    p->pid, v->start);
        last = v->end;
        if (v->file >= 0) {
            if (!disk_file(c->m, v->file))
                problem(c, "pid %d: region at %#" PRIx64 " maps a deleted file",
                        p->pid, v->start);
            else
                file_maps[v->file]++;
        }
    }
    if (n != p->nvmas)
        problem(c, "pid %d: nvmas is %u, the list has %u", p->pid, p->nvmas, n);
}

static void check_procs(struct checker *c)
{
    struct machine *m = c->m;
    unsigned *file_maps = calloc(m->disk.nfiles + 1, sizeof *file_maps);
    if (!file_maps)
        return;
    int arch = m->cfg.arch, top = arch_levels(arch) - 1;
    unsigned kfirst = arch == ARCH_IA32 ? KERNEL32_PDE_INDEX : KERNEL_PML4_INDEX;
    c->table_refs[m->kernel_pml4 >> PAGE_SHIFT]++;
    count_kernel_tables(c, m->kernel_pml4, top);
    for (unsigned i = 0; i < m->nproc; i++) {
        struct proc *p = m->proc[i];
        if (!proc_alive(p)) {
            if (p->cr3 || p->vmas)
                problem(c, "pid %d: dead but still has memory", p->pid);
            if (m->cur == p)
                problem(c, "pid %d: dead but running", p->pid);
            continue;
        }
        check_vmas(c, p, file_maps);
        if (p->cr3 >= m->memsize || (p->cr3 & PAGE_MASK)) {
            problem(c, "pid %d: CR3 %#" PRIx64 " is not a frame", p->pid, p->cr3);
            continue;
        }
        frame_t root = (frame_t)(p->cr3 >> PAGE_SHIFT);
        if (m->frame[root].use != FRAME_TABLE)
            problem(c, "pid %d: PML4 in frame %" PRIu32 ", not a table", p->pid, root);
        c->table_refs[root]++;
        for (unsigned k = kfirst; k < arch_entries(arch); k++)
            if ((entry_at(m, p->cr3, k) ^ entry_at(m, m->kernel_pml4, k)) &
                ~(PTE_A | PTE_D)) {
                /* A is each copy's own, and D too where the copy is a leaf
                 * (IA-32's 4 MiB pages of the kernel's quarter) */
                problem(c, "pid %d: %s entry %u differs from the kernel's", p->pid,
                        arch == ARCH_IA32 ? "page directory" : "PML4", k);
                break;
            }
        c->proc = p;
        check_table(c, p->cr3, top, 0, kfirst);
    }
    if (m->cur && !proc_alive(m->cur))
        problem(c, "the running process %d is dead", m->cur->pid);
    paddr_t want = m->cur ? m->cur->cr3 : m->kernel_pml4;
    if (m->cr3 != want)
        problem(c, "CR3 is %#" PRIx64 ", expected %#" PRIx64, m->cr3, want);
    for (unsigned id = 0; id < m->disk.nfiles; id++) {
        const struct disk_file *df = m->disk.file[id];
        if (df && df->maps != file_maps[id])
            problem(c, "file %s: %u regions counted, %u found", df->name, df->maps,
                    file_maps[id]);
    }
    free(file_maps);
}

static void check_frames(struct checker *c)
{
    struct machine *m = c->m;
    for (frame_t f = 0; f < m->cfg.frames; f++) {
        const struct frame *fr = &m->frame[f];
        if (fr->use == FRAME_TABLE && c->table_refs[f] != 1)
            problem(c, "frame %" PRIu32 ": a table reached %" PRIu32 " times, expected once",
                    f, c->table_refs[f]);
        bool huge = fr->use == FRAME_HUGE;
        if (huge && (fr->index >= HUGE_FRAMES || f % HUGE_FRAMES != fr->index ||
                     (fr->index && (fr->refcount || fr->rmap)))) {
            problem(c, "frame %" PRIu32 ": part %" PRIu64 " of a 2 MiB page, out of place "
                    "or mapped on its own", f, fr->index);
            continue;
        }
        if ((fr->use != FRAME_ANON && fr->use != FRAME_FILE && !huge) ||
            (huge && fr->index))
            continue;
        uint32_t len = 0;
        for (const struct rmap *r = fr->rmap; r; r = r->next) {
            len++;
            pte_t e = !proc_alive(r->proc) ? 0
                    : huge ? entry_at_level(m, r->proc->cr3, r->va, 1)
                    : leaf_of(m, r->proc->cr3, r->va);
            if (!pte_present(e) || pte_frame(e) != f)
                problem(c, "frame %" PRIu32 ": reverse map names pid %d va %#" PRIx64
                        ", which does not map it", f, r->proc->pid, r->va);
        }
        if (len != fr->refcount || c->maps[f] != fr->refcount)
            problem(c, "frame %" PRIu32 ": refcount %" PRIu32 ", reverse map %" PRIu32
                    ", mappings found %" PRIu32, f, fr->refcount, len, c->maps[f]);
        if (!fr->free && fr->refcount == 0)
            problem(c, "frame %" PRIu32 ": a %s page nothing maps, not on the free list",
                    f, frame_use_name(fr->use));
        /* A write through a private entry must be its process's alone. A
         * shared entry may write a frame a private one maps too: that is a
         * file page the private region has not copied yet, and it sees the
         * write, as the lab's MAP_PRIVATE does. */
        if (c->private_writable[f] && c->maps[f] > 1)
            problem(c, "frame %" PRIu32 ": mapped by %" PRIu32 " entries, writable "
                    "through %" PRIu32 " in private regions (copy-on-write broken)",
                    f, c->maps[f], c->private_writable[f]);
        if (fr->use == FRAME_FILE) {
            struct disk_file *df = disk_file(m, fr->file);
            if (!df || fr->index >= df->npages || df->cache[fr->index] != f)
                problem(c, "frame %" PRIu32 ": file page not in the page cache", f);
        } else if (fr->slot != NO_SLOT &&
                   (fr->slot >= m->disk.nslots || m->disk.swap_cache[fr->slot] != f)) {
            problem(c, "frame %" PRIu32 ": swap slot %" PRIu32 " does not name it back",
                    f, fr->slot);
        }
    }
    for (unsigned id = 0; id < m->disk.nfiles; id++) {
        const struct disk_file *df = m->disk.file[id];
        for (uint64_t i = 0; df && i < df->npages; i++) {
            frame_t f = df->cache[i];
            if (f != NO_FRAME && (f >= m->cfg.frames || m->frame[f].use != FRAME_FILE ||
                                  m->frame[f].file != (int)id || m->frame[f].index != i))
                problem(c, "file %s page %" PRIu64 ": cached in frame %" PRIu32
                        ", which holds something else", df->name, i, f);
        }
    }
}

static void check_swap(struct checker *c)
{
    const struct disk *d = &c->m->disk;
    uint32_t used = 0;
    for (uint32_t s = 0; s < d->nslots; s++) {
        frame_t f = d->swap_cache[s];
        uint32_t want = c->swap_refs[s] + (f != NO_FRAME);
        if (d->swap_count[s] != want)
            problem(c, "swap slot %" PRIu32 ": count %" PRIu32 ", holders found %" PRIu32,
                    s, d->swap_count[s], want);
        if (d->swap_count[s])
            used++;
        if (f != NO_FRAME && (f >= c->m->cfg.frames || c->m->frame[f].slot != s ||
                              c->m->frame[f].use != FRAME_ANON))
            problem(c, "swap slot %" PRIu32 ": cached in frame %" PRIu32
                    ", which does not hold it", s, f);
    }
    if (used != d->swap_used)
        problem(c, "swap: %" PRIu32 " slots counted used, %" PRIu32 " found",
                d->swap_used, used);
}

/* The TLB entry e must agree with a software walk of CR3's tables. */
static void check_tlb_entry(struct checker *c, const struct tlb_entry *e)
{
    struct machine *m = c->m;
    int arch = m->cfg.arch;
    vaddr_t va = e->vpn << arch_shift(arch, e->level);
    if (arch != ARCH_IA32)
        va = va_sign_extend(va);
    paddr_t table = m->cr3;
    bool w = true, u = true, nx = false;
    for (int level = arch_levels(arch) - 1; level >= e->level; level--) {
        if (!table_at(m, table)) {
            problem(c, "tlb: va %#" PRIx64 ": walk reaches %#" PRIx64 ", not a table",
                    va, table);
            return;
        }
        pte_t pte = entry_at(m, table, arch_index(arch, va, level));
        if (!pte_present(pte)) {
            problem(c, "tlb: va %#" PRIx64 " cached, but its %s entry is not present",
                    va, level == 3 ? "PML4" : level == 2 ? "PDPT" : level == 1 ? "PD" : "PT");
            return;
        }
        w = w && (pte & PTE_W);
        u = u && (pte & PTE_U);
        nx = nx || (arch != ARCH_IA32 && (pte & PTE_NX));
        bool leaf = leaf_at(m, pte, level);
        if (level > e->level && leaf) {
            problem(c, "tlb: va %#" PRIx64 " cached as a level-%d page, "
                    "but the tables have a bigger page", va, e->level);
            return;
        }
        if (level == e->level) {
            if (!leaf)
                problem(c, "tlb: va %#" PRIx64 " cached as a level-%d page, "
                        "but the tables map smaller pages", va, e->level);
            else if (pte_addr(pte) != e->base)
                problem(c, "tlb: va %#" PRIx64 " cached as %#" PRIx64 ", tables say %#" PRIx64,
                        va, e->base, pte_addr(pte));
            else if ((e->writable && !w) || (e->user && !u) || (!e->nx && nx))
                problem(c, "tlb: va %#" PRIx64 " cached with more rights than the tables give",
                        va);
            /* IA-32's kernel leaves are copies in every directory, each with
             * its own A and D: a global entry made through another copy
             * outlives a switch to this one. */
            else if (!(pte & PTE_A) && !(arch == ARCH_IA32 && e->global))
                problem(c, "tlb: va %#" PRIx64 " cached, but its leaf has A clear", va);
            else if (e->dirty && !(pte & PTE_D) && !(arch == ARCH_IA32 && e->global))
                problem(c, "tlb: va %#" PRIx64 " cached dirty, but its leaf has D clear", va);
            else if (e->global != ((pte & PTE_G) != 0))
                problem(c, "tlb: va %#" PRIx64 " cached %sglobal, its leaf says otherwise",
                        va, e->global ? "" : "non-");
            return;
        }
        table = pte_addr(pte);
    }
}

static void check_tlb(struct checker *c)
{
    const struct tlb *t = &c->m->tlb;
    for (size_t i = 0; i < (size_t)t->sets * t->ways; i++) {
        const struct tlb_entry *e = &t->entry[i];
        if (!e->valid)
            continue;
        if (e->level > 2) {
            problem(c, "tlb: entry %zu has level %u", i, e->level);
            continue;
        }
        if ((e->vpn & (t->sets - 1)) != i / t->ways)
            problem(c, "tlb: entry %zu (vpn %#" PRIx64 ") is in the wrong set", i, e->vpn);
        for (size_t j = i + 1; j < (i / t->ways + 1) * t->ways; j++)
            if (t->entry[j].valid && t->entry[j].level == e->level &&
                t->entry[j].vpn == e->vpn)
                problem(c, "tlb: entries %zu and %zu cache the same page", i, j);
        check_tlb_entry(c, e);
    }
}

static void check_clock(struct checker *c)
{
    const struct machine *m = c->m;
    unsigned n = m->cfg.frames;
    const struct clock_hands *h = &m->clock;
    if (h->hand >= n || h->front >= n || h->back >= n)
        problem(c, "clock: hands %" PRIu32 ", %" PRIu32 ", %" PRIu32
                " not all below %u", h->hand, h->front, h->back, n);
    else if ((h->front + n - h->back) % n != m->cfg.handspread % n)
        problem(c, "clock: front %" PRIu32 " and back %" PRIu32
                " are not handspread %u apart", h->front, h->back, m->cfg.handspread);
}

unsigned vm_check(struct machine *m, FILE *out)
{
    struct checker c = { .m = m, .out = out };
    unsigned n = m->cfg.frames;
    c.maps = calloc(n, sizeof *c.maps);
    c.private_writable = calloc(n, sizeof *c.private_writable);
    c.table_refs = calloc(n, sizeof *c.table_refs);
    c.swap_refs = calloc(m->disk.nslots + 1, sizeof *c.swap_refs);
    if (c.maps && c.private_writable && c.table_refs && c.swap_refs) {
        check_free_list(&c);
        check_procs(&c);
        check_frames(&c);
        check_swap(&c);
        check_tlb(&c);
        check_clock(&c);
    } else {
        problem(&c, "host out of memory");
    }
    free(c.maps);
    free(c.private_writable);
    free(c.table_refs);
    free(c.swap_refs);
    return c.problems;
}
