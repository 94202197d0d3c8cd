/*
 * disk.c - files and the swap area, and the page transfers between them and
 * frames. Every transfer of a page is counted and logged here, and only
 * here, so the statistics cannot miss one.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disk.h"
#include "machine.h"
#include "pagecache.h"
#include "panic.h"

struct disk_file *disk_file(struct machine *m, int id)
{
    if (id < 0 || (unsigned)id >= m->disk.nfiles)
        return NULL;
    return m->disk.file[id];
}

static bool name_ok(const char *name)
{
    if (!*name || strncmp(name, "shm:", 4) == 0)
        return false;
    for (const char *c = name; *c; c++)
        if (isspace((unsigned char)*c) || iscntrl((unsigned char)*c))
            return false;
    return true;
}

static int file_new(struct machine *m, const char *name, uint64_t size,
                    bool readonly, bool shm)
{
    struct disk *d = &m->disk;
    if (size == 0 || size > DISK_FILE_MAX)
        return -EINVAL;
    if (strlen(name) > DISK_NAME_MAX)
        return -ENAMETOOLONG;
    if (disk_file_find(m, name) >= 0)
        return -EEXIST;
    if (d->nfiles == DISK_MAX_FILES)
        return -ENOSPC;
    struct disk_file **files = realloc(d->file, (d->nfiles + 1) * sizeof *files);
    if (!files)
        return -ENOMEM;
    d->file = files;
    uint64_t npages = (size + PAGE_MASK) >> PAGE_SHIFT;
    struct disk_file *df = calloc(1, sizeof *df + (shm ? npages * sizeof df->stored[0] : 0));
    if (!df)
        return -ENOMEM;
    df->npages = npages;
    df->data = calloc(df->npages, PAGE_SIZE);
    df->cache = malloc(df->npages * sizeof *df->cache);
    if (!df->data || !df->cache) {
        free(df->data);
        free(df->cache);
        free(df);
        return -ENOMEM;
    }
    for (uint64_t i = 0; i < df->npages; i++)
        df->cache[i] = NO_FRAME;
    snprintf(df->name, sizeof df->name, "%s", name);
    df->size = size;
    df->readonly = readonly;
    df->shm = shm;
    d->file[d->nfiles] = df;
    return (int)d->nfiles++;
}

int disk_file_create(struct machine *m, const char *name, uint64_t size,
                     bool readonly)
{
    if (!name_ok(name))
        return -EINVAL;
    return file_new(m, name, size, readonly, false);
}

int disk_shm_create(struct machine *m, uint64_t size)
{
    char name[32];
    snprintf(name, sizeof name, "shm:%u", ++m->disk.shm_seq);
    return file_new(m, name, size, false, true);
}

int disk_file_find(struct machine *m, const char *name)
{
    for (unsigned i = 0; i < m->disk.nfiles; i++)
        if (m->disk.file[i] && strcmp(m->disk.file[i]->name, name) == 0)
            return (int)i;
    return -ENOENT;
}

void disk_file_ref(struct machine *m, int id)
{
    struct disk_file *df = disk_file(m, id);
    if (!df)
        vm_panic("disk_file_ref: no file %d", id);
    df->maps++;
}

void disk_file_unref(struct machine *m, int id)
{
    struct disk_file *df = disk_file(m, id);
    if (!df || df->maps == 0)
        vm_panic("disk_file_unref: file %d is not mapped", id);
    if (--df->maps > 0 || !df->shm)
        return;
    for (uint64_t i = 0; i < df->npages; i++) {
        frame_t f = df->cache[i];
        if (f == NO_FRAME)
            continue;
        struct frame *fr = &m->frame[f];
        if (!fr->free)
            vm_panic("disk_file_unref: %s page %" PRIu64 " still in use in frame %" PRIu32,
                     df->name, i, f);
        fr->use = FRAME_FREE;   /* stays where it is on the free list */
        fr->file = -1;
        fr->dirty = false;
    }
    vmlog_add(&m->log, LOG_TLB, "delete %s", df->name);
    free(df->data);
    free(df->cache);
    free(df);
    m->disk.file[id] = NULL;
}

