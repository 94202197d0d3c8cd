/*
 * implicit.c - a student's allocator of another style, for heapviz's
 * tests: CS:APP's implicit free list with its GET/PUT macros, a padding
 * word and a prologue block at the heap's start, first fit, coalescing at
 * free. Its blocks have the lecture's tags (size | allocated bit at both
 * ends), but it keeps no free list and its heap's edges differ from the
 * reference's, which is what heapviz must read without being told.
 *
 * It has bugs on purpose, each set off by a request of its own size: a
 * request of BUGGY_SIZE bytes gets a block whose end tag is never written,
 * which its mm_check_heap reports by the block's address (%p), as
 * students' checkers do; a request of CRASH_SIZE crashes mm_malloc; once a
 * request of CHECK_CRASH_SIZE was made, mm_check_heap crashes.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "memlib.h"
#include "mm.h"

#define BUGGY_SIZE 1000
#define CRASH_SIZE 666
#define CHECK_CRASH_SIZE 777

static int checker_crashes;

#define WSIZE 8
#define DSIZE 16
#define CHUNK 4096
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define PACK(size, alloc) ((size) | (alloc))
#define GET(p) (*(size_t *)(p))
#define PUT(p, val) (*(size_t *)(p) = (val))
#define GET_SIZE(p) (GET(p) & ~(size_t)7)
#define GET_ALLOC(p) (GET(p) & 1)
#define HDRP(bp) ((char *)(bp) - WSIZE)
#define FTRP(bp) ((char *)(bp) + GET_SIZE(HDRP(bp)) - DSIZE)
#define NEXT_BLKP(bp) ((char *)(bp) + GET_SIZE((char *)(bp) - WSIZE))
#define PREV_BLKP(bp) ((char *)(bp) - GET_SIZE((char *)(bp) - DSIZE))

static char *heap_listp;

static void *coalesce(void *bp)
{
    size_t prev_alloc = GET_ALLOC(FTRP(PREV_BLKP(bp)));
    size_t next_alloc = GET_ALLOC(HDRP(NEXT_BLKP(bp)));
    size_t size = GET_SIZE(HDRP(bp));
    if (prev_alloc && !next_alloc) {
        size += GET_SIZE(HDRP(NEXT_BLKP(bp)));
        PUT(HDRP(bp), PACK(size, 0));
        PUT(FTRP(bp), PACK(size, 0));
    } else if (!prev_alloc && next_alloc) {
        size += GET_SIZE(HDRP(PREV_BLKP(bp)));
        PUT(FTRP(bp), PACK(size, 0));
        PUT(HDRP(PREV_BLKP(bp)), PACK(size, 0));
        bp = PREV_BLKP(bp);
    } else if (!prev_alloc && !next_alloc) {
        size += GET_SIZE(HDRP(PREV_BLKP(bp))) + GET_SIZE(FTRP(NEXT_BLKP(bp)));
        PUT(HDRP(PREV_BLKP(bp)), PACK(size, 0));
        PUT(FTRP(NEXT_BLKP(bp)), PACK(size, 0));
        bp = PREV_BLKP(bp);
    }
    return bp;
}

static void *extend_heap(size_t bytes)
{
    size_t size = (bytes + WSIZE - 1) / WSIZE * WSIZE;
    char *bp = mem_sbrk((intptr_t)size);
    if (bp == (void *)-1)
        return NULL;
    PUT(HDRP(bp), PACK(size, 0));          /* the old epilogue becomes the header */
    PUT(FTRP(bp), PACK(size, 0));
    PUT(HDRP(NEXT_BLKP(bp)), PACK(0, 1));  /* new epilogue */
    return coalesce(bp);
}

int mm_init(void)
{
    if ((heap_listp = mem_sbrk(4 * WSIZE)) == (void *)-1)
        return -1;
    PUT(heap_listp, 0);                            /* padding */
    PUT(heap_listp + WSIZE, PACK(DSIZE, 1));       /* prologue header */
    PUT(heap_listp + 2 * WSIZE, PACK(DSIZE, 1));   /* prologue footer */
    PUT(heap_listp + 3 * WSIZE, PACK(0, 1));       /* epilogue */
    heap_listp += 2 * WSIZE;
    return extend_heap(CHUNK) ? 0 : -1;
}

static void *find_fit(size_t asize)
{
    for (char *bp = heap_listp; GET_SIZE(HDRP(bp)) > 0; bp = NEXT_BLKP(bp))
        if (!GET_ALLOC(HDRP(bp)) && asize <= GET_SIZE(HDRP(bp)))
            return bp;
    return NULL;
}

static void place(void *bp, size_t asize, size_t request)
{
    size_t csize = GET_SIZE(HDRP(bp));
    if (csize - asize >= 2 * DSIZE) {
        PUT(HDRP(bp), PACK(asize, 1));
        if (request != BUGGY_SIZE)
            PUT(FTRP(bp), PACK(asize, 1));
        bp = NEXT_BLKP(bp);
        PUT(HDRP(bp), PACK(csize - asize, 0));
        PUT(FTRP(bp), PACK(csize - asize, 0));
    } else {
        PUT(HDRP(bp), PACK(csize, 1));
        if (request != BUGGY_SIZE)
            PUT(FTRP(bp), PACK(csize, 1));
    }
}

void *mm_malloc(size_t size)
{
    if (size == 0)
        return NULL;
    if (size == CRASH_SIZE)
        *(volatile char *)NULL = 0;
    checker_crashes |= size == CHECK_CRASH_SIZE;
    size_t asize = MAX(2 * DSIZE, (size + DSIZE + WSIZE - 1) / WSIZE * WSIZE);
    char *bp = find_fit(asize);
    if (!bp && !(bp = extend_heap(MAX(asize, CHUNK))))
        return NULL;
    place(bp, asize, size);
    return bp;
}

void mm_free(void *bp)
{
    if (!bp)
        return;
    size_t size = GET_SIZE(HDRP(bp));
    PUT(HDRP(bp), PACK(size, 0));
    PUT(FTRP(bp), PACK(size, 0));
    coalesce(bp);
}

void *mm_realloc(void *ptr, size_t size)
{
    if (!ptr)
        return mm_malloc(size);
    if (size == 0) {
        mm_free(ptr);
        return NULL;
    }
    void *n = mm_malloc(size);
    if (!n)
        return NULL;
    size_t old = GET_SIZE(HDRP(ptr)) - DSIZE;
    memcpy(n, ptr, old < size ? old : size);
    mm_free(ptr);
    return n;
}

int mm_check_heap(void)
{
    if (checker_crashes)
        *(volatile char *)NULL = 0;
    int ok = 1;
    for (char *bp = heap_listp; GET_SIZE(HDRP(bp)) > 0; bp = NEXT_BLKP(bp)) {
        if (GET(HDRP(bp)) != GET(FTRP(bp))) {
            fprintf(stderr, "Error: header does not match footer at %p\n", (void *)HDRP(bp));
            ok = 0;
        }
    }
    return ok;
}
