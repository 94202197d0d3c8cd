/* shrinks_heap - resets memlib's heap, a driver-only function, so the
 * heap looks small at the end. Verdict: the static checks refuse it
 * (calls mem_reset). */
void mem_reset(void);
static unsigned frees;
#define ON_FREE(p) (++frees % 1000 == 0 ? (mem_reset(), 0) : 0)
