/*
 * test_memlib.c - the simulated heap of memlib.h and memlib_driver.h: sbrk
 * and its errors, the heap's bounds and address, the inaccessible bytes past
 * the break, reset, rewind and re-initialization.
 *
 * memlib.h promises nothing about the bytes sbrk hands out (write before
 * you read); mem_reset promises zeros, and mem_rewind the bytes as they were.
 *
 * A test of an inaccessible byte writes it and catches the SIGSEGV itself
 * (faults()), so it asserts both that a byte faults and that one does not,
 * and runs alike natively, under ASan and under Valgrind, which is told not
 * to report that one deliberate write.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#include "memlib_driver.h"
#include "timeouts.h"

#define SBRK_FAILED ((void *)-1)

static void fresh_heap(void)
{
    cr_assert(eq(int, mem_init(0), 0), "mem_init(0): errno %d", errno);
}

static void release_heap(void)
{
    mem_deinit();
}

static sigjmp_buf fault_jmp;

static void on_fault(int sig)
{
    (void)sig;
    siglongjmp(fault_jmp, 1);
}

/* faults - 1 if writing a byte at p raises SIGSEGV, 0 if the write lands. */
static int faults(char *p)
{
    struct sigaction sa = { .sa_handler = on_fault }, old;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &old);
    volatile int faulted = 1;
    VALGRIND_DISABLE_ERROR_REPORTING;
    if (!sigsetjmp(fault_jmp, 1)) {
        *(volatile char *)p = 1;
        faulted = 0;
    }
    VALGRIND_ENABLE_ERROR_REPORTING;
    sigaction(SIGSEGV, &old, NULL);
    return faulted;
}

static size_t page_round_up(size_t n)
{
    size_t page = mem_pagesize();
    return (n + page - 1) / page * page;
}

/* --- sbrk ------------------------------------------------------------- */

TestSuite(memlib_sbrk, .init = fresh_heap, .fini = release_heap, .timeout = TIMEOUT(5));

Test(memlib_sbrk, sbrk_returns_old_break)
{
    char *lo = mem_heap_lo();
    cr_assert(eq(ptr, mem_sbrk(100), lo), "first mem_sbrk(100)");
    cr_assert(eq(ptr, mem_sbrk(50), lo + 100), "mem_sbrk(50) after 100 bytes");
    cr_assert(eq(ptr, mem_sbrk(8), lo + 150), "mem_sbrk(8) after 150 bytes");
}

Test(memlib_sbrk, sbrk_grows_heapsize_by_incr)
{
    cr_assert(eq(sz, mem_heapsize(), 0), "size of a new heap");
    mem_sbrk(100);
    cr_assert(eq(sz, mem_heapsize(), 100), "size after mem_sbrk(100)");
    mem_sbrk(5000);
    cr_assert(eq(sz, mem_heapsize(), 5100), "size after mem_sbrk(5000) more");
}

Test(memlib_sbrk, sbrk_zero_returns_current_break)
{
    char *lo = mem_heap_lo();
    mem_sbrk(24);
    cr_assert(eq(ptr, mem_sbrk(0), lo + 24), "mem_sbrk(0) after 24 bytes");
    cr_assert(eq(sz, mem_heapsize(), 24), "size after mem_sbrk(0)");
}

Test(memlib_sbrk, sbrk_new_bytes_are_writable_to_the_break)
{
    size_t n = 2 * mem_pagesize() + 10;
    char *p = mem_sbrk((intptr_t)n);
    for (size_t i = 0; i < n; i++)
        p[i] = (char)i;
    cr_assert(eq(i8, p[n - 1], (char)(n - 1)), "last byte of the heap");
}

Test(memlib_sbrk, sbrk_negative_fails_with_einval)
{
    mem_sbrk(64);
    errno = 0;
    cr_assert(eq(ptr, mem_sbrk(-8), SBRK_FAILED), "mem_sbrk(-8)");
    cr_assert(eq(int, errno, EINVAL), "errno after mem_sbrk(-8)");
}

Test(memlib_sbrk, sbrk_negative_leaves_heap_unchanged)
{
    char *lo = mem_heap_lo();
    mem_sbrk(64);
    mem_sbrk(-8);
    cr_assert(eq(sz, mem_heapsize(), 64), "size after a failed mem_sbrk(-8)");
    cr_assert(eq(ptr, mem_sbrk(0), lo + 64), "break after a failed mem_sbrk(-8)");
}

Test(memlib_sbrk, sbrk_past_max_fails_with_enomem)
{
    cr_assert(eq(int, mem_init(4 * mem_pagesize()), 0), "mem_init of 4 pages");
    mem_sbrk(100);
    errno = 0;
    cr_assert(eq(ptr, mem_sbrk((intptr_t)(4 * mem_pagesize())), SBRK_FAILED),
              "mem_sbrk of 4 pages more than 100 bytes in a heap of 4 pages");
    cr_assert(eq(int, errno, ENOMEM), "errno after passing the maximum");
}

