/*
 * replay.c - checked and timed replays of a trace (see replay.h).
 *
 * Signatures: every payload byte gets a value derived from a per-allocation
 * random key and the byte's offset in the payload, so a byte moved to
 * another offset or another block no longer matches. The key of a live ID
 * changes whenever its payload is rewritten (allocation, realloc).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memlib_driver.h"
#include "ranges.h"
#include "replay.h"
#include "rng.h"

#define NO_RESULT UINT64_MAX   /* hashed for a NULL result */

/* One live ID during a checked replay. */
typedef struct slot {
    range_t range;        /* in the live set while size > 0 */
    unsigned char *p;     /* payload, NULL when not live or NULL returned */
    size_t size;
    uint64_t key;         /* signature key */
    uint32_t born;        /* line of the allocation */
    bool live;
} slot_t;

typedef struct checker {
    const allocator_t *a;
    const trace_t *t;
    const replay_options_t *o;
    replay_result_t *res;
    slot_t *slots;
    ranges_t live;
    rng_t rng;
    uintptr_t lo;         /* heap bounds, when a->in_heap */
    size_t live_bytes, layout_bytes;
    const trace_op_t *op; /* the op being checked */
} checker_t;

static inline uint64_t hash_step(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h;
}

/*
 * Signatures. Word k (8 bytes) of a payload signed with key holds
 * sig_base(key) + k * SIG_STEP: every word of a payload differs from its
 * neighbours (a copy shifted by a word or a byte is caught) and from the
 * words of every other payload (the base is a mix of a random key), and
 * the fill and the check are an add and a store or compare a word, which
 * the compiler vectorises: a check runs at memory speed.
 */
#define SIG_STEP 0x9e3779b97f4a7c15ULL

static inline uint64_t sig_base(uint64_t key)
{
    uint64_t z = key + SIG_STEP;
    z = (z ^ (z >> 31)) * 0xbf58476d1ce4e5b9ULL;
    return z ^ (z >> 29);
}

static inline uint64_t sig_word(uint64_t key, size_t k)
{
    return sig_base(key) + k * SIG_STEP;
}

/*
 * Which words of a payload carry the signature. A payload up to
 * SIG_FULL bytes is signed whole. A larger one (a giant array grown by
 * realloc, hundreds of megabytes) is signed on its first and last SIG_EDGE
 * bytes and on SIG_SAMPLES words spread evenly between, so a check costs
 * microseconds, not a pass over the whole block; a stray write is caught
 * at the edges, where allocators err, and most likely by the sample.
 * Which words those are depends on the size the payload was signed at (n),
 * so a prefix kept by realloc is checked on the words signed then.
 */
#define SIG_FULL ((size_t)256 << 10)
#define SIG_EDGE ((size_t)4096)
#define SIG_SAMPLES ((size_t)4096)

/* sig_next - the signed word after word k of a payload signed at n bytes
 * (words are counted in 8 bytes; the last may be partial). */
static inline size_t sig_next(size_t k, size_t n)
{
    size_t words = (n + 7) / 8;
    if (n <= SIG_FULL || k + 1 < SIG_EDGE / 8 || k + 1 >= words - SIG_EDGE / 8)
        return k + 1;
    size_t stride = (words - 2 * (SIG_EDGE / 8)) / SIG_SAMPLES + 1;
    size_t next = k + stride;
    return next >= words - SIG_EDGE / 8 ? words - SIG_EDGE / 8 : next;
}

/* sig_word_put - word k's signature into p, its len bytes (8, or fewer
 * for the last word). */
static inline void sig_word_put(unsigned char *p, size_t k, size_t len, uint64_t key)
{
    uint64_t w = sig_word(key, k);
    memcpy(p + 8 * k, &w, len);
}

/* sig_fill - sign bytes [from, n) of the payload p signed at n bytes
 * (from is 0, or, for a payload signed whole, where realloc's kept part
 * ends). */
static void sig_fill(unsigned char *p, size_t from, size_t n, uint64_t key)
{
    if (n > SIG_FULL) {
        for (size_t k = 0; 8 * k < n; k = sig_next(k, n))
            sig_word_put(p, k, n - 8 * k < 8 ? n - 8 * k : 8, key);
        return;
    }
    size_t k = from / 8, words = n / 8;
    uint64_t w = sig_word(key, k);
    for (; k < words; k++, w += SIG_STEP)
        memcpy(p + 8 * k, &w, 8);
    if (n % 8)
        memcpy(p + 8 * words, &w, n % 8);
}

