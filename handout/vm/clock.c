/*
 * clock.c - part B: the clock, one-handed and two-handed.
 *
 * paging.h gives the contracts; docs/vm-lab.md says where the hands start,
 * how they move and when they stop. Frames are visited by number,
 * 0 .. m->cfg.frames - 1, circularly; frame_pageable (frame.h) says which
 * ones may be chosen; the reverse map of a frame (m->frame[f].rmap) leads
 * to the entries whose A bits count.
 */
#include "machine.h"
#include "pagetable.h"
#include "paging.h"
#include "proc.h"
#include "unimplemented.h"

bool clock_referenced(struct machine *m, frame_t f)
{
    (void)m;
    (void)f;
    UNIMPLEMENTED();
}

void clock_clear_referenced(struct machine *m, frame_t f)
{
    (void)m;
    (void)f;
    UNIMPLEMENTED();
}

frame_t clock_select(struct machine *m)
{
    (void)m;
    UNIMPLEMENTED();
}
