/*
 * test_fork.c - part C: fork (fork.c) with copy-on-write (cow.c), in the
 * spirit of xv6's cowtest, and the lecture's two fork programs.
 */
#include <errno.h>

#include "vmtest.h"

struct fix {
    struct machine *m;
    struct proc *p;
    vaddr_t va;         /* a 4-page private anonymous region */
};

static struct fix setup(unsigned frames)
{
    struct vm_config c = vt_config();
    c.frames = frames;
    struct fix x;
    x.m = vt_boot(&c);
    x.p = vt_run(x.m);
    x.va = vt_anon(x.m, x.p, 0, 4);
    VT_CHECK(x.m);
    return x;
}

static struct proc *fork_ok(struct machine *m, struct proc *p)
{
    struct proc *child = NULL;
    int r = vm_fork(m, p, &child);
    cr_assert_eq(r, 0, "fork of pid %d failed with %d (%s), expected 0 (success)", p->pid, r,
                 strerror(-r));
    VT_EQ(child->ppid, p->pid, "parent of the child");
    return child;
}

static void run(struct machine *m, struct proc *p)
{
    int r = proc_switch(m, p);
    cr_assert_eq(r, 0, "the switch to pid %d failed with %d (%s), expected 0 (success)", p->pid,
                 r, strerror(-r));
}

/*
 * The lecture's first program:
 *     int x = 1;
 *     if (fork() == 0) { x = 2; exit(0); }
 *     while (x == 1) ;    // loops forever: the child's x is its own
 */
Test(partC, fork_without_mmap_child_write_is_not_seen_by_parent)
{
    struct fix x = setup(32);
    vt_write8(x.m, x.va, 1);
    struct proc *child = fork_ok(x.m, x.p);
    run(x.m, child);
    vt_write8(x.m, x.va, 2);
    VT_OK(vm_exit(x.m, child), "child exit");
    VT_CHECK(x.m);
    run(x.m, x.p);
    VT_EQ(vt_read8(x.m, x.va), 1, "the parent sees the child's x = 2");
    VT_CHECK(x.m);
}

/*
 * The lecture's second program:
 *     int *xp = mmap(..., MAP_SHARED, fd, ...);
 *     xp[0] = 1;
 *     if (fork() == 0) { xp[0] = 2; exit(0); }
 *     while (xp[0] == 1) ;    // terminates: the region is shared
 */
Test(partC, fork_with_shared_mmap_child_write_is_seen_by_parent)
{
    struct fix x = setup(32);
    int id = vt_file(x.m, "file", PAGE_SIZE, 0);
    vaddr_t xp = vt_mmap(x.m, x.p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, id, 0);
    vt_write8(x.m, xp, 1);
    struct proc *child = fork_ok(x.m, x.p);
    run(x.m, child);
    vt_write8(x.m, xp, 2);
    VT_OK(vm_exit(x.m, child), "child exit");
    VT_CHECK(x.m);
    run(x.m, x.p);
    VT_EQ(vt_read8(x.m, xp), 2, "the parent does not see the child's xp[0] = 2");
    VT_EQ(x.m->stats.cow_copies, 0, "pages copied");
    VT_CHECK(x.m);
}

Test(partC, shared_mapping_write_seen_by_child)
{
    struct fix x = setup(32);
    int id = vt_file(x.m, "file", PAGE_SIZE, 0);
    vaddr_t xp = vt_mmap(x.m, x.p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, id, 0);
    vt_write8(x.m, xp, 1);
    struct proc *child = fork_ok(x.m, x.p);
    vt_write8(x.m, xp, 3);
    run(x.m, child);
    VT_EQ(vt_read8(x.m, xp), 3, "the child does not see the parent's write");
    VT_CHECK(x.m);
}

Test(partC, mappings_survive_fork)
{
    struct fix x = setup(32);
    int id = vt_file(x.m, "file", PAGE_SIZE, 'k');
    vaddr_t f = vt_mmap(x.m, x.p, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, id, 0);
    vt_write8(x.m, x.va + PAGE_SIZE, 77);
    struct proc *child = fork_ok(x.m, x.p);
    VT_EQ(child->nvmas, x.p->nvmas, "regions of the child");
    run(x.m, child);
    VT_EQ(vt_read8(x.m, x.va + PAGE_SIZE), 77, "child lost the parent's data");
    VT_EQ(vt_read8(x.m, f), 'k', "child cannot read the mapped file");
    VT_EQ(vt_read8(x.m, x.va + 3 * PAGE_SIZE), 0, "child's untouched page");
    VT_CHECK(x.m);
}

