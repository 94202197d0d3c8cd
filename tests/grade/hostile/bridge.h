/*
 * bridge.h - the end of every hostile malloc submission (see prelude.h):
 * mm.h's five functions, each calling the case's hook, if it has one, and
 * the reference's function.
 *
 *   ON_INIT()          a statement at the start of mm_init
 *   ON_MALLOC(n, p)    mm_malloc's result, given the request and the
 *                      reference's result p
 *   ON_FREE(p)         at the start of mm_free: nonzero skips the reference's free
 *   ON_CHECK()         a statement at the start of mm_check_heap
 *   OWN_FREE           defined: the case defines mm_free itself
 */
#undef mm_init
#undef mm_malloc
#undef mm_free
#undef mm_realloc
#undef mm_check_heap

#ifndef ON_INIT
#define ON_INIT()
#endif
#ifndef ON_MALLOC
#define ON_MALLOC(n, p) (p)
#endif
#ifndef ON_FREE
#define ON_FREE(p) 0
#endif
#ifndef ON_CHECK
#define ON_CHECK()
#endif

int mm_init(void)
{
    ON_INIT();
    return honest_mm_init();
}

void *mm_malloc(size_t size)
{
    return ON_MALLOC(size, honest_mm_malloc(size));
}

#ifndef OWN_FREE
void mm_free(void *ptr)
{
    if (!ON_FREE(ptr))
        honest_mm_free(ptr);
}
#endif

void *mm_realloc(void *ptr, size_t size)
{
    return honest_mm_realloc(ptr, size);
}

int mm_check_heap(void)
{
    ON_CHECK();
    return honest_mm_check_heap();
}
