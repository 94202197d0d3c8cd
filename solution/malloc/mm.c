/*
 * mm.c - the reference allocator: boundary tags, segregated explicit free
 * lists, immediate coalescing.
 *
 * Heap layout. mm_init lays down two words: a prologue end tag (size 0,
 * allocated) at the bottom and an epilogue size word (size 0, allocated) at
 * the top. Every real block lies between them, so block_prev_allocated of
 * the first block and block_next_allocated of the last read "allocated" and
 * coalescing needs no edge cases. Growing the heap turns the old epilogue
 * into the size word of the new block and writes a new epilogue past it.
 *
 * Blocks. The lecture's layout (mminline.h): size word with the allocated
 * bit, payload, end tag; MINBLOCKSIZE is 32 bytes. A request of n bytes
 * takes a block of max(32, round_up_8(n + 16)) bytes, the least the layout
 * allows, so utilization is limited by fragmentation alone.
 *
 * Free lists and placement. FLIST_COUNT circular doubly-linked lists, one
 * per size class (mminline.h): exact sizes up to 256 bytes, where most
 * requests of real programs fall, then two classes per power of two. A
 * request takes the best fit among at most FIT_SCAN blocks of its own
 * class (in an exact class the first block fits exactly), else the best
 * among FIT_SCAN blocks of the nearest non-empty class above, found in one
 * step from the flist_nonempty bitmap; equal fits go to the lower address,
 * which keeps the heap's top free to coalesce. Best fit keeps fragmentation
 * low (Wilson et al., "Dynamic Storage Allocation: A Survey"); the scan
 * limit bounds its cost by FIT_SCAN instead of the length of a list.
 *
 * Splitting. A block bigger than needed is split when the rest can be a
 * block (>= 32 bytes). Small requests (under SMALL = 128 bytes) take the
 * high end of the block, larger ones the low end. Small and large blocks
 * so gather at opposite ends of free space, and a freed large block
 * coalesces with its large neighbours instead of being fenced in by small
 * ones (CS:APP's binary traces); and a large block is placed with the free
 * rest right above it, where realloc can grow it in place.
 *
 * Coalescing is immediate, all four cases of the lecture, so no two free
 * blocks are ever adjacent.
 *
 * Growing the heap. When no free block fits, the heap grows by what is
 * missing: the last block is extended when it is free. A small request
 * grows it by at least CHUNK bytes, so that a run of small and large
 * requests on an empty heap has room to separate (see Splitting); a large
 * one by exactly what it needs. A free last block big enough is used as
 * it is (the search's scan limit can pass over it).
 *
 * realloc avoids copying when it can and new heap when it must copy:
 *   1. it shrinks in place (the rest becomes free and coalesces above), or
 *      grows into a free block above when that is enough;
 *   2. the last block of the heap (a buffer being built, typically) moves
 *      into a free block elsewhere that fits, else grows in place with the
 *      heap: no copy, and only by what is missing;
 *   3. any other block slides down into a free block below when the
 *      neighbours together are big enough (memmove), else moves into the
 *      best fit, else to new heap at the top.
 * A buffer fenced by a small block allocated after each growth (CS:APP's
 * realloc-bal) so moves once, to the top of the heap or into a hole with
 * room above it, and then grows in place; the small blocks go to the high
 * ends of free blocks below it.
 *
 * Measured effect of each policy (mdriver --no-timing over the 23 traces
 * shipped before gen-realloc-giant; mean of util/bound per trace, 0.944
 * with all of them; each row changes one policy back):
 *
 *   policy changed                          mean   traces that move most
 *   no split by size (all at the low end)   0.884  binary-bal 94 -> 54,
 *                                                  binary-small 82 -> 48
 *   SMALL 256 instead of 128                0.922  binary-small 82 -> 48,
 *                                                  coalesce 89 -> 80;
 *                                                  awk 61 -> 69 (better)
 *   small low, large high (the other ends)  0.938  string 86 -> 83,
 *                                                  vector 84 -> 83
 *   CHUNK 2048 instead of 16384             0.940  string 86 -> 80
 *   last block: heap grows before a fit     0.933  vector 84 -> 64
 *   elsewhere is looked for
 *   last block: slides down first, as the   0.914  fenced 100 -> 50,
 *   others do                                      fenced2 89 -> 72
 *                                                  (both 1/50 the speed);
 *                                                  string 86 -> 89
 *   FIT_SCAN 64 instead of 16               0.942  pareto 84 -> 81
 *
 * SMALL = 128 is shaped by one trace, binary-small (16- and 112-byte
 * pairs: 112 + 16 bytes of tags is 128); it costs rec-awk, whose 136- to
 * 168-byte blocks it now places with the large ones. Where the reference is
 * still far from the bound: rec-awk (61 % of 99.8 %), strings copied into
 * blocks 8 bytes larger than the one freed before, so each hole is 8 bytes
 * too small for the next request; the realloc traces (84-89 % of 100 %),
 * whose growing buffers leave holes behind them.
 *
 * State: the list heads and the bitmap of mminline.h (65 words), reset by
 * mm_init.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "memlib.h"
#include "mm.h"
#include "mminline.h"

#define FIT_SCAN 16          /* blocks a best-fit search looks at, at most */
#define SMALL 128            /* blocks under this size are placed at the high end */
#define CHUNK 16384          /* the heap grows by at least this for small blocks */
#define MAX_REQUEST (PTRDIFF_MAX / 2)  /* larger requests fail at once */

