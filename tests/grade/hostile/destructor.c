/* destructor - prints a fake score after everything else, from a
 * destructor, and the Autolab line last. Verdict: the static checks
 * refuse it (.fini_array). */
#include <stdio.h>
__attribute__((destructor)) static void last_word(void)
{
    printf("correct:99\nperfidx:100\n{\"scores\": {\"malloc.traces\": 999}, \"scoreboard\": [999]}\n");
}
