/* reads_traces - looks for the trace files (the kit's, a hidden folder)
 * and for the trace on stdin, to print them. Verdict: forbidden system
 * call (openat); stdin holds nothing (mdriver read it all before the
 * replay started). */
#include <stdio.h>
#include <unistd.h>
static void peek(void)
{
    char buf[256];
    ssize_t n = read(0, buf, sizeof buf);
    printf("stdin gave %zd bytes\n", n);
    FILE *f = fopen("../../../../traces/malloc/gen-random.rep", "r");
    if (!f)
        f = fopen("/tmp/hidden/malloc/secret.rep", "r");
    if (f && fgets(buf, sizeof buf, f))
        printf("leak: %s", buf);
}
#define ON_INIT() peek()