/* block_for_request - the block size a request of n bytes needs. */
static inline size_t block_for_request(size_t n)
{
    size_t size = (n + TAGSIZE + ALIGNMENT - 1) & ~(size_t)(ALIGNMENT - 1);
    return size < MINBLOCKSIZE ? MINBLOCKSIZE : size;
}

/* heap_first - the first block (or the epilogue, in an empty heap). */
static inline block_t *heap_first(void)
{
    return (block_t *)((char *)mem_heap_lo() + WORDSIZE);
}

/* heap_epilogue - the epilogue size word at the top of the heap. */
static inline block_t *heap_epilogue(void)
{
    return (block_t *)((char *)mem_heap_hi() + 1 - WORDSIZE);
}

int mm_init(void)
{
    size_t *p = mem_sbrk(2 * WORDSIZE);
    if (p == (void *)-1)
        return -1;
    p[0] = 1;   /* prologue: end tag of an allocated block of size 0 */
    p[1] = 1;   /* epilogue: size word of an allocated block of size 0 */
    for (unsigned i = 0; i < FLIST_COUNT; i++)
        flist_first[i] = NULL;
    flist_nonempty = 0;
    return 0;
}

/*
 * coalesce - merge the free block b, on no list, with its free neighbours,
 * put the result on its list and return it.
 */
static block_t *coalesce(block_t *b)
{
    size_t size = block_size(b);
    if (!block_next_allocated(b)) {
        block_t *next = block_next(b);
        pull_free_block(next);
        size += block_size(next);
    }
    if (!block_prev_allocated(b)) {
        block_t *prev = block_prev(b);
        pull_free_block(prev);
        size += block_size(prev);
        b = prev;
    }
    block_setsize(b, size);
    insert_free_block(b);
    return b;
}

/*
 * grow_heap - make a free block, on no list, of at least size bytes at the
 * top of the heap, extending the last block when it is free. NULL when the
 * heap cannot grow (nothing changes).
 */
static block_t *grow_heap(size_t size)
{
    block_t *epilogue = heap_epilogue();
    block_t *b = epilogue;
    size_t have = 0;
    if (!block_prev_allocated(epilogue)) {
        b = block_prev(epilogue);
        have = block_size(b);
    }
    if (have >= size) {   /* a fit the search's scan limit passed over */
        pull_free_block(b);
        return b;
    }
    size_t grow = size - have;
    if (size < SMALL && grow < CHUNK)
        grow = CHUNK;
    if (mem_sbrk((intptr_t)grow) == (void *)-1)
        return NULL;
    if (have)
        pull_free_block(b);
    size = have + grow;
    block_init(b, size, 0);
    block_next(b)->size = 1;   /* the new epilogue */
    return b;
}

/*
 * best_in - the smallest block of at least size bytes among the first
 * FIT_SCAN blocks of list i (stopping early at an exact fit), or NULL.
 */
static block_t *best_in(unsigned i, size_t size)
{
    block_t *first = flist_first[i], *best = NULL, *b = first;
    if (!first)
        return NULL;
    int seen = 0;
    do {
        size_t bs = block_size(b);
        if (bs >= size && (!best || bs < block_size(best) ||
                           (bs == block_size(best) && b < best))) {
            best = b;
            if (bs == size)
                break;
        }
        b = block_next_free(b);
    } while (b != first && ++seen < FIT_SCAN);
    return best;
}

/*
 * find_fit - take off its list and return a free block of at least size
 * bytes (see the placement policy above); NULL when there is none.
 */
static block_t *find_fit(size_t size)
{
    unsigned i = flist_index(size);
    block_t *b = best_in(i, size);
    if (!b) {
        unsigned long above = i + 1 < FLIST_COUNT ? flist_nonempty >> (i + 1) << (i + 1) : 0;
        if (!above)
            return NULL;
        b = best_in((unsigned)__builtin_ctzl(above), size);
    }
    pull_free_block(b);
    return b;
}