/* sig_first_bad - the first byte of word k (of len bytes) that is not w's;
 * its expected value in *want. */
static size_t sig_first_bad(const unsigned char *p, size_t k, size_t len, uint64_t w,
                            unsigned char *want)
{
    unsigned char bytes[8];
    memcpy(bytes, &w, 8);
    for (size_t i = 0; i < len; i++)
        if (p[8 * k + i] != bytes[i]) {
            *want = bytes[i];
            return 8 * k + i;
        }
    return SIZE_MAX;
}

/* sig_verify - offset of the first byte of p[0..limit) that differs from
 * the signature of a payload signed at n bytes (limit <= n), or limit when
 * all signed bytes there match; *want gets the expected byte. */
static size_t sig_verify(const unsigned char *p, size_t n, size_t limit, uint64_t key,
                         unsigned char *want)
{
    if (n > SIG_FULL) {
        for (size_t k = 0; 8 * k < limit; k = sig_next(k, n)) {
            size_t len = limit - 8 * k < 8 ? limit - 8 * k : 8, bad;
            if ((bad = sig_first_bad(p, k, len, sig_word(key, k), want)) != SIZE_MAX)
                return bad;
        }
        return limit;
    }
    /* Whole blocks of words compared at once, then the one that differs
     * looked for. */
    enum { BLOCK = 32 };
    const uint64_t base = sig_base(key);
    size_t words = limit / 8, k = 0;
    for (; k + BLOCK <= words; k += BLOCK) {
        uint64_t diff = 0;
        for (size_t j = 0; j < BLOCK; j++) {
            uint64_t v;
            memcpy(&v, p + 8 * (k + j), 8);
            diff |= v ^ (base + (k + j) * SIG_STEP);
        }
        if (diff)
            break;
    }
    for (; k < words; k++) {
        uint64_t v, w = base + k * SIG_STEP;
        memcpy(&v, p + 8 * k, 8);
        if (v != w)
            return sig_first_bad(p, k, 8, w, want);
    }
    if (limit % 8) {
        size_t bad = sig_first_bad(p, words, limit % 8, base + words * SIG_STEP, want);
        if (bad != SIZE_MAX)
            return bad;
    }
    return limit;
}

/* where - an address as the reader wants it: an offset into the heap when
 * it is in the heap's reservation, otherwise absolute. */
static const char *where(const checker_t *c, uintptr_t addr, char *buf, size_t n)
{
    if (c->a->in_heap && addr >= c->lo && addr - c->lo <= mem_max_heap())
        snprintf(buf, n, "heap+%#lx", (unsigned long)(addr - c->lo));
    else
        snprintf(buf, n, "%#lx", (unsigned long)addr);
    return buf;
}

