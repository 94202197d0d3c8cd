/* ctor_files - a constructor that writes result files and changes the
 * environment before any driver code runs. Verdict: the static checks
 * refuse it (.init_array). */
#include <stdio.h>
#include <stdlib.h>
__attribute__((constructor)) static void first_word(void)
{
    FILE *f = fopen("results.json", "w");
    if (f) {
        fputs("{\"score\": 999}\n", f);
        fclose(f);
    }
    f = fopen("/tmp/memlabs-hostile-ctor.json", "w");
    if (f)
        fclose(f);
    setenv("GRADE_NONCE", "00000000000000000000000000000000", 1);
}
