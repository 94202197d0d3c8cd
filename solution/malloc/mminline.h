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
 * bit 0 is the allocated bit. The end tag, a copy of the size word, is
 * payload[size/8 - 2]: the block's last word. A block is at least
 * MINBLOCKSIZE bytes, enough for the two tags and the two free-list links.
 *
 * Free blocks sit on circular, doubly-linked lists linked through payload[0]
 * (next) and payload[1] (prev). This allocator keeps FLIST_COUNT of them,
 * the lecture's flist_first made an array indexed by size class (segregated
 * fits): one list per exact size up to FLIST_EXACT_MAX bytes, then two per
 * power of two. Invariant: bit i of flist_nonempty is set iff list i is not
 * empty, so the first non-empty list at or above a class is one instruction.
 */
#ifndef MMINLINE_H
#define MMINLINE_H

#include <assert.h>
#include <stddef.h>

#include "mm.h"

typedef struct block {
    size_t size;       /* block size in bytes | allocated bit */
    size_t payload[];  /* payload words; the end tag is payload[size/8 - 2] */
} block_t;

#define WORDSIZE sizeof(size_t)            /* bytes in a word */
#define TAGSIZE (2 * WORDSIZE)             /* header word + end tag */
#define MINBLOCKSIZE (TAGSIZE + 2 * WORDSIZE) /* tags + next + prev = 32 */

#define FLIST_COUNT 64          /* lists; one bit each in flist_nonempty */
#define FLIST_EXACT_MAX 256     /* sizes up to here each have their own list */
#define FLIST_EXACT_COUNT ((FLIST_EXACT_MAX - MINBLOCKSIZE) / 8 + 1)

/* The first block of each free list, NULL when the list is empty; file-static,
 * so each file including this header has its own lists. */
static block_t *flist_first[FLIST_COUNT];
static unsigned long flist_nonempty;   /* bit i: flist_first[i] != NULL */

/* --- 1. The size word ------------------------------------------------- */

/* block_allocated - 1 if b is allocated, 0 if it is free. */
static inline size_t block_allocated(block_t *b)
{
    return b->size & 1;
}

/* block_size - the size of b in bytes, without the allocated bit. */
static inline size_t block_size(block_t *b)
{
    return b->size & -2;
}

/* --- 2. The end tag --------------------------------------------------- */

/* block_end_tag - address of b's end tag, the last word of the block. */
static inline size_t *block_end_tag(block_t *b)
{
    return &b->payload[block_size(b) / WORDSIZE - 2];
}

/*
 * block_setsize - make b size bytes long: write size into the size word and
 * into the end tag at its new place, keeping b's allocated bit.
 * size is a multiple of 8 (assert it).
 */
static inline void block_setsize(block_t *b, size_t size)
{
    assert(!(size & 7));
    size |= block_allocated(b);
    b->size = size;
    *block_end_tag(b) = size;
}

/*
 * block_set_allocated - set (a == 1) or clear (a == 0) the allocated bit in
 * both b's size word and its end tag; a is 0 or 1 (assert it).
 */
static inline void block_set_allocated(block_t *b, size_t a)
{
    assert(a == 0 || a == 1);
    if (a) {
        b->size |= 1;
        *block_end_tag(b) |= 1;
    } else {
        b->size &= -2;
        *block_end_tag(b) &= -2;
    }
}

/*
 * block_init - make b a block of size bytes with allocated bit a, writing
 * its size word and its end tag; whatever b's words held before is ignored
 * (use it for a block that did not exist until now: the rest of a split,
 * new heap space). size is a multiple of 8 and a is 0 or 1 (assert both).
 */
static inline void block_init(block_t *b, size_t size, size_t a)
{
    assert(!(size & 7));
    assert(a == 0 || a == 1);
    b->size = size | a;
    *block_end_tag(b) = size | a;
}

/* --- 3. Neighbours in the heap ---------------------------------------- */

/*
 * block_prev_allocated - 1 if the block just below b in the heap is
 * allocated, read from that block's end tag (the word before b).
 */
static inline size_t block_prev_allocated(block_t *b)
{
    return (&b->size)[-1] & 1;   /* the lecture's b->payload[-2] */
}

/* block_next - the block just above b in the heap. */
static inline block_t *block_next(block_t *b)
{
    return (block_t *)((char *)b + block_size(b));
}

