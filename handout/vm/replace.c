/*
 * replace.c - replacement policies on a page-reference stream.
 *
 * Memory is frames slots, empty at the start. A reference to a page in a
 * slot is a hit; otherwise a fault, and the page goes into the lowest empty
 * slot or, when none is left, replaces the policy's victim:
 *   fifo    the page loaded longest ago;
 *   lru     the page used longest ago;
 *   opt     the page whose next use is farthest away (or never comes);
 *   clock1  the one-handed clock: the hand starts at slot 0; at the hand, a
 *           page with its referenced bit set has it cleared and the hand
 *           moves on; the first page found clear is the victim, and the
 *           hand moves past it;
 *   clock2  the two-handed clock: front starts at handspread, back at 0;
 *           each step the front hand clears the bit under it, then the back
 *           hand takes the page under it if its bit is clear; then both
 *           move on.
 * Every reference sets its page's referenced bit (a loaded page starts
 * with it set), as the MMU sets A.
 *
 * Pages are dense ids, so residency is an array lookup. OPT uses the next
 * use of each reference, computed once by a backward pass, and a max-heap
 * of resident pages keyed by next use, updated lazily: a stale heap entry
 * is skipped when it reaches the top. Everything is O(1) per reference but
 * OPT, O(log n).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pte.h"
#include "replace.h"

static const char *const policy_names[REPLACE_NPOLICIES] = {
    "fifo", "lru", "opt", "clock1", "clock2",
};

const char *replace_policy_name(int policy)
{
    return policy >= 0 && policy < REPLACE_NPOLICIES ? policy_names[policy] : "?";
}

int replace_policy_parse(const char *name)
{
    for (int i = 0; i < REPLACE_NPOLICIES; i++)
        if (strcmp(name, policy_names[i]) == 0)
            return i;
    return -1;
}

/* --- Dense page ids ---------------------------------------------------- */

struct idmap {
    uint64_t *key;
    uint32_t *id;
    size_t cap;         /* a power of two */
};

static size_t hash64(uint64_t k, size_t mask)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (size_t)k & mask;
}

static int init_from(struct replay *r, size_t n, uint64_t (*page_at)(const void *, size_t),
                     const void *src)
{
    memset(r, 0, sizeof *r);
    struct idmap map = { .cap = 1024 };
    while (map.cap < 2 * n)
        map.cap *= 2;
    map.key = malloc(map.cap * sizeof *map.key);
    map.id = malloc(map.cap * sizeof *map.id);
    r->page = malloc((n ? n : 1) * sizeof *r->page);
    if (!map.key || !map.id || !r->page) {
        free(map.key);
        free(map.id);
        free(r->page);
        r->page = NULL;
        return -ENOMEM;
    }
    memset(map.id, 0xff, map.cap * sizeof *map.id);
    for (size_t i = 0; i < n; i++) {
        uint64_t page = page_at(src, i);
        size_t h = hash64(page, map.cap - 1);
        while (map.id[h] != UINT32_MAX && map.key[h] != page)
            h = (h + 1) & (map.cap - 1);
        if (map.id[h] == UINT32_MAX) {
            map.key[h] = page;
            map.id[h] = r->npages++;
        }
        r->page[i] = map.id[h];
    }
    r->n = n;
    free(map.key);
    free(map.id);
    return 0;
}

static uint64_t stream_page(const void *src, size_t i)
{
    return ((const struct refstream *)src)->va[i] >> PAGE_SHIFT;
}

static uint64_t array_page(const void *src, size_t i)
{
    return ((const uint64_t *)src)[i];
}

int replay_init(struct replay *r, const struct refstream *s)
{
    return init_from(r, s->n, stream_page, s);
}

int replay_init_pages(struct replay *r, const uint64_t *pages, size_t n)
{
    return init_from(r, n, array_page, pages);
}

void replay_free(struct replay *r)
{
    free(r->page);
    free(r->next);
    memset(r, 0, sizeof *r);
}

/* --- The policies ------------------------------------------------------- */

