/*
 * test_mm.c - the allocator of mm.h: malloc, free, realloc and the heap
 * checker, one behaviour per test (suites mm_1_malloc ... mm_5_check_heap;
 * mm_4_random is in test_mm_random.c).
 *
 * Every test starts from a fresh, empty heap and mm_init(). The tests see
 * the heap only through mm.h, memlib.h and the block layout of mminline.h,
 * never through the allocator's free lists (they are static to mm.c), so
 * they hold for any allocator in the lecture's layout: one free list or
 * several, first fit or best fit, growing the heap by the request or by
 * chunks, splitting at the low or the high end of a block.
 *
 * What a test needs of the layout it checks first, with a message that says
 * so: e.g. that among blocks malloc'ed one after another on a fresh heap,
 * some lie next to each other.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/redirect.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "memlib_driver.h"
#include "mm.h"
#include "mminline.h"
#include "not_yet.h"
#include "rng.h"
#include "timeouts.h"

/* --- Fixture and helpers ---------------------------------------------- */

static void init_allocator(void)
{
    cr_assert(eq(int, mm_init(), 0), "mm_init on an empty heap");
}

static void fresh_heap(void)
{
    cr_assert(eq(int, mem_init(0), 0), "mem_init: %s", strerror(errno));
    not_yet_setup(init_allocator);
}

static void release_heap(void)
{
    mem_deinit();
}

/*
 * The helpers below fail the test at the line of the test that called them
 * (fail_at), not at a line of their own: a failure names the test's line,
 * where the behaviour it checks is written. Addresses are printed as
 * offsets into the heap (heap+0x30: mem_heap_lo() + 0x30), as mdriver
 * prints them.
 */
#define HERE __FILE__, __LINE__

__attribute__((format(printf, 3, 4)))
static void fail_at(const char *file, int line, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct criterion_assert_stats failure = {
        .message = msg, .passed = false, .line = (unsigned)line, .file = file,
    };
    criterion_send_assert(&failure);
    criterion_abort_test();
}

/* at_heap - p as "heap+0x30" (or its address when outside the heap), into
 * one of a few rotating buffers. */
static const char *at_heap(const void *p)
{
    static char buf[4][48];
    static int next;
    char *out = buf[next++ % 4];
    const char *lo = mem_heap_lo(), *c = p;
    if (c >= lo && c <= (const char *)mem_heap_hi() + 1)
        snprintf(out, sizeof buf[0], "heap+0x%tx", c - lo);
    else
        snprintf(out, sizeof buf[0], "%p (outside the heap)", p);
    return out;
}

/* assert_heap_ok - the checker finds the heap consistent. */
#define assert_heap_ok(when) heap_ok_at(HERE, (when))
static void heap_ok_at(const char *file, int line, const char *when)
{
    if (!mm_check_heap())
        fail_at(file, line, "mm_check_heap found the heap inconsistent %s", when);
}

/* assert_payload - p is a usable payload of n bytes: aligned, in the heap. */
#define assert_payload(p, n) payload_at(HERE, (p), (n))
static void payload_at(const char *file, int line, void *p, size_t n)
{
    if (!p)
        fail_at(file, line, "mm_malloc(%zu) returned NULL", n);
    if ((uintptr_t)p % ALIGNMENT)
        fail_at(file, line, "payload %s of %zu bytes is not %d-aligned", at_heap(p), n, ALIGNMENT);
    char *lo = mem_heap_lo(), *hi = mem_heap_hi();
    if ((char *)p < lo)
        fail_at(file, line, "payload %p of %zu bytes starts below the heap (%p)", p, n,
                (void *)lo);
    if ((char *)p + n - 1 > hi)
        fail_at(file, line, "payload %s of %zu bytes ends past the heap (its last byte is %s)",
                at_heap(p), n, at_heap(hi));
}

/* pattern - byte i of the contents written into payload number tag. */
static unsigned char pattern(unsigned tag, size_t i)
{
    return (unsigned char)(tag * 37 + i * 13 + (i >> 8) + 1);
}

static void fill(void *p, size_t n, unsigned tag)
{
    unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        c[i] = pattern(tag, i);
}

