/*
 * prelude.h - the start of every hostile malloc submission of the tests.
 *
 * A hostile submission is built by the test (test_hostile.c) as one mm.c:
 * this prelude, the reference allocator (solution/malloc/mm.c) with its
 * five functions renamed honest_*, the case's own code (CASE.c), then
 * bridge.h, which defines the five functions of mm.h around the honest
 * ones, with the case's hooks. So each case is only what makes it hostile,
 * and its honest behaviour is the reference's.
 */
#define mm_init honest_mm_init
#define mm_malloc honest_mm_malloc
#define mm_free honest_mm_free
#define mm_realloc honest_mm_realloc
#define mm_check_heap honest_mm_check_heap
