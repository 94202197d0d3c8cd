/*
 * allocators.h - the allocators mdriver can replay a trace against.
 */
#ifndef ALLOCATORS_H
#define ALLOCATORS_H

#include "replay.h"

extern const allocator_t student_allocator;    /* mm.c of IMPL */
extern const allocator_t libc_allocator;       /* the C library's malloc */
/* The reference solution compiled beside the student's, or NULL in a
 * build without it (a student's handout). */
extern const allocator_t *const reference_allocator;

#endif
