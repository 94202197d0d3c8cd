/*
 * ranges.h - the set of live payloads as disjoint byte ranges, ordered by
 * address, for the overlap check (a treap: expected O(log n) per operation).
 *
 * Nodes are owned by the caller (one per trace ID, say), so the set itself
 * never allocates. Invariant: the ranges in a set are pairwise disjoint and
 * non-empty.
 */
#ifndef RANGES_H
#define RANGES_H

#include <stdint.h>

typedef struct range {
    uintptr_t start, end;        /* [start, end), start < end */
    uint32_t prio;               /* heap order: a parent's prio >= its children's */
    struct range *left, *right;
} range_t;

typedef struct ranges {
    range_t *root;
} ranges_t;

/*
 * ranges_overlap - a range of the set that shares a byte with [start, end),
 * or NULL. Among several, the one with the highest start is returned.
 */
range_t *ranges_overlap(const ranges_t *s, uintptr_t start, uintptr_t end);

/* ranges_insert - add r (start, end and prio set by the caller); r must not
 * overlap any range of the set. */
void ranges_insert(ranges_t *s, range_t *r);

/* ranges_remove - take r, a member of the set, out of it. */
void ranges_remove(ranges_t *s, range_t *r);

#endif
