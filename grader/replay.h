/*
 * replay.h - replaying a trace against an allocator, checked or timed.
 *
 * The checked replay verifies every result (alignment, inside the heap, no
 * overlap with a live payload, the signature bytes of every payload, the
 * realloc contract, optionally mm_check_heap after each op) and measures
 * space: peak live bytes, the heap's final size, and the layout bound. The
 * timed replay repeats the trace with only the cheap checks (alignment and
 * bounds) and a hash of the returned heap offsets, which must equal the
 * checked replay's: an allocator cannot behave one way when checked and
 * another when timed.
 *
 * Both run in the calling process; runner.h runs them in children.
 */
#ifndef REPLAY_H
#define REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace.h"

/* An allocator under test: the student's, the reference, or the C library. */
typedef struct allocator {
    const char *name;
    int (*init)(void);           /* NULL: nothing to set up (libc) */
    void *(*malloc)(size_t);
    void (*free)(void *);
    void *(*realloc)(void *, size_t);
    int (*check)(void);          /* mm_check_heap; NULL when there is none */
    bool in_heap;                /* results must lie in memlib's heap */
} allocator_t;

/* The layout's overhead, for the layout bound: each block needs
 * max(LAYOUT_MIN_BLOCK, round_up(size + LAYOUT_TAGS, LAYOUT_ALIGN)). */
#define LAYOUT_TAGS 16
#define LAYOUT_MIN_BLOCK 32
#define LAYOUT_ALIGN 8

/* layout_block_size - the least space a block of the lecture's layout
 * needs for a payload of size bytes. */
static inline size_t layout_block_size(size_t size)
{
    size_t b = (size + LAYOUT_TAGS + LAYOUT_ALIGN - 1) & ~(size_t)(LAYOUT_ALIGN - 1);
    return b < LAYOUT_MIN_BLOCK ? LAYOUT_MIN_BLOCK : b;
}

/* Where a replay is, written before every call into the allocator so the
 * parent can tell where a child crashed or hung. */
typedef struct replay_progress {
    volatile uint64_t op;        /* index of the op being run */
    volatile uint32_t phase;     /* enum replay_phase */
    volatile size_t heap;        /* the heap's size before it (checked replays) */
} replay_progress_t;

enum replay_phase { PHASE_START, PHASE_INIT, PHASE_OPS, PHASE_END, PHASE_DONE };

typedef struct replay_options {
    uint64_t seed;               /* signatures */
    bool check_heap;             /* call a->check after every op (-D) */
    size_t max_heap;             /* a request larger than this may fail */
} replay_options_t;

#define REPLAY_MESSAGE 1024

typedef struct replay_result {
    bool valid;
    uint32_t error_line;         /* trace line of the first error, 0 if none */
    char message[REPLAY_MESSAGE];/* the first error, "line: op: facts" */
    size_t peak_live;            /* most requested bytes live at once */
    size_t peak_layout;          /* most layout_block_size bytes live at once */
    size_t heap_size;            /* heap size at the end */
    uint64_t hash;               /* of the heap offsets returned, in order */
} replay_result_t;

/*
 * replay_checked - run t once against a with every check; fills *res.
 * Stops at the first error (res->valid false, res->message says why).
 * p, when not NULL, is kept current. Uses memlib's heap when a->in_heap.
 */
void replay_checked(const allocator_t *a, const trace_t *t, const replay_options_t *o,
                    replay_progress_t *p, replay_result_t *res);

/*
 * replay_timed - run t reps times with the cheap checks only. Returns 0 and
 * sets *hash (the hash of one run) when every run returned aligned payloads
 * inside the heap and all runs hashed alike; otherwise -1 with the reason in
 * msg (n bytes).
 */
int replay_timed(const allocator_t *a, const trace_t *t, unsigned reps,
                 const replay_options_t *o, replay_progress_t *p, uint64_t *hash,
                 char *msg, size_t n);

#endif
