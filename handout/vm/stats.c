/*
 * stats.c - the table of counter names, in struct order.
 */
#include <stddef.h>

#include "stats.h"

#define FIELD(name) { #name, offsetof(struct stats, name) }

const struct stats_field stats_fields[] = {
    FIELD(refs),
    FIELD(tlb_hits),
    FIELD(tlb_misses),
    FIELD(walk_reads),
    FIELD(minor_faults),
    FIELD(major_faults),
    FIELD(segv_kills),
    FIELD(oom_kills),
    FIELD(pageout_runs),
    FIELD(evictions),
    FIELD(reclaims),
    FIELD(disk_reads),
    FIELD(disk_writes),
    FIELD(cow_copies),
    FIELD(readaheads),
};

const unsigned stats_nfields = sizeof stats_fields / sizeof stats_fields[0];
