/*
 * test_syscall.c - argument checking and region bookkeeping of mmap,
 * munmap, mprotect, fork and exit: every bad argument has its errno and
 * changes nothing.
 */
#include <errno.h>

#include "vmtest.h"

TestSuite(syscall, .init = vt_setup, .fini = vt_teardown, .timeout = VT_TIMEOUT);

struct fix {
    struct machine *m;
    struct proc *p;
    int ro;         /* a read-only file */
    int rw;         /* a read-write file */
};

static struct fix setup(void)
{
    struct vm_config c = vt_config();
    struct fix x;
    x.m = vt_boot(&c);
    x.p = vt_run(x.m);
    x.ro = disk_file_create(x.m, "ro", 2 * PAGE_SIZE, true);
    x.rw = disk_file_create(x.m, "rw", 2 * PAGE_SIZE, false);
    cr_assert(x.ro >= 0 && x.rw >= 0, "files");
    return x;
}

static int mmap_r(struct fix *x, vaddr_t addr, uint64_t len, int prot, int flags, int file,
                  uint64_t off)
{
    vaddr_t out = 0;
    return vm_mmap(x->m, x->p, addr, len, prot, flags, file, off, &out);
}

#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define RW (PROT_READ | PROT_WRITE)

Test(syscall, mmap_refuses_bad_arguments_with_einval)
{
    struct fix x = setup();
    VT_EQ(mmap_r(&x, 0, 0, RW, ANON, -1, 0), -EINVAL, "len 0");
    VT_EQ(mmap_r(&x, 0, PAGE_SIZE, 0x10, ANON, -1, 0), -EINVAL, "unknown prot bit");
    VT_EQ(mmap_r(&x, 0, PAGE_SIZE, RW, ANON | MAP_POPULATE, -1, 0), -EINVAL, "unknown flag");
    VT_EQ(mmap_r(&x, 0, PAGE_SIZE, RW, MAP_ANONYMOUS, -1, 0), -EINVAL,
          "neither shared nor private");
    VT_EQ(mmap_r(&x, 0, PAGE_SIZE, RW, ANON | MAP_SHARED, -1, 0), -EINVAL,
          "both shared and private");
    VT_EQ(mmap_r(&x, 0, PAGE_SIZE, RW, MAP_SHARED, x.rw, 100), -EINVAL, "unaligned offset");
    VT_EQ(mmap_r(&x, 0, PAGE_SIZE, RW, ANON, x.rw, 0), -EINVAL, "anonymous with a file");
    VT_EQ(mmap_r(&x, 0, PAGE_SIZE, RW, ANON, -1, PAGE_SIZE), -EINVAL,
          "anonymous with an offset");
    VT_EQ(mmap_r(&x, 0x10000100, PAGE_SIZE, RW, ANON | MAP_FIXED, -1, 0), -EINVAL,
          "MAP_FIXED unaligned");
    VT_EQ(mmap_r(&x, 0x1000, PAGE_SIZE, RW, ANON | MAP_FIXED, -1, 0), -EINVAL,
          "MAP_FIXED below USER_MIN");
    VT_EQ(mmap_r(&x, USER_TOP - PAGE_SIZE, 2 * PAGE_SIZE, RW, ANON | MAP_FIXED, -1, 0),
          -EINVAL, "MAP_FIXED past USER_TOP");
    VT_EQ(mmap_r(&x, 0, PAGE_SIZE, RW, MAP_SHARED, x.rw, UINT64_MAX - 4095), -EINVAL,
          "offset + len overflows");
    VT_EQ(x.p->nvmas, 0, "regions after refused calls");
    VT_CHECK(x.m);
}

Test(syscall, mmap_of_a_missing_file_is_ebadf)
{
    struct fix x = setup();
    VT_EQ(mmap_r(&x, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, 77, 0), -EBADF, "file 77");
    VT_EQ(mmap_r(&x, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, -1, 0), -EBADF, "file -1");
}

