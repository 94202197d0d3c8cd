/*
 * replay.c - the child's side of heapviz: replay a trace against mm.c and
 * report, after every operation, the new block, the heap's size and which
 * free blocks came and went; or print the heap word by word at one line.
 *
 * Payloads are zeroed when they are handed out (and a realloc's new bytes),
 * so a dump shows the allocator's words among zeros, not the replay's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "heapviz.h"
#include "memlib_driver.h"
#include "mm.h"
#include "policy.h"
#include "unimplemented.h"

void hv_exit(int status)
{
#ifdef KIT_COVERAGE
    extern void __gcov_dump(void);
    __gcov_dump();
#endif
    _exit(status);
}

/* Where the child writes its records. */
static int rec_fd = -1;
static uint32_t cur_op = UINT32_MAX;

/* send - write all n bytes of p to the records' pipe; the parent reads
 * until it is closed, so a short write only means it is gone. */
static void send(const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t k = write(rec_fd, c, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            hv_exit(4);
        c += k;
        n -= (size_t)k;
    }
}

static void send_rec(uint32_t type, uint64_t a, uint64_t b, uint64_t c)
{
    hv_rec_t r = { type, cur_op, a, b, c };
    send(&r, sizeof r);
}

/* send_text - a record of type whose text follows it. */
static void send_text(uint32_t type, const char *text)
{
    size_t n = strlen(text);
    send_rec(type, 0, 0, n);
    send(text, n);
}

/* on_unimplemented - the skeleton's function is named as the replay's
 * failure, and the child ends. */
static void on_unimplemented(const char *func, const char *file, int line)
{
    char buf[512];
    send_text(HV_FAIL, unimplemented_format(buf, sizeof buf, func, file, line));
    hv_exit(3);
}

/* --- The state of the replay --------------------------------------------- */

typedef struct live {
    char *p;           /* payload, NULL when not live */
    size_t req;        /* bytes requested */
    uint32_t line;     /* the line that made it */
} live_t;

static char *heap_lo(void)
{
    return mem_heap_lo();
}

/* in_heap - whether [p, p + n) lies in the heap. */
static bool in_heap(const char *p, size_t n)
{
    return p >= heap_lo() && (size_t)(p - heap_lo()) + n <= mem_heapsize();
}

/* fail - the replay stops at the current op, for the reason fmt says. */
__attribute__((format(printf, 1, 2))) static int fail(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    send_text(HV_FAIL, buf);
    return 1;
}

/* --- Free blocks, from one op to the next ---------------------------------- */

typedef struct frees {
    walk_block_t *b;       /* the free blocks after the last op, by offset */
    size_t n, cap;
    walk_block_t *spare;   /* the other buffer: the next op's, then swapped */
    size_t spare_cap;
} frees_t;

/* diff_frees - report the free blocks of wk that were not in *was and
 * those of *was not in wk; *was becomes wk's. */
static void diff_frees(const walk_t *wk, frees_t *was)
{
    size_t i = 0, j = 0, nfree = 0;
    for (size_t k = 0; k < wk->n; k++)
        nfree += !wk->block[k].allocated;
    if (nfree > was->spare_cap) {
        free(was->spare);
        was->spare_cap = 2 * nfree;
        if (!(was->spare = malloc(was->spare_cap * sizeof *was->spare)))
            hv_exit(4);
    }
    walk_block_t *now = was->spare;
    nfree = 0;
    for (size_t k = 0; k < wk->n; k++)
        if (!wk->block[k].allocated)
            now[nfree++] = wk->block[k];
    while (i < was->n || j < nfree) {
        if (j == nfree || (i < was->n && was->b[i].off < now[j].off)) {
            send_rec(HV_FREE_OFF, was->b[i++].off, 0, 0);
        } else if (i == was->n || now[j].off < was->b[i].off) {
            send_rec(HV_FREE_ON, now[j].off, now[j].size, 0);
            j++;
        } else {
            if (was->b[i].size != now[j].size) {
                send_rec(HV_FREE_OFF, was->b[i].off, 0, 0);
                send_rec(HV_FREE_ON, now[j].off, now[j].size, 0);
            }
            i++, j++;
        }
    }
    was->spare = was->b;
    size_t cap = was->cap;
    was->cap = was->spare_cap;
    was->spare_cap = cap;
    was->b = now;
    was->n = nfree;
}

