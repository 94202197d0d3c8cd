/*
 * test_mmap.c - part C: page-level mmap and munmap (mmap.c) and the
 * copy-on-write fault (cow.c), in the spirit of xv6's mmaptest: lazy
 * faults, MAP_SHARED reaching the file, MAP_PRIVATE never reaching it,
 * write-back at munmap and exit, access after munmap.
 */
#include <errno.h>
#include <string.h>

#include "vmtest.h"

TestSuite(partC, .init = vt_setup, .fini = vt_teardown, .timeout = VT_TIMEOUT);

struct fix {
    struct machine *m;
    struct proc *p;
    int file;       /* "data": 2 pages, byte i is 'a' + i (mod 256) */
};

static struct fix setup(void)
{
    struct vm_config c = vt_config();
    c.frames = 48;
    struct fix x;
    x.m = vt_boot(&c);
    x.p = vt_run(x.m);
    x.file = vt_file(x.m, "data", 2 * PAGE_SIZE, 'a');
    VT_CHECK(x.m);
    return x;
}

static vaddr_t map_file(struct fix *x, int prot, int flags)
{
    return vt_mmap(x->m, x->p, 0, 2 * PAGE_SIZE, prot, flags, x->file, 0);
}

static uint8_t file_byte(struct fix *x, uint64_t off, bool raw)
{
    uint8_t b = 0;
    VT_OK(disk_file_read(x->m, x->file, off, &b, 1, raw), "the read of a byte of the file");
    return b;
}

Test(partC, mmap_is_lazy)
{
    struct fix x = setup();
    uint32_t free_before = x.m->free.count;
    vaddr_t a = map_file(&x, PROT_READ, MAP_SHARED);
    vt_anon(x.m, x.p, 0, 16);
    VT_EQ(x.m->free.count, free_before, "free frames after two mmaps");
    VT_EQ(proc_resident(x.m, x.p), 0, "resident pages");
    VT_EQ(x.m->stats.disk_reads, 0, "disk reads");
    VT_EQ(vt_read8(x.m, a + PAGE_SIZE), (uint8_t)('a' + PAGE_SIZE), "file byte");
    VT_EQ(proc_resident(x.m, x.p), 1, "resident pages after one read");
    VT_CHECK(x.m);
}

Test(partC, mmap_of_a_file_shows_its_contents)
{
    struct fix x = setup();
    vaddr_t a = map_file(&x, PROT_READ, MAP_PRIVATE);
    for (uint64_t off = 0; off < 2 * PAGE_SIZE; off += 1001) {
        uint8_t b = vt_read8(x.m, a + off);
        cr_assert_eq(b, (uint8_t)('a' + off), "byte %" PRIu64 " of the mapped file is %#x, "
                     "expected %#x", off, b, (uint8_t)('a' + off));
    }
    VT_CHECK(x.m);
}

