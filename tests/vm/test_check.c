/*
 * test_check.c - vm_check finds each kind of inconsistency it claims to:
 * every test breaks one rule of a consistent machine and expects a report
 * naming it.
 */
#define _GNU_SOURCE     /* fopencookie */
#include <stdio.h>
#include <string.h>

#include "vmtest.h"

TestSuite(check, .init = vt_setup, .fini = vt_teardown, .timeout = VT_TIMEOUT);

struct fix {
    struct machine *m;
    struct proc *p;
    vaddr_t va;     /* a written private anonymous page */
    frame_t f;      /* its frame */
};

static struct fix setup(void)
{
    struct vm_config c = vt_config();
    struct fix x;
    x.m = vt_boot(&c);
    x.p = vt_run(x.m);
    x.va = vt_anon(x.m, x.p, 0, 4);
    vt_write8(x.m, x.va, 1);
    x.f = vt_frame(x.m, x.p, x.va);
    VT_CHECK(x.m);
    return x;
}

/* vm_check finds something, and its report contains word. */
static void expect_problem(struct machine *m, const char *word)
{
    char buf[4096] = "";
    FILE *out = fmemopen(buf, sizeof buf - 1, "w");
    unsigned n = vm_check(m, out);
    fclose(out);
    cr_assert_gt(n, 0, "vm_check missed a broken '%s'", word);
    cr_assert(strstr(buf, word) != NULL, "report does not mention '%s':\n%s", word, buf);
}

Test(check, a_consistent_machine_has_no_problems)
{
    struct fix x = setup();
    VT_EQ(vm_check(x.m, NULL), 0, "problems");
}

Test(check, finds_a_free_flag_off_the_list)
{
    struct fix x = setup();
    x.m->frame[x.f].free = true;
    expect_problem(x.m, "free flag");
}

Test(check, finds_a_wrong_free_count)
{
    struct fix x = setup();
    x.m->free.count++;
    expect_problem(x.m, "free list: count");
}

Test(check, finds_a_refcount_that_is_not_the_mapping_count)
{
    struct fix x = setup();
    x.m->frame[x.f].refcount = 2;
    expect_problem(x.m, "refcount");
}

Test(check, finds_an_entry_both_writable_and_copy_on_write)
{
    struct fix x = setup();
    *pt_lookup(x.m, x.p, x.va) |= PTE_COW;
    expect_problem(x.m, "both writable and copy-on-write");
}

Test(check, finds_a_writable_frame_shared_by_private_mappings)
{
    struct fix x = setup();
    vt_write8(x.m, x.va + PAGE_SIZE, 1);
    frame_t g = vt_frame(x.m, x.p, x.va + PAGE_SIZE);
    pte_t *e = pt_lookup(x.m, x.p, x.va + PAGE_SIZE);
    rmap_remove(x.m, g, x.p, x.va + PAGE_SIZE);
    frame_free(x.m, g);
    *e = pte_make((paddr_t)x.f << PAGE_SHIFT, PTE_P | PTE_W | PTE_U | PTE_NX);
    rmap_add(x.m, x.f, x.p, x.va + PAGE_SIZE);
    tlb_flush(&x.m->tlb, true);
    expect_problem(x.m, "copy-on-write broken");
}

Test(check, a_shared_writer_and_a_private_reader_may_share_a_file_page)
{
    /* The private region has not copied the page: both map the page
     * cache's frame, the shared one writable (docs/vm-lab.md, MAP_PRIVATE). */
    struct vm_config c = vt_config();
    struct machine *m = vt_boot(&c);
    struct proc *p = vt_run(m);
    int file = vt_file(m, "notes", PAGE_SIZE, 'v');
    vaddr_t shared = vt_mmap(m, p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, file, 0);
    vaddr_t private = vt_mmap(m, p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, file, 0);
    vt_write8(m, shared, 'w');
    VT_EQ(vt_read8(m, private), 'w', "the private region's byte");
    VT_EQ(vt_frame(m, p, private), vt_frame(m, p, shared), "the private region's frame");
    VT_CHECK(m);
}

Test(check, finds_a_stale_tlb_entry)
{
    struct fix x = setup();
    vt_read8(x.m, x.va);
    *pt_lookup(x.m, x.p, x.va) &= ~PTE_W;       /* no invalidation */
    expect_problem(x.m, "more rights");
}

Test(check, finds_a_tlb_entry_whose_leaf_lost_a)
{
    struct fix x = setup();
    vt_read8(x.m, x.va);
    *pt_lookup(x.m, x.p, x.va) &= ~PTE_A;
    expect_problem(x.m, "A clear");
}

