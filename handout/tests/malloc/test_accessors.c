/*
 * test_accessors.c - the block accessors of mminline.h, one behaviour per
 * test, in the order to write them: suites accessors_1_size_word ...
 * accessors_6_free_list follow the numbered sections of mminline.h.
 *
 * Every block here is built by hand in a buffer of words (size_t, so
 * 8-aligned), never through mm_malloc: a test of section n relies on nothing
 * but the accessors it names. Blocks sit at a word index i of the buffer w;
 * a block of s bytes has its size word at w[i] and its end tag at
 * w[i + s/8 - 1].
 *
 * The free list of this file is its own copy of the header's static list;
 * the tests reach it only through flist_head(size), so an allocator with one
 * list per size class passes them as well as the lecture's single list.
 *
 * A function still calling UNIMPLEMENTED() makes its test exit with status 1
 * rather than abort, so a test expecting an assertion (SIGABRT) cannot pass
 * on a skeleton. Those tests swallow stderr, where the failed assertion is
 * reported, so the message of a missing function goes to stdout.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/redirect.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "mminline.h"
#include "timeouts.h"
#include "unimplemented.h"

/* exit_unimplemented - report a missing accessor and fail the test without
 * raising SIGABRT. */
static void exit_unimplemented(const char *func, const char *file, int line)
{
    printf("%s:%d: %s is not implemented yet\n", file, line, func);
    fflush(stdout);
    _exit(1);
}

/* expect_assertion - silence the report of the assertion a test expects. */
static void expect_assertion(void)
{
    cr_redirect_stderr();
}

static void accessors_setup(void)
{
    unimplemented_set_handler(exit_unimplemented);
}

/*
 * put_block - lay a block of size bytes with allocated bit a at w[i] by hand:
 * its size word and its end tag. Returns the block.
 */
static block_t *put_block(size_t *w, size_t i, size_t size, size_t a)
{
    w[i] = size | a;
    w[i + size / WORDSIZE - 1] = size | a;
    return (block_t *)&w[i];
}

/* --- 1. The size word ------------------------------------------------- */

TestSuite(accessors_1_size_word, .init = accessors_setup, .timeout = TIMEOUT(5));

Test(accessors_1_size_word, block_allocated_is_1_when_bit_0_is_set)
{
    size_t w[8] = { 0 };
    block_t *b = put_block(w, 1, 48, 1);
    cr_assert(eq(sz, block_allocated(b), 1), "size word %#zx", w[1]);
}

Test(accessors_1_size_word, block_allocated_is_0_when_bit_0_is_clear)
{
    size_t w[8] = { 0 };
    block_t *b = put_block(w, 1, 48, 0);
    cr_assert(eq(sz, block_allocated(b), 0), "size word %#zx", w[1]);
}

Test(accessors_1_size_word, block_allocated_ignores_the_size_bits)
{
    size_t w[8] = { 0 };
    block_t *b = (block_t *)&w[1];
    b->size = (size_t)0xfff8;   /* only the size, every bit of it but bit 0 */
    cr_assert(eq(sz, block_allocated(b), 0), "size word %#zx", b->size);
    b->size = (size_t)0xffff;
    cr_assert(eq(sz, block_allocated(b), 1), "size word %#zx", b->size);
}

Test(accessors_1_size_word, block_size_clears_allocated_bit)
{
    size_t w[8] = { 0 };
    block_t *b = put_block(w, 1, 48, 1);
    cr_assert(eq(sz, block_size(b), 48), "size word %#zx", w[1]);
}

Test(accessors_1_size_word, block_size_of_free_block_is_its_size_word)
{
    size_t w[8] = { 0 };
    block_t *b = put_block(w, 1, 48, 0);
    cr_assert(eq(sz, block_size(b), 48), "size word %#zx", w[1]);
}

