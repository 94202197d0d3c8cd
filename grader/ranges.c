/*
 * ranges.c - a treap of disjoint ranges keyed by start address.
 *
 * Since the ranges are disjoint, ordering by start also orders the ends, so
 * the only candidate to overlap [start, end) is the member with the highest
 * start below end: if that one ends at or before start, every other member
 * below end does too.
 */
#include <stddef.h>

#include "ranges.h"

range_t *ranges_overlap(const ranges_t *s, uintptr_t start, uintptr_t end)
{
    range_t *best = NULL;
    for (range_t *n = s->root; n;) {
        if (n->start < end) {
            best = n;
            n = n->right;
        } else {
            n = n->left;
        }
    }
    return best && best->end > start ? best : NULL;
}

/* insert_at - insert r into the subtree *link, keeping the heap order by
 * rotating r up past parents of lower priority. */
static void insert_at(range_t **link, range_t *r)
{
    range_t *n = *link;
    if (!n) {
        *link = r;
        return;
    }
    if (r->start < n->start) {
        insert_at(&n->left, r);
        if (n->left->prio > n->prio) {   /* rotate right */
            range_t *l = n->left;
            n->left = l->right;
            l->right = n;
            *link = l;
        }
    } else {
        insert_at(&n->right, r);
        if (n->right->prio > n->prio) {  /* rotate left */
            range_t *rt = n->right;
            n->right = rt->left;
            rt->left = n;
            *link = rt;
        }
    }
}

void ranges_insert(ranges_t *s, range_t *r)
{
    r->left = r->right = NULL;
    insert_at(&s->root, r);
}

/* merge - join two treaps, every key of a below every key of b. */
static range_t *merge(range_t *a, range_t *b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    if (a->prio >= b->prio) {
        a->right = merge(a->right, b);
        return a;
    }
    b->left = merge(a, b->left);
    return b;
}

void ranges_remove(ranges_t *s, range_t *r)
{
    range_t **link = &s->root;
    while (*link != r)
        link = r->start < (*link)->start ? &(*link)->left : &(*link)->right;
    *link = merge(r->left, r->right);
}