Test(syscall, shared_writable_mapping_of_read_only_file_is_eacces)
{
    struct fix x = setup();
    VT_EQ(mmap_r(&x, 0, PAGE_SIZE, RW, MAP_SHARED, x.ro, 0), -EACCES, "shared rw of ro");
    VT_EQ(mmap_r(&x, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, x.ro, 0), 0, "shared r of ro");
    VT_EQ(mmap_r(&x, 0, PAGE_SIZE, RW, MAP_PRIVATE, x.ro, 0), 0, "private rw of ro");
    VT_CHECK(x.m);
}

Test(syscall, mmap_too_big_is_enomem)
{
    struct fix x = setup();
    VT_EQ(mmap_r(&x, 0, USER_TOP, RW, ANON, -1, 0), -ENOMEM, "len = USER_TOP");
    VT_EQ(mmap_r(&x, 0, UINT64_MAX, RW, ANON, -1, 0), -ENOMEM, "len = 2^64 - 1");
}

Test(syscall, mmap_places_regions_first_fit_from_mmap_base)
{
    struct fix x = setup();
    VT_EQ(vt_anon(x.m, x.p, 0, 2), MMAP_BASE, "first region");
    VT_EQ(vt_anon(x.m, x.p, 0, 1), MMAP_BASE + 2 * PAGE_SIZE, "second region");
    cr_assert_eq(vm_munmap(x.m, x.p, MMAP_BASE, PAGE_SIZE), 0);
    VT_EQ(vt_anon(x.m, x.p, 0, 1), MMAP_BASE, "a region in the hole");
    VT_EQ(vt_anon(x.m, x.p, 0, 2), MMAP_BASE + 3 * PAGE_SIZE, "a region too big for holes");
    VT_CHECK(x.m);
}

Test(syscall, mmap_hint_is_used_when_free)
{
    struct fix x = setup();
    vaddr_t out = vt_mmap(x.m, x.p, 0x40000123, PAGE_SIZE, RW, ANON, -1, 0);
    VT_EQ(out, 0x40000000, "address for a free hint");
    out = vt_mmap(x.m, x.p, 0x40000000, PAGE_SIZE, RW, ANON, -1, 0);
    VT_EQ(out, MMAP_BASE, "address for a taken hint");
    out = vt_mmap(x.m, x.p, 0x100, PAGE_SIZE, RW, ANON, -1, 0);
    VT_EQ(out, MMAP_BASE + PAGE_SIZE, "address for a hint below USER_MIN");
}

Test(syscall, mmap_rounds_the_length_up_to_pages)
{
    struct fix x = setup();
    vaddr_t a = vt_mmap(x.m, x.p, 0, 1, RW, ANON, -1, 0);
    VT_EQ(x.p->vmas->end - a, PAGE_SIZE, "length of a 1-byte mapping");
}

Test(syscall, too_many_regions_is_enomem)
{
    struct fix x = setup();
    for (unsigned i = 0; i < VMA_MAX; i++)
        cr_assert_eq(mmap_r(&x, MMAP_BASE + 2 * i * PAGE_SIZE, PAGE_SIZE, RW,
                            ANON | MAP_FIXED, -1, 0), 0, "region %u", i);
    VT_EQ(mmap_r(&x, 0, PAGE_SIZE, RW, ANON, -1, 0), -ENOMEM, "one region too many");
    VT_EQ(vm_munmap(x.m, x.p, MMAP_BASE, PAGE_SIZE), 0, "munmap of a whole region");
    VT_EQ(vm_mprotect(x.m, x.p, MMAP_BASE + 2 * PAGE_SIZE, PAGE_SIZE, PROT_READ), 0,
          "mprotect of a whole region");
    VT_CHECK(x.m);
}

