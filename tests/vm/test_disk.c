/*
 * test_disk.c - files, the page cache, swap slots and regions: the
 * framework's bookkeeping below the student parts.
 */
#include <errno.h>
#include <string.h>

#include "vmtest.h"

TestSuite(disk, .init = vt_setup, .fini = vt_teardown, .timeout = VT_TIMEOUT);
TestSuite(vma, .init = vt_setup, .fini = vt_teardown, .timeout = VT_TIMEOUT);

static struct machine *boot(void)
{
    struct vm_config c = vt_config();
    return vt_boot(&c);
}

Test(disk, file_create_refuses_bad_names_and_sizes)
{
    struct machine *m = boot();
    VT_EQ(disk_file_create(m, "", 10, false), -EINVAL, "empty name");
    VT_EQ(disk_file_create(m, "a b", 10, false), -EINVAL, "name with a space");
    VT_EQ(disk_file_create(m, "shm:1", 10, false), -EINVAL, "reserved shm: prefix");
    VT_EQ(disk_file_create(m, "a", 0, false), -EINVAL, "size 0");
    VT_EQ(disk_file_create(m, "a", DISK_FILE_MAX + 1, false), -EINVAL, "size too big");
    char name[DISK_NAME_MAX + 2];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    VT_EQ(disk_file_create(m, name, 10, false), -ENAMETOOLONG, "long name");
    VT_EQ(disk_file_create(m, "a", 10, false), 0, "first file's id");
    VT_EQ(disk_file_create(m, "a", 10, false), -EEXIST, "same name again");
    VT_EQ(disk_file_find(m, "a"), 0, "find");
    VT_EQ(disk_file_find(m, "b"), -ENOENT, "find of a missing file");
    cr_assert_null(disk_file(m, 5), "file 5");
    cr_assert_null(disk_file(m, -1), "file -1");
}

Test(disk, file_read_and_write_check_their_range)
{
    struct machine *m = boot();
    int id = disk_file_create(m, "f", 100, false);
    char buf[200] = "hello";
    VT_EQ(disk_file_write(m, id, 95, buf, 5), 0, "write of the last 5 bytes");
    VT_EQ(disk_file_write(m, id, 96, buf, 5), -EINVAL, "write past the end");
    VT_EQ(disk_file_write(m, 9, 0, buf, 1), -EBADF, "write of a missing file");
    VT_EQ(disk_file_read(m, id, 0, buf, 101, false), -EINVAL, "read past the end");
    VT_EQ(disk_file_read(m, 9, 0, buf, 1, true), -EBADF, "read of a missing file");
    VT_EQ(disk_file_read(m, id, 95, buf, 5, true), 0, "read back");
    cr_assert(memcmp(buf, "hello", 5) == 0, "bytes read back: %.5s", buf);
    VT_EQ(m->stats.disk_reads + m->stats.disk_writes, 0, "transfers counted for file I/O");
}

Test(disk, file_write_updates_a_cached_page)
{
    struct machine *m = boot();
    struct proc *p = vt_run(m);
    int id = vt_file(m, "f", 2 * PAGE_SIZE, 0);
    vaddr_t a = vt_mmap(m, p, 0, 2 * PAGE_SIZE, PROT_READ, MAP_SHARED, id, 0);
    vt_read8(m, a + PAGE_SIZE);
    char text[] = "across";
    VT_EQ(disk_file_write(m, id, PAGE_SIZE - 3, text, 6), 0, "write across two pages");
    cr_assert_eq(vt_read8(m, a + PAGE_SIZE), 'o', "mapping does not see write(2)");
    char back[6];
    VT_EQ(disk_file_read(m, id, PAGE_SIZE - 3, back, 6, false), 0, "read");
    cr_assert(memcmp(back, text, 6) == 0, "read(2) after write(2)");
    VT_CHECK(m);
}

Test(disk, read_through_the_cache_sees_what_the_disk_does_not_yet)
{
    struct machine *m = boot();
    struct proc *p = vt_run(m);
    int id = vt_file(m, "f", PAGE_SIZE, 'a');
    vaddr_t a = vt_mmap(m, p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, id, 0);
    vt_write8(m, a, 'X');
    char cached, raw;
    disk_file_read(m, id, 0, &cached, 1, false);
    disk_file_read(m, id, 0, &raw, 1, true);
    cr_assert_eq(cached, 'X', "through the cache");
    cr_assert_eq(raw, 'a', "on the disk");
}

