/*
 * test_paging.c - part B: the fault handler (fault.c), the clock (clock.c)
 * and the pageout daemon (pageout.c), on top of part A.
 *
 * The machine of vt_config: 32 frames; the kernel has 0, 1, 2; the first
 * process's PML4 is frame 3; its first fault at MMAP_BASE makes tables in
 * frames 4, 5, 6 and maps frame 7; later pages get 8, 9, ... Watermarks
 * are 4 and 6: after 22 pages, 3 frames are free, and the next fault runs
 * the daemon first.
 */
#include <errno.h>

#include "vmtest.h"

TestSuite(partB, .init = vt_setup, .fini = vt_teardown, .timeout = VT_TIMEOUT);

struct fix {
    struct machine *m;
    struct proc *p;
    vaddr_t va;     /* a 64-page private anonymous region */
};

static struct fix setup_with(struct vm_config c)
{
    struct fix x;
    x.m = vt_boot(&c);
    x.p = vt_run(x.m);
    x.va = vt_anon(x.m, x.p, 0, 64);
    VT_CHECK(x.m);
    return x;
}

static struct fix setup(void)
{
    return setup_with(vt_config());
}

static vaddr_t page(const struct fix *x, unsigned i)
{
    return x->va + (vaddr_t)i * PAGE_SIZE;
}

/* Write i + 1 to the first byte of pages from .. to - 1. */
static void write_pages(struct fix *x, unsigned from, unsigned to)
{
    for (unsigned i = from; i < to; i++)
        vt_write8(x->m, page(x, i), (uint8_t)(i + 1));
}

/* Touch pages until fewer than low_water frames are free; returns how many. */
static unsigned fill(struct fix *x)
{
    unsigned n = 0;
    while (x->m->free.count >= x->m->cfg.low_water)
        vt_write8(x->m, page(x, n), (uint8_t)(n + 1)), n++;
    return n;
}

/* The free list, head first, into out (at most max); returns its length. */
static unsigned free_list(struct machine *m, frame_t *out, unsigned max)
{
    unsigned n = 0;
    for (frame_t f = m->free.head; f != NO_FRAME && n < max; f = m->frame[f].next)
        out[n++] = f;
    return n;
}

Test(partB, first_read_of_anonymous_page_is_a_minor_fault_of_zeros)
{
    struct fix x = setup();
    VT_EQ(vt_read8(x.m, x.va + 100), 0, "a new anonymous page is not zero");
    VT_EQ(x.m->stats.minor_faults, 1, "minor faults");
    VT_EQ(x.m->stats.major_faults, 0, "major faults");
    VT_EQ(x.m->stats.disk_reads, 0, "disk reads");
    VT_CHECK(x.m);
}

Test(partB, first_write_maps_the_page_writable)
{
    struct fix x = setup();
    vt_write8(x.m, x.va, 0x5a);
    VT_EQ(vt_read8(x.m, x.va), 0x5a, "the byte written is not read back");
    pte_t e = vt_leaf(x.m, x.p, x.va);
    cr_assert((e & (PTE_P | PTE_W | PTE_U)) == (PTE_P | PTE_W | PTE_U),
              "the leaf after a first write is %s, expected P W U set", vt_entry_text(e, 0));
    VT_EQ(x.m->stats.minor_faults, 1, "faults for a write then a read");
    VT_CHECK(x.m);
}

Test(partB, fault_makes_tables_top_down_then_takes_the_data_frame)
{
    struct fix x = setup();
    vt_write8(x.m, x.va, 1);
    VT_EQ(pte_frame(*pt_entry(x.m, x.p, x.va, 3)), 4, "frame of the PDPT");
    VT_EQ(pte_frame(*pt_entry(x.m, x.p, x.va, 2)), 5, "frame of the PD");
    VT_EQ(pte_frame(*pt_entry(x.m, x.p, x.va, 1)), 6, "frame of the PT");
    VT_EQ(vt_frame(x.m, x.p, x.va), 7, "frame of the page");
    vt_write8(x.m, page(&x, 1), 2);
    VT_EQ(vt_frame(x.m, x.p, page(&x, 1)), 8, "frame of the second page");
    VT_CHECK(x.m);
}

