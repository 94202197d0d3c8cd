/*
 * heapviz.h - the parts of heapviz: reading a heap of the lecture's layout
 * (walk.c), replaying a trace in a child that reports what the heap holds
 * after every operation (replay.c), and the pictures made of the reports
 * (html.c). main.c runs them.
 *
 * The walk knows only the block layout of mminline.h: a size word whose bit
 * 0 is the allocated bit, the same word as the block's last (its end tag),
 * sizes in bytes, multiples of 8. What lies at the heap's edges is each
 * allocator's own choice (the reference keeps one word at each end; a
 * CS:APP-style allocator a padding word and a prologue block), so the walk
 * finds where the chain of blocks starts by trying the first few words.
 */
#ifndef HEAPVIZ_H
#define HEAPVIZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "trace.h"

/* --- The walk (walk.c) ---------------------------------------------------- */

/* The first word of the chain is among the heap's first WALK_EDGE_WORDS. */
#define WALK_EDGE_WORDS 8

typedef struct walk_block {
    size_t off;        /* of the size word, in bytes from the heap's start */
    size_t size;       /* in bytes, both tags included */
    bool allocated;
} walk_block_t;

enum walk_end {
    WALK_END_ZERO,     /* a size word of size 0: an epilogue */
    WALK_END_HEAP,     /* the heap's end, or words too few for another block */
    WALK_END_PAST,     /* a size word whose block would pass the heap's end */
    WALK_END_SMALL,    /* a size word of less than 16 bytes: no block is that small */
    WALK_END_TAG,      /* an end tag that differs from its size word */
};

typedef struct walk {
    walk_block_t *block;   /* in address order */
    size_t n, cap;
    size_t first;          /* word where the chain starts */
    size_t stop;           /* word where it stops */
    enum walk_end end;
} walk_t;

/*
 * walk_heap - the chain of blocks of the heap's nwords words w, starting at
 * word start, or, when start is SIZE_MAX, at whichever of the first
 * WALK_EDGE_WORDS words gives the longest chain (the first of equals).
 * known, when not SIZE_MAX, is a word where a block is known to start (a
 * live block's size word): the chain must start at or below it and reach
 * past it, and starts there when no chain does (so a broken first block
 * is reported, not skipped).
 * Fills *wk (its block array is reused and grown; free it with
 * walk_free). Returns true when the chain covers the heap: it stops at a
 * size-0 word (an epilogue) or where no block has room (a heap of edge
 * words alone has no block and is covered).
 */
bool walk_heap(const uint64_t *w, size_t nwords, size_t start, size_t known, walk_t *wk);

void walk_free(walk_t *wk);

/* walk_end_text - what stopped the walk, for a message. */
const char *walk_end_text(enum walk_end e);

/* --- The replay (replay.c) ------------------------------------------------ */

/*
 * What the child reports, in order, through a pipe. An op is the trace's
 * operation of that index; the heap after op i is the state shown from
 * i to i + 1 on the time axis.
 */
enum hv_record {
    HV_INIT = 1,   /* mm_init returned: a = heap size */
    HV_OP,         /* op done: a = heap size, b = offset of the new block's
                      size word (alloc, realloc) or UINT64_MAX, c = that
                      block's size as its size word says */
    HV_FREE_ON,    /* a free block appeared at op: a = offset, b = size */
    HV_FREE_OFF,   /* the free block at offset a is gone at op */
    HV_UNPARSED,   /* after op, the walk could not read the heap: a = enum walk_end, b = offset */
    HV_CHECK,      /* mm_check_heap complained after op: the text follows (c bytes) */
    HV_FAIL,       /* the replay stopped at op: the text follows (c bytes) */
    HV_CHECKING,   /* mm_check_heap is called after op */
    HV_AT,         /* --at: the heap's words are printed */
};

typedef struct hv_rec {
    uint32_t type;
    uint32_t op;       /* UINT32_MAX: before the first op (mm_init) */
    uint64_t a, b, c;
} hv_rec_t;

typedef struct hv_options {
    long at_line;      /* --at: dump the heap after the op at this line; 0: no dump */
    bool check;        /* --check: run mm_check_heap */
    unsigned timeout;  /* seconds the child may run */
} hv_options_t;

/*
 * hv_replay - in the calling process (a child): replay t against mm.c,
 * writing hv_rec_t records to fd; with o->at_line, print the heap's words
 * to out after the op at that line and stop there. Returns the child's
 * exit status: 0 when the replay ran to its end (or to the --at line).
 */
int hv_replay(const trace_t *t, const hv_options_t *o, int fd, FILE *out);

/* hv_exit - end the child at once (_exit: the parent's stdio and atexit
 * handlers are not the child's), a coverage build's counters written
 * first, as exit would have. */
__attribute__((noreturn)) void hv_exit(int status);

/* --- What the parent builds of the records (main.c, html.c) --------------- */

typedef struct hv_alloc_rect {
    uint32_t start, end;   /* ops: from the op that made it to the one that ended it */
    uint64_t off, size;    /* its size word's offset; its size */
    uint64_t req;          /* bytes requested */
    uint32_t id, line;     /* trace ID, trace line of the op that made it */
} hv_alloc_rect_t;

typedef struct hv_free_rect {
    uint32_t start, end;
    uint64_t off, size;
} hv_free_rect_t;

typedef struct hv_note {
    uint32_t op;
    char *text;
} hv_note_t;

typedef struct hv_run {
    const trace_t *trace;
    const char *impl;          /* what mm.c this is (for the title) */
    uint32_t ops_done;         /* ops that ran */
    hv_alloc_rect_t *alloc; size_t nalloc, alloc_cap;
    hv_free_rect_t *free;   size_t nfree, free_cap;
    uint64_t *heap;            /* heap size after op i, i < ops_done */
    uint64_t heap_init;        /* after mm_init */
    uint32_t unparsed;         /* ops after which the walk failed */
    uint32_t first_unparsed;   /* the first such op, or UINT32_MAX */
    uint32_t *unparsed_ranges; /* those ops as ranges [start, end), start and end in turn */
    size_t nranges, ranges_cap;
    char unparsed_why[160];
    hv_note_t *checks; size_t nchecks, checks_cap;  /* mm_check_heap's complaints, the first ones */
    size_t check_count;        /* ops after which it complained */
    bool inited;               /* mm_init returned */
    bool in_check;             /* the child was in mm_check_heap when it ended */
    bool at_done;              /* --at: the heap's words were printed */
    char *failure;             /* why the replay stopped early, or NULL */
} hv_run_t;

/* html_write - the heap map of run as one self-contained HTML page.
 * Returns 0, or -1 when writing fails. */
int html_write(const hv_run_t *run, FILE *out);

#endif
