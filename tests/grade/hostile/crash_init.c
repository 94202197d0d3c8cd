/* crash_init - mm_init writes through a null pointer. Verdict: crash
 * (SIGSEGV) during mm_init. */
#define ON_INIT() (*(volatile int *)0 = 1)