Test(partB, fault_outside_any_region_kills_only_that_process)
{
    struct fix x = setup();
    vt_write8(x.m, x.va, 42);
    struct proc *q = vt_run(x.m);      /* no regions at all */
    paddr_t pa;
    int r = vm_access(x.m, 0x20000000, ACC_READ, MODE_USER, &pa);
    VT_EQ(r, -EFAULT, "result of a wild access");
    VT_NAMED(q->state, PROC_KILLED, proc_state_name, "state of pid 2 after a wild access");
    VT_NAMED(q->kill_reason, KILL_SEGV, kill_reason_name, "why pid 2 was killed");
    VT_EQ(q->kill_va, 0x20000000, "address it was killed for");
    cr_assert_null(x.m->cur, "a dead process still runs");
    VT_CHECK(x.m);
    VT_OK(proc_switch(x.m, x.p), "the other process cannot run");
    VT_EQ(vt_read8(x.m, x.va), 42, "the other process lost its data");
    VT_CHECK(x.m);
}

Test(partB, fault_handle_refuses_an_address_outside_every_region)
{
    struct fix x = setup();
    uint32_t free_before = x.m->free.count;
    VT_EQ(fault_handle(x.m, x.p, 0x20000000, PF_U), -EFAULT, "result");
    VT_EQ(x.m->free.count, free_before, "free frames after a refused fault");
    VT_CHECK(x.m);
}

