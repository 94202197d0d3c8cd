/*
 * test_mmu_ia32.c - part A on the IA-32 machine (config arch=ia32): the
 * two-level walk of mmu_walk_ia32, 4 MiB pages, the kernel's top quarter,
 * and the TLB with IA-32's page sizes.
 *
 * Pages are mapped by hand (map32), so these tests need neither the fault
 * handler nor the pageout daemon. The test process's region is at
 * MMAP_BASE = 0x10000000: directory index 64, table index 0.
 */
#include "vmtest.h"

TestSuite(partA_ia32, .init = vt_setup, .fini = vt_teardown, .timeout = VT_TIMEOUT);

struct fix {
    struct machine *m;
    struct proc *p;
    vaddr_t va;     /* a mapped page */
    frame_t f;      /* its frame */
};

/* map32 - map va of p to a new anonymous frame with leaf flags, as the
 * fault handler would, through the IA-32 tables. */
static frame_t map32(struct machine *m, struct proc *p, vaddr_t va, pte_t flags)
{
    frame_t f = frame_alloc(m, FRAME_ANON);
    cr_assert_neq(f, NO_FRAME, "no frame left");
    m->frame[f].dirty = true;
    int r = pt_map(m, p, va, (paddr_t)f << PAGE_SHIFT, flags, 0);
    cr_assert_eq(r, 0, "pt_map(%#" PRIx64 ") failed: %s", va, strerror(-r));
    rmap_add(m, f, p, va);
    return f;
}

/* An IA-32 machine running one process with a 4-page region at MMAP_BASE
 * of prot, whose first page is mapped with leaf flags. */