/* assert_filled - the first n bytes of p still hold what fill(p, n, tag) wrote. */
#define assert_filled(p, n, tag, what) filled_at(HERE, (p), (n), (tag), (what))
static void filled_at(const char *file, int line, const void *p, size_t n, unsigned tag,
                      const char *what)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        if (c[i] != pattern(tag, i))
            fail_at(file, line, "%s: byte %zu of %zu of the payload at %s is 0x%02x, was 0x%02x",
                    what, i, n, at_heap(p), c[i], pattern(tag, i));
}

/* assert_free_block - b is a free block of size bytes, tags agreeing. */
#define assert_free_block(b, size, what) free_block_at(HERE, (b), (size), (what))
static void free_block_at(const char *file, int line, block_t *b, size_t size, const char *what)
{
    if (block_allocated(b))
        fail_at(file, line, "%s: block at %s has its allocated bit set (size word 0x%zx)", what,
                at_heap(b), b->size);
    if (block_size(b) != size)
        fail_at(file, line, "%s: block at %s is %zu bytes, expected %zu", what, at_heap(b),
                block_size(b), size);
    if (*block_end_tag(b) != b->size)
        fail_at(file, line, "%s: block at %s: size word 0x%zx, end tag 0x%zx", what, at_heap(b),
                b->size, *block_end_tag(b));
}

/*
 * A row: five allocated blocks that are neighbours in the heap, W X Y Z V
 * in address order, as the coalescing and checker tests need them.
 */
#define ROW 5
enum { W, X, Y, Z, V };

struct row {
    void *p[ROW];      /* payloads */
    size_t n[ROW];     /* bytes requested for each */
    block_t *b[ROW];   /* blocks */
};

/* row_block - b as the reader knows it: "block Z (heap+0x98)", or where it
 * is when it is none of the row's blocks. */
static const char *row_block(const struct row *r, const void *b)
{
    static char buf[2][96];
    static int next;
    char *out = buf[next++ % 2];
    for (int i = 0; i < ROW; i++)
        if ((const void *)r->b[i] == b) {
            snprintf(out, sizeof buf[0], "block %c (%s)", "WXYZV"[i], at_heap(b));
            return out;
        }
    snprintf(out, sizeof buf[0], "%s, none of the blocks W X Y Z V", at_heap(b));
    return out;
}

/* assert_next - block_next of the row's block i is its block j. */
#define assert_next(r, i, j, what) next_at(HERE, (r), (i), (j), (what))
static void next_at(const char *file, int line, const struct row *r, int i, int j,
                    const char *what)
{
    block_t *n = block_next(r->b[i]);
    if (n != r->b[j])
        fail_at(file, line, "%s: block_next(block %c) is %s, expected %s", what, "WXYZV"[i],
                row_block(r, n), row_block(r, r->b[j]));
}

/* Requests of different sizes, so merged sizes tell the blocks apart. */
static const size_t mixed_sizes[ROW] = { 40, 72, 104, 136, 40 };
/* Requests of one size, so the free blocks among them share a list. */
static const size_t equal_sizes[ROW] = { 104, 104, 104, 104, 104 };

/*
 * find_row - malloc ROW_ROUNDS rounds of the five sizes on the fresh heap
 * and return in r the first five payloads that, in address order, are
 * neighbours in the heap. An allocator carving a fresh heap in order gives
 * many such rows, whichever end of a free block it splits from and however
 * it groups sizes.
 */
#define ROW_ROUNDS 4

#define find_row(r, sizes) find_row_at(HERE, (r), (sizes))
static void find_row_at(const char *file, int line, struct row *r, const size_t sizes[ROW])
{
    enum { M = ROW * ROW_ROUNDS };
    char *p[M];
    size_t n[M];
    for (int i = 0; i < M; i++) {
        n[i] = sizes[i % ROW];
        p[i] = mm_malloc(n[i]);
        payload_at(file, line, p[i], n[i]);
    }
    for (int i = 1; i < M; i++)   /* insertion sort by address */
        for (int j = i; j > 0 && p[j] < p[j - 1]; j--) {
            char *tp = p[j];
            size_t tn = n[j];
            p[j] = p[j - 1], n[j] = n[j - 1];
            p[j - 1] = tp, n[j - 1] = tn;
        }
    for (int s = 0; s + ROW <= M; s++) {
        int k = 1;
        while (k < ROW && block_next(payload_to_block(p[s + k - 1])) == payload_to_block(p[s + k]))
            k++;
        if (k < ROW)
            continue;
        for (int i = 0; i < ROW; i++) {
            r->p[i] = p[s + i];
            r->n[i] = n[s + i];
            r->b[i] = payload_to_block(p[s + i]);
        }
        return;
    }
    fail_at(file, line, "of %d blocks malloc'ed one after another on a fresh heap, no %d in a "
            "row are neighbours in the heap (block_next of one is the next one's block)", M, ROW);
}