/* The word where the chain of blocks starts, once a walk has found it with
 * a block in the chain: an allocator's heap edges do not move. */
static size_t first = SIZE_MAX;

/* The lowest word where a block handed out so far started: the chain
 * starts at or below it and reaches past it, whatever became of the block
 * (SIZE_MAX: none yet). */
static size_t lowest = SIZE_MAX;

/* walk_now - walk the heap as it is; known is the word of a block's size
 * word (SIZE_MAX: none), for the first walks. Whether it was read whole. */
static bool walk_now(walk_t *wk, size_t known)
{
    bool ok = walk_heap((const uint64_t *)heap_lo(), mem_heapsize() / 8, first, known, wk);
    if (ok && wk->n > 0)
        first = wk->first;
    return ok;
}

/* look - walk the heap after an op (known as for walk_now) and report
 * what changed. */
static void look(walk_t *wk, frees_t *was, size_t known)
{
    if (!walk_now(wk, known)) {
        send_rec(HV_UNPARSED, wk->end, (uint64_t)wk->stop * 8, 0);
        wk->n = 0;   /* no free block is known */
    }
    diff_frees(wk, was);
}

/* --- mm_check_heap's words ------------------------------------------------ */

/* checker_says - run mm_check_heap with its stderr caught in the file
 * tmp; its text (a malloc'd string, "" when it said nothing) and whether
 * it found the heap well in *well. */
static char *checker_says(int tmp, bool *well)
{
    send_rec(HV_CHECKING, 0, 0, 0);
    fflush(stderr);
    int saved = dup(2);
    if (saved < 0 || ftruncate(tmp, 0) != 0 || lseek(tmp, 0, SEEK_SET) != 0 || dup2(tmp, 2) < 0)
        hv_exit(4);
    *well = mm_check_heap() != 0;
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    off_t n = lseek(tmp, 0, SEEK_END);
    char *text = malloc((size_t)n + 1);
    if (!text || pread(tmp, text, (size_t)n, 0) != n)
        hv_exit(4);
    text[n] = '\0';
    return text;
}

/* check_op - run the checker after an op; a complaint is a record. */
static void check_op(int tmp)
{
    bool well;
    char *text = checker_says(tmp, &well);
    if (!well || text[0])
        send_text(HV_CHECK, text[0] ? text : "mm_check_heap returned 0 and printed nothing\n");
    free(text);
}

/* --- The words of the heap (--at) ------------------------------------------ */

/* Marks of the words mm_check_heap named, by offset. */
typedef struct marks {
    uint64_t *off;
    size_t n;
} marks_t;

/* parse_marks - every heap offset the checker's text names: heap+0xOFF,
 * or an address 0x... inside the heap. */
static marks_t parse_marks(const char *text)
{
    marks_t m = { 0 };
    size_t cap = 0;
    for (const char *s = text; (s = strstr(s, "0x")) != NULL;) {
        bool rel = s >= text + 5 && strncmp(s - 5, "heap+", 5) == 0;
        char *end;
        uint64_t v = strtoull(s, &end, 16);
        s = end > s + 2 ? end : s + 2;
        if (!rel) {
            if (v < (uintptr_t)heap_lo() || v >= (uintptr_t)heap_lo() + mem_heapsize())
                continue;
            v -= (uintptr_t)heap_lo();
        }
        if (m.n == cap) {
            cap = cap ? 2 * cap : 16;
            uint64_t *o = realloc(m.off, cap * sizeof *o);
            if (!o)
                break;
            m.off = o;
        }
        m.off[m.n++] = v;
    }
    return m;
}

static bool marked(const marks_t *m, uint64_t off)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->off[i] == off)
            return true;
    return false;
}

/* The payloads of the live IDs, by offset, to name a block's ID. */
typedef struct owner {
    uint64_t off;      /* of the payload */
    uint32_t id;
} owner_t;

static int by_off(const void *a, const void *b)
{
    const owner_t *x = a, *y = b;
    return (x->off > y->off) - (x->off < y->off);
}

static const owner_t *owner_at(const owner_t *o, size_t n, uint64_t off)
{
    owner_t key = { off, 0 };
    return bsearch(&key, o, n, sizeof *o, by_off);
}

