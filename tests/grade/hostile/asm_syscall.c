/* asm_syscall - makes a system call (getpid) in inline assembly. Verdict:
 * the static checks refuse it (inline assembly). */
static long raw_getpid(void)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(39L) : "rcx", "r11", "memory");
    return r;
}
#define ON_INIT() ((void)raw_getpid())
