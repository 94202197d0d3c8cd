/*
 * test_huge.c - 2 MiB pages for users (huge.h): MAP_HUGETLB regions, their
 * faults, TLB entries, munmap, mprotect, fork, exit and the clock.
 */
#include <errno.h>

#include "vmtest.h"

TestSuite(huge, .init = vt_setup, .fini = vt_teardown, .timeout = VT_TIMEOUT);

#define HUGE_FLAGS (MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB)

struct fix {
    struct machine *m;
    struct proc *p;
    vaddr_t va;     /* a huge region of 2 MiB pages */
};

/* A machine of 2048 frames (four 2 MiB pages' worth) running a process
 * with a read-write huge region of len bytes. */
static struct fix setup(uint64_t len)
{
    struct vm_config c = vt_config();
    c.frames = 2048;
    c.high_water = 8;
    struct fix x;
    x.m = vt_boot(&c);
    x.p = vt_run(x.m);
    x.va = vt_mmap(x.m, x.p, 0, len, PROT_READ | PROT_WRITE, HUGE_FLAGS, -1, 0);
    return x;
}

static pte_t pd_entry(struct fix *x, struct proc *p, vaddr_t va)
{
    pte_t *e = pt_entry(x->m, p, va, 1);
    return e ? *e : 0;
}

Test(huge, a_region_is_rounded_up_to_2mib_at_a_2mib_boundary)
{
    struct fix x = setup(1100 * 1024);
    struct vma *v = vma_find(x.p, x.va);
    cr_assert_not_null(v, "no region at the address mmap returned");
    VT_EQ(v->start % HUGE_SIZE, 0, "region start modulo 2 MiB");
    VT_EQ(v->end - v->start, HUGE_SIZE, "region length");
}

Test(huge, the_first_touch_maps_one_2mib_page_with_one_minor_fault)
{
    struct fix x = setup(HUGE_SIZE);
    for (vaddr_t va = x.va; va < x.va + HUGE_SIZE; va += PAGE_SIZE)
        cr_assert_eq(vt_touch(x.m, va, ACC_WRITE), 0, "touch of %#" PRIx64 " failed", va);
    VT_EQ(x.m->stats.minor_faults, 1, "faults for 512 pages' worth of touches");
    pte_t e = pd_entry(&x, x.p, x.va);
    cr_assert(pte_present(e) && (e & PTE_PS), "no 2 MiB leaf in the PD: %#" PRIx64, e);
    frame_t f = pte_frame(e);
    VT_EQ(f % HUGE_FRAMES, 0, "first frame modulo 512");
    VT_EQ(x.m->frame[f].use, FRAME_HUGE, "use of the first frame");
    VT_EQ(proc_resident(x.m, x.p), HUGE_FRAMES, "resident 4 KiB pages");
    VT_CHECK(x.m);
}

Test(huge, one_tlb_entry_translates_the_whole_page)
{
    struct fix x = setup(HUGE_SIZE);
    vt_write8(x.m, x.va, 1);
    uint64_t misses = x.m->stats.tlb_misses;
    for (vaddr_t va = x.va; va < x.va + HUGE_SIZE; va += 64 * PAGE_SIZE)
        vt_touch(x.m, va, ACC_READ);
    VT_EQ(x.m->stats.tlb_misses - misses, 0, "TLB misses after the first touch");
}

Test(huge, the_page_starts_zero_filled_and_keeps_what_is_written)
{
    struct fix x = setup(HUGE_SIZE);
    VT_EQ(vt_read8(x.m, x.va + 12345), 0, "a byte of a new huge page");
    vt_write8(x.m, x.va + HUGE_SIZE - 1, 0x5a);
    VT_EQ(vt_read8(x.m, x.va + HUGE_SIZE - 1), 0x5a, "the last byte, written");
}

Test(huge, munmap_inside_a_2mib_page_is_refused)
{
    struct fix x = setup(2 * HUGE_SIZE);
    VT_EQ(vm_munmap(x.m, x.p, x.va, HUGE_SIZE / 2), -EINVAL, "munmap of half a page");
    VT_EQ(vm_mprotect(x.m, x.p, x.va + PAGE_SIZE, HUGE_SIZE, PROT_READ), -EINVAL,
          "mprotect from inside a page");
}

Test(huge, munmap_gives_the_512_frames_back)
{
    struct fix x = setup(2 * HUGE_SIZE);
    vt_write8(x.m, x.va, 1);
    vt_write8(x.m, x.va + HUGE_SIZE, 1);
    uint32_t free_before = x.m->free.count;
    cr_assert_eq(vm_munmap(x.m, x.p, x.va, HUGE_SIZE), 0, "munmap of the first page");
    VT_EQ(pd_entry(&x, x.p, x.va), 0, "PD entry of the unmapped page");
    cr_assert(pte_present(pd_entry(&x, x.p, x.va + HUGE_SIZE)), "the second page went too");
    VT_EQ(x.m->free.count - free_before, HUGE_FRAMES, "frames given back");
    VT_CHECK(x.m);
}