Test(partC, fork_copies_no_pages)
{
    struct fix x = setup(32);
    for (unsigned i = 0; i < 4; i++)
        vt_write8(x.m, x.va + i * PAGE_SIZE, 1);
    uint32_t free_before = x.m->free.count;
    fork_ok(x.m, x.p);
    VT_EQ(x.m->stats.cow_copies, 0, "pages copied by fork");
    VT_EQ(free_before - x.m->free.count, 4, "frames fork took (PML4, PDPT, PD, PT)");
    VT_CHECK(x.m);
}

Test(partC, fork_makes_private_pages_copy_on_write_in_both)
{
    struct fix x = setup(32);
    vt_write8(x.m, x.va, 1);
    struct proc *child = fork_ok(x.m, x.p);
    pte_t pe = vt_leaf(x.m, x.p, x.va), ce = vt_leaf(x.m, child, x.va);
    cr_assert(!(pe & PTE_W) && (pe & PTE_COW), "the parent's entry after fork is %s, expected "
              "W clear and COW set", vt_entry_text(pe, 0));
    cr_assert(!(ce & PTE_W) && (ce & PTE_COW), "the child's entry after fork is %s, expected "
              "W clear and COW set", vt_entry_text(ce, 0));
    cr_assert_not(ce & (PTE_A | PTE_D), "the child's entry after fork is %s, expected A and D "
                  "clear", vt_entry_text(ce, 0));
    VT_EQ(pte_frame(pe), pte_frame(ce), "frames of the two entries");
    VT_EQ(x.m->frame[pte_frame(pe)].refcount, 2, "refcount of the shared frame");
    VT_CHECK(x.m);
}

Test(partC, fork_flushes_the_parents_tlb)
{
    struct fix x = setup(32);
    vt_write8(x.m, x.va, 1);
    fork_ok(x.m, x.p);
    cr_assert_null(tlb_lookup(&x.m->tlb, x.va), "parent's writable entry still cached");
    VT_CHECK(x.m);
}

Test(partC, cow_write_after_fork_copies_one_page)
{
    struct fix x = setup(32);
    vt_write8(x.m, x.va, 1);
    vt_write8(x.m, x.va + PAGE_SIZE, 1);
    struct proc *child = fork_ok(x.m, x.p);
    run(x.m, child);
    vt_write8(x.m, x.va, 5);
    VT_EQ(x.m->stats.cow_copies, 1, "pages copied");
    cr_assert_neq(vt_frame(x.m, child, x.va), vt_frame(x.m, x.p, x.va),
                  "child and parent still share the written page");
    VT_EQ(vt_frame(x.m, child, x.va + PAGE_SIZE), vt_frame(x.m, x.p, x.va + PAGE_SIZE),
          "the page not written is still shared");
    run(x.m, x.p);
    VT_EQ(vt_read8(x.m, x.va), 1, "parent's page changed");
    VT_CHECK(x.m);
}

Test(partC, cow_last_sharer_reuses_the_page)
{
    struct fix x = setup(32);
    vt_write8(x.m, x.va, 1);
    frame_t f = vt_frame(x.m, x.p, x.va);
    struct proc *child = fork_ok(x.m, x.p);
    VT_OK(vm_exit(x.m, child), "child exit");
    vt_write8(x.m, x.va, 2);
    VT_EQ(x.m->stats.cow_copies, 0, "pages copied");
    VT_EQ(vt_frame(x.m, x.p, x.va), f, "frame after the write");
    pte_t e = vt_leaf(x.m, x.p, x.va);
    cr_assert((e & PTE_W) && !(e & PTE_COW), "the last sharer's entry after its write is %s, "
              "expected W set and COW clear", vt_entry_text(e, 0));
    VT_CHECK(x.m);
}