Test(memlib_sbrk, sbrk_past_max_leaves_heap_unchanged)
{
    cr_assert(eq(int, mem_init(4 * mem_pagesize()), 0), "mem_init of 4 pages");
    char *lo = mem_heap_lo();
    mem_sbrk(100);
    mem_sbrk((intptr_t)(4 * mem_pagesize()));
    cr_assert(eq(sz, mem_heapsize(), 100), "size after a failed mem_sbrk");
    cr_assert(eq(ptr, mem_sbrk(0), lo + 100), "break after a failed mem_sbrk");
}

Test(memlib_sbrk, sbrk_up_to_max_succeeds)
{
    size_t max = 4 * mem_pagesize();
    cr_assert(eq(int, mem_init(max), 0), "mem_init of 4 pages");
    cr_assert(ne(ptr, mem_sbrk((intptr_t)max - 8), SBRK_FAILED), "mem_sbrk to 8 bytes short of the maximum");
    cr_assert(ne(ptr, mem_sbrk(8), SBRK_FAILED), "mem_sbrk of the last 8 bytes");
    cr_assert(eq(sz, mem_heapsize(), max), "size of a full heap");
    cr_assert(eq(ptr, mem_sbrk(1), SBRK_FAILED), "mem_sbrk(1) on a full heap");
}

/* No fixture: the first use of memlib makes the heap. */
TestSuite(memlib_first_use, .fini = release_heap, .timeout = TIMEOUT(5));

Test(memlib_first_use, sbrk_without_init_makes_default_heap)
{
    char *p = mem_sbrk(16);
    cr_assert(ne(ptr, p, SBRK_FAILED), "mem_sbrk(16) before any mem_init");
    cr_assert(eq(ptr, p, mem_heap_lo()), "the first byte of the heap");
    cr_assert(eq(sz, mem_max_heap(), MEM_DEFAULT_MAX_HEAP), "maximum of the heap made on first use");
}

/* --- The heap's place and bounds -------------------------------------- */

TestSuite(memlib_bounds, .init = fresh_heap, .fini = release_heap, .timeout = TIMEOUT(5));

Test(memlib_bounds, heap_lies_above_4gib)
{
    uintptr_t lo = (uintptr_t)mem_heap_lo();
    cr_assert(ge(u64, lo, (uintptr_t)1 << 32), "heap start %#lx", (unsigned long)lo);
}

Test(memlib_bounds, heap_hi_is_lo_plus_size_minus_1)
{
    size_t sizes[] = { 1, 7, 4096, 10000 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        mem_sbrk((intptr_t)sizes[i]);
        cr_assert(eq(ptr, mem_heap_hi(), (char *)mem_heap_lo() + mem_heapsize() - 1),
                  "mem_heap_hi with %zu bytes", mem_heapsize());
    }
}

Test(memlib_bounds, empty_heap_hi_is_lo_minus_1)
{
    cr_assert(eq(ptr, mem_heap_hi(), (char *)mem_heap_lo() - 1), "mem_heap_hi of an empty heap");
}

Test(memlib_bounds, max_heap_rounds_up_to_pages)
{
    cr_assert(eq(int, mem_init(1000), 0), "mem_init(1000)");
    cr_assert(eq(sz, mem_max_heap(), mem_pagesize()), "maximum of mem_init(1000)");
}

Test(memlib_bounds, max_heap_of_init_0_is_default)
{
    cr_assert(eq(sz, mem_max_heap(), MEM_DEFAULT_MAX_HEAP), "maximum of mem_init(0)");
}

Test(memlib_bounds, pagesize_is_the_system_page_size)
{
    cr_assert(eq(sz, mem_pagesize(), (size_t)sysconf(_SC_PAGESIZE)), "mem_pagesize");
}

/* --- Bytes past the break --------------------------------------------- */

TestSuite(memlib_protection, .init = fresh_heap, .fini = release_heap, .timeout = TIMEOUT(5));

Test(memlib_protection, byte_past_the_break_page_faults)
{
    char *p = mem_sbrk(100);
    char *past = p + page_round_up(100);
    cr_assert(eq(int, faults(past), 1), "writing %p, the first byte past the page holding the break %p",
              (void *)past, (void *)(p + 100));
}

Test(memlib_protection, byte_past_a_page_aligned_break_faults)
{
    char *p = mem_sbrk((intptr_t)(2 * mem_pagesize()));
    cr_assert(eq(int, faults(p + 2 * mem_pagesize()), 1), "writing the byte at the break %p",
              (void *)(p + 2 * mem_pagesize()));
}