struct mem {
    unsigned frames;
    unsigned used;      /* slots filled so far */
    uint32_t *slot_page;    /* page in each slot */
    int32_t *where;     /* slot of each page, -1 when not resident */
    uint8_t *ref;       /* referenced bit of each slot */
};

static int mem_init(struct mem *mm, const struct replay *r, unsigned frames)
{
    mm->frames = frames;
    mm->used = 0;
    mm->slot_page = malloc(frames * sizeof *mm->slot_page);
    mm->where = malloc((r->npages ? r->npages : 1) * sizeof *mm->where);
    mm->ref = calloc(frames, 1);
    if (!mm->slot_page || !mm->where || !mm->ref)
        return -ENOMEM;
    memset(mm->where, 0xff, r->npages * sizeof *mm->where);
    return 0;
}

static void mem_free(struct mem *mm)
{
    free(mm->slot_page);
    free(mm->where);
    free(mm->ref);
}

static void load(struct mem *mm, unsigned slot, uint32_t page)
{
    if (slot < mm->used)
        mm->where[mm->slot_page[slot]] = -1;
    else
        mm->used++;
    mm->slot_page[slot] = page;
    mm->where[page] = (int32_t)slot;
    mm->ref[slot] = 1;
}

static int64_t run_fifo(const struct replay *r, struct mem *mm)
{
    int64_t faults = 0;
    unsigned oldest = 0;
    for (size_t i = 0; i < r->n; i++) {
        uint32_t p = r->page[i];
        if (mm->where[p] >= 0)
            continue;
        faults++;
        if (mm->used < mm->frames) {
            load(mm, mm->used, p);
        } else {
            load(mm, oldest, p);
            oldest = (oldest + 1) % mm->frames;
        }
    }
    return faults;
}

static int64_t run_lru(const struct replay *r, struct mem *mm)
{
    /* Slots on a doubly-linked recency list: head most recent. */
    uint32_t *prev = malloc(mm->frames * sizeof *prev);
    uint32_t *next = malloc(mm->frames * sizeof *next);
    if (!prev || !next) {
        free(prev);
        free(next);
        return -ENOMEM;
    }
    const uint32_t none = UINT32_MAX;
    uint32_t head = none, tail = none;
    int64_t faults = 0;
    for (size_t i = 0; i < r->n; i++) {
        uint32_t p = r->page[i];
        uint32_t s;
        if (mm->where[p] >= 0) {
            s = (uint32_t)mm->where[p];
            if (s == head)
                continue;
            next[prev[s]] = next[s];    /* unlink: s is not the head */
            if (next[s] != none)
                prev[next[s]] = prev[s];
            else
                tail = prev[s];
        } else {
            faults++;
            if (mm->used < mm->frames) {
                s = mm->used;
            } else {
                s = tail;
                tail = prev[s];
                if (tail != none)
                    next[tail] = none;
                else
                    head = none;
            }
            load(mm, s, p);
        }
        prev[s] = none;
        next[s] = head;
        if (head != none)
            prev[head] = s;
        head = s;
        if (tail == none)
            tail = s;
    }
    free(prev);
    free(next);
    return faults;
}

static int compute_next(struct replay *r)
{
    if (r->next)
        return 0;
    r->next = malloc((r->n ? r->n : 1) * sizeof *r->next);
    uint32_t *last = malloc((r->npages ? r->npages : 1) * sizeof *last);
    if (!r->next || !last) {
        free(r->next);
        free(last);
        r->next = NULL;
        return -ENOMEM;
    }
    for (uint32_t p = 0; p < r->npages; p++)
        last[p] = (uint32_t)r->n;
    for (size_t i = r->n; i-- > 0;) {
        r->next[i] = last[r->page[i]];
        last[r->page[i]] = (uint32_t)i;
    }
    free(last);
    return 0;
}

struct heap_item {
    uint32_t key;   /* next use */
    uint32_t page;
};

static void heap_push(struct heap_item *h, size_t *n, struct heap_item it)
{
    size_t i = (*n)++;
    while (i > 0 && h[(i - 1) / 2].key < it.key) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = it;
}