Test(disk, shm_file_lives_as_long_as_a_region_maps_it)
{
    struct machine *m = boot();
    struct proc *p = vt_run(m);
    vaddr_t a = vt_mmap(m, p, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int id = p->vmas->file;
    struct disk_file *df = disk_file(m, id);
    cr_assert_not_null(df, "no shm file");
    cr_assert_str_eq(df->name, "shm:1");
    vt_write8(m, a, 3);
    cr_assert_eq(vm_munmap(m, p, a, PAGE_SIZE), 0);
    VT_EQ(disk_file(m, id)->maps, 1, "regions mapping it after a partial munmap");
    VT_CHECK(m);
    cr_assert_eq(vm_munmap(m, p, a + PAGE_SIZE, PAGE_SIZE), 0);
    cr_assert_null(disk_file(m, id), "shm file outlived its last region");
    VT_CHECK(m);
}

Test(disk, first_touch_of_a_shared_anonymous_page_is_a_minor_fault_of_zeros)
{
    struct machine *m = boot();
    struct proc *p = vt_run(m);
    vaddr_t a = vt_mmap(m, p, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    VT_EQ(vt_read8(m, a + 100), 0, "first byte read of a shared anonymous page");
    vt_write8(m, a + PAGE_SIZE, 5);
    VT_EQ(m->stats.minor_faults, 2, "minor faults for the first touch of two pages");
    VT_EQ(m->stats.major_faults, 0, "major faults for the first touch of two pages");
    VT_EQ(m->stats.disk_reads, 0, "disk reads for pages that exist nowhere yet");
    VT_CHECK(m);
}

Test(disk, a_shared_anonymous_page_is_read_from_the_disk_once_written_there)
{
    struct machine *m = boot();
    int id = disk_shm_create(m, 2 * PAGE_SIZE);
    cr_assert_geq(id, 0, "disk_shm_create failed: %s", strerror(-id));
    frame_t f = frame_alloc(m, FRAME_FILE);
    memset(frame_data(m, f), 0x77, PAGE_SIZE);
    disk_read_file(m, id, 1, f);
    VT_EQ(frame_data(m, f)[0], 0, "first byte of a page never written");
    VT_EQ(m->stats.disk_reads, 0, "disk reads for a page never written");
    frame_data(m, f)[0] = 0x42;
    disk_write_file(m, f);
    pagecache_forget(m, f);
    frame_t g = frame_alloc(m, FRAME_FILE);
    disk_read_file(m, id, 1, g);
    VT_EQ(frame_data(m, g)[0], 0x42, "first byte of the page written back");
    VT_EQ(m->stats.disk_reads, 1, "disk reads for the page written back");
}

Test(disk, file_reference_counts_follow_fork_split_and_exit)
{
    struct machine *m = boot();
    struct proc *p = vt_run(m);
    int id = vt_file(m, "f", 4 * PAGE_SIZE, 0);
    vaddr_t a = vt_mmap(m, p, 0, 4 * PAGE_SIZE, PROT_READ, MAP_SHARED, id, 0);
    VT_EQ(disk_file(m, id)->maps, 1, "after mmap");
    cr_assert_eq(vm_mprotect(m, p, a + PAGE_SIZE, PAGE_SIZE, PROT_NONE), 0);
    VT_EQ(disk_file(m, id)->maps, 3, "after a split in three");
    struct proc *child;
    cr_assert_eq(vm_fork(m, p, &child), 0);
    VT_EQ(disk_file(m, id)->maps, 6, "after fork");
    cr_assert_eq(vm_exit(m, child), 0);
    cr_assert_eq(vm_exit(m, p), 0);
    VT_EQ(disk_file(m, id)->maps, 0, "after both exit");
    VT_CHECK(m);
}

Test(disk, swap_slots_are_given_lowest_first_and_freed_with_their_page)
{
    struct machine *m = boot();
    struct proc *p = vt_run(m);
    vaddr_t a = vt_anon(m, p, 0, 40);
    unsigned n = 0;
    while (m->free.count >= m->cfg.low_water)
        vt_write8(m, a + (vaddr_t)n++ * PAGE_SIZE, 1);
    vm_pageout(m);
    VT_EQ(swap_free_slots(m), m->disk.nslots - 3, "free slots after 3 evictions");
    VT_EQ(swapcache_lookup(m, 0), 7, "frame caching slot 0");
    VT_EQ(swapcache_lookup(m, 1000), NO_FRAME, "slot out of range");
    VT_EQ(swap_count(m, 1000), 0, "count of a slot out of range");
    cr_assert_eq(vm_munmap(m, p, a, PAGE_SIZE), 0);
    VT_EQ(swap_count(m, 0), 0, "slot 0 after its page died");
    VT_EQ(swapcache_lookup(m, 0), NO_FRAME, "frame caching slot 0 after");
    VT_CHECK(m);
}

Test(disk, freed_frames_of_dead_pages_go_to_the_head)
{
    struct machine *m = boot();
    struct proc *p = vt_run(m);
    vaddr_t a = vt_anon(m, p, 0, 2);
    vt_write8(m, a, 1);
    frame_t f = vt_frame(m, p, a);
    cr_assert_eq(vm_munmap(m, p, a, PAGE_SIZE), 0);
    VT_EQ(m->free.head, f, "head of the free list");
    VT_EQ(m->frame[f].use, FRAME_FREE, "use of the freed frame");
    VT_CHECK(m);
}

Test(disk, unmapped_file_page_stays_cached_at_the_tail)
{
    struct machine *m = boot();
    struct proc *p = vt_run(m);
    int id = vt_file(m, "f", PAGE_SIZE, 'q');
    vaddr_t a = vt_mmap(m, p, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, id, 0);
    vt_read8(m, a);
    frame_t f = vt_frame(m, p, a);
    cr_assert_eq(vm_munmap(m, p, a, PAGE_SIZE), 0);
    VT_EQ(m->free.tail, f, "tail of the free list");
    VT_EQ(pagecache_lookup(m, id, 0), f, "page cache after munmap");
    a = vt_mmap(m, p, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, id, 0);
    cr_assert_eq(vt_read8(m, a), 'q', "file byte");
    VT_EQ(m->stats.reclaims, 1, "reclaims");
    VT_EQ(m->stats.disk_reads, 1, "disk reads in all");
    VT_CHECK(m);
}

Test(vma, find_split_and_ranges)
{
    struct machine *m = boot();
    struct proc *p = vt_run(m);
    int id = vt_file(m, "f", 4 * PAGE_SIZE, 0);
    vaddr_t a = vt_mmap(m, p, 0, 4 * PAGE_SIZE, PROT_READ, MAP_SHARED, id, 0);
    struct vma *v = vma_find(p, a + 5000);
    cr_assert_not_null(v, "region of a + 5000");
    cr_assert_null(vma_find(p, a + 4 * PAGE_SIZE), "past the region");
    cr_assert_null(vma_find(p, a - 1), "below the region");
    struct vma *hi = vma_split(m, p, v, a + 3 * PAGE_SIZE);
    VT_EQ(hi->offset, 3 * PAGE_SIZE, "offset of the upper part");
    VT_EQ(v->end, a + 3 * PAGE_SIZE, "end of the lower part");
    VT_EQ(vma_file_index(hi, a + 3 * PAGE_SIZE + 7), 3, "file page");
    cr_assert(vma_range_covered(p, a, a + 4 * PAGE_SIZE), "covered");
    cr_assert_not(vma_range_covered(p, a, a + 5 * PAGE_SIZE), "covered past the end");
    cr_assert_not(vma_range_free(p, a + PAGE_SIZE, a + 2 * PAGE_SIZE), "free inside");
    cr_assert(vma_range_free(p, a + 4 * PAGE_SIZE, a + 9 * PAGE_SIZE), "free after");
    VT_EQ(vma_gap(p, PAGE_SIZE, 0), a + 4 * PAGE_SIZE, "gap after the regions");
    VT_EQ(vma_gap(p, USER_TOP, 0), 0, "no room for the whole address space");
    VT_CHECK(m);
}

Test(vma, rights_of_a_region)
{
    struct vma v = { .prot = PROT_READ | PROT_EXEC };
    cr_assert(vma_allows(&v, ACC_READ) && vma_allows(&v, ACC_EXEC), "r-x refuses r or x");
    cr_assert_not(vma_allows(&v, ACC_WRITE), "r-x allows writes");
    VT_EQ(vma_pte_flags(&v), PTE_P | PTE_U, "leaf bits of r-x");
    v.prot = PROT_WRITE;
    cr_assert(vma_allows(&v, ACC_READ), "-w- refuses reads (x86 cannot)");
    VT_EQ(vma_pte_flags(&v), PTE_P | PTE_U | PTE_W | PTE_NX, "leaf bits of -w-");
    v.prot = PROT_NONE;
    cr_assert_not(vma_allows(&v, ACC_READ), "--- allows reads");
    VT_EQ(vma_pte_flags(&v), PTE_P | PTE_NX, "leaf bits of ---");
    char buf[4];
    cr_assert_str_eq(vma_prot_text(PROT_READ | PROT_WRITE, buf), "rw-");
}

Test(vma, explain_names_levels_errors_and_entries)
{
    char buf[160];
    cr_assert_str_eq(level_name(3), "PML4");
    cr_assert_str_eq(level_name(0), "PT");
    cr_assert_str_eq(level_name(7), "?");
    cr_assert_str_eq(access_name(ACC_EXEC), "exec");
    cr_assert_str_eq(mode_name(MODE_KERNEL), "kernel");
    cr_assert_str_eq(pf_error_text(PF_P | PF_W | PF_U, buf, sizeof buf), "0x7 (P W U)");
    cr_assert_str_eq(pf_error_text(0, buf, sizeof buf), "0 (not present, read, kernel)");
    cr_assert(strstr(walk_stop_text(WALK_NX), "NX"));
    cr_assert(strstr(walk_stop_text(WALK_USER), "U/S"));
    cr_assert_str_eq(pte_text(0, 0, buf, sizeof buf), "0 (empty)");
    cr_assert_str_eq(pte_text(pte_swap(3, PTE_COW), 0, buf, sizeof buf),
                     "0x0000000000003600: swap slot 3 COW");
    pte_text(pte_make(0x5000, PTE_P | PTE_W | PTE_U | PTE_A), 0, buf, sizeof buf);
    cr_assert_str_eq(buf, "0x0000000000005027: P W U A -> page 0x5000 (4K)");
    pte_text(pte_make(0x200000, PTE_P | PTE_PS | PTE_G | PTE_NX), 1, buf, sizeof buf);
    cr_assert(strstr(buf, "PS G NX -> page 0x200000 (2M)"), "%s", buf);
    pte_text(pte_make(0x4000, PTE_P | PTE_W | PTE_U), 2, buf, sizeof buf);
    cr_assert(strstr(buf, "-> table 0x4000"), "%s", buf);
    pte_text(PTE_SOFT, 0, buf, sizeof buf);
    cr_assert(strstr(buf, "not present"), "%s", buf);
}

Test(vma, explain_names_what_a_translation_gave_as_vmsh_does)
{
    char buf[160];
    struct translation pf = { .fault = FAULT_PAGE, .error = PF_W | PF_U };
    cr_assert_str_eq(fault_text(pf, buf, sizeof buf), "a page fault (#PF), error 0x6 (W U)");
    struct translation gp = { .fault = FAULT_GP };
    cr_assert_str_eq(fault_text(gp, buf, sizeof buf), "a general-protection fault (#GP)");
    struct translation ok = { .fault = FAULT_NONE, .pa = 0x7123 };
    cr_assert_str_eq(fault_text(ok, buf, sizeof buf), "no fault (physical address 0x7123)");
}

Test(disk, too_many_files_is_enospc)
{
    struct machine *m = boot();
    char name[16];
    for (int i = 0; i < DISK_MAX_FILES; i++) {
        snprintf(name, sizeof name, "f%d", i);
        cr_assert_geq(disk_file_create(m, name, 1, false), 0, "file %d", i);
    }
    VT_EQ(disk_file_create(m, "last", 1, false), -ENOSPC, "one file too many");
}

Test(disk, frame_mapped_bits_or_the_bits_of_every_mapping)
{
    struct machine *m = boot();
    struct proc *p = vt_run(m);
    int id = vt_file(m, "f", PAGE_SIZE, 0);
    vaddr_t a = vt_mmap(m, p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, id, 0);
    vaddr_t b = vt_mmap(m, p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, id, 0);
    vt_read8(m, a);
    frame_t f = vt_frame(m, p, a);
    VT_EQ(frame_mapped_bits(m, f), PTE_A, "after a read through one mapping");
    vt_write8(m, b, 1);
    VT_EQ(frame_mapped_bits(m, f), PTE_A | PTE_D, "after a write through the other");
}

Test(vma, page_table_helpers_check_their_arguments)
{
    struct machine *m = boot();
    struct proc *p = vt_run(m);
    VT_EQ(pt_map(m, p, 0x10001000, 0x2000, PTE_U, 3), -EINVAL, "level 3");
    VT_EQ(pt_map(m, p, 0x10001000, 0x2000, PTE_U, 1), -EINVAL, "unaligned 2 MiB page");
    VT_EQ(pt_map(m, p, 0x0000800000000000, 0, PTE_U, 0), -EINVAL, "non-canonical");
    VT_EQ(pt_map(m, NULL, KMAP_BASE + PAGE_SIZE, 0, 0, 0), -EEXIST, "under a 2 MiB page");
    VT_EQ(pt_map(m, NULL, KMAP_BASE, 0, 0, 1), -EEXIST, "over a 2 MiB page");
    cr_assert_null(pt_entry(m, NULL, KMAP_BASE, 0), "a PT entry under a 2 MiB page");
    cr_assert_null(pt_walk(m, NULL, KMAP_BASE, false), "a leaf under a 2 MiB page");
    VT_EQ(pt_next(m, p, 0x10000000, 0x20000000), 0x20000000, "next entry in empty tables");
}

Test(vma, switch_to_the_running_process_does_nothing)
{
    struct machine *m = boot();
    struct proc *p = vt_run(m);
    vt_anon(m, p, 0x10000000, 1);
    vt_read8(m, 0x10000000);
    cr_assert_eq(proc_switch(m, p), 0);
    cr_assert_not_null(tlb_lookup(&m->tlb, 0x10000000), "a switch to itself flushed the TLB");
}

Test(vma, region_limit_holds_for_splits)
{
    struct machine *m = boot();
    struct proc *p = vt_run(m);
    vaddr_t big = vt_anon(m, p, 0, 8);
    for (unsigned i = 1; i < VMA_MAX; i++)
        vt_anon(m, p, big + (8 + 2 * i) * PAGE_SIZE, 1);
    VT_EQ(p->nvmas, VMA_MAX, "regions");
    VT_EQ(vm_munmap(m, p, big + PAGE_SIZE, PAGE_SIZE), -ENOMEM, "munmap splitting in two");
    VT_EQ(vm_mprotect(m, p, big + PAGE_SIZE, PAGE_SIZE, PROT_READ), -ENOMEM,
          "mprotect splitting in three");
    vaddr_t out;
    VT_EQ(vm_mmap(m, p, big + PAGE_SIZE, PAGE_SIZE, PROT_READ,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0, &out), -ENOMEM,
          "MAP_FIXED in the middle");
    VT_EQ(vm_munmap(m, p, big, PAGE_SIZE), 0, "munmap of the first page (no split)");
    VT_EQ(vm_mprotect(m, p, big + PAGE_SIZE, 7 * PAGE_SIZE, PROT_READ), 0,
          "mprotect of a whole region");
    VT_CHECK(m);
}

Test(vma, every_walk_stop_has_its_own_words)
{
    for (int a = WALK_OK; a <= WALK_NX; a++)
        for (int b = a + 1; b <= WALK_NX; b++)
            cr_assert_str_neq(walk_stop_text(a), walk_stop_text(b), "stops %d and %d", a, b);
    cr_assert_str_eq(walk_stop_text(42), "?");
    cr_assert_str_eq(access_name(ACC_WRITE), "write");
    cr_assert_str_eq(access_name(42), "?");
    struct vma v = { .prot = PROT_READ };
    cr_assert_not(vma_allows(&v, 42), "an unknown access kind allowed");
}