/* --- 1. malloc -------------------------------------------------------- */

TestSuite(mm_1_malloc, .init = fresh_heap, .fini = release_heap, .timeout = TIMEOUT(5));

Test(mm_1_malloc, malloc_returns_aligned_payloads)
{
    for (size_t n = 1; n <= 80; n++)
        assert_payload(mm_malloc(n), n);
    size_t big[] = { 255, 1000, 4095, 4097, 65536 + 3 };
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++)
        assert_payload(mm_malloc(big[i]), big[i]);
}

Test(mm_1_malloc, malloc_returns_payload_of_allocated_block_big_enough)
{
    size_t sizes[] = { 1, 8, 9, 24, 100, 4000 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        void *p = mm_malloc(sizes[i]);
        assert_payload(p, sizes[i]);
        block_t *b = payload_to_block(p);
        cr_assert(eq(sz, block_allocated(b), 1), "allocated bit of the block of mm_malloc(%zu)", sizes[i]);
        cr_assert(ge(sz, block_size(b), sizes[i] + TAGSIZE), "size of the block of mm_malloc(%zu)", sizes[i]);
        cr_assert(ge(sz, block_size(b), MINBLOCKSIZE), "size of the block of mm_malloc(%zu)", sizes[i]);
        cr_assert(eq(sz, *block_end_tag(b), b->size), "end tag of the block of mm_malloc(%zu)", sizes[i]);
    }
}

Test(mm_1_malloc, malloc_payloads_do_not_overlap)
{
    enum { N = 200 };
    char *p[N];
    size_t n[N];
    rng_t r = rng_seed(11);
    for (int i = 0; i < N; i++) {
        n[i] = rng_range(&r, 1, i % 10 ? 200 : 5000);
        p[i] = mm_malloc(n[i]);
        assert_payload(p[i], n[i]);
        for (int j = 0; j < i; j++)
            cr_assert(p[i] + n[i] <= p[j] || p[j] + n[j] <= p[i],
                      "payload %d [%s, +%zu) overlaps payload %d [%s, +%zu)",
                      i, at_heap(p[i]), n[i], j, at_heap(p[j]), n[j]);
    }
}

Test(mm_1_malloc, malloc_payloads_keep_what_is_written)
{
    enum { N = 100 };
    void *p[N];
    size_t n[N];
    for (int i = 0; i < N; i++) {
        n[i] = 1 + (size_t)i * 37 % 700;
        p[i] = mm_malloc(n[i]);
        assert_payload(p[i], n[i]);
        fill(p[i], n[i], (unsigned)i);
    }
    for (int i = 0; i < N; i++)
        assert_filled(p[i], n[i], (unsigned)i, "after filling every payload");
    assert_heap_ok("after filling every payload");
}

Test(mm_1_malloc, malloc_zero_returns_null)
{
    cr_assert(eq(ptr, mm_malloc(0), NULL), "mm_malloc(0)");
}

Test(mm_1_malloc, malloc_larger_than_heap_max_returns_null)
{
    size_t n = mem_max_heap() + 1;
    cr_assert(eq(ptr, mm_malloc(n), NULL), "mm_malloc(%zu), past the heap's maximum %zu", n, mem_max_heap());
}

Test(mm_1_malloc, malloc_of_size_max_returns_null)
{
    cr_assert(eq(ptr, mm_malloc(SIZE_MAX), NULL), "mm_malloc(SIZE_MAX): rounding it up must not wrap");
    cr_assert(eq(ptr, mm_malloc(SIZE_MAX - 7), NULL), "mm_malloc(SIZE_MAX - 7)");
}

Test(mm_1_malloc, malloc_failure_leaves_heap_usable)
{
    void *p = mm_malloc(100);
    fill(p, 100, 1);
    cr_assert(eq(ptr, mm_malloc(mem_max_heap()), NULL), "mm_malloc of the heap's maximum");
    assert_heap_ok("after a failed mm_malloc");
    assert_filled(p, 100, 1, "after a failed mm_malloc");
    assert_payload(mm_malloc(100), 100);
}