/* The dump's lines. */
typedef struct dump {
    FILE *out;
    const uint64_t *w;
    const marks_t *marks;
    const walk_t *wk;
} dump_t;

/* word - one line: the word's offset in the heap (the same in every run,
 * as mdriver's heap+0x... are), its value, what it is. */
__attribute__((format(printf, 3, 4))) static void word(dump_t *d, size_t i, const char *fmt, ...)
{
    char off[24];
    snprintf(off, sizeof off, "+%#zx", 8 * i);
    fprintf(d->out, "  %-9s  0x%016" PRIx64 "  ", off, d->w[i]);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(d->out, fmt, ap);
    va_end(ap);
    fputs(marked(d->marks, 8 * i) ? "   <-- mm_check_heap\n" : "\n", d->out);
}

/* block_index - the number (from 1) of the block whose size word is at
 * offset off, or of whose payload off is the start; 0 if none. */
static size_t block_index(const walk_t *wk, uint64_t off, bool *payload)
{
    for (size_t k = 0; k < wk->n; k++) {
        if (wk->block[k].off == off || wk->block[k].off + 8 == off) {
            *payload = wk->block[k].off != off;
            return k + 1;
        }
    }
    return 0;
}

/* link - a free-list link: where it points, in the heap's terms. */
static void link_text(const dump_t *d, uint64_t v, char *buf, size_t n)
{
    if (v == 0) {
        snprintf(buf, n, "NULL");
        return;
    }
    if (v < (uintptr_t)heap_lo() || v >= (uintptr_t)heap_lo() + mem_heapsize()) {
        snprintf(buf, n, "outside the heap");
        return;
    }
    uint64_t off = v - (uintptr_t)heap_lo();
    bool payload;
    size_t k = block_index(d->wk, off, &payload);
    if (k)
        snprintf(buf, n, "heap+%#" PRIx64 ", block %zu%s", off, k, payload ? "'s payload" : "");
    else
        snprintf(buf, n, "heap+%#" PRIx64 ", not the start of a block", off);
}

/* edge - a word outside the chain of blocks. */
static void edge(dump_t *d, size_t i)
{
    uint64_t v = d->w[i];
    word(d, i, "edge word (as a size word: size %" PRIu64 ", %s)", v & ~(uint64_t)7,
         v & 1 ? "allocated" : "free");
}

/* stop_word - the word the walk stopped at, read as the size word it
 * should have been. */
static void stop_word(dump_t *d, size_t i, size_t nwords)
{
    uint64_t v = d->w[i], size = v & ~(uint64_t)7;
    const char *state = v & 1 ? "allocated" : "free";
    if (d->wk->end == WALK_END_TAG)
        word(d, i, "size word: size %" PRIu64 ", %s; its end tag at +%#" PRIx64 " holds 0x%" PRIx64,
             size, state, 8 * i + size - 8, d->w[i + size / 8 - 1]);
    else if (d->wk->end == WALK_END_PAST)
        word(d, i, "size word: size %" PRIu64 ", %s: past the heap's end (+%#zx)", size, state,
             8 * nwords);
    else
        word(d, i, "size word: size %" PRIu64 ", %s: no block is that small", size, state);
}

/* Payload words shown at each end of a long block; the rest are counted. */
#define DUMP_HEAD 3
#define DUMP_TAIL 1