Test(check, finds_a_tlb_entry_for_a_page_not_mapped)
{
    struct fix x = setup();
    struct tlb_entry e = { .valid = true, .level = 0, .vpn = 0x20000, .base = 0x5000,
                           .user = true };
    tlb_insert(&x.m->tlb, &e);
    expect_problem(x.m, "not present");
}

Test(check, finds_clock_hands_out_of_range)
{
    struct fix x = setup();
    x.m->clock.hand = x.m->cfg.frames;
    expect_problem(x.m, "clock");
}

Test(check, finds_clock_hands_not_handspread_apart)
{
    struct fix x = setup();
    x.m->clock.front = (x.m->clock.front + 1) % x.m->cfg.frames;
    expect_problem(x.m, "handspread");
}

Test(check, finds_a_wrong_swap_count)
{
    struct fix x = setup();
    vaddr_t big = vt_anon(x.m, x.p, 0, 40);
    for (unsigned i = 0; x.m->free.count >= x.m->cfg.low_water; i++)
        vt_write8(x.m, big + i * PAGE_SIZE, 1);
    vm_pageout(x.m);
    VT_CHECK(x.m);
    x.m->disk.swap_count[0]++;
    expect_problem(x.m, "swap slot 0");
}

Test(check, finds_a_page_cache_entry_naming_the_wrong_frame)
{
    struct fix x = setup();
    int id = vt_file(x.m, "f", PAGE_SIZE, 0);
    vaddr_t a = vt_mmap(x.m, x.p, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, id, 0);
    vt_read8(x.m, a);
    disk_file(x.m, id)->cache[0] = x.f;
    expect_problem(x.m, "page cache");
}

Test(check, finds_a_leaked_table)
{
    struct fix x = setup();
    *pt_entry(x.m, x.p, x.va, 2) = 0;          /* the PT under it is lost */
    tlb_flush(&x.m->tlb, true);
    expect_problem(x.m, "a table reached 0 times");
}

Test(check, finds_a_present_page_outside_every_region)
{
    struct fix x = setup();
    x.p->vmas->start += PAGE_SIZE;
    expect_problem(x.m, "outside every region");
}

Test(check, finds_a_leaf_granting_more_than_its_region)
{
    struct fix x = setup();
    x.p->vmas->prot = PROT_READ;
    expect_problem(x.m, "grants more");
}

Test(check, finds_a_pml4_that_lost_the_kernel_half)
{
    struct fix x = setup();
    phys_table(x.m, x.p->cr3)[KERNEL_PML4_INDEX] = 0;
    expect_problem(x.m, "differs from the kernel");
}

Test(check, finds_a_wrong_cr3)
{
    struct fix x = setup();
    x.m->cr3 = x.m->kernel_pml4;
    expect_problem(x.m, "CR3");
}

Test(check, finds_a_mapped_frame_missing_from_the_reverse_map)
{
    struct fix x = setup();
    rmap_remove(x.m, x.f, x.p, x.va);
    rmap_add(x.m, x.f, x.p, x.va + PAGE_SIZE);
    expect_problem(x.m, "reverse map");
}

Test(check, finds_a_region_count_that_is_wrong)
{
    struct fix x = setup();
    x.p->nvmas++;
    expect_problem(x.m, "nvmas");
}

Test(check, finds_a_broken_prev_link_and_tail)
{
    struct fix x = setup();
    frame_t second = x.m->frame[x.m->free.head].next;
    x.m->frame[second].prev = NO_FRAME;
    x.m->free.tail = x.m->free.head;
    expect_problem(x.m, "has prev");
    expect_problem(x.m, "tail is");
}

Test(check, finds_a_free_list_cycle)
{
    struct fix x = setup();
    x.m->frame[x.m->free.tail].next = x.m->free.head;
    expect_problem(x.m, "cycle");
}

Test(check, finds_a_frame_lost_from_the_free_list)
{
    struct fix x = setup();
    frame_t f = x.m->free.head;
    x.m->free.head = x.m->frame[f].next;
    x.m->frame[x.m->free.head].prev = NO_FRAME;
    x.m->frame[f].free = false;
    x.m->free.count--;
    expect_problem(x.m, "holds nothing, but is not on the free list");
}

Test(check, finds_bad_swap_and_garbage_entries)
{
    struct fix x = setup();
    *pt_lookup(x.m, x.p, x.va + PAGE_SIZE) = pte_swap(999, 0);
    *pt_lookup(x.m, x.p, x.va + 2 * PAGE_SIZE) = PTE_SOFT;
    expect_problem(x.m, "names slot 999");
    expect_problem(x.m, "neither present");
}