/*
 * place - allocate size bytes of the free block b (on no list), splitting
 * off the rest as a free block when it can be one. A small block (under
 * SMALL bytes) takes b's high end, a larger one its low end, so the rest
 * stays free right above it, room for a buffer realloc grows. Returns the
 * allocated block.
 */
static block_t *place(block_t *b, size_t size)
{
    size_t rest = block_size(b) - size;
    if (rest < MINBLOCKSIZE) {
        block_set_allocated(b, 1);
        return b;
    }
    if (size < SMALL) {
        block_init(b, rest, 0);
        insert_free_block(b);
        b = block_next(b);
        block_init(b, size, 1);
        return b;
    }
    block_init(b, size, 1);
    block_t *r = block_next(b);
    block_init(r, rest, 0);
    insert_free_block(r);
    return b;
}

void *mm_malloc(size_t size)
{
    if (size == 0 || size > MAX_REQUEST)
        return NULL;
    size_t asize = block_for_request(size);
    block_t *b = find_fit(asize);
    if (!b && !(b = grow_heap(asize)))
        return NULL;
    return block_payload(place(b, asize));
}

void mm_free(void *ptr)
{
    if (!ptr)
        return;
    block_t *b = payload_to_block(ptr);
    block_set_allocated(b, 0);
    coalesce(b);
}

/*
 * shrink - cut the allocated block b down to size bytes when what is cut
 * off can be a block; that part is freed (and coalesced above).
 */
static void shrink(block_t *b, size_t size)
{
    size_t rest = block_size(b) - size;
    if (rest < MINBLOCKSIZE)
        return;
    block_setsize(b, size);
    block_t *r = block_next(b);
    block_init(r, rest, 0);
    coalesce(r);
}

/*
 * grow_in_place - make the allocated block b at least size bytes without
 * moving it, from a free block above and, when b (with that free block)
 * is the last block and extend is set, from new heap. 0 when that is
 * impossible (nothing changes).
 */
static int grow_in_place(block_t *b, size_t size, int extend)
{
    block_t *next = block_next(b);
    size_t have = block_size(b);
    if (!block_allocated(next)) {
        have += block_size(next);
        next = block_next(next);
    }
    if (have < size) {
        if (!extend || next != heap_epilogue())
            return 0;
        if (mem_sbrk((intptr_t)(size - have)) == (void *)-1)
            return 0;
        have = size;
        ((block_t *)((char *)b + size))->size = 1;   /* the new epilogue */
    }
    if (!block_next_allocated(b))
        pull_free_block(block_next(b));
    block_setsize(b, have);
    shrink(b, size);
    return 1;
}

/* is_last - whether b, with the free block above it if there is one, ends
 * at the epilogue, so that it can grow with the heap. */
static int is_last(block_t *b)
{
    block_t *next = block_next(b);
    if (!block_allocated(next))
        next = block_next(next);
    return next == heap_epilogue();
}

/*
 * slide_down - move the allocated block b into the free block below it,
 * together with a free block above if there is one, when the room is at
 * least size bytes; the first copy bytes of the payload come along.
 * Returns the new block, or NULL when there is not enough room.
 */
static block_t *slide_down(block_t *b, size_t size, size_t copy)
{
    if (block_prev_allocated(b))
        return NULL;
    block_t *prev = block_prev(b);
    size_t have = block_size(prev) + block_size(b);
    block_t *next = block_next(b);
    int next_free = !block_allocated(next);
    if (next_free)
        have += block_size(next);
    if (have < size)
        return NULL;
    pull_free_block(prev);
    if (next_free)
        pull_free_block(next);
    memmove(block_payload(prev), block_payload(b), copy);
    block_init(prev, have, 1);
    shrink(prev, size);
    return prev;
}

/* move_to - allocate size bytes of the free block fit (on no list), copy
 * the first copy bytes of b's payload there and free b; the new payload. */
static void *move_to(block_t *fit, block_t *b, size_t size, size_t copy)
{
    void *p = block_payload(place(fit, size));
    memcpy(p, block_payload(b), copy);
    mm_free(block_payload(b));
    return p;
}

void *mm_realloc(void *ptr, size_t size)
{
    if (!ptr)
        return mm_malloc(size);
    if (size == 0) {
        mm_free(ptr);
        return NULL;
    }
    if (size > MAX_REQUEST)
        return NULL;
    block_t *b = payload_to_block(ptr);
    size_t asize = block_for_request(size);
    size_t old_payload = block_size(b) - TAGSIZE;
    if (asize <= block_size(b)) {
        shrink(b, asize);
        return ptr;
    }
    if (grow_in_place(b, asize, 0))
        return ptr;
    block_t *fit;
    if (is_last(b)) {
        /* Free space elsewhere first, else the heap grows under b. */
        if ((fit = find_fit(asize)))
            return move_to(fit, b, asize, old_payload);
        return grow_in_place(b, asize, 1) ? ptr : NULL;
    }
    block_t *moved = slide_down(b, asize, old_payload);
    if (moved)
        return block_payload(moved);
    if (!(fit = find_fit(asize)) && !(fit = grow_heap(asize)))
        return NULL;
    return move_to(fit, b, asize, old_payload);
}