Test(accessors_1_size_word, block_size_keeps_every_bit_above_bit_0)
{
    /* Sizes are multiples of 8, not of 16: bit 3 is a size bit (40 = 0x28),
     * and so is every bit from 3 up; only bit 0 is the allocated bit. */
    size_t w[8] = { 0 };
    block_t *b = put_block(w, 1, 40, 1);
    cr_assert(eq(sz, block_size(b), 40), "size word %#zx", w[1]);
    b->size = (size_t)0xfff9;
    cr_assert(eq(sz, block_size(b), 0xfff8), "size word %#zx", b->size);
}

Test(accessors_1_size_word, block_size_keeps_bits_above_32)
{
    size_t w[2] = { 0 };
    block_t *b = (block_t *)&w[0];
    b->size = ((size_t)1 << 40) | 0x30 | 1;   /* a size past 4 GiB, allocated */
    cr_assert(eq(sz, block_size(b), ((size_t)1 << 40) | 0x30), "size word %#zx", b->size);
}

/* --- 2. The end tag --------------------------------------------------- */

TestSuite(accessors_2_end_tag, .init = accessors_setup, .timeout = TIMEOUT(5));

Test(accessors_2_end_tag, end_tag_is_last_word_of_block)
{
    size_t w[16] = { 0 };
    block_t *b = put_block(w, 2, 48, 0);
    cr_assert(eq(ptr, block_end_tag(b), &w[2 + 48 / 8 - 1]),
              "block at w[2] of 48 bytes: end tag expected at w[7]");
}

Test(accessors_2_end_tag, end_tag_of_allocated_block_ignores_allocated_bit)
{
    size_t w[16] = { 0 };
    block_t *b = put_block(w, 2, 48, 1);
    cr_assert(eq(ptr, block_end_tag(b), &w[7]), "allocated block at w[2] of 48 bytes");
}

Test(accessors_2_end_tag, end_tag_of_minimum_block_is_its_fourth_word)
{
    size_t w[8] = { 0 };
    block_t *b = put_block(w, 1, MINBLOCKSIZE, 0);
    cr_assert(eq(ptr, block_end_tag(b), &w[1 + MINBLOCKSIZE / 8 - 1]),
              "block at w[1] of %zu bytes", (size_t)MINBLOCKSIZE);
}

Test(accessors_2_end_tag, setsize_writes_size_word_and_end_tag)
{
    size_t w[16] = { 0 };
    block_t *b = (block_t *)&w[1];
    block_setsize(b, 64);
    cr_assert(eq(sz, w[1], 64), "size word");
    cr_assert(eq(sz, w[1 + 64 / 8 - 1], 64), "end tag at w[8]");
}

Test(accessors_2_end_tag, setsize_writes_end_tag_at_the_new_size)
{
    size_t w[16] = { 0 };
    block_t *b = put_block(w, 1, 64, 0);
    block_setsize(b, 32);   /* shrink: the end tag moves from w[8] to w[4] */
    cr_assert(eq(sz, w[1], 32), "size word");
    cr_assert(eq(sz, w[4], 32), "end tag of the 32-byte block at w[4]");
}

Test(accessors_2_end_tag, setsize_keeps_allocated_bit)
{
    size_t w[16] = { 0 };
    block_t *b = put_block(w, 1, 32, 1);
    block_setsize(b, 48);
    cr_assert(eq(sz, w[1], 48 | 1), "size word of an allocated block");
    cr_assert(eq(sz, w[6], 48 | 1), "end tag of an allocated block");
}

Test(accessors_2_end_tag, setsize_keeps_free_bit_clear)
{
    size_t w[16] = { 0 };
    block_t *b = put_block(w, 1, 32, 0);
    w[6] = 0xffff;   /* whatever the future end tag word held */
    block_setsize(b, 48);
    cr_assert(eq(sz, w[1], 48), "size word of a free block");
    cr_assert(eq(sz, w[6], 48), "end tag of a free block");
}

Test(accessors_2_end_tag, setsize_rejects_size_not_multiple_of_8, .signal = SIGABRT)
{
    expect_assertion();
    size_t w[16] = { 0 };
    block_t *b = put_block(w, 1, 48, 0);
    block_setsize(b, 44);
}