Test(huge, fork_copies_the_page_so_writes_stay_private)
{
    struct fix x = setup(HUGE_SIZE);
    vt_write8(x.m, x.va + 100, 7);
    struct proc *child;
    cr_assert_eq(vm_fork(x.m, x.p, &child), 0, "fork");
    cr_assert_neq(pte_frame(pd_entry(&x, child, x.va)), pte_frame(pd_entry(&x, x.p, x.va)),
                  "parent and child share the 2 MiB page");
    cr_assert_eq(proc_switch(x.m, child), 0);
    VT_EQ(vt_read8(x.m, x.va + 100), 7, "the child's copy of the byte");
    vt_write8(x.m, x.va + 100, 9);
    cr_assert_eq(proc_switch(x.m, x.p), 0);
    VT_EQ(vt_read8(x.m, x.va + 100), 7, "the parent's byte after the child's write");
    VT_CHECK(x.m);
}

Test(huge, exit_gives_every_frame_back)
{
    struct fix x = setup(HUGE_SIZE);
    uint32_t free_before = x.m->free.count;
    vt_write8(x.m, x.va, 1);
    cr_assert_eq(vm_exit(x.m, x.p), 0, "exit");
    cr_assert_geq(x.m->free.count, free_before, "frames lost at exit");
    VT_CHECK(x.m);
}

Test(huge, the_pageout_daemon_never_takes_a_huge_page)
{
    struct fix x = setup(HUGE_SIZE);
    vt_write8(x.m, x.va, 1);
    frame_t f = pte_frame(pd_entry(&x, x.p, x.va));
    cr_assert(!frame_pageable(x.m, f), "a 2 MiB page is pageable");
    for (int i = 0; i < 4; i++)
        vm_pageout(x.m);
    VT_EQ(pte_frame(pd_entry(&x, x.p, x.va)), f, "frame of the page after pageout");
    VT_EQ(vt_read8(x.m, x.va), 1, "the byte after pageout");
}

Test(huge, mprotect_read_only_makes_a_write_fatal)
{
    struct fix x = setup(HUGE_SIZE);
    vt_write8(x.m, x.va, 1);
    cr_assert_eq(vm_mprotect(x.m, x.p, x.va, HUGE_SIZE, PROT_READ), 0, "mprotect");
    cr_assert(!(pd_entry(&x, x.p, x.va) & PTE_W), "the 2 MiB leaf is still writable");
    VT_EQ(vt_touch(x.m, x.va, ACC_WRITE), -EFAULT, "a write to the read-only page");
    VT_EQ(x.p->state, PROC_KILLED, "state of the process");
}

Test(huge, only_private_anonymous_regions_may_be_huge)
{
    struct fix x = setup(HUGE_SIZE);
    vaddr_t at;
    VT_EQ(vm_mmap(x.m, x.p, 0, HUGE_SIZE, PROT_READ, MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB,
                  -1, 0, &at), -EINVAL, "a shared huge region");
    int id = vt_file(x.m, "f", PAGE_SIZE, 0);
    VT_EQ(vm_mmap(x.m, x.p, 0, HUGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_HUGETLB, id, 0, &at),
          -EINVAL, "a huge file region");
    VT_EQ(vm_mmap(x.m, x.p, MMAP_BASE + PAGE_SIZE, HUGE_SIZE, PROT_READ,
                  HUGE_FLAGS | MAP_FIXED, -1, 0, &at), -EINVAL,
          "MAP_FIXED at an address not a multiple of 2 MiB");
}

Test(huge, a_touch_without_512_free_frames_in_a_row_is_out_of_memory)
{
    struct vm_config c = vt_config();      /* 32 frames: no 2 MiB page fits */
    struct machine *m = vt_boot(&c);
    struct proc *p = vt_run(m);
    vaddr_t va = vt_mmap(m, p, 0, HUGE_SIZE, PROT_READ | PROT_WRITE, HUGE_FLAGS, -1, 0);
    VT_EQ(vt_touch(m, va, ACC_READ), -ENOMEM, "touch of a huge page");
    VT_EQ(p->kill_reason, KILL_OOM, "why the process was killed");
    VT_CHECK(m);
}

Test(huge, vm_check_finds_a_2mib_page_outside_a_huge_region)
{
    struct vm_config c = vt_config();
    c.frames = 2048;
    struct machine *m = vt_boot(&c);
    struct proc *p = vt_run(m);
    cr_assert_eq(pt_map(m, p, 0x40000000, 0x200000, PTE_U | PTE_W, 1), 0, "pt_map");
    cr_assert_gt(vm_check(m, NULL), 0, "vm_check found nothing wrong");
}