/*
 * Splitting. A 1 MiB block, freed between allocated neighbours, then serves
 * requests of 256 KiB: larger than what an allocator keeps spare at the end
 * of the heap, so none of them can come from elsewhere without growing it.
 * split_region finds the free block the 1 MiB payload leaves: its own block,
 * or that block merged with a free block just below it.
 */
#define SPLIT_BIG ((size_t)1 << 20)
#define SPLIT_SMALL ((size_t)256 << 10)

struct region {
    char *lo, *hi;   /* the free block's bytes: [lo, hi) */
};

static struct region split_region(void)
{
    void *lo = mm_malloc(64);
    void *big = mm_malloc(SPLIT_BIG);
    void *hi = mm_malloc(64);
    assert_payload(lo, 64);
    assert_payload(big, SPLIT_BIG);
    assert_payload(hi, 64);
    block_t *b = payload_to_block(big);
    cr_assert(eq(sz, block_next_allocated(b), 1), "the block after a 1 MiB block should be "
              "the 64-byte block malloc'ed right after it");
    struct region r = { (char *)b, (char *)block_next(b) };
    if (!block_prev_allocated(b))
        r.lo = (char *)block_prev(b);
    mm_free(big);
    assert_heap_ok("after freeing the 1 MiB block");
    assert_free_block((block_t *)r.lo, (size_t)(r.hi - r.lo), "the freed 1 MiB block");
    return r;
}

static int in_region(struct region r, void *p)
{
    return (char *)p >= r.lo && (char *)p < r.hi;
}

Test(mm_1_malloc, split_serves_small_request_from_large_free_block)
{
    struct region r = split_region();
    size_t before = mem_heapsize();
    void *q = mm_malloc(SPLIT_SMALL);
    assert_payload(q, SPLIT_SMALL);
    cr_assert(eq(sz, mem_heapsize(), before), "heap size after mm_malloc(256 KiB) with a free 1 MiB block");
    cr_assert(in_region(r, q), "payload %s of 256 KiB lies outside the free 1 MiB block [%s, %s)",
              at_heap(q), at_heap(r.lo), at_heap(r.hi));
}

Test(mm_1_malloc, split_leaves_rest_of_block_free)
{
    struct region r = split_region();
    void *q = mm_malloc(SPLIT_SMALL);
    assert_payload(q, SPLIT_SMALL);
    cr_assert(in_region(r, q), "payload %s of 256 KiB lies outside the free 1 MiB block",
              at_heap(q));
    assert_heap_ok("after mm_malloc(256 KiB)");
    /* The old free block is now the allocated block and one free block. */
    int allocated = 0, free = 0;
    size_t free_size = 0, total = 0;
    for (block_t *b = (block_t *)r.lo; (char *)b < r.hi && allocated + free < 3; b = block_next(b)) {
        if (block_allocated(b)) {
            allocated++;
            cr_assert(eq(ptr, b, payload_to_block(q)), "an allocated block other than the new one");
        } else {
            free++;
            free_size = block_size(b);
        }
        total += block_size(b);
    }
    cr_assert(eq(int, allocated, 1), "allocated blocks where the free 1 MiB block was");
    cr_assert(eq(int, free, 1), "free blocks where the free 1 MiB block was");
    cr_assert(eq(sz, total, (size_t)(r.hi - r.lo)), "bytes of the blocks where the free 1 MiB block was");
    cr_assert(eq(sz, free_size, (size_t)(r.hi - r.lo) - block_size(payload_to_block(q))),
              "size of the rest left free");
}

Test(mm_1_malloc, split_rest_serves_later_requests)
{
    struct region r = split_region();
    size_t before = mem_heapsize();
    for (int i = 0; i < 3; i++) {
        void *q = mm_malloc(SPLIT_SMALL);
        assert_payload(q, SPLIT_SMALL);
        fill(q, SPLIT_SMALL, (unsigned)i);
        cr_assert(in_region(r, q), "request %d of 256 KiB: payload %s outside the free 1 MiB block",
                  i, at_heap(q));
        cr_assert(eq(sz, mem_heapsize(), before), "heap size after request %d of 256 KiB", i);
    }
    assert_heap_ok("after three requests of 256 KiB");
}

/* --- 2. free ---------------------------------------------------------- */

TestSuite(mm_2_free, .init = fresh_heap, .fini = release_heap, .timeout = TIMEOUT(5));

