/*
 * allocators.c - the student's allocator, the reference and the C library,
 * behind one interface.
 *
 * The reference is solution/malloc/mm.c compiled a second time with its
 * public names prefixed (ref_mm_malloc...), so both live in one program and
 * can be timed in the same run. Its state is file-static, so the two never
 * share anything but memlib's heap, which each replay resets.
 */
#include <stdlib.h>

#include "allocators.h"
#include "mm.h"

const allocator_t student_allocator = {
    .name = "student", .init = mm_init, .malloc = mm_malloc, .free = mm_free,
    .realloc = mm_realloc, .check = mm_check_heap, .in_heap = true,
};

/* Wrappers, so the table holds plain functions of this program. */
static void *libc_malloc(size_t n) { return malloc(n); }
static void libc_free(void *p) { free(p); }
static void *libc_realloc(void *p, size_t n) { return realloc(p, n); }

const allocator_t libc_allocator = {
    .name = "libc", .malloc = libc_malloc, .free = libc_free, .realloc = libc_realloc,
};

#ifdef MDRIVER_REFERENCE
int ref_mm_init(void);
void *ref_mm_malloc(size_t size);
void ref_mm_free(void *ptr);
void *ref_mm_realloc(void *ptr, size_t size);
int ref_mm_check_heap(void);

static const allocator_t reference = {
    .name = "reference", .init = ref_mm_init, .malloc = ref_mm_malloc, .free = ref_mm_free,
    .realloc = ref_mm_realloc, .check = ref_mm_check_heap, .in_heap = true,
};
const allocator_t *const reference_allocator = &reference;
#else
const allocator_t *const reference_allocator = NULL;
#endif
