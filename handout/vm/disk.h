/*
 * disk.h - the machine's disk: named files and a swap area, transferred a
 * page at a time, every transfer counted (stats.disk_reads, disk_writes)
 * and logged.
 *
 * A file has a name, a size in bytes fixed at creation, a mode (read-only
 * or read-write, what mmap checks) and ceil(size / 4 KiB) pages of storage.
 * Bytes of the last page past the size read as zero and never reach the
 * file. Files are numbered from 0 in creation order. A MAP_SHARED |
 * MAP_ANONYMOUS region is backed by an unnamed shared-memory file
 * ("shm:N"), so its pages are shared by every process that inherits the
 * region; such a file is deleted when the last region mapping it goes.
 * Until a page of it is written to the disk, it has no copy there: reading
 * it zero-fills the frame without I/O, as for a private anonymous page.
 *
 * The page cache (pagecache.h) keeps, for each file, which frame holds which
 * page. The swap area is nslots pages; swap.h manages its slots.
 *
 * Reading a page into a frame gives the frame its identity: disk_read_file
 * puts it in the page cache, disk_read_swap in the swap cache. Writing a
 * frame back writes it to the place its identity names.
 */
#ifndef VM_DISK_H
#define VM_DISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pte.h"

struct machine;

#define DISK_NAME_MAX 63                    /* longest file name */
#define DISK_FILE_MAX ((uint64_t)1 << 30)   /* largest file, bytes */
#define DISK_MAX_FILES 1024

struct disk_file {
    char name[DISK_NAME_MAX + 1];
    uint64_t size;      /* bytes */
    uint64_t npages;    /* ceil(size / PAGE_SIZE) */
    bool readonly;      /* MAP_SHARED with PROT_WRITE is refused */
    bool shm;           /* unnamed, deleted with its last region */
    unsigned maps;      /* regions mapping the file */
    uint8_t *data;      /* npages * PAGE_SIZE bytes */
    frame_t *cache;     /* page cache: cache[i] holds page i, or NO_FRAME */
    uint64_t ra_next;   /* read-ahead: the page a sequential reader misses next */
    unsigned ra_window; /* read-ahead: pages read ahead at the last miss */
    bool stored[];      /* shm only: stored[i] once page i is on the disk */
};

struct disk {
    struct disk_file **file;    /* by id; NULL once deleted */
    unsigned nfiles;            /* ids used so far */
    unsigned shm_seq;           /* names shm:1, shm:2, ... */
    uint32_t nslots;            /* swap slots */
    uint8_t *swap;              /* nslots * PAGE_SIZE bytes */
    uint32_t *swap_count;       /* holders of each slot (swap.h) */
    frame_t *swap_cache;        /* frame holding each slot, or NO_FRAME */
    uint32_t swap_used;         /* slots with a nonzero count */
};

/*
 * disk_file_create - a new file of size bytes (1 .. DISK_FILE_MAX), zero
 * filled. Returns its id, or -EINVAL (bad size, empty name or a name with
 * spaces or control characters), -ENAMETOOLONG, -EEXIST, -ENOSPC (too many
 * files), -ENOMEM.
 */
int disk_file_create(struct machine *m, const char *name, uint64_t size,
                     bool readonly);

/* disk_file_find - the id of the file called name, or -ENOENT. */
int disk_file_find(struct machine *m, const char *name);

/* disk_file - the file with id, or NULL (no such id, or deleted). */
struct disk_file *disk_file(struct machine *m, int id);

/*
 * disk_file_write - write n bytes at offset off of file id, as a program's
 * write(2) would: through the page cache (a cached page is updated too), so
 * every mapping sees it. Not a paging transfer: not counted. Returns 0,
 * -EBADF or -EINVAL (past the end of the file).
 */
int disk_file_write(struct machine *m, int id, uint64_t off, const void *buf,
                    uint64_t n);

/* disk_file_read - read n bytes at off, through the page cache (what a
 * program's read(2) sees) or, when raw, from the disk itself (what is on
 * the platter). Not counted. 0, -EBADF or -EINVAL. */
int disk_file_read(struct machine *m, int id, uint64_t off, void *buf,
                   uint64_t n, bool raw);

/* disk_shm_create - an unnamed shared-memory file of size bytes (shm:N).
 * Its id, or a negative errno as for disk_file_create. */
int disk_shm_create(struct machine *m, uint64_t size);

/* disk_file_ref, disk_file_unref - one more, one fewer region maps id. The
 * last unref of an shm file deletes it (its cached frames must be free). */
void disk_file_ref(struct machine *m, int id);
void disk_file_unref(struct machine *m, int id);

/* disk_read_file - read page index of file id into frame f (zero past the
 * end of the file) and put f in the page cache as that page, clean. A page
 * of an shm file never written to the disk is zero-filled instead: not a
 * read, so its first touch is a minor fault. */
void disk_read_file(struct machine *m, int id, uint64_t index, frame_t f);

/* disk_write_file - write file frame f back to its page of its file; f is
 * clean afterwards. */
void disk_write_file(struct machine *m, frame_t f);

/* disk_read_swap - read swap slot into frame f and put f in the swap cache
 * as that slot's page (f->slot = slot, one more holder of slot), clean. */
void disk_read_swap(struct machine *m, uint32_t slot, frame_t f);

/* disk_write_swap - write anonymous frame f to its swap slot (f->slot);
 * f is clean afterwards. */
void disk_write_swap(struct machine *m, frame_t f);

#endif
