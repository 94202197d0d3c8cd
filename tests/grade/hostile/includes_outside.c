/* includes_outside - includes a file of the grading machine, hoping the
 * compiler's complaints will show it. Verdict: the static checks refuse it
 * (includes /etc/hostname), and no compiler output is shown. */
static const char stolen[] =
#include "/etc/hostname"
    ;
#define ON_INIT() ((void)stolen)