Test(syscall, calls_on_a_dead_process_are_esrch)
{
    struct fix x = setup();
    cr_assert_eq(vm_exit(x.m, x.p), 0);
    VT_EQ(mmap_r(&x, 0, PAGE_SIZE, RW, ANON, -1, 0), -ESRCH, "mmap");
    VT_EQ(vm_munmap(x.m, x.p, MMAP_BASE, PAGE_SIZE), -ESRCH, "munmap");
    VT_EQ(vm_mprotect(x.m, x.p, MMAP_BASE, PAGE_SIZE, PROT_READ), -ESRCH, "mprotect");
    VT_EQ(vm_exit(x.m, x.p), -ESRCH, "exit");
    VT_EQ(proc_switch(x.m, x.p), -ESRCH, "switch");
    cr_assert_null(proc_find(x.m, 0), "pid 0");
    cr_assert_eq(proc_find(x.m, 1), x.p, "pid 1");
    cr_assert_null(proc_find(x.m, 2), "pid 2");
}

Test(syscall, munmap_refuses_bad_arguments_with_einval)
{
    struct fix x = setup();
    VT_EQ(vm_munmap(x.m, x.p, MMAP_BASE + 1, PAGE_SIZE), -EINVAL, "unaligned");
    VT_EQ(vm_munmap(x.m, x.p, MMAP_BASE, 0), -EINVAL, "len 0");
    VT_EQ(vm_munmap(x.m, x.p, 0, PAGE_SIZE), -EINVAL, "below USER_MIN");
    VT_EQ(vm_munmap(x.m, x.p, KMAP_BASE, PAGE_SIZE), -EINVAL, "kernel half");
    VT_EQ(vm_munmap(x.m, x.p, MMAP_BASE, PAGE_SIZE), 0, "nothing mapped there: fine");
}

Test(syscall, munmap_across_regions_cuts_each)
{
    struct fix x = setup();
    vaddr_t a = vt_anon(x.m, x.p, 0, 3);
    vt_anon(x.m, x.p, 0, 3);
    cr_assert_eq(vm_munmap(x.m, x.p, a + 2 * PAGE_SIZE, 2 * PAGE_SIZE), 0);
    VT_EQ(x.p->nvmas, 2, "regions");
    VT_EQ(x.p->vmas->end, a + 2 * PAGE_SIZE, "end of the first");
    VT_EQ(x.p->vmas->next->start, a + 4 * PAGE_SIZE, "start of the second");
    VT_CHECK(x.m);
}

Test(syscall, mprotect_refuses_bad_arguments)
{
    struct fix x = setup();
    vaddr_t a = vt_anon(x.m, x.p, 0, 2);
    VT_EQ(vm_mprotect(x.m, x.p, a + 1, PAGE_SIZE, PROT_READ), -EINVAL, "unaligned");
    VT_EQ(vm_mprotect(x.m, x.p, a, 0, PROT_READ), -EINVAL, "len 0");
    VT_EQ(vm_mprotect(x.m, x.p, a, PAGE_SIZE, 0x40), -EINVAL, "unknown prot bit");
    VT_EQ(vm_mprotect(x.m, x.p, 0, PAGE_SIZE, PROT_READ), -EINVAL, "below USER_MIN");
    VT_EQ(vm_mprotect(x.m, x.p, a, 3 * PAGE_SIZE, PROT_READ), -ENOMEM, "past the region");
    VT_EQ(x.p->vmas->prot, RW, "prot after refused calls");
    VT_EQ(x.p->nvmas, 1, "regions after refused calls");
}

Test(syscall, mprotect_write_on_shared_read_only_file_is_eacces)
{
    struct fix x = setup();
    vaddr_t a = vt_mmap(x.m, x.p, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, x.ro, 0);
    VT_EQ(vm_mprotect(x.m, x.p, a, PAGE_SIZE, RW), -EACCES, "result");
}

