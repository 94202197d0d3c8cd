/*
 * test_mmu.c - part A: the MMU (mmu.c), with the TLB (tlb.c) behind it.
 *
 * Pages are mapped by hand (vt_map_page), so these tests need neither the
 * fault handler nor the pageout daemon. The test process's first region
 * is at MMAP_BASE = 0x10000000: PML4 index 0, PDPT index 0, PD index 128,
 * PT index 0.
 */
#include "vmtest.h"

TestSuite(partA, .init = vt_setup, .fini = vt_teardown, .timeout = VT_TIMEOUT);

#define USER_RW (PTE_U | PTE_W | PTE_NX)
#define USER_RO (PTE_U | PTE_NX)

struct fix {
    struct machine *m;
    struct proc *p;
    vaddr_t va;     /* a mapped page */
    frame_t f;      /* its frame */
};

/* A machine running one process with a 4-page region at MMAP_BASE of prot,
 * whose first page is mapped with leaf flags. */
static struct fix setup(int prot, pte_t flags)
{
    struct vm_config c = vt_config();
    struct fix x;
    x.m = vt_boot(&c);
    x.p = vt_run(x.m);
    x.va = vt_mmap(x.m, x.p, 0, 4 * PAGE_SIZE, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    x.f = vt_map_page(x.m, x.p, x.va, flags);
    VT_CHECK(x.m);
    return x;
}

static struct fix setup_rw(void)
{
    return setup(PROT_READ | PROT_WRITE, USER_RW);
}

static struct translation xlate(struct fix *x, vaddr_t va, enum access acc,
                                enum mode mode, struct walk *w)
{
    return mmu_translate(x->m, va, acc, mode, w);
}

/* The access faults with exactly error. */
static void expect_fault(struct fix *x, vaddr_t va, enum access acc, enum mode mode,
                         struct walk *w, uint32_t error)
{
    char what[96];
    snprintf(what, sizeof what, "a %s-mode %s of %#" PRIx64, mode_name(mode),
             access_name(acc), va);
    VT_PAGE_FAULT(xlate(x, va, acc, mode, w), error, what);
}

Test(partA, mmu_translates_a_mapped_page)
{
    struct fix x = setup_rw();
    struct translation t = xlate(&x, x.va + 0x123, ACC_READ, MODE_USER, NULL);
    VT_NO_FAULT(t, "a user read of a mapped page");
    VT_EQ(t.pa, ((paddr_t)x.f << PAGE_SHIFT) + 0x123, "physical address");
    VT_CHECK(x.m);
}

Test(partA, mmu_non_canonical_address_is_general_protection_fault)
{
    struct fix x = setup_rw();
    struct walk w;
    struct stats before = x.m->stats;
    struct translation t = xlate(&x, 0x0000800000000000, ACC_READ, MODE_USER, &w);
    cr_assert_eq(t.fault, FAULT_GP, "a read of the non-canonical 0x0000800000000000 gave %s, "
                 "expected a general-protection fault (#GP)", vt_fault_text(t));
    VT_STOP(w, WALK_NONCANONICAL);
    VT_EQ(x.m->stats.tlb_hits + x.m->stats.tlb_misses,
          before.tlb_hits + before.tlb_misses, "TLB lookups counted for a #GP");
    VT_EQ(x.m->stats.walk_reads, before.walk_reads, "entries read for a #GP");
    VT_CHECK(x.m);
}

Test(partA, mmu_high_half_address_is_canonical)
{
    struct fix x = setup_rw();
    struct translation t = xlate(&x, KMAP_BASE + 0x10, ACC_READ, MODE_KERNEL, NULL);
    VT_NO_FAULT(t, "a kernel read of KMAP_BASE + 0x10");
    VT_EQ(t.pa, 0x10, "physical address of KMAP_BASE + 0x10");
}

Test(partA, walk_reads_four_entries_for_a_4k_page)
{
    struct fix x = setup_rw();
    struct walk w;
    uint64_t reads = x.m->stats.walk_reads;
    xlate(&x, x.va, ACC_READ, MODE_USER, &w);
    VT_EQ(x.m->stats.walk_reads - reads, 4, "entries read");
    VT_EQ(w.nsteps, 4, "steps recorded");
    static const unsigned index[4] = { 0, 0, 128, 0 };
    for (int i = 0; i < 4; i++) {
        VT_EQ(w.step[i].level, 3 - i, "level of step");
        VT_EQ(w.step[i].index, index[i], "index of step");
    }
    cr_assert_not(w.tlb_hit, "first access reported as a TLB hit");
    VT_STOP(w, WALK_OK);
}

Test(partA, walk_record_names_each_entry_and_its_address)
{
    struct fix x = setup_rw();
    struct walk w;
    xlate(&x, x.va, ACC_READ, MODE_USER, &w);
    VT_EQ(w.step[0].entry_pa, x.p->cr3, "address of the PML4 entry");
    for (int i = 0; i < 4; i++) {
        pte_t *e = pt_entry(x.m, x.p, x.va, 3 - i);
        VT_EQ(w.step[i].entry, *e, "entry recorded (with A as set)");
        VT_EQ(w.step[i].entry_pa, (paddr_t)((uint8_t *)e - x.m->mem), "entry address");
    }
}

Test(partA, walk_sets_accessed_on_every_level)
{
    struct fix x = setup_rw();
    xlate(&x, x.va, ACC_READ, MODE_USER, NULL);
    for (int level = 3; level >= 0; level--)
        cr_assert(*pt_entry(x.m, x.p, x.va, level) & PTE_A,
                  "A clear at level %d (%s) after a walk", level, level_name(level));
    VT_CHECK(x.m);
}

Test(partA, walk_sets_dirty_on_the_leaf_only_and_only_for_writes)
{
    struct fix x = setup_rw();
    xlate(&x, x.va, ACC_READ, MODE_USER, NULL);
    cr_assert_not(vt_leaf(x.m, x.p, x.va) & PTE_D, "a read set D");
    tlb_invalidate(&x.m->tlb, x.va);
    xlate(&x, x.va, ACC_WRITE, MODE_USER, NULL);
    cr_assert(vt_leaf(x.m, x.p, x.va) & PTE_D, "a write left D clear");
    for (int level = 3; level >= 1; level--)
        cr_assert_not(*pt_entry(x.m, x.p, x.va, level) & PTE_D,
                      "D set on a non-leaf entry at level %d", level);
    VT_CHECK(x.m);
}

Test(partA, second_access_hits_the_tlb_without_walking)
{
    struct fix x = setup_rw();
    xlate(&x, x.va, ACC_READ, MODE_USER, NULL);
    struct stats before = x.m->stats;
    struct walk w;
    struct translation t = xlate(&x, x.va + 8, ACC_READ, MODE_USER, &w);
    VT_NO_FAULT(t, "a second read of a mapped page");
    cr_assert(w.tlb_hit, "second access missed the TLB");
    VT_EQ(x.m->stats.tlb_hits - before.tlb_hits, 1, "TLB hits counted");
    VT_EQ(x.m->stats.tlb_misses, before.tlb_misses, "TLB misses");
    VT_EQ(x.m->stats.walk_reads, before.walk_reads, "entries read on a hit");
    VT_EQ(w.nsteps, 0, "steps recorded on a hit");
}

Test(partA, tlb_miss_is_counted_and_fills_the_tlb)
{
    struct fix x = setup_rw();
    uint64_t misses = x.m->stats.tlb_misses;
    xlate(&x, x.va, ACC_WRITE, MODE_USER, NULL);
    VT_EQ(x.m->stats.tlb_misses - misses, 1, "misses counted");
    struct tlb_entry *e = tlb_lookup(&x.m->tlb, x.va);
    cr_assert_not_null(e, "the walk left no TLB entry");
    VT_EQ(e->base, (paddr_t)x.f << PAGE_SHIFT, "base cached");
    cr_assert(e->writable && e->user && e->nx && e->dirty && !e->global,
              "the TLB entry of a user write to a rw- page has writable %d user %d nx %d "
              "dirty %d global %d, expected writable 1 user 1 nx 1 dirty 1 global 0",
              e->writable, e->user, e->nx, e->dirty, e->global);
    VT_CHECK(x.m);
}

Test(partA, not_present_page_faults_with_error_code_of_the_access)
{
    struct fix x = setup_rw();
    struct walk w;
    expect_fault(&x, x.va + PAGE_SIZE, ACC_READ, MODE_USER, &w, PF_U);
    VT_STOP(w, WALK_NOT_PRESENT);
    VT_EQ(w.stop_level, 0, "level that stopped the walk");
    expect_fault(&x, x.va + PAGE_SIZE, ACC_WRITE, MODE_USER, NULL, PF_W | PF_U);
    expect_fault(&x, x.va + PAGE_SIZE, ACC_EXEC, MODE_USER, NULL, PF_I | PF_U);
    expect_fault(&x, x.va + PAGE_SIZE, ACC_WRITE, MODE_KERNEL, NULL, PF_W);
    VT_CHECK(x.m);
}

Test(partA, missing_table_stops_the_walk_at_its_level)
{
    struct fix x = setup_rw();
    struct walk w;
    uint64_t reads = x.m->stats.walk_reads;
    expect_fault(&x, 0x008000000000, ACC_READ, MODE_USER, &w, PF_U);
    VT_EQ(w.stop_level, 3, "level that stopped the walk");
    VT_EQ(w.nsteps, 1, "steps recorded");
    VT_EQ(x.m->stats.walk_reads - reads, 1, "entries read");
}

Test(partA, walk_sets_accessed_only_on_levels_it_passed)
{
    struct fix x = setup_rw();
    *pt_entry(x.m, x.p, x.va, 1) &= ~PTE_W;
    xlate(&x, x.va, ACC_WRITE, MODE_USER, NULL);
    cr_assert(*pt_entry(x.m, x.p, x.va, 3) & PTE_A, "PML4 entry passed, A clear");
    cr_assert(*pt_entry(x.m, x.p, x.va, 2) & PTE_A, "PDPT entry passed, A clear");
    cr_assert_not(*pt_entry(x.m, x.p, x.va, 1) & PTE_A, "A set on the refusing PD entry");
    cr_assert_not(vt_leaf(x.m, x.p, x.va) & PTE_A, "A set on a leaf never reached");
}

Test(partA, user_access_to_kernel_half_faults_with_P_and_U)
{
    struct fix x = setup_rw();
    struct walk w;
    expect_fault(&x, KMAP_BASE + 0x40, ACC_READ, MODE_USER, &w, PF_P | PF_U);
    VT_STOP(w, WALK_USER);
    VT_EQ(w.stop_level, 3, "level that refused");
    VT_CHECK(x.m);
}

Test(partA, kernel_2mib_page_walks_three_levels)
{
    struct fix x = setup_rw();
    struct walk w;
    uint64_t reads = x.m->stats.walk_reads;
    struct translation t = xlate(&x, KMAP_BASE + 0x5123, ACC_READ, MODE_KERNEL, &w);
    VT_NO_FAULT(t, "a kernel read of KMAP_BASE + 0x5123");
    VT_EQ(t.pa, 0x5123, "physical address");
    VT_EQ(x.m->stats.walk_reads - reads, 3, "entries read for a 2 MiB page");
    cr_assert(w.step[2].entry & PTE_PS, "the walk record's PD entry is %s, expected a PS leaf",
              vt_entry_text(w.step[2].entry, 1));
    struct tlb_entry *e = tlb_lookup(&x.m->tlb, KMAP_BASE);
    cr_assert_not_null(e, "no TLB entry for the 2 MiB page");
    VT_EQ(e->level, 1, "level of the TLB entry");
    cr_assert(e->global, "kernel entry not global");
    VT_CHECK(x.m);
}

Test(partA, kernel_1gib_page_walks_two_levels)
{
    struct fix x = setup_rw();
    uint64_t reads = x.m->stats.walk_reads;
    struct translation t = xlate(&x, KMAP_1G_BASE + 0x7008, ACC_WRITE, MODE_KERNEL, NULL);
    VT_NO_FAULT(t, "a kernel write of KMAP_1G_BASE + 0x7008");
    VT_EQ(t.pa, 0x7008, "physical address");
    VT_EQ(x.m->stats.walk_reads - reads, 2, "entries read for a 1 GiB page");
    pte_t *pdpt = pt_entry(x.m, NULL, KMAP_1G_BASE, 2);
    cr_assert((*pdpt & (PTE_A | PTE_D)) == (PTE_A | PTE_D),
              "the 1 GiB leaf after a kernel write is %s, expected A and D set",
              vt_entry_text(*pdpt, 2));
    VT_CHECK(x.m);
}

Test(partA, one_huge_tlb_entry_serves_its_whole_page)
{
    struct fix x = setup_rw();
    xlate(&x, KMAP_BASE, ACC_READ, MODE_KERNEL, NULL);
    struct walk w;
    struct translation t = xlate(&x, KMAP_BASE + 0x1f008, ACC_READ, MODE_KERNEL, &w);
    cr_assert(w.tlb_hit, "another address in the same 2 MiB page missed");
    VT_EQ(t.pa, 0x1f008, "physical address");
}

Test(partA, write_to_read_only_page_faults_with_P_W_U)
{
    struct fix x = setup(PROT_READ, USER_RO);
    struct walk w;
    expect_fault(&x, x.va, ACC_WRITE, MODE_USER, &w, PF_P | PF_W | PF_U);
    VT_STOP(w, WALK_WRITE);
    VT_EQ(w.stop_level, 0, "level that refused");
    VT_CHECK(x.m);
}

Test(partA, read_write_is_checked_at_every_level)
{
    struct fix x = setup_rw();
    *pt_entry(x.m, x.p, x.va, 2) &= ~PTE_W;
    struct walk w;
    expect_fault(&x, x.va, ACC_WRITE, MODE_USER, &w, PF_P | PF_W | PF_U);
    VT_EQ(w.stop_level, 2, "level that refused the write");
    VT_NO_FAULT(xlate(&x, x.va, ACC_READ, MODE_USER, NULL),
                "a user read with W clear in the PDPT entry");
    cr_assert_not(tlb_lookup(&x.m->tlb, x.va)->writable,
                  "TLB entry writable although the PDPT entry is not");
    VT_CHECK(x.m);
}

Test(partA, user_bit_is_checked_at_every_level)
{
    struct fix x = setup_rw();
    *pt_entry(x.m, x.p, x.va, 1) &= ~PTE_U;
    struct walk w;
    expect_fault(&x, x.va, ACC_READ, MODE_USER, &w, PF_P | PF_U);
    VT_STOP(w, WALK_USER);
    VT_EQ(w.stop_level, 1, "level that refused the user");
    VT_NO_FAULT(xlate(&x, x.va, ACC_READ, MODE_KERNEL, NULL),
                "a kernel read with U clear in the PD entry");
    VT_CHECK(x.m);
}

Test(partA, no_execute_is_checked_at_every_level)
{
    struct fix x = setup(PROT_READ | PROT_WRITE | PROT_EXEC, PTE_U | PTE_W);
    VT_NO_FAULT(xlate(&x, x.va, ACC_EXEC, MODE_USER, NULL),
                "a user fetch from a page of an r-x region");
    tlb_flush(&x.m->tlb, true);
    *pt_entry(x.m, x.p, x.va, 1) |= PTE_NX;
    struct walk w;
    expect_fault(&x, x.va, ACC_EXEC, MODE_USER, &w, PF_P | PF_U | PF_I);
    VT_STOP(w, WALK_NX);
    VT_EQ(w.stop_level, 1, "level that refused the fetch");
    VT_NO_FAULT(xlate(&x, x.va, ACC_READ, MODE_USER, NULL),
                "a user read with NX set in the PD entry");
    VT_CHECK(x.m);
}

Test(partA, supervisor_write_to_read_only_page_faults)
{
    struct fix x = setup(PROT_READ, USER_RO);
    expect_fault(&x, x.va, ACC_WRITE, MODE_KERNEL, NULL, PF_P | PF_W);
}

Test(partA, kernel_may_read_a_user_page)
{
    struct fix x = setup_rw();
    VT_NO_FAULT(xlate(&x, x.va, ACC_READ, MODE_KERNEL, NULL), "a kernel read of a user page");
}

Test(partA, ps_in_pml4_entry_is_a_reserved_bit_fault)
{
    struct fix x = setup_rw();
    pte_t *pml4e = pt_entry(x.m, x.p, x.va, 3);
    *pml4e |= PTE_PS;
    struct walk w;
    expect_fault(&x, x.va, ACC_READ, MODE_USER, &w, PF_P | PF_RSVD | PF_U);
    VT_STOP(w, WALK_RESERVED);
    *pml4e &= ~PTE_PS;
    VT_CHECK(x.m);
}

Test(partA, tlb_hit_checks_rights_and_faults_without_walking)
{
    struct fix x = setup(PROT_READ, USER_RO);
    xlate(&x, x.va, ACC_READ, MODE_USER, NULL);
    uint64_t reads = x.m->stats.walk_reads;
    struct walk w;
    expect_fault(&x, x.va, ACC_WRITE, MODE_USER, &w, PF_P | PF_W | PF_U);
    cr_assert(w.tlb_hit, "the refusal did not come from the TLB");
    VT_EQ(x.m->stats.walk_reads, reads, "entries read");
    VT_CHECK(x.m);
}

Test(partA, page_fault_invalidates_the_tlb_entry)
{
    struct fix x = setup(PROT_READ, USER_RO);
    xlate(&x, x.va, ACC_READ, MODE_USER, NULL);
    xlate(&x, x.va, ACC_WRITE, MODE_USER, NULL);
    cr_assert_null(tlb_lookup(&x.m->tlb, x.va), "TLB entry survived a page fault on it");
}

Test(partA, write_through_clean_tlb_entry_walks_again_to_set_dirty)
{
    struct fix x = setup_rw();
    xlate(&x, x.va, ACC_READ, MODE_USER, NULL);
    struct stats before = x.m->stats;
    struct walk w;
    struct translation t = xlate(&x, x.va, ACC_WRITE, MODE_USER, &w);
    VT_NO_FAULT(t, "a user write through a clean TLB entry");
    cr_assert_not(w.tlb_hit, "a write through a clean entry counted as a hit");
    VT_EQ(x.m->stats.tlb_misses - before.tlb_misses, 1, "misses counted");
    cr_assert(vt_leaf(x.m, x.p, x.va) & PTE_D, "D not set by the second walk");
    cr_assert(tlb_lookup(&x.m->tlb, x.va)->dirty, "TLB entry still clean");
    VT_CHECK(x.m);
}

Test(partA, process_switch_keeps_global_kernel_entries)
{
    struct fix x = setup_rw();
    xlate(&x, KMAP_BASE + 0x100, ACC_READ, MODE_KERNEL, NULL);
    struct proc *q = vt_run(x.m);
    struct walk w;
    xlate(&x, KMAP_BASE + 0x100, ACC_READ, MODE_KERNEL, &w);
    cr_assert(w.tlb_hit, "kernel entry lost at the switch to pid %d", q->pid);
    VT_CHECK(x.m);
}

Test(partA, process_switch_flushes_user_entries)
{
    struct fix x = setup_rw();
    xlate(&x, x.va, ACC_READ, MODE_USER, NULL);
    vt_run(x.m);
    VT_OK(proc_switch(x.m, x.p), "the switch back to pid 1");
    struct walk w;
    xlate(&x, x.va, ACC_READ, MODE_USER, &w);
    cr_assert_not(w.tlb_hit, "user entry survived two process switches");
    VT_CHECK(x.m);
}

Test(partA, tlb_entry_combines_rights_of_all_levels)
{
    struct fix x = setup(PROT_READ | PROT_WRITE | PROT_EXEC, PTE_U | PTE_W);
    *pt_entry(x.m, x.p, x.va, 2) |= PTE_NX;
    xlate(&x, x.va, ACC_READ, MODE_USER, NULL);
    struct tlb_entry *e = tlb_lookup(&x.m->tlb, x.va);
    cr_assert(e && e->nx, "NX of the PDPT entry not in the TLB entry");
    cr_assert(e->writable && e->user, "the TLB entry has writable %d user %d, expected both 1: "
              "NX in the PDPT entry takes no other right away", e->writable, e->user);
}
