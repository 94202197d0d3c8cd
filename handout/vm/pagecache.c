/*
 * pagecache.c - the page cache: per file, an array from page number to the
 * frame holding it. Invariant: cache[i] == f iff frame f is FRAME_FILE with
 * (file, index) == (id, i).
 */
#include <inttypes.h>

#include "disk.h"
#include "machine.h"
#include "pagecache.h"
#include "panic.h"

frame_t pagecache_lookup(struct machine *m, int id, uint64_t index)
{
    struct disk_file *df = disk_file(m, id);
    if (!df || index >= df->npages)
        return NO_FRAME;
    return df->cache[index];
}

void pagecache_insert(struct machine *m, frame_t f, int id, uint64_t index)
{
    struct disk_file *df = disk_file(m, id);
    if (!df || index >= df->npages)
        vm_panic("pagecache_insert: file %d has no page %" PRIu64, id, index);
    if (df->cache[index] != NO_FRAME)
        vm_panic("pagecache_insert: page %" PRIu64 " of %s is already in frame %" PRIu32,
                 index, df->name, df->cache[index]);
    struct frame *fr = &m->frame[f];
    fr->use = FRAME_FILE;
    fr->file = id;
    fr->index = index;
    df->cache[index] = f;
}

void pagecache_forget(struct machine *m, frame_t f)
{
    struct frame *fr = &m->frame[f];
    struct disk_file *df = disk_file(m, fr->file);
    if (df && fr->index < df->npages && df->cache[fr->index] == f)
        df->cache[fr->index] = NO_FRAME;
    fr->file = -1;
    fr->index = 0;
}