Test(accessors_2_end_tag, set_allocated_1_sets_bit_in_both_tags)
{
    size_t w[16] = { 0 };
    block_t *b = put_block(w, 1, 48, 0);
    block_set_allocated(b, 1);
    cr_assert(eq(sz, w[1], 48 | 1), "size word");
    cr_assert(eq(sz, w[6], 48 | 1), "end tag");
}

Test(accessors_2_end_tag, set_allocated_0_clears_bit_in_both_tags)
{
    size_t w[16] = { 0 };
    block_t *b = put_block(w, 1, 48, 1);
    block_set_allocated(b, 0);
    cr_assert(eq(sz, w[1], 48), "size word");
    cr_assert(eq(sz, w[6], 48), "end tag");
}

Test(accessors_2_end_tag, set_allocated_twice_keeps_size)
{
    size_t w[16] = { 0 };
    block_t *b = put_block(w, 1, 48, 1);
    block_set_allocated(b, 1);
    cr_assert(eq(sz, w[1], 48 | 1), "size word after setting a set bit");
    block_set_allocated(b, 0);
    block_set_allocated(b, 0);
    cr_assert(eq(sz, w[1], 48), "size word after clearing a clear bit");
    cr_assert(eq(sz, w[6], 48), "end tag after clearing a clear bit");
}

Test(accessors_2_end_tag, set_allocated_rejects_values_other_than_0_and_1, .signal = SIGABRT)
{
    expect_assertion();
    size_t w[16] = { 0 };
    block_t *b = put_block(w, 1, 48, 0);
    block_set_allocated(b, 2);
}

Test(accessors_2_end_tag, init_writes_allocated_block)
{
    size_t w[16] = { 0 };
    block_init((block_t *)&w[1], 56, 1);
    cr_assert(eq(sz, w[1], 56 | 1), "size word");
    cr_assert(eq(sz, w[7], 56 | 1), "end tag");
}

Test(accessors_2_end_tag, init_writes_free_block)
{
    size_t w[16] = { 0 };
    block_init((block_t *)&w[1], 56, 0);
    cr_assert(eq(sz, w[1], 56), "size word");
    cr_assert(eq(sz, w[7], 56), "end tag");
}

Test(accessors_2_end_tag, init_ignores_old_contents)
{
    size_t w[16];
    for (size_t i = 0; i < 16; i++)
        w[i] = 0xdeadbeefdeadbeefULL;   /* garbage, allocated bit set */
    block_init((block_t *)&w[1], 40, 0);
    cr_assert(eq(sz, w[1], 40), "size word over garbage %#llx", 0xdeadbeefdeadbeefULL);
    cr_assert(eq(sz, w[5], 40), "end tag over garbage %#llx", 0xdeadbeefdeadbeefULL);
}

Test(accessors_2_end_tag, init_rejects_size_not_multiple_of_8, .signal = SIGABRT)
{
    expect_assertion();
    size_t w[16] = { 0 };
    block_init((block_t *)&w[1], 52, 0);
}

Test(accessors_2_end_tag, init_rejects_allocated_bit_other_than_0_and_1, .signal = SIGABRT)
{
    expect_assertion();
    size_t w[16] = { 0 };
    block_init((block_t *)&w[1], 48, 3);
}

/* --- 3. Neighbours in the heap ---------------------------------------- */

/*
 * A small heap in w: an allocated end tag of size 0 (a prologue), then
 *   a: 48 bytes, allocated   w[1..6]
 *   b: 64 bytes, free        w[7..14]
 *   c: 32 bytes, allocated   w[15..18]
 *   d: 40 bytes, free        w[19..23]
 * then an allocated size word of size 0 (an epilogue) at w[24].
 */
struct row {
    size_t w[32];
    block_t *a, *b, *c, *d;
};

