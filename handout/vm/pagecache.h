/*
 * pagecache.h - the page cache: which frame holds which page of which file.
 *
 * For each file, cache[i] is the frame holding page i, or NO_FRAME. A
 * cached frame is FRAME_FILE with (file, index) set; it may be mapped, or
 * on the free list with its page intact (a fault takes it back with
 * frame_reclaim, without I/O). Pages enter the cache by disk_read_file and
 * leave it when their frame is reused (frame_alloc) or their file is
 * deleted. All file I/O of the machine goes through here, so a write to a
 * MAP_SHARED page is seen at once by every other mapping and by read(2).
 */
#ifndef VM_PAGECACHE_H
#define VM_PAGECACHE_H

#include <stdint.h>

#include "pte.h"

struct machine;

/* pagecache_lookup - the frame holding page index of file id, or NO_FRAME
 * (also for a bad id or an index past the end). */
frame_t pagecache_lookup(struct machine *m, int id, uint64_t index);

/* pagecache_insert - file frame f now holds page index of file id. */
void pagecache_insert(struct machine *m, frame_t f, int id, uint64_t index);

/* pagecache_forget - f leaves the page cache (it is being reused). */
void pagecache_forget(struct machine *m, frame_t f);

#endif
