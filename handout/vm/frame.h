/*
 * frame.h - physical memory: the frame table, the free list and the
 * reverse maps.
 *
 * Every 4 KiB frame of physical memory has a struct frame saying what it
 * holds: nothing (FRAME_FREE), a page table (FRAME_TABLE, the kernel's or a
 * process's), an anonymous page (FRAME_ANON) or a page of a file
 * (FRAME_FILE, in the page cache), or a part of a 2 MiB page (FRAME_HUGE:
 * 512 frames in a row, the first a multiple of 512, pinned: never paged
 * out). An anonymous, file or huge page's first frame has a reverse
 * map: the list of (process, virtual address) pairs whose leaf entries map
 * it, in the order they were added; refcount is the length of that list.
 *
 * The free list is doubly linked through the frames, head to tail; frames
 * are allocated from its head. A frame on the free list (free == true) is
 * either FRAME_FREE, or still holds a page that can be had back without
 * I/O: a clean file page still in the page cache, or a clean anonymous page
 * still in the swap cache. That is the lecture's second chance. A frame
 * freed because its page is dead goes to the head (it is the first to be
 * reused); a frame freed by the pageout daemon goes to the tail, keeping
 * its page as long as possible.
 *
 * Invariants (vm_check): a frame is on the free list iff free is set; a free
 * frame has refcount 0 and is FREE, ANON with a swap slot, or FILE; a frame
 * not on the list is mapped (refcount > 0) or a table; refcount equals the
 * number of leaf entries mapping the frame.
 */
#ifndef VM_FRAME_H
#define VM_FRAME_H

#include <stdbool.h>
#include <stdint.h>

#include "pte.h"

struct machine;
struct proc;

#define NO_SLOT UINT32_MAX  /* no swap slot */

enum frame_use {
    FRAME_FREE,     /* holds nothing */
    FRAME_TABLE,    /* a page table (owner: pid, 0 for the kernel's) */
    FRAME_ANON,     /* an anonymous page: zero-filled, a copy, or from swap */
    FRAME_FILE,     /* a page of a file, in the page cache */
    FRAME_HUGE,     /* part of a 2 MiB page (index: its place in the page) */
};

#define HUGE_FRAMES 512     /* frames of a 2 MiB page */

struct rmap {
    struct proc *proc;
    vaddr_t va;
    struct rmap *next;
};

struct frame {
    uint8_t use;        /* enum frame_use */
    bool free;          /* on the free list */
    bool dirty;         /* ANON, FILE: newer than the copy on disk, or no copy */
    uint32_t refcount;  /* leaf entries mapping this frame */
    frame_t prev, next; /* free-list links, NO_FRAME at the ends */
    uint32_t slot;      /* ANON: the swap slot holding a copy, or NO_SLOT */
    int file;           /* FILE: file id */
    uint64_t index;     /* FILE: page number in the file */
    int owner;          /* TABLE: pid, 0 for the kernel */
    struct rmap *rmap;  /* ANON, FILE: who maps it, oldest first */
};

/*
 * frame_alloc - take the frame at the head of the free list for use. If it
 * still held a page, the page is forgotten first (removed from the page
 * cache or the swap cache). The frame comes back zero-filled, clean, with
 * refcount 0 and no identity. NO_FRAME when the free list is empty. This
 * never runs the pageout daemon: the CPU runs it before each fault.
 */
frame_t frame_alloc(struct machine *m, enum frame_use use);

/*
 * frame_free - give back a frame nothing maps (refcount 0). A clean
 * anonymous page whose swap slot is still held by some swap entry goes to
 * the tail, keeping its page; so does a clean file page. Anything else is
 * dead: its swap slot (if any) is let go and it goes to the head. Freeing a
 * dirty file page, or a dirty anonymous page others still hold, is a bug:
 * write it back first.
 */
void frame_free(struct machine *m, frame_t f);

/*
 * frame_evict - the pageout daemon's free: f is unmapped (refcount 0) and
 * clean, its page on disk; append it to the tail, keeping its page (second
 * chance). Counts an eviction.
 */
void frame_evict(struct machine *m, frame_t f);

/*
 * frame_reclaim - take f, a frame on the free list still holding its page,
 * off the list without I/O: the second chance taken. Counts a reclaim.
 */
void frame_reclaim(struct machine *m, frame_t f);

/* frame_alloc_huge - take HUGE_FRAMES free frames in a row, the first a
 * multiple of HUGE_FRAMES, off the free list (forgetting pages they still
 * held), zero-filled, as one 2 MiB page: FRAME_HUGE, index 0 .. 511.
 * Returns the first, or NO_FRAME when no such run is free. */
frame_t frame_alloc_huge(struct machine *m);

/* frame_free_huge - give back the 2 MiB page starting at frame f (nothing
 * maps it), its frames to the head of the free list. */
void frame_free_huge(struct machine *m, frame_t f);

/* frame_copy - copy the contents of frame src to dst: a copy-on-write copy
 * (counted as one). */
void frame_copy(struct machine *m, frame_t dst, frame_t src);

/* rmap_add - record that leaf entry (p, va) now maps f; refcount + 1. */
void rmap_add(struct machine *m, frame_t f, struct proc *p, vaddr_t va);

/* rmap_remove - (p, va) no longer maps f; refcount - 1. The frame is not
 * freed: call frame_free when refcount reaches 0. */
void rmap_remove(struct machine *m, frame_t f, struct proc *p, vaddr_t va);

/*
 * frame_pageable - f may be chosen by the clock: an anonymous or file frame
 * that is mapped (refcount > 0), and, if anonymous without a swap slot, a
 * slot is free for it.
 */
bool frame_pageable(struct machine *m, frame_t f);

/* frame_mapped_bits - PTE_A and PTE_D as ORed over the entries mapping f
 * (what the clock and vmsh see). */
pte_t frame_mapped_bits(struct machine *m, frame_t f);

/* frame_use_name - "free", "table", "anon", "file". */
const char *frame_use_name(int use);

#endif
