/*
 * mtrace_victim_threads.c - MTRACE_THREADS threads allocate at once. Thread
 * t, MTRACE_ROUNDS times: malloc(1000 + t), realloc it to 2000 + t, free it,
 * keep one calloc(1, 3000 + t) block, and SHARED_PER_ROUND times malloc and
 * free a block of SHARED_SIZE bytes, a size all threads use, so that a block one thread
 * frees is soon handed to another (more so with one arena and no per-thread
 * cache: see GLIBC_TUNABLES in test_mtrace). All kept blocks are freed before
 * the thread ends. The sizes tell test_mtrace which thread made a block.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#define MTRACE_THREADS 4
#define MTRACE_ROUNDS 2000
#define SHARED_SIZE 24
#define SHARED_PER_ROUND 32

void *volatile sink[MTRACE_THREADS];

static void *work(void *arg)
{
    size_t t = (size_t)(uintptr_t)arg;
    void **kept = malloc(MTRACE_ROUNDS * sizeof *kept);
    if (!kept)
        abort();
    for (int i = 0; i < MTRACE_ROUNDS; i++) {
        void *p = malloc(1000 + t);
        void *q = realloc(p, 2000 + t);
        if (!p || !q)
            abort();
        free(q);
        kept[i] = calloc(1, 3000 + t);
        for (int k = 0; k < SHARED_PER_ROUND; k++) {
            sink[t] = malloc(SHARED_SIZE);
            free(sink[t]);
        }
    }
    for (int i = 0; i < MTRACE_ROUNDS; i++)
        free(kept[i]);
    free(kept);
    return NULL;
}

int main(void)
{
    pthread_t tid[MTRACE_THREADS];
    for (size_t t = 0; t < MTRACE_THREADS; t++)
        if (pthread_create(&tid[t], NULL, work, (void *)(uintptr_t)t) != 0)
            return 1;
    for (size_t t = 0; t < MTRACE_THREADS; t++)
        pthread_join(tid[t], NULL);
    return 0;
}