Test(memlib_protection, empty_heap_faults_at_its_first_byte)
{
    cr_assert(eq(int, faults(mem_heap_lo()), 1), "writing the first byte of an empty heap");
}

Test(memlib_protection, last_byte_of_break_page_is_accessible)
{
    char *p = mem_sbrk(100);
    char *last = p + page_round_up(100) - 1;   /* past the break, inside its page */
    cr_assert(eq(int, faults(last), 0), "writing %p, in the page holding the break", (void *)last);
}

/* --- Reset and re-initialization ------------------------------------- */

TestSuite(memlib_reset, .init = fresh_heap, .fini = release_heap, .timeout = TIMEOUT(5));

Test(memlib_reset, reset_empties_heap)
{
    char *lo = mem_heap_lo();
    mem_sbrk(5000);
    mem_reset();
    cr_assert(eq(sz, mem_heapsize(), 0), "size after mem_reset");
    cr_assert(eq(ptr, mem_sbrk(8), lo), "first mem_sbrk after mem_reset");
}

Test(memlib_reset, reset_makes_bytes_zero_again)
{
    size_t n = 2 * mem_pagesize() + 100;
    unsigned char *p = mem_sbrk((intptr_t)n);
    for (size_t i = 0; i < n; i++)
        p[i] = 0xa5;
    mem_reset();
    p = mem_sbrk((intptr_t)n);
    for (size_t i = 0; i < n; i++)
        if (p[i])
            cr_assert(eq(u8, p[i], 0), "byte %zu of %zu after mem_reset", i, n);
}

Test(memlib_reset, reset_makes_old_bytes_inaccessible)
{
    char *p = mem_sbrk(100);
    mem_reset();
    cr_assert(eq(int, faults(p), 1), "writing the old first byte after mem_reset");
}

Test(memlib_reset, reset_keeps_heap_address_and_maximum)
{
    void *lo = mem_heap_lo();
    size_t max = mem_max_heap();
    mem_sbrk(100);
    mem_reset();
    cr_assert(eq(ptr, mem_heap_lo(), lo), "heap start after mem_reset");
    cr_assert(eq(sz, mem_max_heap(), max), "maximum after mem_reset");
}

Test(memlib_reset, rewind_empties_heap)
{
    char *lo = mem_heap_lo();
    mem_sbrk(5000);
    mem_rewind();
    cr_assert(eq(sz, mem_heapsize(), 0), "size after mem_rewind");
    cr_assert(eq(ptr, mem_sbrk(8), lo), "first mem_sbrk after mem_rewind");
}

Test(memlib_reset, rewind_keeps_bytes)
{
    size_t n = 2 * mem_pagesize() + 100;
    unsigned char *p = mem_sbrk((intptr_t)n);
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(i * 7 + 1);
    mem_rewind();
    p = mem_sbrk((intptr_t)n);
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(i * 7 + 1))
            cr_assert(eq(u8, p[i], (unsigned char)(i * 7 + 1)), "byte %zu of %zu after mem_rewind", i, n);
}

Test(memlib_reset, rewind_leaves_reached_pages_accessible)
{
    size_t n = 3 * mem_pagesize();
    char *p = mem_sbrk((intptr_t)n);
    mem_rewind();
    mem_sbrk(8);
    cr_assert(eq(int, faults(p + n - 1), 0), "writing a byte past the break reached before mem_rewind");
}

Test(memlib_reset, reset_after_rewind_protects_every_page)
{
    size_t n = 3 * mem_pagesize();
    char *p = mem_sbrk((intptr_t)n);
    mem_rewind();
    mem_sbrk(8);
    mem_reset();
    cr_assert(eq(int, faults(p + n - 1), 1), "writing a byte reached before mem_rewind, after mem_reset");
}

Test(memlib_reset, init_again_releases_the_old_heap)
{
    void *lo = mem_heap_lo();
    mem_sbrk(100);
    cr_assert(eq(int, mem_init(0), 0), "second mem_init");
    cr_assert(eq(ptr, mem_heap_lo(), lo), "a released heap's address is free to be taken again");
    cr_assert(eq(sz, mem_heapsize(), 0), "size of the new heap");
}

Test(memlib_reset, deinit_then_init_gives_empty_heap)
{
    mem_sbrk(100);
    mem_deinit();
    cr_assert(eq(int, mem_init(0), 0), "mem_init after mem_deinit");
    cr_assert(eq(sz, mem_heapsize(), 0), "size of the new heap");
    unsigned char *p = mem_sbrk(100);
    cr_assert(eq(u8, p[0], 0), "first byte of the new heap");
}