static void lay_row(struct row *r)
{
    for (size_t i = 0; i < 32; i++)
        r->w[i] = 0;
    r->w[0] = 0 | 1;
    r->a = put_block(r->w, 1, 48, 1);
    r->b = put_block(r->w, 7, 64, 0);
    r->c = put_block(r->w, 15, 32, 1);
    r->d = put_block(r->w, 19, 40, 0);
    r->w[24] = 0 | 1;
}

TestSuite(accessors_3_neighbours, .init = accessors_setup, .timeout = TIMEOUT(5));

Test(accessors_3_neighbours, next_is_size_bytes_above)
{
    struct row r;
    lay_row(&r);
    cr_assert(eq(ptr, block_next(r.b), r.c), "next of the free 64-byte block at w[7]");
}

Test(accessors_3_neighbours, next_of_allocated_block_ignores_allocated_bit)
{
    struct row r;
    lay_row(&r);
    cr_assert(eq(ptr, block_next(r.a), r.b), "next of the allocated 48-byte block at w[1]");
}

Test(accessors_3_neighbours, next_allocated_is_1_when_block_above_is_allocated)
{
    struct row r;
    lay_row(&r);
    cr_assert(eq(sz, block_next_allocated(r.b), 1), "above the block at w[7] is an allocated block");
}

Test(accessors_3_neighbours, next_allocated_is_0_when_block_above_is_free)
{
    struct row r;
    lay_row(&r);
    cr_assert(eq(sz, block_next_allocated(r.a), 0), "above the block at w[1] is a free block");
}

Test(accessors_3_neighbours, prev_allocated_is_1_when_end_tag_below_is_allocated)
{
    struct row r;
    lay_row(&r);
    cr_assert(eq(sz, block_prev_allocated(r.b), 1), "below w[7] is the end tag %#zx", r.w[6]);
    cr_assert(eq(sz, block_prev_allocated(r.a), 1), "below w[1] is the prologue %#zx", r.w[0]);
}

Test(accessors_3_neighbours, prev_allocated_is_0_when_end_tag_below_is_free)
{
    struct row r;
    lay_row(&r);
    cr_assert(eq(sz, block_prev_allocated(r.c), 0), "below w[15] is the end tag %#zx", r.w[14]);
}

Test(accessors_3_neighbours, prev_is_found_by_size_in_end_tag_below)
{
    struct row r;
    lay_row(&r);
    cr_assert(eq(ptr, block_prev(r.c), r.b), "below w[15] is a free 64-byte block");
}

Test(accessors_3_neighbours, prev_of_block_above_allocated_block_ignores_allocated_bit)
{
    struct row r;
    lay_row(&r);
    cr_assert(eq(ptr, block_prev(r.b), r.a), "below w[7] is an allocated 48-byte block");
}

Test(accessors_3_neighbours, prev_undoes_next_along_the_heap)
{
    struct row r;
    lay_row(&r);
    block_t *row[] = { r.a, r.b, r.c, r.d };
    for (int i = 0; i < 3; i++) {
        cr_assert(eq(ptr, block_next(row[i]), row[i + 1]), "next of block %d", i);
        cr_assert(eq(ptr, block_prev(row[i + 1]), row[i]), "prev of block %d", i + 1);
    }
}

/* --- 4. Block and payload --------------------------------------------- */

TestSuite(accessors_4_payload, .init = accessors_setup, .timeout = TIMEOUT(5));

Test(accessors_4_payload, payload_is_the_word_after_size_word)
{
    size_t w[16] = { 0 };
    block_t *b = put_block(w, 3, 48, 1);
    cr_assert(eq(ptr, block_payload(b), &w[4]), "payload of the block at w[3]");
}

Test(accessors_4_payload, payload_to_block_is_one_word_below_payload)
{
    size_t w[16] = { 0 };
    block_t *b = put_block(w, 3, 48, 1);
    cr_assert(eq(ptr, payload_to_block(&w[4]), b), "block of the payload at w[4]");
}