/* block_next_allocated - 1 if the block just above b is allocated. */
static inline size_t block_next_allocated(block_t *b)
{
    return block_allocated(block_next(b));
}

/*
 * block_prev - the block just below b in the heap, found by the size in its
 * end tag (the word before b).
 */
static inline block_t *block_prev(block_t *b)
{
    return (block_t *)((char *)b - ((&b->size)[-1] & -2));
}

/* --- 4. Block and payload --------------------------------------------- */

/* block_payload - the payload address the user gets for block b. */
static inline void *block_payload(block_t *b)
{
    return b->payload;
}

/* payload_to_block - the block whose payload starts at p. */
static inline block_t *payload_to_block(void *p)
{
    return (block_t *)((char *)p - WORDSIZE);
}

/* --- 5. Free-list links (free blocks only) ---------------------------- */

/* block_next_free - the block after b in the free list (payload[0]). */
static inline block_t *block_next_free(block_t *b)
{
    return (block_t *)b->payload[0];
}

/* block_set_next_free - make next the block after b in the free list. */
static inline void block_set_next_free(block_t *b, block_t *next)
{
    b->payload[0] = (size_t)next;
}

/* block_prev_free - the block before b in the free list (payload[1]). */
static inline block_t *block_prev_free(block_t *b)
{
    return (block_t *)b->payload[1];
}

/* block_set_prev_free - make prev the block before b in the free list. */
static inline void block_set_prev_free(block_t *b, block_t *prev)
{
    b->payload[1] = (size_t)prev;
}

/* --- 6. The free lists ------------------------------------------------- */

/*
 * flist_index - the size class of a block of size bytes: size/8 - 4 up to
 * FLIST_EXACT_MAX, then two classes per power of two, [2^k, 1.5 * 2^k) and
 * [1.5 * 2^k, 2^(k+1)); everything from the last class up shares it.
 * A block in a class above c is larger than any block in class c.
 */
static inline unsigned flist_index(size_t size)
{
    if (size <= FLIST_EXACT_MAX)
        return (unsigned)((size - MINBLOCKSIZE) / 8);
    unsigned k = 63 - (unsigned)__builtin_clzl(size);   /* 2^k <= size */
    unsigned i = FLIST_EXACT_COUNT + 2 * (k - 8) + ((size >> (k - 1)) & 1);
    return i < FLIST_COUNT ? i : FLIST_COUNT - 1;
}

/*
 * flist_head - the list head that free blocks of this size belong to:
 * &flist_first[flist_index(size)].
 */
static inline block_t **flist_head(size_t size)
{
    return &flist_first[flist_index(size)];
}

/*
 * insert_free_block - put the free block fb first on its list
 * (*flist_head(block_size(fb))): fb's next is the old first block and its
 * prev the old last block; on an empty list fb is its own next and prev.
 * fb must be free (assert it).
 */
static inline void insert_free_block(block_t *fb)
{
    assert(!block_allocated(fb));
    unsigned i = flist_index(block_size(fb));
    block_t *first = flist_first[i];
    if (first != NULL) {
        block_t *last = block_prev_free(first);
        block_set_next_free(fb, first);
        block_set_prev_free(fb, last);
        block_set_next_free(last, fb);
        block_set_prev_free(first, fb);
    } else {
        block_set_next_free(fb, fb);
        block_set_prev_free(fb, fb);
        flist_nonempty |= 1UL << i;
    }
    flist_first[i] = fb;
}

/*
 * pull_free_block - take fb off its list, linking its neighbours to each
 * other. If fb was first, its next becomes first; if it was alone, the list
 * becomes empty (NULL). fb's own links are left as they were.
 */
static inline void pull_free_block(block_t *fb)
{
    unsigned i = flist_index(block_size(fb));
    block_t *next = block_next_free(fb);
    if (next == fb) {
        flist_first[i] = NULL;
        flist_nonempty &= ~(1UL << i);
        return;
    }
    block_t *prev = block_prev_free(fb);
    block_set_next_free(prev, next);
    block_set_prev_free(next, prev);
    if (flist_first[i] == fb)
        flist_first[i] = next;
}

/* The lecture's experiment: the same accessors as macros (make
 * bench-accessors builds mm.c with and without them, at -O0 and -O2). */
#ifdef MM_MACROS
#include "mmmacros.h"
#endif

#endif