static void fail(checker_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* fail - record the first error, prefixed with the trace line and the op. */
static void fail(checker_t *c, const char *fmt, ...)
{
    replay_result_t *res = c->res;
    if (!res->valid)
        return;
    res->valid = false;
    char optext[64];
    int n = 0;
    if (c->op) {
        res->error_line = c->op->line;
        n = snprintf(res->message, sizeof res->message, "line %u: %s: ", c->op->line,
                     trace_op_text(c->op, optext, sizeof optext));
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->message + n, sizeof res->message - (size_t)n, fmt, ap);
    va_end(ap);
}

/* check_payload - a new payload p of size bytes for slot s: aligned, in the
 * heap, overlapping nothing live. NULL is judged by the caller. */
static bool check_payload(checker_t *c, slot_t *s, unsigned char *p, size_t size)
{
    char b1[32], b2[32], b3[32], b4[32];
    uintptr_t start = (uintptr_t)p;
    if (start % LAYOUT_ALIGN) {
        fail(c, "payload %s is not aligned to %d bytes", where(c, start, b1, sizeof b1),
             LAYOUT_ALIGN);
        return false;
    }
    if (c->a->in_heap) {
        uintptr_t lo = (uintptr_t)mem_heap_lo(), hi = (uintptr_t)mem_heap_hi() + 1;
        if (start < lo || start > hi || size > hi - start) {
            fail(c, "payload [%s, %s) of %zu bytes is not inside the heap [heap+0, heap+%#lx)",
                 where(c, start, b1, sizeof b1), where(c, start + size, b2, sizeof b2), size,
                 (unsigned long)(hi - lo));
            return false;
        }
    }
    if (size == 0)
        return true;
    if (start + size < start) {
        fail(c, "payload %s of %zu bytes wraps around the address space",
             where(c, start, b1, sizeof b1), size);
        return false;
    }
    range_t *r = ranges_overlap(&c->live, start, start + size);
    if (r) {
        slot_t *other = (slot_t *)((char *)r - offsetof(slot_t, range));
        fail(c, "payload [%s, %s) overlaps the payload of ID %td [%s, %s), allocated at line %u",
             where(c, start, b1, sizeof b1), where(c, start + size, b2, sizeof b2),
             other - c->slots, where(c, r->start, b3, sizeof b3), where(c, r->end, b4, sizeof b4),
             other->born);
        return false;
    }
    (void)s;
    return true;
}

/* verify_bytes - the first n bytes at p (the payload of ID id, signed at
 * signed_n bytes, or the part of it realloc had to keep, at its new place)
 * still hold the signature of key; born is the line of its allocation. */
static bool verify_bytes(checker_t *c, uint32_t id, uint64_t key, uint32_t born,
                         const unsigned char *p, size_t signed_n, size_t n, const char *when)
{
    unsigned char want = 0;
    size_t bad = sig_verify(p, signed_n, n, key, &want);
    if (bad == n)
        return true;
    char b1[32], b2[32];
    fail(c, "%s: byte %zu of ID %u's payload (at %s, payload %s) was changed: "
         "expected 0x%02x, found 0x%02x; allocated at line %u",
         when, bad, id, where(c, (uintptr_t)p + bad, b1, sizeof b1),
         where(c, (uintptr_t)p, b2, sizeof b2), want, p[bad], born);
    return false;
}

/* verify - slot s's whole payload still holds its signature. */
static bool verify(checker_t *c, slot_t *s, const char *when)
{
    return verify_bytes(c, (uint32_t)(s - c->slots), s->key, s->born, s->p, s->size, s->size,
                        when);
}

/* become_live - slot s now holds payload p of size bytes: signed, in the
 * live set, counted. The first keep bytes hold the signature of key
 * already (what realloc kept, checked): a payload signed whole keeps its
 * key and only the rest is signed. */
static void become_live(checker_t *c, slot_t *s, unsigned char *p, size_t size, uint64_t key,
                        size_t keep)
{
    s->p = p;
    s->size = size;
    s->live = true;
    s->key = rng_next(&c->rng);
    if (p && size) {
        s->range.start = (uintptr_t)p;
        s->range.end = (uintptr_t)p + size;
        s->range.prio = (uint32_t)rng_next(&c->rng);
        ranges_insert(&c->live, &s->range);
        if (keep && size <= SIG_FULL)
            s->key = key;
        else
            keep = 0;
        sig_fill(p, keep, size, s->key);
    }
    c->live_bytes += size;
    if (p)   /* a NULL result occupies no block */
        c->layout_bytes += layout_block_size(size);
    if (c->live_bytes > c->res->peak_live)
        c->res->peak_live = c->live_bytes;
    if (c->layout_bytes > c->res->peak_layout)
        c->res->peak_layout = c->layout_bytes;
}

/* become_dead - slot s no longer holds a payload. */
static void become_dead(checker_t *c, slot_t *s)
{
    if (s->p && s->size)
        ranges_remove(&c->live, &s->range);
    c->live_bytes -= s->size;
    if (s->p)
        c->layout_bytes -= layout_block_size(s->size);
    s->p = NULL;
    s->size = 0;
    s->live = false;
}

/* judge_null - whether a NULL result for a request of size bytes is an error. */
static bool null_is_error(checker_t *c, size_t size)
{
    if (size == 0)
        return false;
    /* A request the heap could never hold may fail. */
    return !(size > c->o->max_heap || size + LAYOUT_TAGS > c->o->max_heap);
}

static uint64_t offset_of(const checker_t *c, const void *p)
{
    return p ? (uint64_t)((uintptr_t)p - c->lo) : NO_RESULT;
}

static void do_alloc(checker_t *c, slot_t *s, size_t size)
{
    unsigned char *p = c->a->malloc(size);
    c->res->hash = hash_step(c->res->hash, offset_of(c, p));
    if (!p) {
        if (null_is_error(c, size))
            fail(c, "malloc returned NULL for %zu bytes (heap is %zu bytes, at most %zu)",
                 size, c->a->in_heap ? mem_heapsize() : 0, c->o->max_heap);
        become_live(c, s, NULL, 0, 0, 0);
        return;
    }
    if (check_payload(c, s, p, size))
        become_live(c, s, p, size, 0, 0);
}

static void do_realloc(checker_t *c, slot_t *s, size_t size)
{
    unsigned char *old = s->p;
    size_t old_size = s->size;
    if (s->live && !verify(c, s, "before realloc"))
        return;
    slot_t saved = *s;
    unsigned char *p = c->a->realloc(s->live ? old : NULL, size);
    c->res->hash = hash_step(c->res->hash, offset_of(c, p));
    if (size == 0) {
        if (p) {
            char b[32];
            fail(c, "realloc(p, 0) returned %s; it must free p and return NULL",
                 where(c, (uintptr_t)p, b, sizeof b));
            return;
        }
        become_dead(c, s);
        return;
    }
    if (!p) {
        if (null_is_error(c, size))
            fail(c, "realloc returned NULL for %zu bytes (heap is %zu bytes, at most %zu)",
                 size, c->a->in_heap ? mem_heapsize() : 0, c->o->max_heap);
        /* A failed realloc leaves the old payload as it was. */
        return;
    }
    if (s->live)
        become_dead(c, s);
    if (!check_payload(c, s, p, size))
        return;
    size_t keep = !saved.live ? 0 : old_size < size ? old_size : size;
    if (keep && !verify_bytes(c, c->op->id, saved.key, saved.born, p, saved.size, keep,
                              "after realloc (the data it had to keep)"))
        return;
    /* The kept part is signed as it was only when it was signed whole. */
    become_live(c, s, p, size, saved.key, saved.size <= SIG_FULL ? keep : 0);
    s->born = c->op->line;
}

static void do_free(checker_t *c, slot_t *s)
{
    if (!s) {
        c->a->free(NULL);
        return;
    }
    if (!verify(c, s, "before free"))
        return;
    unsigned char *p = s->p;
    become_dead(c, s);
    c->a->free(p);
}

/*
 * check_past_break - the bytes between the break and the end of its page
 * are still zero. The page holding the break cannot be protected, so a
 * write just past the heap would otherwise go unseen; the checked replay
 * starts from a zeroed heap (mem_reset), so any nonzero byte there was
 * written by the allocator.
 */
static void check_past_break(checker_t *c)
{
    static const unsigned char zero[256];
    const unsigned char *brk = (const unsigned char *)mem_heap_hi() + 1;
    size_t page = mem_pagesize();
    size_t n = (page - (uintptr_t)brk % page) % page;
    for (size_t off = 0; off < n; off += sizeof zero) {
        size_t len = n - off < sizeof zero ? n - off : sizeof zero;
        if (memcmp(brk + off, zero, len) == 0)
            continue;
        size_t i = off;
        while (!brk[i])
            i++;
        char b1[32], b2[32];
        fail(c, "wrote past the heap's break: byte %s is 0x%02x (the break is at %s; "
             "bytes past it are not the allocator's until mem_sbrk gives them)",
             where(c, (uintptr_t)brk + i, b1, sizeof b1), brk[i],
             where(c, (uintptr_t)brk, b2, sizeof b2));
        return;
    }
}

/* setup - shared start of both replays: a fresh heap and allocator. */
static int setup(const allocator_t *a, replay_progress_t *p, char *msg, size_t n)
{
    if (p)
        p->phase = PHASE_INIT;
    if (a->in_heap)
        mem_reset();
    if (a->init && a->init() < 0) {
        snprintf(msg, n, "mm_init failed (returned -1)");
        return -1;
    }
    return 0;
}

void replay_checked(const allocator_t *a, const trace_t *t, const replay_options_t *o,
                    replay_progress_t *p, replay_result_t *res)
{
    memset(res, 0, sizeof *res);
    res->valid = true;
    checker_t c = { .a = a, .t = t, .o = o, .res = res, .rng = rng_seed(o->seed) };
    c.slots = calloc(t->num_ids ? t->num_ids : 1, sizeof *c.slots);
    if (!c.slots) {
        fail(&c, "out of memory for %u IDs", t->num_ids);
        return;
    }
    if (setup(a, p, res->message, sizeof res->message) < 0) {
        res->valid = false;
        free(c.slots);
        return;
    }
    c.lo = a->in_heap ? (uintptr_t)mem_heap_lo() : 0;
    size_t heap_seen = 0;
    if (p)
        p->phase = PHASE_OPS;
    for (size_t i = 0; i < t->num_ops && res->valid; i++) {
        const trace_op_t *op = &t->ops[i];
        slot_t *s = op->id == TRACE_NO_ID ? NULL : &c.slots[op->id];
        c.op = op;
        if (p) {
            p->op = i;
            p->heap = a->in_heap ? mem_heapsize() : 0;
        }
        switch (op->kind) {
        case OP_ALLOC:
            do_alloc(&c, s, op->size);
            s->born = op->line;
            break;
        case OP_REALLOC:
            do_realloc(&c, s, op->size);
            break;
        case OP_FREE:
            do_free(&c, s);
            break;
        }
        if (res->valid && o->check_heap && a->check && !a->check())
            fail(&c, "mm_check_heap reported an inconsistent heap after this operation");
        if (a->in_heap) {
            size_t h = mem_heapsize();
            if (h < heap_seen)
                fail(&c, "the heap shrank from %zu to %zu bytes; it can only grow", heap_seen, h);
            heap_seen = h;
            check_past_break(&c);
        }
    }
    if (p)
        p->phase = PHASE_END;
    c.op = NULL;
    for (uint32_t id = 0; id < t->num_ids && res->valid; id++) {
        slot_t *s = &c.slots[id];
        if (s->live && s->p)
            verify(&c, s, "at the end of the trace");
    }
    if (a->in_heap) {
        res->heap_size = mem_heapsize();
        if (res->valid && res->peak_live > res->heap_size) {
            c.op = NULL;
            fail(&c, "utilization above 100%%: %zu bytes were live at once in a heap of %zu bytes",
                 res->peak_live, res->heap_size);
        }
    }
    free(c.slots);
    if (p)
        p->phase = PHASE_DONE;
}

int replay_timed(const allocator_t *a, const trace_t *t, unsigned reps,
                 const replay_options_t *o, replay_progress_t *p, uint64_t *hash,
                 char *msg, size_t n)
{
    (void)o;
    void **ptr = calloc(t->num_ids ? t->num_ids : 1, sizeof *ptr);
    if (!ptr) {
        snprintf(msg, n, "out of memory for %u IDs", t->num_ids);
        return -1;
    }
    int status = 0;
    uint64_t first = 0;
    for (unsigned rep = 0; rep < reps && status == 0; rep++) {
        if (p)
            p->phase = PHASE_INIT;
        if (a->in_heap)
            mem_rewind();
        if (a->init && a->init() < 0) {
            snprintf(msg, n, "mm_init failed (returned -1)");
            status = -1;
            break;
        }
        uintptr_t lo = a->in_heap ? (uintptr_t)mem_heap_lo() : 0;
        uint64_t h = 0;
        if (p)
            p->phase = PHASE_OPS;
        for (size_t i = 0; i < t->num_ops; i++) {
            const trace_op_t *op = &t->ops[i];
            void *r = NULL;
            if (p)
                p->op = i;
            switch (op->kind) {
            case OP_ALLOC:
                r = ptr[op->id] = a->malloc(op->size);
                break;
            case OP_REALLOC:
                r = a->realloc(ptr[op->id], op->size);
                if (r || op->size == 0)
                    ptr[op->id] = r;
                break;
            case OP_FREE:
                if (op->id != TRACE_NO_ID) {
                    a->free(ptr[op->id]);
                    ptr[op->id] = NULL;
                } else {
                    a->free(NULL);
                }
                continue;
            }
            h = hash_step(h, r ? (uint64_t)((uintptr_t)r - lo) : NO_RESULT);
            if (a->in_heap && r &&
                ((uintptr_t)r % LAYOUT_ALIGN || (uintptr_t)r < lo ||
                 (uintptr_t)r + op->size > (uintptr_t)mem_heap_hi() + 1)) {
                snprintf(msg, n, "line %u: a payload outside the heap or misaligned in a timed run",
                         op->line);
                status = -1;
                break;
            }
        }
        if (status == 0 && rep == 0)
            first = h;
        else if (status == 0 && a->in_heap && h != first) {
            snprintf(msg, n, "the allocator returned different payloads in two timed runs");
            status = -1;
        }
        if (!a->in_heap)   /* the C library's heap is not rewound: free it all */
            for (uint32_t id = 0; id < t->num_ids; id++) {
                a->free(ptr[id]);
                ptr[id] = NULL;
            }
        else
            memset(ptr, 0, t->num_ids * sizeof *ptr);
    }
    if (p)
        p->phase = PHASE_DONE;
    free(ptr);
    *hash = first;
    return status;
}