Test(accessors_4_payload, payload_to_block_undoes_block_payload)
{
    size_t w[32] = { 0 };
    for (size_t i = 1; i + 4 <= 32; i += 5) {
        block_t *b = put_block(w, i, 32, i & 1);
        cr_assert(eq(ptr, payload_to_block(block_payload(b)), b), "block at w[%zu]", i);
    }
}

/* --- 5. Free-list links ----------------------------------------------- */

TestSuite(accessors_5_links, .init = accessors_setup, .timeout = TIMEOUT(5));

Test(accessors_5_links, next_free_reads_payload_0)
{
    size_t w[16] = { 0 };
    block_t *b = put_block(w, 1, 48, 0);
    block_t *other = (block_t *)&w[9];
    w[2] = (size_t)other;
    cr_assert(eq(ptr, block_next_free(b), other), "payload[0] = w[2] = %#zx", w[2]);
}

Test(accessors_5_links, prev_free_reads_payload_1)
{
    size_t w[16] = { 0 };
    block_t *b = put_block(w, 1, 48, 0);
    block_t *other = (block_t *)&w[9];
    w[3] = (size_t)other;
    cr_assert(eq(ptr, block_prev_free(b), other), "payload[1] = w[3] = %#zx", w[3]);
}

Test(accessors_5_links, set_next_free_writes_payload_0)
{
    size_t w[16] = { 0 };
    block_t *b = put_block(w, 1, 48, 0);
    block_t *other = (block_t *)&w[9];
    block_set_next_free(b, other);
    cr_assert(eq(sz, w[2], (size_t)other), "payload[0] = w[2]");
}

Test(accessors_5_links, set_prev_free_writes_payload_1)
{
    size_t w[16] = { 0 };
    block_t *b = put_block(w, 1, 48, 0);
    block_t *other = (block_t *)&w[9];
    block_set_prev_free(b, other);
    cr_assert(eq(sz, w[3], (size_t)other), "payload[1] = w[3]");
}

Test(accessors_5_links, set_next_free_leaves_other_words)
{
    size_t w[16] = { 0 };
    block_t *b = put_block(w, 1, 48, 0);
    w[3] = 0x1234;
    block_set_next_free(b, (block_t *)&w[9]);
    cr_assert(eq(sz, w[1], 48), "size word");
    cr_assert(eq(sz, w[3], 0x1234), "payload[1]");
    cr_assert(eq(sz, w[6], 48), "end tag");
}

Test(accessors_5_links, set_prev_free_leaves_other_words)
{
    size_t w[16] = { 0 };
    block_t *b = put_block(w, 1, 48, 0);
    w[2] = 0x1234;
    block_set_prev_free(b, (block_t *)&w[9]);
    cr_assert(eq(sz, w[1], 48), "size word");
    cr_assert(eq(sz, w[2], 0x1234), "payload[0]");
    cr_assert(eq(sz, w[6], 48), "end tag");
}

/* --- 6. The free list -------------------------------------------------- */

/*
 * The list tests build their blocks in list_words, not on the stack: a
 * block on the file-static list must outlive the function that inserted it
 * (gcc rejects storing a local address in a static).
 */
#define LISTED 48   /* size of the blocks the list tests insert */
#define NLISTED 5
#define LIST_WORDS (4096 / 8 + 2)

static size_t list_words[LIST_WORDS];

/* list_setup - zeroed words and an empty list for LISTED-byte blocks
 * (already so in a forked test; made so for a run with --no-fork too). */
static void list_setup(void)
{
    accessors_setup();
    for (size_t i = 0; i < LIST_WORDS; i++)
        list_words[i] = 0;
    *flist_head(LISTED) = NULL;
    *flist_head(4096) = NULL;
}

/* lay_free - NLISTED free blocks of LISTED bytes in list_words, on no list. */
static void lay_free(block_t *out[NLISTED])
{
    for (size_t k = 0; k < NLISTED; k++)
        out[k] = put_block(list_words, 1 + k * (LISTED / WORDSIZE), LISTED, 0);
}

TestSuite(accessors_6_free_list, .init = list_setup, .timeout = TIMEOUT(5));

