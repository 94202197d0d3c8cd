/*
 * walk.c - the chain of blocks of a heap of the lecture's layout.
 */
#include <stdlib.h>

#include "heapviz.h"

#define MIN_BLOCK_WORDS 2   /* a size word and an end tag */

/* push - append a block to wk, growing its array; false when out of memory. */
static bool push(walk_t *wk, size_t off, size_t size, bool allocated)
{
    if (wk->n == wk->cap) {
        size_t cap = wk->cap ? 2 * wk->cap : 256;
        walk_block_t *b = realloc(wk->block, cap * sizeof *b);
        if (!b)
            return false;
        wk->block = b;
        wk->cap = cap;
    }
    wk->block[wk->n++] = (walk_block_t){ off * 8, size, allocated };
    return true;
}

/* chain - follow the blocks from word start; fills wk when keep, else
 * only counts. Returns the word it stopped at. */
static size_t chain(const uint64_t *w, size_t nwords, size_t start, walk_t *wk, bool keep,
                    enum walk_end *end)
{
    size_t pos = start;
    for (;;) {
        if (pos < nwords && (w[pos] & ~(uint64_t)7) == 0) {
            *end = WALK_END_ZERO;
            return pos;
        }
        if (nwords - pos < MIN_BLOCK_WORDS) {
            *end = WALK_END_HEAP;
            return pos;
        }
        uint64_t h = w[pos], size = h & ~(uint64_t)7;
        if (size < 8 * MIN_BLOCK_WORDS) {
            *end = WALK_END_SMALL;
            return pos;
        }
        if (size / 8 > nwords - pos) {
            *end = WALK_END_PAST;
            return pos;
        }
        if (w[pos + size / 8 - 1] != h) {
            *end = WALK_END_TAG;
            return pos;
        }
        if (keep && !push(wk, pos, size, h & 1)) {
            *end = WALK_END_HEAP;
            return pos;
        }
        pos += size / 8;
    }
}

/* covers - whether a chain that stopped for end covers the heap: at an
 * epilogue, or with no room left for a block. */
static bool covers(enum walk_end end)
{
    return end == WALK_END_ZERO || end == WALK_END_HEAP;
}

/* find_start - where the chain starts: of the first WALK_EDGE_WORDS words
 * (and none past known), the start of the longest chain (that reaches past
 * known); when there is none, known itself, or else word 0. */
static size_t find_start(const uint64_t *w, size_t nwords, size_t known)
{
    size_t best = known != SIZE_MAX ? known : 0, best_len = 0;
    for (size_t k = 0; k < WALK_EDGE_WORDS && k < nwords && k <= known; k++) {
        enum walk_end e;
        size_t stop = chain(w, nwords, k, NULL, false, &e);
        if (known != SIZE_MAX && stop <= known)
            continue;
        if (stop - k > best_len) {
            best = k;
            best_len = stop - k;
        }
    }
    return best;
}

bool walk_heap(const uint64_t *w, size_t nwords, size_t start, size_t known, walk_t *wk)
{
    wk->n = 0;
    if (start == SIZE_MAX)
        start = find_start(w, nwords, known);
    wk->first = start;
    wk->stop = chain(w, nwords, start, wk, true, &wk->end);
    return covers(wk->end);
}

void walk_free(walk_t *wk)
{
    free(wk->block);
    *wk = (walk_t){ 0 };
}

const char *walk_end_text(enum walk_end e)
{
    switch (e) {
    case WALK_END_ZERO:
        return "a size word of size 0";
    case WALK_END_HEAP:
        return "the heap's end";
    case WALK_END_PAST:
        return "a size word whose block would pass the heap's end";
    case WALK_END_SMALL:
        return "a size word no block can have";
    case WALK_END_TAG:
        return "an end tag that differs from its size word";
    }
    return "?";
}