static struct heap_item heap_pop(struct heap_item *h, size_t *n)
{
    struct heap_item top = h[0], last = h[--*n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= *n)
            break;
        if (c + 1 < *n && h[c + 1].key > h[c].key)
            c++;
        if (h[c].key <= last.key)
            break;
        h[i] = h[c];
        i = c;
    }
    if (*n)
        h[i] = last;
    return top;
}

static int64_t run_opt(struct replay *r, struct mem *mm)
{
    if (r->n > UINT32_MAX - 1 || compute_next(r))
        return -ENOMEM;
    uint32_t *key = malloc((r->npages ? r->npages : 1) * sizeof *key);
    struct heap_item *heap = malloc((r->n ? r->n : 1) * sizeof *heap);
    if (!key || !heap) {
        free(key);
        free(heap);
        return -ENOMEM;
    }
    size_t hn = 0;
    int64_t faults = 0;
    for (size_t i = 0; i < r->n; i++) {
        uint32_t p = r->page[i];
        if (mm->where[p] < 0) {
            faults++;
            if (mm->used < mm->frames) {
                load(mm, mm->used, p);
            } else {
                struct heap_item v;
                do
                    v = heap_pop(heap, &hn);
                while (mm->where[v.page] < 0 || key[v.page] != v.key);
                load(mm, (unsigned)mm->where[v.page], p);
            }
        }
        key[p] = r->next[i];
        heap_push(heap, &hn, (struct heap_item){ .key = r->next[i], .page = p });
    }
    free(key);
    free(heap);
    return faults;
}

static int64_t run_clock1(const struct replay *r, struct mem *mm)
{
    unsigned hand = 0;
    int64_t faults = 0;
    for (size_t i = 0; i < r->n; i++) {
        uint32_t p = r->page[i];
        if (mm->where[p] >= 0) {
            mm->ref[mm->where[p]] = 1;
            continue;
        }
        faults++;
        if (mm->used < mm->frames) {
            load(mm, mm->used, p);
            continue;
        }
        while (mm->ref[hand]) {
            mm->ref[hand] = 0;
            hand = (hand + 1) % mm->frames;
        }
        load(mm, hand, p);
        hand = (hand + 1) % mm->frames;
    }
    return faults;
}

static int64_t run_clock2(const struct replay *r, struct mem *mm,
                          unsigned handspread)
{
    unsigned n = mm->frames, back = 0, front = handspread % n;
    int64_t faults = 0;
    for (size_t i = 0; i < r->n; i++) {
        uint32_t p = r->page[i];
        if (mm->where[p] >= 0) {
            mm->ref[mm->where[p]] = 1;
            continue;
        }
        faults++;
        if (mm->used < n) {
            load(mm, mm->used, p);
            continue;
        }
        for (;;) {
            mm->ref[front] = 0;
            unsigned victim = back;
            bool found = !mm->ref[back];
            front = (front + 1) % n;
            back = (back + 1) % n;
            if (found) {
                load(mm, victim, p);
                break;
            }
        }
    }
    return faults;
}

int64_t replace_run(struct replay *r, int policy, unsigned frames,
                    unsigned handspread)
{
    if (frames == 0 || policy < 0 || policy >= REPLACE_NPOLICIES)
        return -EINVAL;
    /* Frames past the pages used are never filled, and every policy faults
     * once per page with them: memory for the pages is memory enough (vmsh
     * takes --frames up to 2^32 - 1). */
    if (frames > r->npages)
        frames = r->npages ? r->npages : 1;
    struct mem mm;
    int64_t faults = -ENOMEM;
    if (mem_init(&mm, r, frames) == 0) {
        switch (policy) {
        case REPLACE_FIFO: faults = run_fifo(r, &mm); break;
        case REPLACE_LRU: faults = run_lru(r, &mm); break;
        case REPLACE_OPT: faults = run_opt(r, &mm); break;
        case REPLACE_CLOCK1: faults = run_clock1(r, &mm); break;
        case REPLACE_CLOCK2: faults = run_clock2(r, &mm, handspread); break;
        }
    }
    mem_free(&mm);
    return faults;
}