Test(accessors_6_free_list, insert_into_empty_list_makes_block_first)
{
    block_t *b[NLISTED];
    lay_free(b);
    insert_free_block(b[0]);
    cr_assert(eq(ptr, *flist_head(LISTED), b[0]), "first block of the list");
}

Test(accessors_6_free_list, insert_into_empty_list_links_block_to_itself)
{
    block_t *b[NLISTED];
    lay_free(b);
    insert_free_block(b[0]);
    cr_assert(eq(ptr, block_next_free(b[0]), b[0]), "next of the only block");
    cr_assert(eq(ptr, block_prev_free(b[0]), b[0]), "prev of the only block");
}

Test(accessors_6_free_list, insert_puts_block_first)
{
    block_t *b[NLISTED];
    lay_free(b);
    insert_free_block(b[0]);
    insert_free_block(b[1]);
    cr_assert(eq(ptr, *flist_head(LISTED), b[1]), "first block after inserting b[0], b[1]");
}

Test(accessors_6_free_list, insert_links_block_to_old_first_and_old_last)
{
    block_t *b[NLISTED];
    lay_free(b);
    insert_free_block(b[0]);
    insert_free_block(b[1]);   /* list: b1 b0 */
    insert_free_block(b[2]);   /* list: b2 b1 b0 */
    cr_assert(eq(ptr, block_next_free(b[2]), b[1]), "next of b[2] is the old first, b[1]");
    cr_assert(eq(ptr, block_prev_free(b[2]), b[0]), "prev of b[2] is the old last, b[0]");
}

Test(accessors_6_free_list, insert_links_old_first_and_old_last_to_block)
{
    block_t *b[NLISTED];
    lay_free(b);
    insert_free_block(b[0]);
    insert_free_block(b[1]);   /* list: b1 b0 */
    insert_free_block(b[2]);   /* list: b2 b1 b0 */
    cr_assert(eq(ptr, block_prev_free(b[1]), b[2]), "prev of the old first, b[1]");
    cr_assert(eq(ptr, block_next_free(b[0]), b[2]), "next of the old last, b[0]");
}

Test(accessors_6_free_list, insert_keeps_list_circular_both_ways)
{
    block_t *b[NLISTED];
    lay_free(b);
    for (int k = 0; k < NLISTED; k++)
        insert_free_block(b[k]);
    /* Newest first: b4 b3 b2 b1 b0, then back to b4. */
    block_t *f = *flist_head(LISTED);
    for (int k = NLISTED - 1; k >= 0; k--) {
        cr_assert(eq(ptr, f, b[k]), "block %d of the list, following next", NLISTED - 1 - k);
        f = block_next_free(f);
    }
    cr_assert(eq(ptr, f, b[NLISTED - 1]), "next of the last block is the first");
    for (int k = 0; k < NLISTED; k++) {
        f = block_prev_free(f);
        cr_assert(eq(ptr, f, b[k]), "block %d back from the first, following prev", k + 1);
    }
}

Test(accessors_6_free_list, insert_uses_the_list_of_the_block_size)
{
    block_t *big = put_block(list_words, 1, 4096, 0);
    insert_free_block(big);
    cr_assert(eq(ptr, *flist_head(4096), big), "first block of the list of 4096-byte blocks");
}

Test(accessors_6_free_list, insert_leaves_tags)
{
    block_t *b[NLISTED];
    lay_free(b);
    insert_free_block(b[0]);
    insert_free_block(b[1]);
    for (int k = 0; k < 2; k++) {
        cr_assert(eq(sz, b[k]->size, LISTED), "size word of b[%d]", k);
        cr_assert(eq(sz, *block_end_tag(b[k]), LISTED), "end tag of b[%d]", k);
    }
}

Test(accessors_6_free_list, insert_rejects_allocated_block, .signal = SIGABRT)
{
    expect_assertion();
    block_t *b = put_block(list_words, 1, LISTED, 1);
    insert_free_block(b);
}

