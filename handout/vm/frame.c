/*
 * frame.c - the frame table: allocation from the free list, the two ways of
 * freeing (dead pages to the head, evicted pages to the tail), the second
 * chance, copies, and reverse maps. See frame.h for the invariants.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disk.h"
#include "machine.h"
#include "pagecache.h"
#include "pagetable.h"
#include "panic.h"
#include "proc.h"
#include "swap.h"

const char *frame_use_name(int use)
{
    static const char *const names[] = { "free", "table", "anon", "file", "huge" };
    return use >= FRAME_FREE && use <= FRAME_HUGE ? names[use] : "?";
}

static void list_unlink(struct machine *m, frame_t f)
{
    struct frame *fr = &m->frame[f];
    if (fr->prev == NO_FRAME)
        m->free.head = fr->next;
    else
        m->frame[fr->prev].next = fr->next;
    if (fr->next == NO_FRAME)
        m->free.tail = fr->prev;
    else
        m->frame[fr->next].prev = fr->prev;
    fr->prev = fr->next = NO_FRAME;
    fr->free = false;
    m->free.count--;
}

static void list_push_head(struct machine *m, frame_t f)
{
    struct frame *fr = &m->frame[f];
    fr->prev = NO_FRAME;
    fr->next = m->free.head;
    if (m->free.head == NO_FRAME)
        m->free.tail = f;
    else
        m->frame[m->free.head].prev = f;
    m->free.head = f;
    fr->free = true;
    m->free.count++;
}

static void list_append(struct machine *m, frame_t f)
{
    struct frame *fr = &m->frame[f];
    fr->next = NO_FRAME;
    fr->prev = m->free.tail;
    if (m->free.tail == NO_FRAME)
        m->free.head = f;
    else
        m->frame[m->free.tail].next = f;
    m->free.tail = f;
    fr->free = true;
    m->free.count++;
}

/* The frame no longer holds any page: out of the page or swap cache. */
static void forget_page(struct machine *m, frame_t f)
{
    struct frame *fr = &m->frame[f];
    if (fr->use == FRAME_FILE)
        pagecache_forget(m, f);
    else if (fr->use == FRAME_ANON && fr->slot != NO_SLOT)
        swap_forget(m, f);
    fr->use = FRAME_FREE;
    fr->dirty = false;
}

static const char *identity(struct machine *m, frame_t f, char *buf, size_t n)
{
    struct frame *fr = &m->frame[f];
    if (fr->use == FRAME_FILE) {
        struct disk_file *df = disk_file(m, fr->file);
        snprintf(buf, n, "file %s page %" PRIu64, df ? df->name : "?", fr->index);
    } else if (fr->use == FRAME_ANON && fr->slot != NO_SLOT) {
        snprintf(buf, n, "anon, swap slot %" PRIu32, fr->slot);
    } else {
        snprintf(buf, n, "%s", frame_use_name(fr->use));
    }
    return buf;
}

frame_t frame_alloc(struct machine *m, enum frame_use use)
{
    frame_t f = m->free.head;
    if (f == NO_FRAME) {
        vmlog_add(&m->log, LOG_EVENTS, "no free frame");
        return NO_FRAME;
    }
    list_unlink(m, f);
    struct frame *fr = &m->frame[f];
    if (fr->use != FRAME_FREE) {
        char what[96];
        vmlog_add(&m->log, LOG_TLB, "frame %" PRIu32 " reused: forgets %s", f,
                  identity(m, f, what, sizeof what));
        forget_page(m, f);
    }
    memset(frame_data(m, f), 0, PAGE_SIZE);
    fr->use = (uint8_t)use;
    fr->dirty = false;
    fr->refcount = 0;
    fr->slot = NO_SLOT;
    fr->file = -1;
    fr->index = 0;
    fr->owner = 0;
    vmlog_add(&m->log, LOG_TLB, "alloc frame %" PRIu32 " (%s), %" PRIu32 " free",
              f, frame_use_name(use), m->free.count);
    return f;
}

frame_t frame_alloc_huge(struct machine *m)
{
    for (frame_t first = 0; first + HUGE_FRAMES <= m->cfg.frames; first += HUGE_FRAMES) {
        frame_t f = first;
        while (f < first + HUGE_FRAMES && m->frame[f].free)
            f++;
        if (f < first + HUGE_FRAMES)
            continue;
        for (f = first; f < first + HUGE_FRAMES; f++) {
            list_unlink(m, f);
            struct frame *fr = &m->frame[f];
            if (fr->use != FRAME_FREE)
                forget_page(m, f);
            memset(frame_data(m, f), 0, PAGE_SIZE);
            *fr = (struct frame){ .use = FRAME_HUGE, .prev = NO_FRAME, .next = NO_FRAME,
                                  .slot = NO_SLOT, .file = -1, .index = f - first };
        }
        vmlog_add(&m->log, LOG_EVENTS, "alloc 2M page: frames %" PRIu32 "..%" PRIu32
                  ", %" PRIu32 " free", first, first + HUGE_FRAMES - 1, m->free.count);
        return first;
    }
    vmlog_add(&m->log, LOG_EVENTS, "no 512 free frames in a row for a 2M page");
    return NO_FRAME;
}

