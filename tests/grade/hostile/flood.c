/* flood - writes megabytes to stdout and stderr. Verdict: output limit. */
#include <stdio.h>
static void flood(void)
{
    for (int i = 0; i < 200000; i++) {
        fputs("flood flood flood flood flood flood flood flood flood flood\n", stdout);
        fputs("FLOOD FLOOD FLOOD FLOOD FLOOD FLOOD FLOOD FLOOD FLOOD FLOOD\n", stderr);
    }
}
#define ON_INIT() flood()
