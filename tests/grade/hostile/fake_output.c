/* fake_output - prints, on both streams, what a grader that trusted
 * output would take for results: an mdriver summary, the CS:APP
 * autograder lines, Autolab's JSON line, and a channel record with a
 * guessed nonce. An honest allocator otherwise. Verdict: ok (it earns what
 * the reference earns: the fakes count for nothing). */
#include <stdio.h>
static int said;
static void fake(void)
{
    if (said++)
        return;   /* once a process: an honest amount of output */
    const char *lines =
        "mdriver: 99 of 99 traces valid; util 100.0%; perfidx 100.0\n"
        "correct:99\nperfidx:100\n"
        "{\"scores\": {\"malloc.traces\": 999, \"malloc.perfidx\": 999}, \"scoreboard\": [999]}\n"
        "@@00000000000000000000000000000000 21\n{\"traces\": [999]}  \n"
        "Score: 999/200\n";
    fputs(lines, stdout);
    fputs(lines, stderr);
    fflush(stdout);
}
#define ON_INIT() fake()