Test(mm_2_free, free_null_does_nothing)
{
    void *p = mm_malloc(100);
    fill(p, 100, 1);
    size_t before = mem_heapsize();
    mm_free(NULL);
    assert_heap_ok("after mm_free(NULL)");
    cr_assert(eq(sz, mem_heapsize(), before), "heap size after mm_free(NULL)");
    assert_filled(p, 100, 1, "after mm_free(NULL)");
}

Test(mm_2_free, freed_block_is_reused_without_growing_heap)
{
    void *p = mm_malloc(65536);
    assert_payload(p, 65536);
    assert_payload(mm_malloc(64), 64);
    mm_free(p);
    size_t before = mem_heapsize();
    void *q = mm_malloc(65536);
    assert_payload(q, 65536);
    cr_assert(eq(sz, mem_heapsize(), before), "heap size after freeing 64 KiB and asking for it again");
}

Test(mm_2_free, free_leaves_other_payloads_intact)
{
    struct row r;
    find_row(&r, mixed_sizes);
    for (int i = 0; i < ROW; i++)
        fill(r.p[i], r.n[i], (unsigned)i);
    mm_free(r.p[Y]);
    mm_free(r.p[W]);
    int keep[] = { X, Z, V };
    for (int k = 0; k < 3; k++)
        assert_filled(r.p[keep[k]], r.n[keep[k]], (unsigned)keep[k],
                      "a neighbour after freeing blocks beside it");
}

Test(mm_2_free, coalesce_with_neither_neighbour_free)
{
    struct row r;
    find_row(&r, mixed_sizes);
    size_t sy = block_size(r.b[Y]);
    mm_free(r.p[Y]);
    assert_free_block(r.b[Y], sy, "the freed block");
    assert_next(&r, X, Y, "the block below keeps its place");
    assert_next(&r, Y, Z, "the block above keeps its place");
    cr_assert(eq(sz, block_allocated(r.b[X]), 1), "the block below stays allocated");
    cr_assert(eq(sz, block_allocated(r.b[Z]), 1), "the block above stays allocated");
    assert_heap_ok("after freeing a block between allocated ones");
}

Test(mm_2_free, coalesce_with_free_block_below)
{
    struct row r;
    find_row(&r, mixed_sizes);
    size_t sum = block_size(r.b[X]) + block_size(r.b[Y]);
    mm_free(r.p[X]);
    mm_free(r.p[Y]);
    assert_free_block(r.b[X], sum, "the free block below merged with the freed one");
    assert_next(&r, X, Z, "the block after the merged one");
    assert_heap_ok("after freeing a block above a free one");
}

Test(mm_2_free, coalesce_with_free_block_above)
{
    struct row r;
    find_row(&r, mixed_sizes);
    size_t sum = block_size(r.b[Y]) + block_size(r.b[Z]);
    mm_free(r.p[Z]);
    mm_free(r.p[Y]);
    assert_free_block(r.b[Y], sum, "the freed block merged with the free one above");
    assert_next(&r, Y, V, "the block after the merged one");
    assert_heap_ok("after freeing a block below a free one");
}

Test(mm_2_free, coalesce_with_free_blocks_on_both_sides)
{
    struct row r;
    find_row(&r, mixed_sizes);
    size_t sum = block_size(r.b[X]) + block_size(r.b[Y]) + block_size(r.b[Z]);
    mm_free(r.p[X]);
    mm_free(r.p[Z]);
    mm_free(r.p[Y]);
    assert_free_block(r.b[X], sum, "the three blocks merged into one");
    assert_next(&r, X, V, "the block after the merged one");
    assert_heap_ok("after freeing a block between two free ones");
}

Test(mm_2_free, coalesced_blocks_serve_a_request_none_could_alone)
{
    /* 256 KiB each: more than an allocator keeps spare at the heap's end. */
    const size_t quarter = (size_t)256 << 10;
    const size_t sizes[ROW] = { quarter, quarter, quarter, quarter, quarter };
    struct row r;
    find_row(&r, sizes);
    mm_free(r.p[X]);
    mm_free(r.p[Z]);
    mm_free(r.p[Y]);
    size_t before = mem_heapsize();
    size_t want = 3 * quarter - 1024;
    char *q = mm_malloc(want);
    assert_payload(q, want);
    cr_assert(eq(sz, mem_heapsize(), before),
              "heap size after freeing three adjacent 256 KiB blocks and asking for 767 KiB");
    char *lo = (char *)r.b[X], *hi = (char *)r.b[V];
    cr_assert(q > lo && q < hi,
              "payload %s of 767 KiB should lie where the three freed blocks were [%s, %s)",
              at_heap(q), at_heap(lo), at_heap(hi));
}

