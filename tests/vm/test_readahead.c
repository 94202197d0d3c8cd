/*
 * test_readahead.c - the page cache's read-ahead (disk.c): windows that
 * grow with sequential misses, close on a random one, and take only empty
 * frames, never below the high watermark.
 */
#include <errno.h>

#include "vmtest.h"

TestSuite(readahead, .init = vt_setup, .fini = vt_teardown, .timeout = VT_TIMEOUT);

#define FILE_PAGES 64

struct fix {
    struct machine *m;
    vaddr_t va;     /* the file's mapping, FILE_PAGES pages */
};

/* A machine of frames frames reading ahead up to window pages, running a
 * process that maps a FILE_PAGES-page file read-only. */
static struct fix setup(unsigned frames, unsigned window)
{
    struct vm_config c = vt_config();
    c.frames = frames;
    c.readahead = window;
    struct fix x;
    x.m = vt_boot(&c);
    struct proc *p = vt_run(x.m);
    int id = vt_file(x.m, "book", FILE_PAGES * PAGE_SIZE, 'a');
    x.va = vt_mmap(x.m, p, 0, FILE_PAGES * PAGE_SIZE, PROT_READ, MAP_PRIVATE, id, 0);
    return x;
}

static void read_pages(struct fix *x, unsigned from, unsigned to)
{
    for (unsigned i = from; i < to; i++)
        cr_assert_eq(vt_touch(x->m, x->va + i * PAGE_SIZE, ACC_READ), 0,
                     "reading page %u failed", i);
}

Test(readahead, without_it_every_page_of_a_sequential_read_is_a_major_fault)
{
    struct fix x = setup(128, 0);
    read_pages(&x, 0, FILE_PAGES);
    VT_EQ(x.m->stats.major_faults, FILE_PAGES, "major faults");
    VT_EQ(x.m->stats.readaheads, 0, "pages read ahead");
    VT_CHECK(x.m);
}

Test(readahead, sequential_misses_read_ahead_in_windows_of_4_8_16)
{
    struct fix x = setup(128, 16);
    read_pages(&x, 0, FILE_PAGES);
    /* Misses at pages 0, 5, 14, 31, 48: windows 4, 8, 16, 16, 15. */
    VT_EQ(x.m->stats.major_faults, 5, "major faults");
    VT_EQ(x.m->stats.readaheads, FILE_PAGES - 5, "pages read ahead");
    VT_EQ(x.m->stats.minor_faults, FILE_PAGES - 5, "minor faults (pages found in the cache)");
    VT_EQ(x.m->stats.disk_reads, FILE_PAGES, "pages read from the disk");
    VT_CHECK(x.m);
}

Test(readahead, a_miss_out_of_sequence_reads_one_page_and_the_next_in_sequence_four_more)
{
    struct fix x = setup(128, 16);
    read_pages(&x, 10, 11);
    VT_EQ(x.m->stats.readaheads, 0, "pages read ahead for a first miss at page 10");
    read_pages(&x, 11, 12);
    VT_EQ(x.m->stats.readaheads, 4, "pages read ahead for the next miss, at page 11");
}

Test(readahead, the_window_closes_on_a_random_miss_and_opens_again_in_sequence)
{
    struct fix x = setup(128, 16);
    read_pages(&x, 0, 1);               /* miss at 0: pages 1..4 read ahead */
    VT_EQ(x.m->stats.readaheads, 4, "pages read ahead after page 0");
    read_pages(&x, 40, 41);             /* out of sequence: the window closes */
    VT_EQ(x.m->stats.readaheads, 4, "pages read ahead after a miss at page 40");
    read_pages(&x, 41, 42);             /* in sequence again: a window of 4 */
    VT_EQ(x.m->stats.readaheads, 8, "pages read ahead after page 41");
}

Test(readahead, leaves_the_high_watermark_of_frames_free)
{
    struct fix x = setup(24, 64);
    read_pages(&x, 0, 1);
    cr_assert_geq(x.m->free.count, x.m->cfg.high_water,
                  "read-ahead left %u frames free, below the high watermark %u",
                  x.m->free.count, x.m->cfg.high_water);
    cr_assert_gt(x.m->stats.readaheads, 0, "nothing was read ahead");
    VT_CHECK(x.m);
}

Test(readahead, config_refuses_a_window_past_its_maximum)
{
    struct vm_config c = vt_config();
    c.readahead = READAHEAD_MAX + 1;
    char why[160];
    cr_assert_eq(vm_config_check(&c, why, sizeof why), -EINVAL,
                 "a window of %u pages was accepted", READAHEAD_MAX + 1);
    cr_assert(strstr(why, "readahead"), "the reason does not name readahead: %s", why);
}
