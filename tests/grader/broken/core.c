/*
 * core.c - the bump allocator every broken allocator is built on.
 *
 * Heap: payloads one after another, each preceded by a word holding its
 * requested size, the heap always a multiple of 8 bytes. Nothing is ever
 * reused, so no two payloads overlap and every payload keeps its bytes.
 */
#include <stdint.h>
#include <string.h>

#include "broken.h"
#include "memlib.h"

size_t core_round(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

void *core_place(size_t off, size_t size)
{
    if (size > CORE_MAX_REQUEST)
        return NULL;
    size_t end = off + core_round(size), have = mem_heapsize();
    if (end > have && mem_sbrk((intptr_t)(end - have)) == (void *)-1)
        return NULL;
    unsigned char *p = (unsigned char *)mem_heap_lo() + off;
    memcpy(p - sizeof(size_t), &size, sizeof size);
    return p;
}

size_t core_size(const void *p)
{
    size_t size;
    memcpy(&size, (const unsigned char *)p - sizeof size, sizeof size);
    return size;
}

void *core_realloc(void *p, size_t size, void *(*malloc_fn)(size_t), void (*free_fn)(void *))
{
    if (!p)
        return malloc_fn(size);
    if (size == 0) {
        free_fn(p);
        return NULL;
    }
    void *q = malloc_fn(size);
    if (!q)
        return NULL;
    size_t old = core_size(p);
    memcpy(q, p, old < size ? old : size);
    free_fn(p);
    return q;
}

int bump_init(void)
{
    return 0;
}

void *bump_malloc(size_t size)
{
    if (size == 0)
        return NULL;
    return core_place(mem_heapsize() + sizeof(size_t), size);
}

void bump_free(void *p)
{
    (void)p;
}

void *bump_realloc(void *p, size_t size)
{
    return core_realloc(p, size, bump_malloc, bump_free);
}

/* bump_check - the size words chain from the bottom of the heap exactly to
 * its top. */
int bump_check(void)
{
    size_t off = 0, heap = mem_heapsize();
    while (off < heap) {
        size_t size = core_size((unsigned char *)mem_heap_lo() + off + sizeof(size_t));
        off += sizeof(size_t) + core_round(size);
    }
    return off == heap;
}

const allocator_t bump_allocator = {
    .name = "bump", .init = bump_init, .malloc = bump_malloc, .free = bump_free,
    .realloc = bump_realloc, .check = bump_check, .in_heap = true,
};
