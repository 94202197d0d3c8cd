/* line_directive - a #line that makes the lines after it look like a
 * system header's, where the assembly check does not look, then inline
 * assembly. Verdict: the static checks refuse it (a #line directive). */
#line 1 "/usr/include/stdio.h"
static long pid_by_hand(void)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(39L) : "rcx", "r11", "memory");
    return r;
}
#define ON_INIT() ((void)pid_by_hand())