/* The range [off, off + n) lies in file df. */
static bool in_file(const struct disk_file *df, uint64_t off, uint64_t n)
{
    return off <= df->size && n <= df->size - off;
}

int disk_file_write(struct machine *m, int id, uint64_t off, const void *buf,
                    uint64_t n)
{
    struct disk_file *df = disk_file(m, id);
    if (!df)
        return -EBADF;
    if (!in_file(df, off, n))
        return -EINVAL;
    memcpy(df->data + off, buf, n);
    for (uint64_t done = 0; done < n;) {
        uint64_t at = off + done;
        uint64_t chunk = PAGE_SIZE - (at & PAGE_MASK);
        if (chunk > n - done)
            chunk = n - done;
        frame_t f = df->cache[at >> PAGE_SHIFT];
        if (f != NO_FRAME)
            memcpy(frame_data(m, f) + (at & PAGE_MASK), (const uint8_t *)buf + done,
                   chunk);
        if (df->shm)
            df->stored[at >> PAGE_SHIFT] = true;
        done += chunk;
    }
    return 0;
}

int disk_file_read(struct machine *m, int id, uint64_t off, void *buf,
                   uint64_t n, bool raw)
{
    struct disk_file *df = disk_file(m, id);
    if (!df)
        return -EBADF;
    if (!in_file(df, off, n))
        return -EINVAL;
    for (uint64_t done = 0; done < n;) {
        uint64_t at = off + done;
        uint64_t chunk = PAGE_SIZE - (at & PAGE_MASK);
        if (chunk > n - done)
            chunk = n - done;
        frame_t f = raw ? NO_FRAME : df->cache[at >> PAGE_SHIFT];
        const uint8_t *src = f != NO_FRAME ? frame_data(m, f) + (at & PAGE_MASK)
                                           : df->data + at;
        memcpy((uint8_t *)buf + done, src, chunk);
        done += chunk;
    }
    return 0;
}

/* Bytes of page index that lie inside the file. */
static uint64_t page_bytes(const struct disk_file *df, uint64_t index)
{
    uint64_t start = index << PAGE_SHIFT;
    return df->size - start < PAGE_SIZE ? df->size - start : PAGE_SIZE;
}

/*
 * Read-ahead: a miss at the page a sequential reader would miss next (the
 * first page, or the page after the last window) reads the next pages too,
 * into the page cache, in a window that starts at 4 pages and doubles up to
 * cfg.readahead; any other miss closes the window. The pages go on the free
 * list with their contents (frame_free of a clean file page keeps it), so
 * the reader's faults on them are minor (a reclaim) and memory short of
 * frames takes them back first. Only empty frames are used: read-ahead
 * never pushes a cached page out.
 */
static void read_ahead(struct machine *m, int id, struct disk_file *df, uint64_t index)
{
    unsigned max = m->cfg.readahead;
    if (!max)
        return;
    if (index != df->ra_next) {
        df->ra_window = 0;
        df->ra_next = index + 1;
        return;
    }
    unsigned window = df->ra_window ? 2 * df->ra_window : 4;
    df->ra_window = window < max ? window : max;
    df->ra_next = index + df->ra_window + 1;
    for (uint64_t i = index + 1; i <= index + df->ra_window && i < df->npages; i++) {
        if (df->cache[i] != NO_FRAME || (df->shm && !df->stored[i]))
            continue;   /* cached, or nothing on the disk to read */
        if (m->free.count <= m->cfg.high_water ||
            m->frame[m->free.head].use != FRAME_FREE)
            break;
        frame_t f = frame_alloc(m, FRAME_FILE);
        uint64_t n = page_bytes(df, i);
        memcpy(frame_data(m, f), df->data + (i << PAGE_SHIFT), n);
        pagecache_insert(m, f, id, i);
        m->stats.disk_reads++;
        m->stats.readaheads++;
        vmlog_add(&m->log, LOG_EVENTS, "read-ahead: %s page %" PRIu64 " -> frame %" PRIu32,
                  df->name, i, f);
        frame_free(m, f);
    }
}