void frame_free_huge(struct machine *m, frame_t f)
{
    if (f % HUGE_FRAMES || f + HUGE_FRAMES > m->cfg.frames ||
        m->frame[f].use != FRAME_HUGE || m->frame[f].refcount)
        vm_panic("frame_free_huge: frame %" PRIu32 " does not start an unmapped 2M page", f);
    for (frame_t i = f + HUGE_FRAMES; i-- > f;) {
        m->frame[i].use = FRAME_FREE;
        m->frame[i].index = 0;
        list_push_head(m, i);
    }
    vmlog_add(&m->log, LOG_EVENTS, "free 2M page: frames %" PRIu32 "..%" PRIu32, f,
              f + HUGE_FRAMES - 1);
}

void frame_free(struct machine *m, frame_t f)
{
    struct frame *fr = &m->frame[f];
    if (fr->free || fr->refcount)
        vm_panic("frame_free: frame %" PRIu32 " is %s (refcount %" PRIu32 ")", f,
                 fr->free ? "already free" : "still mapped", fr->refcount);
    bool keep = false;
    if (fr->use == FRAME_FILE) {
        if (fr->dirty)
            vm_panic("frame_free: frame %" PRIu32 " holds a dirty file page: "
                     "write it back first", f);
        keep = true;
    } else if (fr->use == FRAME_ANON && fr->slot != NO_SLOT &&
               swap_count(m, fr->slot) > 1) {
        if (fr->dirty)
            vm_panic("frame_free: frame %" PRIu32 " is dirty but swap slot %" PRIu32
                     " is still shared", f, fr->slot);
        keep = true;
    }
    char what[96];
    if (keep) {
        list_append(m, f);
        vmlog_add(&m->log, LOG_TLB, "free frame %" PRIu32 " to the tail, keeps %s",
                  f, identity(m, f, what, sizeof what));
    } else {
        forget_page(m, f);
        list_push_head(m, f);
        vmlog_add(&m->log, LOG_TLB, "free frame %" PRIu32 " to the head", f);
    }
}

void frame_evict(struct machine *m, frame_t f)
{
    struct frame *fr = &m->frame[f];
    if (fr->free || fr->refcount || fr->dirty ||
        (fr->use != FRAME_FILE && !(fr->use == FRAME_ANON && fr->slot != NO_SLOT)))
        vm_panic("frame_evict: frame %" PRIu32 " must be an unmapped, clean page "
                 "with a copy on disk", f);
    list_append(m, f);
    m->stats.evictions++;
    char what[96];
    vmlog_add(&m->log, LOG_EVENTS, "evict frame %" PRIu32 " (%s) to the free list",
              f, identity(m, f, what, sizeof what));
}

void frame_reclaim(struct machine *m, frame_t f)
{
    struct frame *fr = &m->frame[f];
    if (!fr->free || fr->use == FRAME_FREE)
        vm_panic("frame_reclaim: frame %" PRIu32 " holds no page on the free list", f);
    list_unlink(m, f);
    m->stats.reclaims++;
    char what[96];
    vmlog_add(&m->log, LOG_EVENTS, "reclaim frame %" PRIu32 " (%s) from the free list",
              f, identity(m, f, what, sizeof what));
}

void frame_copy(struct machine *m, frame_t dst, frame_t src)
{
    memcpy(frame_data(m, dst), frame_data(m, src), PAGE_SIZE);
    m->stats.cow_copies++;
    vmlog_add(&m->log, LOG_EVENTS, "copy on write: frame %" PRIu32 " -> frame %" PRIu32,
              src, dst);
}

void rmap_add(struct machine *m, frame_t f, struct proc *p, vaddr_t va)
{
    struct frame *fr = &m->frame[f];
    if (fr->use != FRAME_ANON && fr->use != FRAME_FILE &&
        !(fr->use == FRAME_HUGE && fr->index == 0))
        vm_panic("rmap_add: frame %" PRIu32 " is a %s frame", f, frame_use_name(fr->use));
    if (fr->free)
        vm_panic("rmap_add: frame %" PRIu32 " is on the free list", f);
    struct rmap *r = malloc(sizeof *r);
    if (!r)
        vm_panic("rmap_add: host out of memory");
    *r = (struct rmap){ .proc = p, .va = va, .next = NULL };
    struct rmap **tail = &fr->rmap;
    while (*tail)
        tail = &(*tail)->next;
    *tail = r;
    fr->refcount++;
}

void rmap_remove(struct machine *m, frame_t f, struct proc *p, vaddr_t va)
{
    struct frame *fr = &m->frame[f];
    for (struct rmap **rp = &fr->rmap; *rp; rp = &(*rp)->next) {
        if ((*rp)->proc == p && (*rp)->va == va) {
            struct rmap *r = *rp;
            *rp = r->next;
            free(r);
            fr->refcount--;
            return;
        }
    }
    vm_panic("rmap_remove: frame %" PRIu32 " is not mapped by pid %d at %#" PRIx64,
             f, p ? p->pid : 0, va);
}

bool frame_pageable(struct machine *m, frame_t f)
{
    const struct frame *fr = &m->frame[f];
    if (fr->free || fr->refcount == 0)
        return false;
    if (fr->use == FRAME_FILE)
        return true;
    return fr->use == FRAME_ANON &&
           (fr->slot != NO_SLOT || swap_free_slots(m) > 0);
}

pte_t frame_mapped_bits(struct machine *m, frame_t f)
{
    pte_t bits = 0;
    bool huge = m->frame[f].use == FRAME_HUGE;
    for (struct rmap *r = m->frame[f].rmap; r; r = r->next) {
        pte_t *e = huge ? pt_entry(m, r->proc, r->va, 1) : pt_lookup(m, r->proc, r->va);
        if (e)
            bits |= *e & (PTE_A | PTE_D);
    }
    return bits;
}