Test(mm_2_free, freed_block_is_found_behind_many_free_blocks_too_small)
{
    /* Forty free blocks of 1 KiB, each fenced by a live one, and above
     * them a free 1.5 KiB block, freed first: a search that looks at a
     * few free blocks only can miss it, but a request it fits must not
     * fail (nor need more heap than it would take to place it there). */
    enum { N = 40 };
    void *small[N];
    for (int i = 0; i < N; i++) {
        small[i] = mm_malloc(1024);
        assert_payload(small[i], 1024);
        assert_payload(mm_malloc(200), 200);
    }
    void *top = mm_malloc(1480);
    assert_payload(top, 1480);
    mm_free(top);
    for (int i = 0; i < N; i++)
        mm_free(small[i]);
    assert_heap_ok("after freeing 41 blocks");
    size_t before = mem_heapsize();
    void *q = mm_malloc(1400);
    assert_payload(q, 1400);
    cr_assert(le(sz, mem_heapsize(), before + 1400 + 2 * TAGSIZE),
              "heap grew from %zu to %zu bytes for a 1400-byte request", before, mem_heapsize());
    assert_heap_ok("after mm_malloc(1400)");
}

/* --- 3. realloc ------------------------------------------------------- */

TestSuite(mm_3_realloc, .init = fresh_heap, .fini = release_heap, .timeout = TIMEOUT(5));

Test(mm_3_realloc, realloc_null_behaves_as_malloc)
{
    void *p = mm_realloc(NULL, 100);
    assert_payload(p, 100);
    block_t *b = payload_to_block(p);
    cr_assert(eq(sz, block_allocated(b), 1), "allocated bit of the block of mm_realloc(NULL, 100)");
    cr_assert(ge(sz, block_size(b), 100 + TAGSIZE), "size of the block of mm_realloc(NULL, 100)");
    fill(p, 100, 3);
    assert_heap_ok("after mm_realloc(NULL, 100)");
    mm_free(p);
    assert_heap_ok("after freeing it");
}

Test(mm_3_realloc, realloc_null_to_zero_returns_null)
{
    cr_assert(eq(ptr, mm_realloc(NULL, 0), NULL), "mm_realloc(NULL, 0) is mm_malloc(0)");
}

Test(mm_3_realloc, realloc_to_zero_frees_block_and_returns_null)
{
    struct row r;
    find_row(&r, mixed_sizes);
    size_t sy = block_size(r.b[Y]);
    cr_assert(eq(ptr, mm_realloc(r.p[Y], 0), NULL), "mm_realloc(p, 0)");
    assert_heap_ok("after mm_realloc(p, 0)");
    assert_free_block(r.b[Y], sy, "the block of p after mm_realloc(p, 0)");
}

Test(mm_3_realloc, realloc_growing_preserves_data)
{
    void *p = mm_malloc(100);
    void *fence = mm_malloc(100);   /* no room to grow in place */
    fill(p, 100, 1);
    fill(fence, 100, 2);
    void *q = mm_realloc(p, 1000);
    assert_payload(q, 1000);
    assert_filled(q, 100, 1, "after growing from 100 to 1000 bytes");
    assert_heap_ok("after growing a block");
}

Test(mm_3_realloc, realloc_growing_into_free_block_above_preserves_data)
{
    void *p = mm_malloc(100);
    void *next = mm_malloc(2000);
    mm_malloc(100);
    fill(p, 100, 1);
    mm_free(next);
    void *q = mm_realloc(p, 1500);
    assert_payload(q, 1500);
    assert_filled(q, 100, 1, "after growing from 100 to 1500 bytes with a free block above");
    assert_heap_ok("after growing a block");
}

Test(mm_3_realloc, realloc_growing_last_block_preserves_data)
{
    mm_malloc(100);
    void *p = mm_malloc(300);
    fill(p, 300, 1);
    void *q = mm_realloc(p, 70000);
    assert_payload(q, 70000);
    assert_filled(q, 300, 1, "after growing the last block from 300 to 70000 bytes");
    assert_heap_ok("after growing the last block");
}