/* --- The heap checker ------------------------------------------------- */

/* complain - report one inconsistency found at block b, named by its
 * offset into the heap (heap+0x30), as mdriver names places. */
static void complain(const void *b, const char *what)
{
    const char *lo = mem_heap_lo(), *p = b;
    if (p >= lo && p <= (const char *)mem_heap_hi() + 1)
        fprintf(stderr, "mm_check_heap: block heap+0x%tx: %s\n", p - lo, what);
    else
        fprintf(stderr, "mm_check_heap: block %p (outside the heap): %s\n", b, what);
}

/* in_heap - whether [p, p + n) lies inside the heap. */
static int in_heap(const void *p, size_t n)
{
    const char *lo = mem_heap_lo(), *hi = mem_heap_hi();
    const char *c = p;
    return c >= lo && c <= hi && n <= (size_t)(hi - c) + 1;
}

/*
 * check_blocks - walk the heap from the first block to the epilogue; count
 * the free blocks into *nfree. Returns the number of problems found.
 */
static int check_blocks(size_t *nfree)
{
    int bad = 0;
    size_t *lo = mem_heap_lo();
    if (mem_heapsize() < 2 * WORDSIZE || lo[0] != 1) {
        complain(lo, "prologue end tag is not an allocated size 0");
        return 1;
    }
    int prev_free = 0;
    block_t *b = heap_first();
    block_t *epilogue = heap_epilogue();
    while (b != epilogue) {
        size_t size = block_size(b);
        if ((uintptr_t)block_payload(b) % ALIGNMENT) {
            complain(b, "payload is not aligned");
            bad++;
        }
        if (size < MINBLOCKSIZE || size % WORDSIZE ||
            !in_heap(b, size) || (char *)b + size > (char *)epilogue) {
            complain(b, "size word is not a valid block size inside the heap");
            return bad + 1;   /* the walk cannot go on */
        }
        if (*block_end_tag(b) != b->size) {
            complain(b, "size word and end tag differ");
            bad++;
        }
        if (!block_allocated(b)) {
            if (prev_free) {
                complain(b, "free block right after a free block (missed coalescing)");
                bad++;
            }
            ++*nfree;
        }
        prev_free = !block_allocated(b);
        b = block_next(b);
    }
    if (epilogue->size != 1) {
        complain(epilogue, "epilogue is not an allocated size 0");
        bad++;
    }
    return bad;
}

/*
 * check_list - walk free list i: every member is a free block inside the
 * heap of this list's class, links agree both ways. Adds its length to
 * *listed; stops after limit members (a corrupt list may loop without
 * returning to its head). Returns the number of problems found.
 */
static int check_list(unsigned i, size_t limit, size_t *listed)
{
    block_t *first = flist_first[i];
    int bad = 0;
    if (!first != !(flist_nonempty & (1UL << i))) {
        complain(first, "list head and the non-empty bitmap disagree");
        bad++;
    }
    if (!first)
        return bad;
    block_t *b = first;
    do {
        if (!in_heap(b, MINBLOCKSIZE) || (uintptr_t)b % WORDSIZE) {
            complain(b, "free-list member outside the heap");
            return bad + 1;
        }
        if (block_allocated(b)) {
            complain(b, "allocated block on a free list");
            bad++;
        }
        if (flist_index(block_size(b)) != i) {
            complain(b, "free block on the list of another size class");
            bad++;
        }
        block_t *next = block_next_free(b);
        if (!in_heap(next, MINBLOCKSIZE) || block_prev_free(next) != b) {
            complain(b, "next free block does not point back (next->prev != b)");
            return bad + 1;
        }
        if (++*listed > limit) {
            complain(first, "free list does not come back to its first block");
            return bad + 1;
        }
        b = next;
    } while (b != first);
    return bad;
}

int mm_check_heap(void)
{
    size_t nfree = 0, listed = 0;
    int bad = check_blocks(&nfree);
    /* A list longer than the heap has blocks must loop somewhere. */
    size_t limit = mem_heapsize() / MINBLOCKSIZE;
    for (unsigned i = 0; i < FLIST_COUNT; i++)
        bad += check_list(i, limit, &listed);
    if (!bad && listed != nfree) {
        fprintf(stderr, "mm_check_heap: %zu free blocks in the heap, %zu on the free lists\n",
                nfree, listed);
        bad++;
    }
    return bad == 0;
}