void disk_read_file(struct machine *m, int id, uint64_t index, frame_t f)
{
    struct disk_file *df = disk_file(m, id);
    if (!df || index >= df->npages)
        vm_panic("disk_read_file: file %d has no page %" PRIu64, id, index);
    uint8_t *dst = frame_data(m, f);
    if (df->shm && !df->stored[index]) {
        /* A shared anonymous page never written back exists nowhere
         * else: there is nothing to read. Its zeros are what the disk
         * would give, so the frame is clean. */
        memset(dst, 0, PAGE_SIZE);
        pagecache_insert(m, f, id, index);
        m->frame[f].dirty = false;
        return;
    }
    uint64_t n = page_bytes(df, index);
    memcpy(dst, df->data + (index << PAGE_SHIFT), n);
    memset(dst + n, 0, PAGE_SIZE - n);
    pagecache_insert(m, f, id, index);
    m->frame[f].dirty = false;
    m->stats.disk_reads++;
    vmlog_add(&m->log, LOG_EVENTS, "disk read: %s page %" PRIu64 " -> frame %" PRIu32,
              df->name, index, f);
    read_ahead(m, id, df, index);
}

void disk_write_file(struct machine *m, frame_t f)
{
    struct frame *fr = &m->frame[f];
    struct disk_file *df = fr->use == FRAME_FILE ? disk_file(m, fr->file) : NULL;
    if (!df)
        vm_panic("disk_write_file: frame %" PRIu32 " holds no file page", f);
    memcpy(df->data + (fr->index << PAGE_SHIFT), frame_data(m, f),
           page_bytes(df, fr->index));
    if (df->shm)
        df->stored[fr->index] = true;
    fr->dirty = false;
    m->stats.disk_writes++;
    vmlog_add(&m->log, LOG_EVENTS, "disk write: frame %" PRIu32 " -> %s page %" PRIu64,
              f, df->name, fr->index);
}

void disk_read_swap(struct machine *m, uint32_t slot, frame_t f)
{
    struct disk *d = &m->disk;
    if (slot >= d->nslots || d->swap_count[slot] == 0)
        vm_panic("disk_read_swap: swap slot %" PRIu32 " is not in use", slot);
    if (d->swap_cache[slot] != NO_FRAME)
        vm_panic("disk_read_swap: swap slot %" PRIu32 " is already in frame %" PRIu32,
                 slot, d->swap_cache[slot]);
    struct frame *fr = &m->frame[f];
    if (fr->use != FRAME_ANON || fr->slot != NO_SLOT)
        vm_panic("disk_read_swap: frame %" PRIu32 " is not a new anonymous frame", f);
    memcpy(frame_data(m, f), d->swap + (uint64_t)slot * PAGE_SIZE, PAGE_SIZE);
    fr->slot = slot;
    fr->dirty = false;
    d->swap_cache[slot] = f;
    d->swap_count[slot]++;
    m->stats.disk_reads++;
    vmlog_add(&m->log, LOG_EVENTS, "disk read: swap slot %" PRIu32 " -> frame %" PRIu32,
              slot, f);
}

void disk_write_swap(struct machine *m, frame_t f)
{
    struct frame *fr = &m->frame[f];
    struct disk *d = &m->disk;
    if (fr->use != FRAME_ANON || fr->slot == NO_SLOT || fr->slot >= d->nslots)
        vm_panic("disk_write_swap: frame %" PRIu32 " is not an anonymous page with a slot", f);
    memcpy(d->swap + (uint64_t)fr->slot * PAGE_SIZE, frame_data(m, f), PAGE_SIZE);
    fr->dirty = false;
    m->stats.disk_writes++;
    vmlog_add(&m->log, LOG_EVENTS, "disk write: frame %" PRIu32 " -> swap slot %" PRIu32,
              f, fr->slot);
}
