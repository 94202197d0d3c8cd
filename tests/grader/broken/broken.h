/*
 * broken.h - allocators that each break one rule, for the tests of mdriver's
 * checks (tests/grader/test_checks.c).
 *
 * All of them sit on one tiny core: a bump allocator on memlib's heap that
 * keeps each payload's requested size in the word before it and never reuses
 * memory. The core alone is correct (bump_allocator passes every check), so
 * an allocator below fails for the one thing its file changes and nothing
 * else. Each file says what it breaks and at which call.
 *
 * State is file-static, as the student API forces; mm_init resets it, and
 * every replay runs in a fresh child process anyway.
 */
#ifndef BROKEN_H
#define BROKEN_H

#include <stddef.h>

#include "replay.h"

/* Requests above this fail (NULL) in the core, like a real allocator's. */
#define CORE_MAX_REQUEST ((size_t)1 << 40)

/* core_place - a payload of size bytes at heap offset off (a multiple of 8,
 * at least 8), its size in the word before it; the heap grows to cover it.
 * NULL when size is too large or the heap cannot grow. */
void *core_place(size_t off, size_t size);

/* core_size - the size recorded for payload p by core_place. */
size_t core_size(const void *p);

/* core_round - n rounded up to a multiple of 8. */
size_t core_round(size_t n);

/*
 * core_realloc - realloc(p, size) for an allocator whose payloads carry the
 * core's size word: NULL p is malloc_fn(size), size 0 is free_fn(p) and
 * NULL, otherwise a new payload with the old bytes copied, the old freed.
 */
void *core_realloc(void *p, size_t size, void *(*malloc_fn)(size_t), void (*free_fn)(void *));

/* The correct core: the next payload always at the top of the heap. */
int bump_init(void);
void *bump_malloc(size_t size);
void bump_free(void *p);
void *bump_realloc(void *p, size_t size);
int bump_check(void);

extern const allocator_t bump_allocator;

/* One allocator per broken rule (one file each, named alike). */
extern const allocator_t misaligned_allocator;     /* payloads at 4 mod 8 */
extern const allocator_t overlapping_allocator;    /* each payload 16 bytes after the last */
extern const allocator_t containing_allocator;     /* each payload 8 bytes before the last */
extern const allocator_t outside_allocator;        /* payloads in a static array */
extern const allocator_t past_break_allocator;     /* grows the heap by half the request */
extern const allocator_t garbling_allocator;       /* free writes into the next payload */
extern const allocator_t realloc_drops_allocator;  /* realloc copies one word only */
extern const allocator_t null_allocator;           /* NULL for requests of 100 bytes or more */
extern const allocator_t realloc_zero_allocator;   /* realloc(p, 0) returns p */
extern const allocator_t crashing_allocator;       /* SIGSEGV at the third malloc */
extern const allocator_t looping_allocator;        /* loops forever in the first free */
extern const allocator_t exiting_allocator;        /* exit(3) at the second malloc */
extern const allocator_t init_count_allocator;     /* other payloads from the 2nd mm_init on */
extern const allocator_t unwatched_allocator;      /* other payloads when no one writes them */
extern const allocator_t lying_check_allocator;    /* mm_check_heap says inconsistent */
extern const allocator_t shrinking_allocator;      /* empties the heap when all is freed */
extern const allocator_t rewinding_allocator;      /* cuts the heap under a live payload */
extern const allocator_t scribbling_allocator;     /* writes a word just past the break */
extern const allocator_t chatty_allocator;         /* correct, but prints to stdout */
extern const allocator_t hoarding_allocator;       /* takes the whole heap, then has nothing */
extern const allocator_t squandering_allocator;    /* fills memory outside the heap, crashes */
extern const allocator_t opening_allocator;        /* opens a file: the sandbox refuses */

#endif