Test(partC, private_write_never_reaches_the_file)
{
    struct fix x = setup();
    vaddr_t a = map_file(&x, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    vt_write8(x.m, a + 3, 'Z');
    VT_EQ(vt_read8(x.m, a + 3), 'Z', "private write not read back");
    VT_EQ(file_byte(&x, 3, false), 'a' + 3, "byte 3 as read(2) sees it after a private write");
    VT_OK(vm_munmap(x.m, x.p, a, 2 * PAGE_SIZE), "munmap");
    VT_CHECK(x.m);
    VT_OK(vm_exit(x.m, x.p), "exit");
    VT_EQ(file_byte(&x, 3, true), 'a' + 3, "byte 3 on the disk after a private write");
    VT_EQ(x.m->stats.disk_writes, 0, "pages written");
    VT_CHECK(x.m);
}

Test(partC, private_mapping_copies_the_page_at_first_write)
{
    struct fix x = setup();
    vaddr_t a = map_file(&x, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    vt_read8(x.m, a);
    frame_t cached = pagecache_lookup(x.m, x.file, 0);
    VT_EQ(vt_frame(x.m, x.p, a), cached, "frame before the write");
    vt_write8(x.m, a, 'Q');
    VT_EQ(x.m->stats.cow_copies, 1, "pages copied");
    frame_t copy = vt_frame(x.m, x.p, a);
    cr_assert_neq(copy, cached, "the write went to the page cache's frame");
    VT_EQ(x.m->frame[copy].use, FRAME_ANON, "use of the copy");
    pte_t e = vt_leaf(x.m, x.p, a);
    cr_assert((e & PTE_W) && !(e & PTE_COW), "the entry of the copy is %s, expected W set and "
              "COW clear", vt_entry_text(e, 0));
    VT_EQ(vt_read8(x.m, a + 1), 'a' + 1, "the copy lost the rest of the page");
    VT_CHECK(x.m);
}

Test(partC, first_write_to_an_unmapped_private_page_copies_in_one_fault)
{
    struct fix x = setup();
    vaddr_t a = map_file(&x, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    vt_write8(x.m, a + PAGE_SIZE, 'W');
    VT_EQ(x.m->stats.major_faults + x.m->stats.minor_faults, 1, "faults");
    VT_EQ(x.m->stats.cow_copies, 1, "pages copied");
    VT_EQ(file_byte(&x, PAGE_SIZE, false), (uint8_t)('a' + PAGE_SIZE),
          "the file's byte after a private write to it");
    VT_CHECK(x.m);
}

Test(partC, shared_write_is_seen_at_once_by_other_mappers)
{
    struct fix x = setup();
    vaddr_t a = map_file(&x, PROT_READ | PROT_WRITE, MAP_SHARED);
    struct proc *q = vt_run(x.m);
    vaddr_t b = vt_mmap(x.m, q, 0, 2 * PAGE_SIZE, PROT_READ, MAP_SHARED, x.file, 0);
    VT_EQ(vt_read8(x.m, b), 'a', "second process reads the file");
    VT_OK(proc_switch(x.m, x.p), "the switch to pid 1");
    vt_write8(x.m, a, 'S');
    VT_EQ(file_byte(&x, 0, false), 'S', "byte 0 as read(2) sees it after a shared write");
    VT_OK(proc_switch(x.m, q), "the switch to pid 2");
    VT_EQ(vt_read8(x.m, b), 'S', "the other mapper does not see the write");
    VT_CHECK(x.m);
}

Test(partC, shared_write_reaches_the_disk_at_munmap)
{
    struct fix x = setup();
    vaddr_t a = map_file(&x, PROT_READ | PROT_WRITE, MAP_SHARED);
    vt_write8(x.m, a + 10, 'M');
    VT_EQ(file_byte(&x, 10, true), 'a' + 10, "byte 10 on the disk before munmap");
    VT_OK(vm_munmap(x.m, x.p, a, 2 * PAGE_SIZE), "munmap");
    VT_EQ(file_byte(&x, 10, true), 'M', "byte 10 on the disk after munmap");
    VT_CHECK(x.m);
}

Test(partC, munmap_writes_back_only_dirty_pages)
{
    struct fix x = setup();
    vaddr_t a = map_file(&x, PROT_READ | PROT_WRITE, MAP_SHARED);
    vt_write8(x.m, a, 'D');
    vt_read8(x.m, a + PAGE_SIZE);
    VT_OK(vm_munmap(x.m, x.p, a, 2 * PAGE_SIZE), "munmap");
    VT_EQ(x.m->stats.disk_writes, 1, "pages written");
    VT_CHECK(x.m);
}

Test(partC, shared_write_reaches_the_disk_at_exit)
{
    struct fix x = setup();
    vaddr_t a = map_file(&x, PROT_READ | PROT_WRITE, MAP_SHARED);
    vt_write8(x.m, a + PAGE_SIZE + 1, 'E');
    VT_OK(vm_exit(x.m, x.p), "exit");
    VT_EQ(file_byte(&x, PAGE_SIZE + 1, true), 'E', "the byte written, on the disk after exit");
    VT_CHECK(x.m);
}

Test(partC, access_after_munmap_kills_the_process)
{
    struct fix x = setup();
    vaddr_t a = vt_anon(x.m, x.p, 0, 2);
    vt_write8(x.m, a, 1);
    VT_OK(vm_munmap(x.m, x.p, a, 2 * PAGE_SIZE), "munmap");
    VT_CHECK(x.m);
    VT_EQ(vt_touch(x.m, a, ACC_READ), -EFAULT, "access after munmap");
    VT_NAMED(x.p->state, PROC_KILLED, proc_state_name, "state of pid 1 after the access");
    VT_CHECK(x.m);
}

Test(partC, munmap_of_the_first_half_keeps_the_second)
{
    struct fix x = setup();
    vaddr_t a = map_file(&x, PROT_READ, MAP_SHARED);
    VT_OK(vm_munmap(x.m, x.p, a, PAGE_SIZE), "munmap of the first page");
    VT_EQ(x.p->nvmas, 1, "regions");
    VT_EQ(x.p->vmas->start, a + PAGE_SIZE, "start of what is left");
    VT_EQ(x.p->vmas->offset, PAGE_SIZE, "file offset of what is left");
    VT_EQ(vt_read8(x.m, a + PAGE_SIZE), (uint8_t)('a' + PAGE_SIZE), "second page");
    VT_EQ(vt_touch(x.m, a, ACC_READ), -EFAULT, "access to the first page");
    VT_CHECK(x.m);
}

Test(partC, munmap_in_the_middle_splits_the_region)
{
    struct fix x = setup();
    vaddr_t a = vt_anon(x.m, x.p, 0, 3);
    for (unsigned i = 0; i < 3; i++)
        vt_write8(x.m, a + i * PAGE_SIZE, (uint8_t)(10 + i));
    VT_OK(vm_munmap(x.m, x.p, a + PAGE_SIZE, PAGE_SIZE), "munmap");
    VT_EQ(x.p->nvmas, 2, "regions");
    VT_EQ(vt_leaf(x.m, x.p, a + PAGE_SIZE), 0, "entry of the unmapped page");
    VT_EQ(vt_read8(x.m, a), 10, "page below the hole");
    VT_EQ(vt_read8(x.m, a + 2 * PAGE_SIZE), 12, "page above the hole");
    VT_CHECK(x.m);
}

Test(partC, map_fixed_replaces_the_old_mapping)
{
    struct fix x = setup();
    vaddr_t a = vt_anon(x.m, x.p, 0, 2);
    vt_write8(x.m, a, 99);
    frame_t old = vt_frame(x.m, x.p, a);
    vt_anon(x.m, x.p, a, 1);
    VT_EQ(x.p->nvmas, 2, "regions: the new one and the rest of the old one");
    cr_assert(x.m->frame[old].free, "the replaced page's frame was not freed");
    VT_EQ(vt_read8(x.m, a), 0, "MAP_FIXED kept the old contents");
    VT_CHECK(x.m);
}

Test(partC, two_files_can_be_mapped_at_once)
{
    struct fix x = setup();
    int other = vt_file(x.m, "other", PAGE_SIZE, '0');
    vaddr_t a = map_file(&x, PROT_READ, MAP_SHARED);
    vaddr_t b = vt_mmap(x.m, x.p, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, other, 0);
    VT_EQ(vt_read8(x.m, a + 1), 'b', "first file");
    VT_EQ(vt_read8(x.m, b + 1), '1', "second file");
    VT_CHECK(x.m);
}

Test(partC, mprotect_read_only_makes_writes_fatal)
{
    struct fix x = setup();
    vaddr_t a = vt_anon(x.m, x.p, 0, 1);
    vt_write8(x.m, a, 1);
    VT_OK(vm_mprotect(x.m, x.p, a, PAGE_SIZE, PROT_READ), "mprotect");
    VT_CHECK(x.m);
    VT_EQ(vt_read8(x.m, a), 1, "read after mprotect");
    VT_EQ(vt_touch(x.m, a, ACC_WRITE), -EFAULT, "write after mprotect");
    VT_NAMED(x.p->state, PROC_KILLED, proc_state_name, "state of pid 1 after the access");
    VT_CHECK(x.m);
}

Test(partC, munmap_gives_the_frames_back)
{
    struct fix x = setup();
    vaddr_t a = vt_anon(x.m, x.p, 0, 4);
    vt_write8(x.m, a, 1);                       /* makes the tables */
    uint32_t free_before = x.m->free.count;
    for (unsigned i = 1; i < 4; i++)
        vt_write8(x.m, a + i * PAGE_SIZE, 1);
    VT_OK(vm_munmap(x.m, x.p, a, 4 * PAGE_SIZE), "munmap");
    VT_EQ(x.m->free.count, free_before + 1, "free frames (tables stay)");
    VT_CHECK(x.m);
}

Test(partC, exit_gives_every_frame_back)
{
    struct fix x = setup();
    uint32_t free_at_boot = x.m->free.count + 1;    /* + the PML4 */
    vaddr_t a = vt_anon(x.m, x.p, 0, 4);
    vaddr_t f = map_file(&x, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    for (unsigned i = 0; i < 4; i++)
        vt_write8(x.m, a + i * PAGE_SIZE, 1);
    vt_write8(x.m, f, 1);
    vt_read8(x.m, f + PAGE_SIZE);
    VT_OK(vm_exit(x.m, x.p), "exit");
    VT_EQ(x.m->free.count, free_at_boot, "free frames after exit");
    VT_CHECK(x.m);
}

Test(partC, shared_anonymous_region_is_shared_with_the_child)
{
    struct fix x = setup();
    vaddr_t a = vt_mmap(x.m, x.p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    struct proc *child;
    VT_OK(vm_fork(x.m, x.p, &child), "fork");
    VT_OK(proc_switch(x.m, child), "the switch to the child");
    vt_write8(x.m, a, 7);
    VT_OK(proc_switch(x.m, x.p), "the switch back to the parent");
    VT_EQ(vt_read8(x.m, a), 7, "parent does not see the child's write");
    VT_CHECK(x.m);
}
