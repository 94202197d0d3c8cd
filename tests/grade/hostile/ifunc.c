/* ifunc - mm_free as an indirect function: its resolver runs while the
 * program loads, before main, in mdriver's own process, outside any
 * sandbox (it could read grade's nonce from the environment). Verdict: the
 * static checks refuse it (an indirect function). */
static void free_it(void *p)
{
    honest_mm_free(p);
}
static void (*resolve_free(void))(void *)
{
    return free_it;
}
#undef mm_free
void mm_free(void *ptr) __attribute__((ifunc("resolve_free")));
#define OWN_FREE