Test(mm_3_realloc, realloc_shrinking_preserves_data)
{
    void *p = mm_malloc(5000);
    mm_malloc(100);
    fill(p, 5000, 1);
    void *q = mm_realloc(p, 100);
    assert_payload(q, 100);
    assert_filled(q, 100, 1, "after shrinking from 5000 to 100 bytes");
    assert_heap_ok("after shrinking a block");
}

Test(mm_3_realloc, realloc_moving_block_frees_old_one)
{
    struct row r;
    find_row(&r, mixed_sizes);
    size_t sy = block_size(r.b[Y]);
    void *q = mm_realloc(r.p[Y], 4000);   /* its neighbours are allocated: it must move */
    assert_payload(q, 4000);
    cr_assert(ne(ptr, q, r.p[Y]), "a block between allocated neighbours grew in place to 4000 bytes");
    assert_heap_ok("after moving a block");
    assert_free_block(r.b[Y], sy, "the old block of a moved payload");
}

Test(mm_3_realloc, realloc_leaves_other_payloads_intact)
{
    struct row r;
    find_row(&r, mixed_sizes);
    for (int i = 0; i < ROW; i++)
        fill(r.p[i], r.n[i], (unsigned)i);
    void *q = mm_realloc(r.p[Y], 3000);
    assert_payload(q, 3000);
    q = mm_realloc(q, 20);
    assert_payload(q, 20);
    q = mm_realloc(q, 200);
    assert_payload(q, 200);
    int keep[] = { W, X, Z, V };
    for (int k = 0; k < 4; k++)
        assert_filled(r.p[keep[k]], r.n[keep[k]], (unsigned)keep[k],
                      "another payload after growing and shrinking its neighbour");
    assert_heap_ok("after growing and shrinking a block");
}

Test(mm_3_realloc, realloc_result_does_not_overlap_other_payloads)
{
    enum { N = 40 };
    char *p[N];
    size_t n[N];
    rng_t r = rng_seed(5);
    for (int i = 0; i < N; i++) {
        n[i] = rng_range(&r, 1, 300);
        p[i] = mm_malloc(n[i]);
        assert_payload(p[i], n[i]);
    }
    for (int round = 0; round < 200; round++) {
        int i = (int)rng_below(&r, N);
        size_t m = rng_range(&r, 1, round % 7 ? 400 : 6000);
        p[i] = mm_realloc(p[i], m);
        n[i] = m;
        assert_payload(p[i], m);
        for (int j = 0; j < N; j++)
            cr_assert(j == i || p[i] + n[i] <= p[j] || p[j] + n[j] <= p[i],
                      "round %d: payload %d [%s, +%zu) overlaps payload %d [%s, +%zu)",
                      round, i, at_heap(p[i]), n[i], j, at_heap(p[j]), n[j]);
    }
}

Test(mm_3_realloc, realloc_failure_returns_null_and_keeps_block)
{
    void *p = mm_malloc(100);
    fill(p, 100, 1);
    cr_assert(eq(ptr, mm_realloc(p, mem_max_heap()), NULL), "mm_realloc past the heap's maximum");
    assert_heap_ok("after a failed mm_realloc");
    cr_assert(eq(sz, block_allocated(payload_to_block(p)), 1), "p's block after a failed mm_realloc");
    assert_filled(p, 100, 1, "after a failed mm_realloc");
    mm_free(p);
    assert_heap_ok("after freeing p");
}

/* --- 5. The heap checker ---------------------------------------------- */

/*
 * Each test builds a heap that checks good, asserts that it does, breaks
 * one invariant through the block layout, and expects mm_check_heap to
 * return 0. The checker's complaints on stderr are swallowed.
 */
static void checker_setup(void)
{
    fresh_heap();
    cr_redirect_stderr();
}

TestSuite(mm_5_check_heap, .init = checker_setup, .fini = release_heap, .timeout = TIMEOUT(5));

Test(mm_5_check_heap, check_heap_accepts_empty_heap)
{
    cr_assert(ne(int, mm_check_heap(), 0), "mm_check_heap right after mm_init");
}

Test(mm_5_check_heap, check_heap_accepts_allocated_and_free_blocks)
{
    struct row r;
    find_row(&r, mixed_sizes);
    cr_assert(ne(int, mm_check_heap(), 0), "mm_check_heap with allocated blocks only");
    mm_free(r.p[X]);
    mm_free(r.p[Z]);
    cr_assert(ne(int, mm_check_heap(), 0), "mm_check_heap with two free blocks between allocated ones");
}

