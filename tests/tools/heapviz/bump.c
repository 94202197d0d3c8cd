/*
 * bump.c - the least allocator of the lecture's layout, for heapviz's
 * tests: the reference's heap edges (one word at each end, no prologue
 * block, mm_init makes no block), every block taken from the top of the
 * heap, free blocks never reused. One bug on purpose: a request of
 * BUGGY_SIZE bytes gets a block of 32 whose end tag is never written.
 */
#include <stdint.h>
#include <string.h>

#include "memlib.h"
#include "mm.h"

#define BUGGY_SIZE 16

static size_t *epilogue;

int mm_init(void)
{
    size_t *p = mem_sbrk(2 * sizeof(size_t));
    if (p == (void *)-1)
        return -1;
    p[0] = 1;   /* the end tag of an allocated block of size 0 */
    p[1] = 1;   /* the size word of one: the epilogue */
    epilogue = &p[1];
    return 0;
}

void *mm_malloc(size_t size)
{
    if (size == 0)
        return NULL;
    size_t asize = (size + 16 + 7) / 8 * 8;
    asize = asize < 32 ? 32 : asize;
    if (mem_sbrk((intptr_t)asize) == (void *)-1)
        return NULL;
    size_t *b = epilogue;
    b[0] = asize | 1;
    if (size != BUGGY_SIZE)
        b[asize / 8 - 1] = asize | 1;
    epilogue = b + asize / 8;
    *epilogue = 1;
    return b + 1;
}

void mm_free(void *ptr)
{
    if (!ptr)
        return;
    size_t *b = (size_t *)ptr - 1, size = b[0] & ~(size_t)7;
    b[0] = size;
    b[size / 8 - 1] = size;
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
    size_t old = (((size_t *)ptr)[-1] & ~(size_t)7) - 16;
    memcpy(n, ptr, old < size ? old : size);
    mm_free(ptr);
    return n;
}

int mm_check_heap(void)
{
    return 1;
}