static void dump_block(dump_t *d, size_t k, const owner_t *own, size_t nown,
                       const live_t *ids)
{
    const walk_block_t *b = &d->wk->block[k];
    size_t i0 = b->off / 8, nw = b->size / 8;
    const owner_t *o = b->allocated ? owner_at(own, nown, b->off + 8) : NULL;
    size_t req = o ? ids[o->id].req : 0;
    if (o)
        fprintf(d->out,
                "block %zu: allocated, %zu bytes at +%#zx (ID %" PRIu32 ", line %" PRIu32
                ": %zu bytes requested, %zu of padding)\n",
                k + 1, b->size, b->off, o->id, ids[o->id].line, req, b->size - 16 - req);
    else
        fprintf(d->out, "block %zu: %s, %zu bytes at +%#zx%s\n", k + 1,
                b->allocated ? "allocated" : "free", b->size, b->off,
                b->allocated ? " (no ID of the trace: the allocator's own)" : "");
    const char *state = b->allocated ? "allocated" : "free";
    word(d, i0, "size word: size %zu, %s", b->size, state);
    for (size_t j = 1; j + 1 < nw; j++) {
        if (nw - 2 > DUMP_HEAD + DUMP_TAIL + 1 && j == DUMP_HEAD + 1) {
            size_t skip = nw - 2 - DUMP_HEAD - DUMP_TAIL;
            fprintf(d->out, "  %-9s  %-18s  ... %zu more words of the %s ...\n", "", "",
                    skip, b->allocated ? "payload" : "block");
            j += skip - 1;
            continue;
        }
        size_t at = (j - 1) * 8;   /* byte of the payload */
        if (!b->allocated && j <= 2) {
            char buf[96];
            link_text(d, d->w[i0 + j], buf, sizeof buf);
            word(d, i0 + j, "%s free: %s", j == 1 ? "next" : "prev", buf);
        } else if (!b->allocated) {
            word(d, i0 + j, "unused");
        } else if (!o) {
            word(d, i0 + j, "payload [%zu]", j - 1);
        } else if (at + 8 <= req) {
            word(d, i0 + j, "payload [%zu]", j - 1);
        } else if (at < req) {
            word(d, i0 + j, "payload [%zu]: %zu bytes requested, %zu padding", j - 1, req - at,
                 at + 8 - req);
        } else {
            word(d, i0 + j, "padding");
        }
    }
    word(d, i0 + nw - 1, "end tag: size %zu, %s", b->size, state);
}

/* dump - the heap after op (its text in what), word by word. */
static void dump(FILE *out, const char *what, const live_t *ids, uint32_t nids, int tmp,
                 bool check)
{
    const uint64_t *w = (const uint64_t *)heap_lo();
    size_t nwords = mem_heapsize() / 8;
    walk_t wk = { 0 };
    bool ok = walk_now(&wk, lowest);
    char *says = NULL;
    marks_t marks = { 0 };
    if (check) {
        bool well;
        says = checker_says(tmp, &well);
        marks = parse_marks(says);
        fprintf(out, "mm_check_heap: returned %s and printed%s", well ? "nonzero (all is well)" : "0",
                says[0] ? ":\n" : " nothing\n");
        fputs(says, out);
        if (!well || says[0])
            send_text(HV_CHECK, says[0] ? says : "mm_check_heap returned 0 and printed nothing\n");
    }
    owner_t *own = malloc((nids ? nids : 1) * sizeof *own);
    size_t nown = 0;
    for (uint32_t id = 0; own && id < nids; id++)
        if (ids[id].p)
            own[nown++] = (owner_t){ (uint64_t)(ids[id].p - heap_lo()), id };
    qsort(own, nown, sizeof *own, by_off);
    fprintf(out, "heap %s: %zu bytes at %#" PRIxPTR ", %zu blocks\n", what, nwords * 8,
            (uintptr_t)heap_lo(), wk.n);
    dump_t d = { out, w, &marks, &wk };
    for (size_t i = 0; i < wk.first && i < nwords; i++)
        edge(&d, i);
    for (size_t k = 0; k < wk.n; k++)
        dump_block(&d, k, own, nown, ids);
    if (!ok && nwords > 0) {
        fprintf(out, "the walk stopped at +%#zx: %s; the words from there:\n", wk.stop * 8,
                walk_end_text(wk.end));
        stop_word(&d, wk.stop, nwords);
        for (size_t i = wk.stop + 1; i < nwords && i < wk.stop + 16; i++)
            word(&d, i, "not read");
        if (nwords > wk.stop + 16)
            fprintf(out, "  ... %zu more words\n", nwords - wk.stop - 16);
    } else {
        for (size_t i = wk.stop; i < nwords; i++)
            edge(&d, i);
    }
    free(own);
    free(marks.off);
    free(says);
    walk_free(&wk);
}

/* --- The replay ------------------------------------------------------------ */

/* run_op - one op of the trace; the new payload in *made. Nonzero when
 * the replay cannot go on. */