Test(partB, fault_handle_refuses_a_write_to_a_read_only_region)
{
    struct fix x = setup();
    vaddr_t ro = vt_mmap(x.m, x.p, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    VT_EQ(fault_handle(x.m, x.p, ro, PF_W | PF_U), -EFAULT, "write fault in a PROT_READ region");
    VT_EQ(fault_handle(x.m, x.p, ro, PF_U), 0, "read fault in a PROT_READ region");
    VT_CHECK(x.m);
}

Test(partB, fault_handle_refuses_a_fetch_without_prot_exec)
{
    struct fix x = setup();
    VT_EQ(fault_handle(x.m, x.p, x.va, PF_I | PF_U), -EFAULT, "fetch fault in a rw- region");
    VT_CHECK(x.m);
}

Test(partB, fault_handle_refuses_every_access_to_prot_none)
{
    struct fix x = setup();
    vaddr_t none = vt_mmap(x.m, x.p, 0, PAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    VT_EQ(fault_handle(x.m, x.p, none, PF_U), -EFAULT, "read fault in a PROT_NONE region");
    VT_CHECK(x.m);
}

Test(partB, fault_handle_reports_no_free_frame_as_enomem)
{
    struct fix x = setup();
    vt_write8(x.m, x.va, 1);        /* the tables exist */
    frame_t taken[32];
    unsigned n = 0;
    while (x.m->free.count)
        taken[n++] = frame_alloc(x.m, FRAME_ANON);
    VT_EQ(fault_handle(x.m, x.p, page(&x, 1), PF_W | PF_U), -ENOMEM, "result");
    VT_EQ(vt_leaf(x.m, x.p, page(&x, 1)), 0, "entry after a failed fault");
    for (unsigned i = 0; i < n; i++)
        frame_free(x.m, taken[i]);
    VT_CHECK(x.m);
}

Test(partB, clock_referenced_sees_the_accessed_bit)
{
    struct fix x = setup();
    vt_write8(x.m, x.va, 1);
    frame_t f = vt_frame(x.m, x.p, x.va);
    cr_assert(clock_referenced(x.m, f), "a page just used is not referenced");
    *pt_lookup(x.m, x.p, x.va) &= ~PTE_A;
    tlb_invalidate(&x.m->tlb, x.va);
    cr_assert_not(clock_referenced(x.m, f), "referenced with A clear");
    VT_CHECK(x.m);
}

Test(partB, clock_clear_referenced_clears_a_and_invalidates_the_tlb_entry)
{
    struct fix x = setup();
    vt_write8(x.m, x.va, 1);
    clock_clear_referenced(x.m, vt_frame(x.m, x.p, x.va));
    cr_assert_not(vt_leaf(x.m, x.p, x.va) & PTE_A, "A still set");
    cr_assert_null(tlb_lookup(&x.m->tlb, x.va), "TLB entry survived");
    VT_CHECK(x.m);
    vt_read8(x.m, x.va);
    cr_assert(vt_leaf(x.m, x.p, x.va) & PTE_A, "the next use did not set A again");
}

Test(partB, clock_gives_referenced_page_second_chance)
{
    struct fix x = setup();
    write_pages(&x, 0, 3);                          /* frames 7, 8, 9 */
    clock_clear_referenced(x.m, 8);
    VT_EQ(clock_select(x.m), 8, "victim");
    cr_assert_not(vt_leaf(x.m, x.p, page(&x, 0)) & PTE_A,
                  "the referenced page passed over kept its bit");
    VT_EQ(x.m->clock.hand, 9, "hand after choosing frame 8");
    VT_CHECK(x.m);
}

Test(partB, clock_hand_sweeps_whole_memory_when_every_page_is_referenced)
{
    struct fix x = setup();
    write_pages(&x, 0, 3);
    VT_EQ(clock_select(x.m), 7, "victim after a full sweep");
    VT_EQ(x.m->clock.hand, 8, "hand after the victim");
    for (unsigned i = 0; i < 3; i++)
        cr_assert_not(vt_leaf(x.m, x.p, page(&x, i)) & PTE_A,
                      "page %u kept A through a full sweep", i);
    VT_CHECK(x.m);
}

Test(partB, two_handed_clock_takes_what_the_front_hand_cleared)
{
    struct vm_config c = vt_config();
    c.policy = POLICY_CLOCK2;
    struct fix x = setup_with(c);
    write_pages(&x, 0, 3);
    VT_EQ(x.m->clock.front, 4, "front hand at boot");
    VT_EQ(x.m->clock.back, 0, "back hand at boot");
    VT_EQ(clock_select(x.m), 7, "victim");
    VT_EQ(x.m->clock.front, 12, "front hand after");
    VT_EQ(x.m->clock.back, 8, "back hand after");
    cr_assert_not(vt_leaf(x.m, x.p, page(&x, 2)) & PTE_A, "the front hand left page 2's A");
    VT_CHECK(x.m);
}

Test(partB, two_handed_clock_spares_page_used_between_the_hands)
{
    struct vm_config c = vt_config();
    c.policy = POLICY_CLOCK2;
    struct fix x = setup_with(c);
    write_pages(&x, 0, 3);
    VT_EQ(clock_select(x.m), 7, "first victim");
    vt_read8(x.m, page(&x, 1));                     /* frame 8, behind the front hand */
    VT_EQ(clock_select(x.m), 9, "second victim");
    cr_assert(vt_leaf(x.m, x.p, page(&x, 1)) & PTE_A, "the back hand cleared a bit");
    VT_CHECK(x.m);
}

Test(partB, daemon_runs_when_free_frames_fall_below_low_water)
{
    struct fix x = setup();
    unsigned n = fill(&x);
    VT_EQ(n, 22, "pages touched before memory is low");
    VT_EQ(x.m->stats.pageout_runs, 0, "daemon runs while memory was plentiful");
    vt_write8(x.m, page(&x, n), 1);
    VT_EQ(x.m->stats.pageout_runs, 1, "daemon runs");
    VT_EQ(x.m->free.count, x.m->cfg.high_water - 1, "free frames after the daemon and the fault");
    VT_CHECK(x.m);
}

Test(partB, pageout_frees_frames_up_to_high_water)
{
    struct fix x = setup();
    fill(&x);
    VT_EQ(vm_pageout(x.m), 3, "frames freed");
    VT_EQ(x.m->free.count, 6, "free frames");
    VT_EQ(x.m->stats.evictions, 3, "evictions");
    VT_EQ(vm_pageout(x.m), 0, "frames freed with enough free");
    VT_CHECK(x.m);
}

Test(partB, pageout_unmap_turns_every_entry_into_a_swap_entry)
{
    struct fix x = setup();
    write_pages(&x, 0, 2);
    pageout_unmap(x.m, 7);
    pte_t e = vt_leaf(x.m, x.p, x.va);
    cr_assert(pte_is_swap(e), "page 0's entry after pageout_unmap is %s, expected a swap entry",
              vt_entry_text(e, 0));
    VT_EQ(pte_swap_slot(e), 0, "slot");
    VT_EQ(x.m->frame[7].refcount, 0, "refcount");
    cr_assert(x.m->frame[7].dirty, "a new anonymous page is not dirty");
    VT_EQ(x.m->frame[7].slot, 0, "the frame's slot");
    VT_EQ(swap_count(x.m, 0), 2, "holders of slot 0: the entry and the frame");
    disk_write_swap(x.m, 7);
    frame_evict(x.m, 7);
    VT_CHECK(x.m);
}

Test(partB, dirty_anonymous_pages_go_to_the_lowest_free_swap_slots)
{
    struct fix x = setup();
    fill(&x);
    vm_pageout(x.m);
    for (unsigned i = 0; i < 3; i++) {
        pte_t e = vt_leaf(x.m, x.p, page(&x, i));
        cr_assert(pte_is_swap(e), "page %u's entry after pageout is %s, expected a swap entry",
                  i, vt_entry_text(e, 0));
        VT_EQ(pte_swap_slot(e), i, "slot of the page");
    }
    VT_EQ(x.m->stats.disk_writes, 3, "pages written");
    VT_CHECK(x.m);
}

Test(partB, clean_victims_reach_the_free_list_before_dirty_ones)
{
    struct fix x = setup();
    int id = vt_file(x.m, "data", 2 * PAGE_SIZE, 0);
    vaddr_t fva = vt_mmap(x.m, x.p, 0, 2 * PAGE_SIZE, PROT_READ, MAP_SHARED, id, 0);
    VT_EQ(fva, x.va + 64 * PAGE_SIZE, "where the file went");
    write_pages(&x, 0, 1);                          /* frame 7, dirty */
    vt_read8(x.m, fva);                             /* frame 8, clean */
    vt_read8(x.m, fva + PAGE_SIZE);                 /* frame 9, clean */
    for (unsigned i = 1; x.m->free.count >= x.m->cfg.low_water; i++)
        write_pages(&x, i, i + 1);
    vm_pageout(x.m);
    frame_t list[8];
    unsigned n = free_list(x.m, list, 8);
    VT_EQ(n, 6, "free frames");
    VT_EQ(list[3], 8, "4th free frame (first clean victim)");
    VT_EQ(list[4], 9, "5th free frame (second clean victim)");
    VT_EQ(list[5], 7, "6th free frame (the dirty victim, after its write)");
    VT_EQ(x.m->stats.disk_writes, 1, "pages written");
    VT_CHECK(x.m);
}

Test(partB, pageout_writes_back_a_full_batch_before_choosing_more)
{
    struct vm_config c = vt_config();
    c.high_water = 4 + PAGEOUT_BATCH + 2;
    struct fix x = setup_with(c);
    int id = vt_file(x.m, "data", PAGE_SIZE, 0);
    write_pages(&x, 0, PAGEOUT_BATCH);              /* frames 7 .. 14, dirty */
    vaddr_t fva = vt_mmap(x.m, x.p, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, id, 0);
    vt_read8(x.m, fva);                             /* frame 15, clean */
    unsigned i = PAGEOUT_BATCH;
    while (x.m->free.count >= x.m->cfg.low_water)
        write_pages(&x, i, i + 1), i++;
    vm_pageout(x.m);
    frame_t list[32];
    unsigned n = free_list(x.m, list, 32);
    cr_assert_geq(n, PAGEOUT_BATCH + 3, "only %u frames free after the daemon", n);
    unsigned first = n - (PAGEOUT_BATCH + 3);
    for (unsigned k = 0; k < PAGEOUT_BATCH; k++)
        VT_EQ(list[first + k], 7 + k, "dirty victim of the first batch");
    VT_EQ(list[first + PAGEOUT_BATCH], 15, "the clean victim chosen after the batch");
    VT_CHECK(x.m);
}

Test(partB, reclaim_from_free_list_is_minor_fault)
{
    struct fix x = setup();
    fill(&x);
    vm_pageout(x.m);
    struct stats before = x.m->stats;
    VT_EQ(vt_read8(x.m, page(&x, 0)), 1, "reclaimed page lost its contents");
    VT_EQ(x.m->stats.reclaims - before.reclaims, 1, "reclaims");
    VT_EQ(x.m->stats.minor_faults - before.minor_faults, 1, "minor faults");
    VT_EQ(x.m->stats.disk_reads, before.disk_reads, "disk reads");
    VT_EQ(vt_frame(x.m, x.p, page(&x, 0)), 7, "frame of the reclaimed page");
    VT_CHECK(x.m);
}

Test(partB, swapped_out_page_comes_back_from_swap_with_its_contents)
{
    struct fix x = setup();
    unsigned n = fill(&x);
    write_pages(&x, n, n + 12);                     /* the daemon runs, frames get reused */
    for (unsigned i = 0; i < n + 12; i++) {
        uint8_t b = vt_read8(x.m, page(&x, i));
        cr_assert_eq(b, (uint8_t)(i + 1), "page %u's first byte is %u, expected %u (its "
                     "contents were lost)", i, b, (uint8_t)(i + 1));
    }
    cr_assert_gt(x.m->stats.major_faults, 0, "no page came back from swap");
    VT_EQ(x.m->stats.disk_reads, x.m->stats.major_faults, "reads per major fault");
    VT_CHECK(x.m);
}

Test(partB, swapped_in_page_is_clean_and_keeps_its_slot)
{
    struct fix x = setup();
    unsigned n = fill(&x);
    write_pages(&x, n, n + 6);
    uint64_t reads = x.m->stats.disk_reads;
    vt_read8(x.m, page(&x, 0));
    cr_assert_gt(x.m->stats.disk_reads, reads, "page 0 was not read from swap");
    frame_t f = vt_frame(x.m, x.p, page(&x, 0));
    cr_assert_not(x.m->frame[f].dirty, "a page just read from swap is dirty");
    VT_EQ(x.m->frame[f].slot, 0, "slot of the swapped-in page");
    VT_CHECK(x.m);
}

Test(partB, clean_page_is_evicted_without_a_write)
{
    struct fix x = setup();
    int id = vt_file(x.m, "data", PAGE_SIZE, 7);
    vaddr_t fva = vt_mmap(x.m, x.p, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, id, 0);
    vt_read8(x.m, fva);
    frame_t f = vt_frame(x.m, x.p, fva);
    clock_clear_referenced(x.m, f);
    pageout_unmap(x.m, f);
    cr_assert_not(x.m->frame[f].dirty, "a page only read became dirty");
    frame_evict(x.m, f);
    VT_EQ(x.m->stats.disk_writes, 0, "pages written");
    VT_EQ(vt_leaf(x.m, x.p, fva), 0, "entry of an evicted file page");
    VT_CHECK(x.m);
}

Test(partB, file_page_is_read_once_into_the_page_cache)
{
    struct fix x = setup();
    int id = vt_file(x.m, "data", PAGE_SIZE, 0x30);
    vaddr_t a = vt_mmap(x.m, x.p, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, id, 0);
    vaddr_t b = vt_mmap(x.m, x.p, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, id, 0);
    VT_EQ(vt_read8(x.m, a + 5), 0x35, "file byte 5 read through the mapping");
    VT_EQ(x.m->stats.major_faults, 1, "major faults after the first read");
    VT_EQ(vt_read8(x.m, b + 5), 0x35, "file byte 5 through the second mapping");
    VT_EQ(x.m->stats.major_faults, 1, "major faults after the second read");
    VT_EQ(x.m->stats.minor_faults, 1, "minor faults");
    VT_EQ(vt_frame(x.m, x.p, a), vt_frame(x.m, x.p, b), "frames of the two mappings");
    VT_CHECK(x.m);
}

Test(partB, fault_past_the_end_of_the_file_is_refused)
{
    struct fix x = setup();
    int id = vt_file(x.m, "small", 100, 0);
    vaddr_t a = vt_mmap(x.m, x.p, 0, 2 * PAGE_SIZE, PROT_READ, MAP_SHARED, id, 0);
    VT_EQ(fault_handle(x.m, x.p, a + 99, PF_U), 0, "fault in the file's last page");
    VT_EQ(vt_read8(x.m, a + 200), 0, "bytes past the end of the file are not zero");
    VT_EQ(fault_handle(x.m, x.p, a + PAGE_SIZE, PF_U), -EFAULT, "fault past the file");
    VT_CHECK(x.m);
}

Test(partB, shared_file_page_is_mapped_writable)
{
    struct fix x = setup();
    int id = vt_file(x.m, "data", PAGE_SIZE, 0);
    vaddr_t a = vt_mmap(x.m, x.p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, id, 0);
    vt_read8(x.m, a);
    pte_t e = vt_leaf(x.m, x.p, a);
    cr_assert((e & PTE_W) && !(e & PTE_COW), "the entry of a MAP_SHARED rw- file page is %s, "
              "expected W set and COW clear", vt_entry_text(e, 0));
    VT_CHECK(x.m);
}

Test(partB, private_file_page_is_mapped_copy_on_write)
{
    struct fix x = setup();
    int id = vt_file(x.m, "data", PAGE_SIZE, 0);
    vaddr_t a = vt_mmap(x.m, x.p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, id, 0);
    vt_read8(x.m, a);
    pte_t e = vt_leaf(x.m, x.p, a);
    cr_assert(!(e & PTE_W) && (e & PTE_COW), "the entry of a MAP_PRIVATE rw- file page is %s, "
              "expected W clear and COW set", vt_entry_text(e, 0));
    VT_EQ(vt_frame(x.m, x.p, a), pagecache_lookup(x.m, id, 0), "frame: the page cache's");
    VT_CHECK(x.m);
}

Test(partB, clock_finds_no_victim_when_nothing_is_pageable)
{
    struct vm_config c = vt_config();
    c.swap_slots = 0;
    struct fix x = setup_with(c);
    write_pages(&x, 0, 2);
    VT_EQ(clock_select(x.m), NO_FRAME, "one-handed victim with swap 0");
    x.m->cfg.policy = POLICY_CLOCK2;
    VT_EQ(clock_select(x.m), NO_FRAME, "two-handed victim with swap 0");
    VT_EQ(vm_pageout(x.m), 0, "frames freed");
    VT_CHECK(x.m);
}

Test(partB, dirty_shared_file_page_is_written_to_its_file_when_evicted)
{
    struct fix x = setup();
    int id = vt_file(x.m, "data", PAGE_SIZE, 'a');
    vaddr_t f = vt_mmap(x.m, x.p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, id, 0);
    vt_write8(x.m, f, 'Z');                     /* frame 7: the clock's first victim */
    VT_EQ(vt_frame(x.m, x.p, f), 7, "frame of the file page");
    fill(&x);
    vm_pageout(x.m);
    VT_EQ(vt_leaf(x.m, x.p, f), 0, "entry of the evicted file page");
    char b = 0;
    VT_OK(disk_file_read(x.m, id, 0, &b, 1, true), "the read of the file's byte 0");
    cr_assert_eq(b, 'Z', "the file's byte 0 on the disk is '%c', expected 'Z': the write did "
                 "not reach the disk", b);
    VT_EQ(x.m->stats.disk_writes, 3, "pages written: the file page and two anonymous");
    uint64_t reads = x.m->stats.disk_reads;
    VT_EQ(vt_read8(x.m, f), 'Z', "the page back from the free list");
    VT_EQ(x.m->stats.disk_reads, reads, "disk reads to take it back");
    VT_CHECK(x.m);
}