Test(mm_5_check_heap, check_heap_is_silent_on_good_heap)
{
    struct row r;
    find_row(&r, mixed_sizes);
    mm_free(r.p[Y]);
    mm_check_heap();
    fflush(stderr);
    cr_assert_stderr_eq_str("", "mm_check_heap printed something about a good heap");
}

Test(mm_5_check_heap, check_heap_rejects_size_word_differing_from_end_tag)
{
    struct row r;
    find_row(&r, mixed_sizes);
    assert_heap_ok("before the corruption");
    *block_end_tag(r.b[Y]) = r.b[Y]->size + 2 * WORDSIZE;
    cr_assert(eq(int, mm_check_heap(), 0), "an allocated block whose end tag says 16 bytes more");
}

Test(mm_5_check_heap, check_heap_rejects_free_block_missing_from_free_list)
{
    struct row r;
    find_row(&r, mixed_sizes);
    assert_heap_ok("before the corruption");
    block_set_allocated(r.b[Y], 0);
    cr_assert(eq(int, mm_check_heap(), 0), "a free block (allocated bit cleared) on no free list");
}

Test(mm_5_check_heap, check_heap_rejects_allocated_block_on_free_list)
{
    struct row r;
    find_row(&r, mixed_sizes);
    mm_free(r.p[Y]);
    assert_heap_ok("before the corruption");
    block_set_allocated(r.b[Y], 1);
    cr_assert(eq(int, mm_check_heap(), 0), "a freed block with its allocated bit set again");
}

Test(mm_5_check_heap, check_heap_rejects_adjacent_free_blocks)
{
    struct row r;
    find_row(&r, mixed_sizes);
    mm_free(r.p[X]);
    assert_heap_ok("before the corruption");
    /* Hide X from mm_free(Y), so Y goes on a free list without merging,
     * then show it again: two listed free blocks touch, nothing else is
     * wrong. */
    block_set_allocated(r.b[X], 1);
    mm_free(r.p[Y]);
    block_set_allocated(r.b[X], 0);
    assert_next(&r, X, Y, "the two free blocks are neighbours");
    cr_assert(eq(sz, block_allocated(r.b[Y]), 0), "the block freed beside a hidden free block");
    cr_assert(eq(int, mm_check_heap(), 0), "two free blocks next to each other");
}

/* two_free_blocks - X and Z of r free, of one size, so on one list. */
#define two_free_blocks(r) two_free_blocks_at(HERE, (r))
static void two_free_blocks_at(const char *file, int line, struct row *r)
{
    find_row_at(file, line, r, equal_sizes);
    mm_free(r->p[X]);
    mm_free(r->p[Z]);
    heap_ok_at(file, line, "before the corruption");
    if (block_next_free(r->b[X]) == r->b[X])
        fail_at(file, line, "two free blocks of the same size should share a free list: "
                "block_next_free(block X) is block X itself");
}

Test(mm_5_check_heap, check_heap_rejects_broken_next_link)
{
    struct row r;
    two_free_blocks(&r);
    block_set_next_free(r.b[X], r.b[X]);   /* its next's prev is no longer X */
    cr_assert(eq(int, mm_check_heap(), 0), "a free block whose next link points to itself");
}

Test(mm_5_check_heap, check_heap_rejects_broken_prev_link)
{
    struct row r;
    two_free_blocks(&r);
    block_t *next = block_next_free(r.b[X]);
    block_set_prev_free(next, next);   /* should be X */
    cr_assert(eq(int, mm_check_heap(), 0), "a free block whose prev link points to itself");
}

Test(mm_5_check_heap, check_heap_rejects_size_pointing_outside_heap)
{
    struct row r;
    find_row(&r, mixed_sizes);
    assert_heap_ok("before the corruption");
    r.b[Y]->size = ((size_t)1 << 40) | 1;   /* the size word only: its end tag would be 1 TiB away */
    cr_assert(eq(int, mm_check_heap(), 0), "a block whose size reaches 1 TiB past the heap");
}

Test(mm_5_check_heap, check_heap_reports_problem_on_stderr)
{
    struct row r;
    find_row(&r, mixed_sizes);
    assert_heap_ok("before the corruption");
    *block_end_tag(r.b[Y]) = r.b[Y]->size + 2 * WORDSIZE;
    mm_check_heap();
    fflush(stderr);
    cr_assert_stderr_neq_str("", "mm_check_heap printed nothing about a corrupted heap");
}
