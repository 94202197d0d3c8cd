/*
 * stats.h - what the machine counts. Every counter starts at 0 when the
 * machine is made and only grows. Who counts what:
 *
 *   refs          the CPU: one per memory reference (vm_access)
 *   tlb_hits      the MMU: translations answered by the TLB
 *   tlb_misses    the MMU: translations that walked the page tables
 *   walk_reads    the MMU: page-table entries read by walks
 *   minor_faults  the CPU: page faults resolved without reading the disk
 *   major_faults  the CPU: page faults that read the disk
 *   segv_kills    processes killed for a bad access (fault not resolved, #GP)
 *   oom_kills     processes killed because no frame could be found
 *   pageout_runs  times the pageout daemon ran
 *   evictions     frames the daemon put on the free list (frame_evict)
 *   reclaims      pages taken back from the free list (frame_reclaim)
 *   disk_reads    pages read from the disk (file or swap)
 *   disk_writes   pages written to the disk (file or swap)
 *   cow_copies    pages copied on write (frame_copy)
 *   readaheads    file pages read ahead of a sequential reader (disk.h),
 *                 counted in disk_reads too
 */
#ifndef VM_STATS_H
#define VM_STATS_H

#include <stddef.h>
#include <stdint.h>

struct stats {
    uint64_t refs;
    uint64_t tlb_hits;
    uint64_t tlb_misses;
    uint64_t walk_reads;
    uint64_t minor_faults;
    uint64_t major_faults;
    uint64_t segv_kills;
    uint64_t oom_kills;
    uint64_t pageout_runs;
    uint64_t evictions;
    uint64_t reclaims;
    uint64_t disk_reads;
    uint64_t disk_writes;
    uint64_t cow_copies;
    uint64_t readaheads;
};

/* The counters by name, in the order above, for printing. */
struct stats_field {
    const char *name;
    size_t offset;      /* offsetof(struct stats, name) */
};
extern const struct stats_field stats_fields[];
extern const unsigned stats_nfields;

/* stats_value - the counter described by field i of stats_fields. */
static inline uint64_t stats_value(const struct stats *s, unsigned i)
{
    return *(const uint64_t *)((const char *)s + stats_fields[i].offset);
}

#endif