Test(check, finds_a_swap_entry_in_a_file_region)
{
    struct fix x = setup();
    int id = vt_file(x.m, "f", PAGE_SIZE, 0);
    vaddr_t a = vt_mmap(x.m, x.p, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, id, 0);
    vt_read8(x.m, x.va + PAGE_SIZE);            /* a fresh slot-less page to borrow */
    *pt_lookup(x.m, x.p, a) = pte_swap(0, 0);
    expect_problem(x.m, "swap entry outside an anonymous region");
}

Test(check, finds_copy_on_write_in_a_shared_region_and_writable_private_file_pages)
{
    struct fix x = setup();
    int id = vt_file(x.m, "f", PAGE_SIZE, 0);
    vaddr_t s = vt_mmap(x.m, x.p, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, id, 0);
    vaddr_t q = vt_mmap(x.m, x.p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, id, 0);
    vt_read8(x.m, s);
    vt_read8(x.m, q);
    *pt_lookup(x.m, x.p, s) |= PTE_COW;
    *pt_lookup(x.m, x.p, q) = (*pt_lookup(x.m, x.p, q) | PTE_W) & ~PTE_COW;
    tlb_flush(&x.m->tlb, true);
    expect_problem(x.m, "copy-on-write in a MAP_SHARED region");
    expect_problem(x.m, "file page writable in a private region");
}

Test(check, finds_leaves_mapping_tables_or_frames_past_memory)
{
    struct fix x = setup();
    pte_t *e = pt_lookup(x.m, x.p, x.va);
    *e = pte_make(0, *e & ~PTE_ADDR);           /* frame 0: the kernel's PML4 */
    tlb_flush(&x.m->tlb, true);
    expect_problem(x.m, "a table frame");
    *e = pte_make((paddr_t)x.m->cfg.frames << PAGE_SHIFT, *e & ~PTE_ADDR);
    expect_problem(x.m, "past memory");
}

Test(check, finds_a_file_page_mapped_at_the_wrong_offset)
{
    struct fix x = setup();
    int id = vt_file(x.m, "f", 2 * PAGE_SIZE, 0);
    vaddr_t a = vt_mmap(x.m, x.p, 0, 2 * PAGE_SIZE, PROT_READ, MAP_SHARED, id, 0);
    vt_read8(x.m, a);
    x.p->vmas->next->offset = PAGE_SIZE;
    expect_problem(x.m, "wrong file or offset");
}

Test(check, finds_huge_user_pages_and_broken_tables)
{
    struct fix x = setup();
    pte_t *pd = pt_entry(x.m, x.p, x.va, 1);
    pte_t saved = *pd;
    *pd = pte_make(0x200000, PTE_P | PTE_PS | PTE_U);
    tlb_flush(&x.m->tlb, true);
    expect_problem(x.m, "2 MiB page outside every huge region");
    *pd = PTE_SOFT;
    expect_problem(x.m, "non-present PD-level entry");
    *pd = pte_make((paddr_t)x.f << PAGE_SHIFT, PTE_P | PTE_W | PTE_U);
    expect_problem(x.m, "not a table");
    *pd = saved;
}

Test(check, finds_bad_regions_and_file_counts)
{
    struct fix x = setup();
    int id = vt_file(x.m, "f", PAGE_SIZE, 0);
    vt_mmap(x.m, x.p, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, id, 0);
    disk_file(x.m, id)->maps = 2;
    expect_problem(x.m, "regions counted");
    disk_file(x.m, id)->maps = 1;
    x.p->vmas->next->start = x.p->vmas->start;
    expect_problem(x.m, "overlaps");
    x.p->vmas->end = x.p->vmas->start;
    expect_problem(x.m, "bad region");
}

Test(check, finds_dead_processes_that_kept_memory_or_the_cpu)
{
    struct fix x = setup();
    x.p->state = PROC_EXITED;
    expect_problem(x.m, "dead but still has memory");
    expect_problem(x.m, "dead but running");
    expect_problem(x.m, "running process 1 is dead");
}

Test(check, finds_a_process_whose_cr3_is_not_a_table)
{
    struct fix x = setup();
    x.p->cr3 = (paddr_t)x.f << PAGE_SHIFT;
    x.m->cr3 = x.p->cr3;
    tlb_flush(&x.m->tlb, true);
    expect_problem(x.m, "not a table");
    x.p->cr3 = x.m->memsize;
    x.m->cr3 = x.p->cr3;
    expect_problem(x.m, "is not a frame");
}

