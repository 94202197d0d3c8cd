/*
 * mminline.h - the block: its layout and every accessor to it.
 *
 * A block is an object; the rest of the allocator touches its words only
 * through these functions. They are static inline: at -O0 each is a real
 * function gdb can step into, at -O2 each call becomes its body.
 *
 * Layout (all fields are 8-byte words, sizes are in bytes, multiples of 8):
 *
 *   allocated block                     free block
 *   +------------------------+ <- b     +------------------------+
 *   | size            | a=1  |          | size            | a=0  |
 *   +------------------------+ <- payload +----------------------+
 *   | payload and padding    |          | next free (payload[0]) |
 *   |          ...           |          | prev free (payload[1]) |
 *   |                        |          |   ...unused...         |
 *   +------------------------+          +------------------------+
 *   | size (end tag)  | a=1  |          | size (end tag)  | a=0  |
 *   +------------------------+          +------------------------+
 *
 * The size word holds the size of the whole block, both tags included; its
 * bit 0 is the allocated bit (sizes are multiples of 8, so bit 0 is free
 * to use). The end tag, a copy of the size word, is payload[size/8 - 2]:
 * the block's last word, read by the next block to learn whether this one is
 * free and where it starts. A block is at least MINBLOCKSIZE bytes, enough
 * for the two tags and the two free-list links.
 *
 * Free blocks sit on a circular, doubly-linked list (the lecture's
 * flist_first), linked through payload[0] (next) and payload[1] (prev).
 *
 * Write the bodies in the order below; the public tests check them in the
 * same order (make check, suites accessors_1 ... accessors_6).
 */
#ifndef MMINLINE_H
#define MMINLINE_H

#include <assert.h>
#include <stddef.h>

#include "mm.h"
#include "unimplemented.h"

typedef struct block {
    size_t size;       /* block size in bytes | allocated bit */
    size_t payload[];  /* payload words; the end tag is payload[size/8 - 2] */
} block_t;

#define WORDSIZE sizeof(size_t)            /* bytes in a word */
#define TAGSIZE (2 * WORDSIZE)             /* header word + end tag */
#define MINBLOCKSIZE (TAGSIZE + 2 * WORDSIZE) /* tags + next + prev = 32 */

/*
 * The first block of the free list, NULL when the list is empty. It is
 * file-static: each file that includes this header has its own list, and
 * the allocator's is the one in mm.c.
 */
static block_t *flist_first;

/* --- 1. The size word ------------------------------------------------- */

/* block_allocated - 1 if b is allocated, 0 if it is free. */
static inline size_t block_allocated(block_t *b)
{
    (void)b;
    UNIMPLEMENTED();
}

/* block_size - the size of b in bytes, without the allocated bit. */
static inline size_t block_size(block_t *b)
{
    (void)b;
    UNIMPLEMENTED();
}

/* --- 2. The end tag --------------------------------------------------- */

/* block_end_tag - address of b's end tag, the last word of the block. */
static inline size_t *block_end_tag(block_t *b)
{
    (void)b;
    UNIMPLEMENTED();
}

/*
 * block_setsize - make b size bytes long: write size into the size word and
 * into the end tag at its new place, keeping b's allocated bit.
 * size is a multiple of 8 (assert it).
 */
static inline void block_setsize(block_t *b, size_t size)
{
    (void)b;
    (void)size;
    UNIMPLEMENTED();
}

/*
 * block_set_allocated - set (a == 1) or clear (a == 0) the allocated bit in
 * both b's size word and its end tag; a is 0 or 1 (assert it).
 */
static inline void block_set_allocated(block_t *b, size_t a)
{
    (void)b;
    (void)a;
    UNIMPLEMENTED();
}

/*
 * block_init - make b a block of size bytes with allocated bit a, writing
 * its size word and its end tag; whatever b's words held before is ignored
 * (use it for a block that did not exist until now: the rest of a split,
 * new heap space). size is a multiple of 8 and a is 0 or 1 (assert both).
 */
static inline void block_init(block_t *b, size_t size, size_t a)
{
    (void)b;
    (void)size;
    (void)a;
    UNIMPLEMENTED();
}

/* --- 3. Neighbours in the heap ---------------------------------------- */

/*
 * block_prev_allocated - 1 if the block just below b in the heap is
 * allocated, read from that block's end tag (the word before b).
 * The lecture writes that word b->payload[-2]; gcc rejects a negative index
 * into a flexible array member, so write it (&b->size)[-1].
 */
static inline size_t block_prev_allocated(block_t *b)
{
    (void)b;
    UNIMPLEMENTED();
}

/* block_next - the block just above b in the heap. */
static inline block_t *block_next(block_t *b)
{
    (void)b;
    UNIMPLEMENTED();
}

/* block_next_allocated - 1 if the block just above b is allocated. */
static inline size_t block_next_allocated(block_t *b)
{
    (void)b;
    UNIMPLEMENTED();
}

/*
 * block_prev - the block just below b in the heap, found by the size in its
 * end tag (the word before b).
 */
static inline block_t *block_prev(block_t *b)
{
    (void)b;
    UNIMPLEMENTED();
}

/* --- 4. Block and payload --------------------------------------------- */

/* block_payload - the payload address the user gets for block b. */
static inline void *block_payload(block_t *b)
{
    (void)b;
    UNIMPLEMENTED();
}

/* payload_to_block - the block whose payload starts at p. */
static inline block_t *payload_to_block(void *p)
{
    (void)p;
    UNIMPLEMENTED();
}

/* --- 5. Free-list links (free blocks only) ---------------------------- */

/* block_next_free - the block after b in the free list (payload[0]). */
static inline block_t *block_next_free(block_t *b)
{
    (void)b;
    UNIMPLEMENTED();
}

/* block_set_next_free - make next the block after b in the free list. */
static inline void block_set_next_free(block_t *b, block_t *next)
{
    (void)b;
    (void)next;
    UNIMPLEMENTED();
}

/* block_prev_free - the block before b in the free list (payload[1]). */
static inline block_t *block_prev_free(block_t *b)
{
    (void)b;
    UNIMPLEMENTED();
}

/* block_set_prev_free - make prev the block before b in the free list. */
static inline void block_set_prev_free(block_t *b, block_t *prev)
{
    (void)b;
    (void)prev;
    UNIMPLEMENTED();
}

/* --- 6. The free list -------------------------------------------------- */

/*
 * flist_head - the list head that free blocks of this size belong to.
 * With the lecture's single list that is &flist_first for every size. An
 * allocator that keeps several lists, one per range of sizes (segregated
 * fits), returns the head for size's range here, and insert_free_block and
 * pull_free_block work unchanged.
 */
static inline block_t **flist_head(size_t size)
{
    (void)size;
    return &flist_first;
}

/*
 * insert_free_block - put the free block fb first on its list
 * (*flist_head(block_size(fb))): fb's next is the old first block and its
 * prev the old last block; on an empty list fb is its own next and prev.
 * fb must be free (assert it).
 */
static inline void insert_free_block(block_t *fb)
{
    (void)fb;
    UNIMPLEMENTED();
}

/*
 * pull_free_block - take fb off its list, linking its neighbours to each
 * other. If fb was first, its next becomes first; if it was alone, the list
 * becomes empty (NULL). fb's own links are left as they were.
 */
static inline void pull_free_block(block_t *fb)
{
    (void)fb;
    UNIMPLEMENTED();
}

#endif
