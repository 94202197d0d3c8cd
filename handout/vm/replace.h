/*
 * replace.h - page replacement alone, on a stream of page references:
 * FIFO, LRU, OPT (Belady's) and the one- and two-handed clocks, each
 * counting the faults of a memory of a given number of frames that starts
 * empty. See docs/vm-lab.md for the exact rules; the clocks are the
 * machine's clocks with every frame pageable and every reference setting
 * the referenced bit.
 *
 * A struct replay holds the stream as dense page ids (0 .. npages - 1, in
 * order of first use) and, once OPT has needed it, the position of each
 * reference's next use. Runs do not change it, so one replay serves any
 * number of runs.
 */
#ifndef VM_REPLACE_H
#define VM_REPLACE_H

#include <stddef.h>
#include <stdint.h>

#include "refstream.h"

enum replace_policy {
    REPLACE_FIFO, REPLACE_LRU, REPLACE_OPT, REPLACE_CLOCK1, REPLACE_CLOCK2,
    REPLACE_NPOLICIES
};

struct replay {
    uint32_t *page;     /* page id of each reference */
    size_t n;
    uint32_t npages;    /* distinct pages */
    uint32_t *next;     /* OPT: index of the next reference to the same
                           page, or n; NULL until first needed */
};

/* replay_init - the page ids of s (va >> PAGE_SHIFT). 0 or -ENOMEM. */
int replay_init(struct replay *r, const struct refstream *s);

/* replay_init_pages - from an array of n page numbers. 0 or -ENOMEM. */
int replay_init_pages(struct replay *r, const uint64_t *pages, size_t n);

void replay_free(struct replay *r);

/*
 * replace_run - the faults of policy on r with frames frames (>= 1);
 * handspread is the two-handed clock's (taken modulo frames), ignored by
 * the others. Returns the fault count, or -EINVAL (frames 0, unknown
 * policy), or -ENOMEM.
 */
int64_t replace_run(struct replay *r, int policy, unsigned frames,
                    unsigned handspread);

/* replace_policy_name, replace_policy_parse - "fifo", "lru", "opt",
 * "clock1", "clock2"; parse gives -1 for an unknown name. */
const char *replace_policy_name(int policy);
int replace_policy_parse(const char *name);

#endif