Test(check, finds_a_mapped_page_freed_nowhere)
{
    struct fix x = setup();
    rmap_remove(x.m, x.f, x.p, x.va);
    *pt_lookup(x.m, x.p, x.va) = 0;
    tlb_flush(&x.m->tlb, true);
    expect_problem(x.m, "nothing maps, not on the free list");
}

Test(check, finds_swap_cache_and_used_count_errors)
{
    struct fix x = setup();
    vaddr_t big = vt_anon(x.m, x.p, 0, 40);
    for (unsigned i = 0; x.m->free.count >= x.m->cfg.low_water; i++)
        vt_write8(x.m, big + i * PAGE_SIZE, 1);
    vm_pageout(x.m);
    VT_CHECK(x.m);
    frame_t cached = swapcache_lookup(x.m, 0);
    x.m->frame[cached].slot = 1;
    expect_problem(x.m, "does not name it back");
    expect_problem(x.m, "which does not hold it");
    x.m->frame[cached].slot = 0;
    x.m->disk.swap_used++;
    expect_problem(x.m, "slots counted used");
}

Test(check, finds_tlb_entries_of_the_wrong_size_base_or_flags)
{
    struct fix x = setup();
    vt_write8(x.m, x.va, 2);                    /* a dirty entry */
    struct tlb_entry *e = tlb_lookup(&x.m->tlb, x.va);
    cr_assert_not_null(e);
    struct tlb_entry saved = *e;
    e->base += PAGE_SIZE;
    expect_problem(x.m, "tables say");
    *e = saved;
    e->global = true;
    expect_problem(x.m, "global");
    *e = saved;
    *pt_lookup(x.m, x.p, x.va) &= ~PTE_D;
    expect_problem(x.m, "D clear");
    *pt_lookup(x.m, x.p, x.va) |= PTE_D;
    e->level = 1;
    e->vpn = x.va >> level_shift(1);
    expect_problem(x.m, "smaller pages");
    *e = saved;
    e->level = 5;
    expect_problem(x.m, "has level 5");
    *e = saved;
    e->vpn++;
    expect_problem(x.m, "wrong set");
}

Test(check, finds_a_tlb_entry_smaller_than_its_page_and_duplicates)
{
    struct fix x = setup();
    struct tlb_entry e = { .valid = true, .level = 0, .vpn = KMAP_BASE >> PAGE_SHIFT,
                           .base = 0, .global = true, .writable = true };
    tlb_insert(&x.m->tlb, &e);
    expect_problem(x.m, "bigger page");
    tlb_flush(&x.m->tlb, false);
    vt_read8(x.m, x.va);
    struct tlb_entry copy = *tlb_lookup(&x.m->tlb, x.va);
    struct tlb_entry *set = tlb_set(&x.m->tlb, copy.vpn);
    for (unsigned w = 0; w < x.m->tlb.ways; w++)
        set[w] = copy;
    expect_problem(x.m, "cache the same page");
}

/* What a stream's writes were: vm_check's output goes to stderr, which
 * tests running in parallel share, and only a line written by one write
 * arrives whole. */
static unsigned nwrites;
static char written[4096];
static size_t nwritten;

static ssize_t record_write(void *cookie, const char *buf, size_t n)
{
    (void)cookie;
    nwrites++;
    cr_assert_lt(nwritten + n, sizeof written, "vm_check wrote more than %zu bytes",
                 sizeof written);
    memcpy(written + nwritten, buf, n);
    nwritten += n;
    written[nwritten] = '\0';
    return (ssize_t)n;
}

Test(check, each_problem_is_written_in_one_write)
{
    struct fix x = setup();
    x.m->free.count++;
    x.m->frame[x.f].refcount = 2;
    FILE *out = fopencookie(NULL, "w", (cookie_io_functions_t){ .write = record_write });
    cr_assert_not_null(out, "fopencookie failed");
    setvbuf(out, NULL, _IONBF, 0);      /* as stderr is */
    unsigned n = vm_check(x.m, out);
    fclose(out);
    cr_assert_geq(n, 2, "vm_check found %u problem(s) in a machine with two:\n%s", n, written);
    cr_assert_eq(nwrites, n, "vm_check wrote %u problem(s) in %u writes, not one write "
                 "each:\n%s", n, nwrites, written);
    unsigned lines = 0;
    for (const char *l = written; *l; l = strchr(l, '\n') + 1) {
        cr_assert(strncmp(l, "vm_check: ", 10) == 0 && strchr(l, '\n'),
                  "not a whole line starting with 'vm_check: ':\n%s", l);
        lines++;
    }
    VT_EQ(lines, n, "lines written for as many problems");
}
