/*
 * swap.c - swap slots: lowest-free allocation, holder counts, and the swap
 * cache. See swap.h for who holds a slot.
 */
#include <inttypes.h>

#include "machine.h"
#include "panic.h"
#include "swap.h"

static void check_slot(struct machine *m, uint32_t slot, const char *who)
{
    if (slot >= m->disk.nslots)
        vm_panic("%s: swap slot %" PRIu32 " out of range (%" PRIu32 " slots)",
                 who, slot, m->disk.nslots);
    if (m->disk.swap_count[slot] == 0)
        vm_panic("%s: swap slot %" PRIu32 " is not in use", who, slot);
}

bool swap_assign(struct machine *m, frame_t f)
{
    struct frame *fr = &m->frame[f];
    if (fr->use != FRAME_ANON || fr->slot != NO_SLOT)
        vm_panic("swap_assign: frame %" PRIu32 " is not an anonymous page without a slot", f);
    struct disk *d = &m->disk;
    for (uint32_t s = 0; s < d->nslots; s++) {
        if (d->swap_count[s] == 0) {
            d->swap_count[s] = 1;
            d->swap_cache[s] = f;
            d->swap_used++;
            fr->slot = s;
            return true;
        }
    }
    return false;
}

void swap_dup(struct machine *m, uint32_t slot)
{
    check_slot(m, slot, "swap_dup");
    m->disk.swap_count[slot]++;
}

static void release(struct machine *m, uint32_t slot)
{
    struct disk *d = &m->disk;
    if (--d->swap_count[slot] == 0) {
        d->swap_used--;
        return;
    }
    frame_t f = d->swap_cache[slot];
    if (d->swap_count[slot] == 1 && f != NO_FRAME && m->frame[f].free) {
        /* Only a free frame remembers the page: nobody can want it. */
        m->frame[f].slot = NO_SLOT;
        m->frame[f].use = FRAME_FREE;
        m->frame[f].dirty = false;
        d->swap_cache[slot] = NO_FRAME;
        d->swap_count[slot] = 0;
        d->swap_used--;
    }
}

void swap_put(struct machine *m, uint32_t slot)
{
    check_slot(m, slot, "swap_put");
    release(m, slot);
}

void swap_forget(struct machine *m, frame_t f)
{
    struct frame *fr = &m->frame[f];
    uint32_t slot = fr->slot;
    check_slot(m, slot, "swap_forget");
    if (m->disk.swap_cache[slot] != f)
        vm_panic("swap_forget: frame %" PRIu32 " is not slot %" PRIu32 "'s", f, slot);
    m->disk.swap_cache[slot] = NO_FRAME;
    fr->slot = NO_SLOT;
    release(m, slot);
}

frame_t swapcache_lookup(struct machine *m, uint32_t slot)
{
    return slot < m->disk.nslots ? m->disk.swap_cache[slot] : NO_FRAME;
}

uint32_t swap_count(struct machine *m, uint32_t slot)
{
    return slot < m->disk.nslots ? m->disk.swap_count[slot] : 0;
}

uint32_t swap_free_slots(struct machine *m)
{
    return m->disk.nslots - m->disk.swap_used;
}
