/* writes_files - from mm_init, writes files named like grade's results in
 * its working directory and in /tmp, fopen found at run time. Verdict:
 * forbidden system call (openat); no such file appears. */
#include "lookup.h"
#include <stdio.h>
static void write_results(void)
{
    FILE *(*open_)(const char *, const char *) =
        (FILE * (*)(const char *, const char *)) libc_lookup("fopen");
    if (!open_)
        return;
    const char *names[] = { "results.json", "/tmp/memlabs-hostile-results.json" };
    for (int i = 0; i < 2; i++) {
        FILE *f = open_(names[i], "w");
        if (f)
            fputs("{\"score\": 999}\n", f);
    }
}
#define ON_INIT() write_results()