static int run_op(const trace_op_t *op, live_t *ids, char **made)
{
    char text[96];
    trace_op_text(op, text, sizeof text);
    *made = NULL;
    live_t *l = op->id == TRACE_NO_ID ? NULL : &ids[op->id];
    if (op->kind == OP_FREE) {
        mm_free(l ? l->p : NULL);
        if (l)
            l->p = NULL;
        return 0;
    }
    char *old = l->p;
    size_t old_req = old ? l->req : 0;
    char *p = op->kind == OP_ALLOC ? mm_malloc(op->size) : mm_realloc(old, op->size);
    if (op->kind == OP_REALLOC && op->size == 0) {
        l->p = NULL;
        return 0;
    }
    if (!p)
        return fail("line %" PRIu32 ": %s: %s returned NULL", op->line, text,
                    op->kind == OP_ALLOC ? "mm_malloc" : "mm_realloc");
    if ((uintptr_t)p % 8 != 0 || !in_heap(p - 8, op->size + 8))
        return fail("line %" PRIu32 ": %s: the payload at %p is %s", op->line, text, (void *)p,
                    (uintptr_t)p % 8 ? "not aligned to 8 bytes" : "not inside the heap");
    if (op->size > old_req)
        memset(p + old_req, 0, op->size - old_req);
    *l = (live_t){ p, op->size, op->line };
    *made = p;
    return 0;
}

/* at_op - whether the dump comes after op i: the last op at or before
 * the line asked for. */
static bool at_op(const trace_t *t, size_t i, long line)
{
    return t->ops[i].line <= line && (i + 1 == t->num_ops || t->ops[i + 1].line > line);
}

int hv_replay(const trace_t *t, const hv_options_t *o, int fd, FILE *out)
{
    rec_fd = fd;
    unimplemented_set_handler(on_unimplemented);
    /* the heap may grow as far as mdriver lets it (the default policy) */
    if (mem_init((size_t)policy_default().heap << 20) != 0)
        return fail("cannot reserve the heap: %s", strerror(errno));
    int tmp = -1;
    if (o->check || o->at_line) {
        FILE *f = tmpfile();
        tmp = f ? dup(fileno(f)) : -1;
        if (f)
            fclose(f);
        if (tmp < 0)
            return fail("cannot make a file for mm_check_heap's words: %s", strerror(errno));
    }
    if (mm_init() != 0)
        return fail("mm_init returned -1");
    send_rec(HV_INIT, mem_heapsize(), 0, 0);
    if (o->at_line && (t->num_ops == 0 || (long)t->ops[0].line > o->at_line)) {
        dump(out, "after mm_init, before the first operation", NULL, 0, tmp, o->check);
        send_rec(HV_AT, 0, 0, 0);
        return 0;
    }
    live_t *ids = calloc(t->num_ids ? t->num_ids : 1, sizeof *ids);
    if (!ids)
        return fail("out of memory for %" PRIu32 " IDs", t->num_ids);
    walk_t wk = { 0 };
    frees_t was = { 0 };
    walk_now(&wk, SIZE_MAX);   /* the heap of mm_init may show where blocks start */
    int status = 0;
    for (size_t i = 0; i < t->num_ops && status == 0; i++) {
        const trace_op_t *op = &t->ops[i];
        cur_op = (uint32_t)i;
        char *p;
        if ((status = run_op(op, ids, &p)) != 0)
            break;
        uint64_t off = UINT64_MAX, size = 0;
        if (p) {
            off = (uint64_t)(p - 8 - heap_lo());
            size = *(uint64_t *)(p - 8) & ~(uint64_t)7;
        }
        send_rec(HV_OP, mem_heapsize(), off, size);
        if (off != UINT64_MAX && off / 8 < lowest)
            lowest = off / 8;
        if (o->at_line) {
            if (at_op(t, i, o->at_line)) {
                char what[160], text[96];
                snprintf(what, sizeof what, "after line %" PRIu32 " (%s)", op->line,
                         trace_op_text(op, text, sizeof text));
                dump(out, what, ids, t->num_ids, tmp, o->check);
                send_rec(HV_AT, 0, 0, 0);
                break;
            }
            if (first == SIZE_MAX)
                walk_now(&wk, lowest);
            continue;
        }
        look(&wk, &was, lowest);
        if (o->check)
            check_op(tmp);
    }
    free(was.b);
    free(was.spare);
    walk_free(&wk);
    free(ids);
    if (tmp >= 0)
        close(tmp);
    return status;
}
