/*
 * swap.h - swap slots and the swap cache.
 *
 * An anonymous page that must leave memory gets a swap slot, the lowest
 * free one, when the pageout daemon first evicts it, and keeps it for the
 * rest of its life. A slot is held by every swap entry (a non-present PTE
 * naming it) and by the frame that caches its page, if any (the swap
 * cache: disk.swap_cache[slot], and that frame's slot field). swap_count
 * is the number of holders; the slot is free exactly when it is 0.
 *
 * When the last swap entry goes and the only holder left is a frame on the
 * free list, nobody can ever want the page again: the frame forgets it and
 * the slot is freed at once, so dead pages never use up swap.
 */
#ifndef VM_SWAP_H
#define VM_SWAP_H

#include <stdbool.h>
#include <stdint.h>

#include "pte.h"

struct machine;

/* swap_assign - give anonymous frame f, which has no slot, the lowest free
 * slot, held by f. false when swap is full. */
bool swap_assign(struct machine *m, frame_t f);

/* swap_dup - one more holder of slot: a new swap entry names it. */
void swap_dup(struct machine *m, uint32_t slot);

/* swap_put - one holder of slot fewer (a swap entry was replaced or
 * dropped); see above for what happens at 0 and 1. */
void swap_put(struct machine *m, uint32_t slot);

/* swap_forget - frame f no longer holds its slot's page (it is reused or
 * its page is dead): f->slot = NO_SLOT, and one holder fewer. */
void swap_forget(struct machine *m, frame_t f);

/* swapcache_lookup - the frame holding slot's page, or NO_FRAME. */
frame_t swapcache_lookup(struct machine *m, uint32_t slot);

/* swap_count - the holders of slot. */
uint32_t swap_count(struct machine *m, uint32_t slot);

/* swap_free_slots - slots with no holder. */
uint32_t swap_free_slots(struct machine *m);

#endif