Test(accessors_6_free_list, pull_only_block_empties_list)
{
    block_t *b[NLISTED];
    lay_free(b);
    insert_free_block(b[0]);
    pull_free_block(b[0]);
    cr_assert(eq(ptr, *flist_head(LISTED), NULL), "list after pulling its only block");
}

Test(accessors_6_free_list, pull_first_block_makes_its_next_first)
{
    block_t *b[NLISTED];
    lay_free(b);
    for (int k = 0; k < 3; k++)
        insert_free_block(b[k]);   /* list: b2 b1 b0 */
    pull_free_block(b[2]);
    cr_assert(eq(ptr, *flist_head(LISTED), b[1]), "first block after pulling the first, b[2]");
    cr_assert(eq(ptr, block_prev_free(b[1]), b[0]), "prev of the new first is the last");
    cr_assert(eq(ptr, block_next_free(b[0]), b[1]), "next of the last is the new first");
}

Test(accessors_6_free_list, pull_middle_block_links_its_neighbours)
{
    block_t *b[NLISTED];
    lay_free(b);
    for (int k = 0; k < 3; k++)
        insert_free_block(b[k]);   /* list: b2 b1 b0 */
    pull_free_block(b[1]);
    cr_assert(eq(ptr, block_next_free(b[2]), b[0]), "next of b[2] after pulling b[1]");
    cr_assert(eq(ptr, block_prev_free(b[0]), b[2]), "prev of b[0] after pulling b[1]");
    cr_assert(eq(ptr, *flist_head(LISTED), b[2]), "the first block stays first");
}

Test(accessors_6_free_list, pull_last_block_links_first_and_new_last)
{
    block_t *b[NLISTED];
    lay_free(b);
    for (int k = 0; k < 3; k++)
        insert_free_block(b[k]);   /* list: b2 b1 b0 */
    pull_free_block(b[0]);
    cr_assert(eq(ptr, block_prev_free(b[2]), b[1]), "prev of the first is the new last");
    cr_assert(eq(ptr, block_next_free(b[1]), b[2]), "next of the new last is the first");
    cr_assert(eq(ptr, *flist_head(LISTED), b[2]), "the first block stays first");
}

Test(accessors_6_free_list, pull_of_one_of_two_leaves_other_linked_to_itself)
{
    block_t *b[NLISTED];
    lay_free(b);
    insert_free_block(b[0]);
    insert_free_block(b[1]);   /* list: b1 b0 */
    pull_free_block(b[1]);
    cr_assert(eq(ptr, *flist_head(LISTED), b[0]), "first block");
    cr_assert(eq(ptr, block_next_free(b[0]), b[0]), "next of the only block left");
    cr_assert(eq(ptr, block_prev_free(b[0]), b[0]), "prev of the only block left");
}

Test(accessors_6_free_list, pull_leaves_links_of_pulled_block)
{
    block_t *b[NLISTED];
    lay_free(b);
    for (int k = 0; k < 3; k++)
        insert_free_block(b[k]);   /* list: b2 b1 b0 */
    pull_free_block(b[1]);
    cr_assert(eq(ptr, block_next_free(b[1]), b[0]), "next of the pulled block b[1]");
    cr_assert(eq(ptr, block_prev_free(b[1]), b[2]), "prev of the pulled block b[1]");
}

Test(accessors_6_free_list, pulled_block_can_be_inserted_again)
{
    block_t *b[NLISTED];
    lay_free(b);
    for (int k = 0; k < 3; k++)
        insert_free_block(b[k]);   /* list: b2 b1 b0 */
    pull_free_block(b[0]);
    insert_free_block(b[0]);   /* list: b0 b2 b1 */
    block_t *want[] = { b[0], b[2], b[1], b[0] };
    block_t *f = *flist_head(LISTED);
    for (int k = 0; k < 4; k++) {
        cr_assert(eq(ptr, f, want[k]), "block %d of the list", k);
        f = block_next_free(f);
    }
}
