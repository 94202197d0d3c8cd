/* thread_burns - starts a thread that burns CPU beside the allocator,
 * pthread_create found at run time. Verdict: forbidden system call
 * (clone: a replay may not start threads). */
#include "lookup.h"
#include <pthread.h>
static void *burn(void *arg)
{
    for (volatile unsigned long i = 0;; i++)
        ;
    return arg;
}
static void start(void)
{
    int (*create)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *) =
        (int (*)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *))libc_lookup(
            "pthread_create");
    pthread_t t;
    if (create)
        create(&t, NULL, burn, NULL);
}
#define ON_INIT() start()