Test(syscall, mprotect_in_the_middle_makes_three_regions)
{
    struct fix x = setup();
    vaddr_t a = vt_anon(x.m, x.p, 0, 3);
    cr_assert_eq(vm_mprotect(x.m, x.p, a + PAGE_SIZE, PAGE_SIZE, PROT_READ), 0);
    VT_EQ(x.p->nvmas, 3, "regions");
    VT_EQ(x.p->vmas->next->prot, PROT_READ, "prot of the middle");
    VT_EQ(x.p->vmas->next->next->prot, RW, "prot of the top");
    VT_CHECK(x.m);
}

Test(syscall, mprotect_updates_present_pages_and_their_tlb_entries)
{
    struct fix x = setup();
    vaddr_t a = vt_anon(x.m, x.p, 0, 1);
    vt_write8(x.m, a, 1);
    cr_assert_eq(vm_mprotect(x.m, x.p, a, PAGE_SIZE, PROT_READ | PROT_EXEC), 0);
    pte_t e = vt_leaf(x.m, x.p, a);
    cr_assert(!(e & PTE_W) && !(e & PTE_NX), "entry after mprotect r-x: %#" PRIx64, e);
    VT_CHECK(x.m);
    VT_EQ(vt_touch(x.m, a, ACC_EXEC), 0, "fetch after mprotect r-x");
    cr_assert_eq(vm_mprotect(x.m, x.p, a, PAGE_SIZE, PROT_NONE), 0);
    cr_assert_not(vt_leaf(x.m, x.p, a) & PTE_U, "PROT_NONE page still user-accessible");
    VT_CHECK(x.m);
    VT_EQ(vt_touch(x.m, a, ACC_READ), -EFAULT, "read of PROT_NONE");
    VT_CHECK(x.m);
}

Test(syscall, mprotect_keeps_copy_on_write_pages_read_only)
{
    struct fix x = setup();
    vaddr_t a = vt_mmap(x.m, x.p, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, x.rw, 0);
    vt_read8(x.m, a);
    cr_assert_eq(vm_mprotect(x.m, x.p, a, PAGE_SIZE, RW), 0);
    pte_t e = vt_leaf(x.m, x.p, a);
    cr_assert(!(e & PTE_W) && (e & PTE_COW), "entry %#" PRIx64, e);
    VT_CHECK(x.m);
    vt_write8(x.m, a, 5);
    VT_EQ(x.m->stats.cow_copies, 1, "pages copied by the write");
    VT_CHECK(x.m);
}

Test(syscall, fork_without_frames_is_undone)
{
    struct vm_config c = vt_config();
    c.swap_slots = 0;
    struct machine *m = vt_boot(&c);
    struct proc *p = vt_run(m);
    vaddr_t a = vt_anon(m, p, 0, 2);
    vt_write8(m, a, 1);
    frame_t taken[32];
    unsigned n = 0;
    while (m->free.count > 2)
        taken[n++] = frame_alloc(m, FRAME_ANON);
    struct proc *child = NULL;
    VT_EQ(vm_fork(m, p, &child), -ENOMEM, "fork with 2 free frames");
    cr_assert_null(child, "a child was returned");
    VT_EQ(m->free.count, 2, "free frames after the undo");
    VT_EQ(proc_find(m, 2)->state, PROC_EXITED, "state of the undone child");
    for (unsigned i = 0; i < n; i++)
        frame_free(m, taken[i]);
    VT_CHECK(m);
    cr_assert_eq(vt_read8(m, a), 1, "the parent's page");
}

Test(syscall, spawn_without_a_frame_is_enomem)
{
    struct vm_config c = vt_config();
    c.swap_slots = 0;
    struct machine *m = vt_boot(&c);
    frame_t taken[32];
    unsigned n = 0;
    while (m->free.count)
        taken[n++] = frame_alloc(m, FRAME_ANON);
    errno = 0;
    cr_assert_null(proc_spawn(m), "spawn with no frame");
    VT_EQ(errno, ENOMEM, "errno");
    for (unsigned i = 0; i < n; i++)
        frame_free(m, taken[i]);
    VT_CHECK(m);
}
