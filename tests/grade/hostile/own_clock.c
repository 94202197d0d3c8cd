/* own_clock - defines clock_gettime, getrusage and times, so that a driver
 * timing itself with them would see no time pass. Verdict: the static
 * checks refuse it (defines clock_gettime). */
#include <string.h>
#include <sys/resource.h>
#include <sys/times.h>
#include <time.h>
int clock_gettime(clockid_t c, struct timespec *ts)
{
    (void)c;
    memset(ts, 0, sizeof *ts);
    return 0;
}
int getrusage(int who, struct rusage *ru)
{
    (void)who;
    memset(ru, 0, sizeof *ru);
    return 0;
}
clock_t times(struct tms *t)
{
    memset(t, 0, sizeof *t);
    return 0;
}