Test(partC, three_writers_of_one_page_make_two_copies)
{
    struct fix x = setup(48);
    vt_write8(x.m, x.va, 1);
    struct proc *a = fork_ok(x.m, x.p);
    struct proc *b = fork_ok(x.m, x.p);
    struct proc *order[3] = { a, b, x.p };
    for (int i = 0; i < 3; i++) {
        run(x.m, order[i]);
        vt_write8(x.m, x.va, (uint8_t)(10 + i));
        VT_CHECK(x.m);
    }
    VT_EQ(x.m->stats.cow_copies, 2, "pages copied (the last writer reuses)");
    for (int i = 0; i < 3; i++) {
        run(x.m, order[i]);
        uint8_t byte = vt_read8(x.m, x.va);
        cr_assert_eq(byte, 10 + i, "pid %d's byte is %u, expected %d (the byte it wrote)",
                     order[i]->pid, byte, 10 + i);
    }
}

Test(partC, child_munmap_does_not_affect_the_parent)
{
    struct fix x = setup(32);
    vt_write8(x.m, x.va, 4);
    struct proc *child = fork_ok(x.m, x.p);
    VT_OK(vm_munmap(x.m, child, x.va, 4 * PAGE_SIZE), "child munmap");
    VT_CHECK(x.m);
    VT_EQ(vt_read8(x.m, x.va), 4, "parent lost its page");
    VT_CHECK(x.m);
}

Test(partC, fork_shares_swapped_out_pages)
{
    struct fix x = setup(32);
    vaddr_t big = vt_anon(x.m, x.p, 0, 40);
    unsigned n = 0;
    for (; n < 40 && x.m->free.count >= x.m->cfg.low_water; n++)
        vt_write8(x.m, big + n * PAGE_SIZE, (uint8_t)(n + 1));
    vm_pageout(x.m);
    cr_assert(pte_is_swap(vt_leaf(x.m, x.p, big)), "first page not swapped out");
    struct proc *child = fork_ok(x.m, x.p);
    pte_t ce = vt_leaf(x.m, child, big);
    cr_assert(pte_is_swap(ce) && (ce & PTE_COW), "the child's entry of a swapped-out page is "
              "%s, expected a swap entry with COW set", vt_entry_text(ce, 0));
    run(x.m, child);
    VT_EQ(vt_read8(x.m, big), 1, "child's copy of a swapped-out page");
    vt_write8(x.m, big, 50);
    run(x.m, x.p);
    VT_EQ(vt_read8(x.m, big), 1, "parent's swapped-out page changed");
    VT_CHECK(x.m);
}

Test(partC, fork_of_more_than_half_of_memory_succeeds)
{
    struct fix x = setup(48);
    vaddr_t big = vt_anon(x.m, x.p, 0, 28);
    for (unsigned i = 0; i < 28; i++)
        vt_write8(x.m, big + i * PAGE_SIZE, (uint8_t)i);
    struct proc *child = fork_ok(x.m, x.p);
    run(x.m, child);
    for (unsigned i = 0; i < 28; i += 9) {
        uint8_t b = vt_read8(x.m, big + i * PAGE_SIZE);
        cr_assert_eq(b, i, "the child's page %u starts with %u, expected %u", i, b, i);
    }
    VT_CHECK(x.m);
}

Test(partC, fork_of_a_dead_process_is_refused)
{
    struct fix x = setup(32);
    VT_OK(vm_exit(x.m, x.p), "exit");
    struct proc *child = NULL;
    VT_EQ(vm_fork(x.m, x.p, &child), -ESRCH, "fork of a dead process");
    VT_CHECK(x.m);
}

Test(partC, cow_copy_keeps_the_dirt_of_the_old_entry)
{
    struct fix x = setup(32);
    vaddr_t big = vt_anon(x.m, x.p, 0, 40);
    unsigned n = 0;
    for (; x.m->free.count >= x.m->cfg.low_water; n++)
        vt_write8(x.m, big + n * PAGE_SIZE, (uint8_t)(n + 1));
    vm_pageout(x.m);
    VT_EQ(vt_read8(x.m, big), 1, "page 0 back from the free list");
    frame_t f = vt_frame(x.m, x.p, big);
    cr_assert_not(x.m->frame[f].dirty, "a reclaimed page is dirty");
    vt_write8(x.m, big, 2);                 /* D in the entry, the frame still clean */
    struct proc *child = fork_ok(x.m, x.p);
    vt_write8(x.m, big, 3);                 /* the parent copies */
    cr_assert(x.m->frame[f].dirty, "the old frame forgot the parent's write of 2");
    run(x.m, child);
    VT_EQ(vt_read8(x.m, big), 2, "the child's page");
    VT_CHECK(x.m);
}
