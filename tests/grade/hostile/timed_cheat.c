/* timed_cheat - honest in a process that calls mm_init once (the checked
 * replay), careless in one that calls it again (the timed replays repeat
 * the trace): there it skips every free, which is quicker, and returns
 * other payloads than when it was checked. Verdict: wrong (the timed run
 * returned other payloads than the checked one). */
static unsigned inits;
#define ON_INIT() (inits++)
#define ON_FREE(p) (inits >= 2)