static struct fix setup(int prot, pte_t flags)
{
    struct vm_config c = vt_config();
    c.arch = ARCH_IA32;
    struct fix x;
    x.m = vt_boot(&c);
    x.p = vt_run(x.m);
    x.va = vt_mmap(x.m, x.p, MMAP_BASE, 4 * PAGE_SIZE, prot,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    x.f = map32(x.m, x.p, x.va, flags);
    VT_CHECK(x.m);
    return x;
}

static struct fix setup_rw(void)
{
    return setup(PROT_READ | PROT_WRITE, PTE_U | PTE_W);
}

static void expect_fault(struct translation t, uint32_t error)
{
    char got[48], want[48];
    cr_assert_eq(t.fault, FAULT_PAGE, "expected a page fault, got %s",
                 t.fault == FAULT_NONE ? "a translation" : "#GP");
    cr_assert_eq(t.error, error, "error code %s, expected %s",
                 pf_error_text(t.error, got, sizeof got),
                 pf_error_text(error, want, sizeof want));
}

static void expect_pa(struct translation t, paddr_t pa)
{
    char err[48];
    cr_assert_eq(t.fault, FAULT_NONE, "expected a translation, got %s%s",
                 t.fault == FAULT_GP ? "#GP" : "#PF, error ",
                 t.fault == FAULT_GP ? "" : pf_error_text(t.error, err, sizeof err));
    VT_EQ(t.pa, pa, "physical address");
}

Test(partA_ia32, walk_reads_two_entries_for_a_4k_page)
{
    struct fix x = setup_rw();
    struct walk w;
    uint64_t reads = x.m->stats.walk_reads;
    struct translation t = mmu_translate(x.m, x.va + 0x123, ACC_READ, MODE_USER, &w);
    expect_pa(t, ((paddr_t)x.f << PAGE_SHIFT) + 0x123);
    VT_EQ(x.m->stats.walk_reads - reads, 2, "entries read (directory, then table)");
    VT_EQ(w.nsteps, 2, "steps in the walk record");
    VT_EQ(w.step[0].level, 1, "level of the first step (the page directory)");
    VT_EQ(w.step[0].index, 64, "directory index of 0x10000123 (bits 31..22)");
    VT_EQ(w.step[1].level, 0, "level of the second step (the page table)");
    VT_EQ(w.step[1].index, 0, "table index of 0x10000123 (bits 21..12)");
}

Test(partA_ia32, entries_are_four_bytes_wide)
{
    struct fix x = setup_rw();
    struct walk w;
    mmu_translate(x.m, x.va + PAGE_SIZE, ACC_READ, MODE_USER, &w);   /* not mapped */
    VT_EQ(w.step[0].entry_pa, x.p->cr3 + 4 * 64, "address of directory entry 64");
    paddr_t table = pte_addr(w.step[0].entry);
    VT_EQ(w.step[1].entry_pa, table + 4 * 1, "address of table entry 1");
}

Test(partA_ia32, indices_take_ten_bits_each)
{
    struct fix x = setup_rw();
    vaddr_t va = 0x12345000;    /* directory 0x48, table 0x345 */
    map32(x.m, x.p, va, PTE_U | PTE_W);
    struct walk w;
    mmu_translate(x.m, va + 0x678, ACC_READ, MODE_USER, &w);
    VT_EQ(w.step[0].index, 0x48, "directory index of 0x12345678");
    VT_EQ(w.step[1].index, 0x345, "table index of 0x12345678");
}

Test(partA_ia32, walk_sets_accessed_on_both_levels_and_dirty_on_the_leaf)
{
    struct fix x = setup_rw();
    struct walk w;
    mmu_translate(x.m, x.va, ACC_WRITE, MODE_USER, &w);
    pte32_t pde = phys_table32(x.m, x.p->cr3)[64];
    pte32_t pte = phys_table32(x.m, pte_addr(pde))[0];
    cr_assert(pde & PTE_A, "directory entry lacks A after the walk");
    cr_assert(!(pde & PTE_D), "directory entry got D: only the leaf gets it");
    cr_assert((pte & (PTE_A | PTE_D)) == (PTE_A | PTE_D), "leaf lacks A or D after a write");
}

Test(partA_ia32, kernel_4mib_page_walks_one_level)
{
    struct fix x = setup_rw();
    uint64_t reads = x.m->stats.walk_reads;
    struct translation t = mmu_translate(x.m, KERNEL32_BASE + 0x5123, ACC_READ,
                                         MODE_KERNEL, NULL);
    expect_pa(t, 0x5123);
    VT_EQ(x.m->stats.walk_reads - reads, 1, "entries read for a 4 MiB page");
    struct tlb_entry *e = tlb_lookup(&x.m->tlb, KERNEL32_BASE);
    cr_assert_not_null(e, "no TLB entry for the 4 MiB page");
    VT_EQ(e->level, 1, "level of the TLB entry");
    VT_EQ(e->vpn, KERNEL32_BASE >> 22, "vpn of a 4 MiB page (va >> 22)");
    cr_assert(e->global, "kernel entry not global");
}

Test(partA_ia32, one_tlb_entry_serves_a_whole_4mib_page)
{
    struct fix x = setup_rw();
    mmu_translate(x.m, KERNEL32_BASE, ACC_READ, MODE_KERNEL, NULL);
    struct walk w;
    struct translation t = mmu_translate(x.m, KERNEL32_BASE + 0x3ff008, ACC_READ,
                                         MODE_KERNEL, &w);
    cr_assert(w.tlb_hit, "another address in the same 4 MiB page missed");
    expect_pa(t, 0x3ff008);
}

Test(partA_ia32, kernel_quarter_faults_for_user_access)
{
    struct fix x = setup_rw();
    struct translation t = mmu_translate(x.m, KERNEL32_BASE + 0x10, ACC_READ,
                                         MODE_USER, NULL);
    expect_fault(t, PF_P | PF_U);
}

Test(partA_ia32, every_process_shares_the_kernel_directory_entries)
{
    struct fix x = setup_rw();
    const pte32_t *mine = phys_table32(x.m, x.p->cr3);
    const pte32_t *kernel = phys_table32(x.m, x.m->kernel_pml4);
    cr_assert(mine[KERNEL32_PDE_INDEX] & PTE_P, "directory entry 768 not present");
    for (unsigned i = KERNEL32_PDE_INDEX; i < PT32_ENTRIES; i++)
        cr_assert_eq(mine[i] & ~PTE_A, kernel[i] & ~PTE_A,
                     "directory entry %u differs from the kernel's", i);
}

Test(partA_ia32, address_above_4gib_is_general_protection)
{
    struct fix x = setup_rw();
    struct walk w;
    uint64_t misses = x.m->stats.tlb_misses;
    struct translation t = mmu_translate(x.m, (vaddr_t)1 << 32, ACC_READ, MODE_USER, &w);
    cr_assert_eq(t.fault, FAULT_GP, "a 33-bit address was not refused with #GP");
    VT_EQ(w.nsteps, 0, "entries read");
    VT_EQ(x.m->stats.tlb_misses - misses, 0, "TLB misses counted");
}

Test(partA_ia32, not_present_directory_entry_stops_the_walk_at_level_1)
{
    struct fix x = setup_rw();
    struct walk w;
    struct translation t = mmu_translate(x.m, 0x40000000, ACC_WRITE, MODE_USER, &w);
    expect_fault(t, PF_W | PF_U);
    VT_EQ(w.nsteps, 1, "entries read");
    VT_EQ(w.stop_level, 1, "level that stopped the walk");
}

Test(partA_ia32, write_to_read_only_page_faults_with_P_W_U)
{
    struct fix x = setup(PROT_READ, PTE_U);
    struct translation t = mmu_translate(x.m, x.va, ACC_WRITE, MODE_USER, NULL);
    expect_fault(t, PF_P | PF_W | PF_U);
}

Test(partA_ia32, fetch_is_allowed_without_nx_and_faults_without_the_I_bit)
{
    struct fix x = setup_rw();
    expect_pa(mmu_translate(x.m, x.va, ACC_EXEC, MODE_USER, NULL),
              (paddr_t)x.f << PAGE_SHIFT);
    struct translation t = mmu_translate(x.m, x.va + PAGE_SIZE, ACC_EXEC, MODE_USER, NULL);
    expect_fault(t, PF_U);
}

Test(partA_ia32, tlb_of_an_ia32_machine_tags_big_pages_by_va_shifted_22)
{
    struct tlb *t = vt_tlb(4, 2);
    tlb_set_arch(t, ARCH_IA32);
    vaddr_t va = 0x00c00000;    /* the fourth 4 MiB page */
    struct tlb_entry e = { .valid = true, .level = 1, .vpn = va >> 22,
                           .base = 0x400000, .writable = true };
    tlb_insert(t, &e);
    struct tlb_entry *hit = tlb_lookup(t, va + 0x3fffff);
    cr_assert_not_null(hit, "the last byte of the 4 MiB page missed");
    VT_EQ(hit->base, 0x400000, "base of the cached page");
    cr_assert_null(tlb_lookup(t, va + 0x400000), "the next 4 MiB page hit");
}

Test(partA_ia32, a_kernel_write_to_its_quarter_leaves_the_machine_consistent)
{
    struct fix x = setup_rw();
    struct translation t = mmu_translate(x.m, KERNEL32_BASE + 0x2000, ACC_WRITE,
                                         MODE_KERNEL, NULL);
    expect_pa(t, 0x2000);
    pte32_t pde = phys_table32(x.m, x.p->cr3)[KERNEL32_PDE_INDEX];
    cr_assert((pde & (PTE_A | PTE_D)) == (PTE_A | PTE_D),
              "the 4 MiB leaf lacks A or D after a write: %#x", pde);
    VT_CHECK(x.m);
}
