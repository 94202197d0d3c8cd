/*
 * rng.h - the kit's one pseudo-random generator: splitmix64.
 *
 * Every tool that needs randomness takes a seed (-s) and draws from one of
 * these, never from the clock or rand(), so every run can be repeated
 * exactly. The state is passed, not global: two generators never interfere.
 */
#ifndef RNG_H
#define RNG_H

#include <stdint.h>

typedef struct rng {
    uint64_t state;
} rng_t;

/* rng_seed - a generator whose sequence is fixed by seed. */
static inline rng_t rng_seed(uint64_t seed)
{
    return (rng_t){ .state = seed };
}

/* rng_next - the next 64 random bits (splitmix64, Steele et al. 2014). */
static inline uint64_t rng_next(rng_t *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* rng_below - a uniform integer in [0, n); n > 0. Lemire's multiply-shift,
 * with the rejection step that removes its bias. */
static inline uint64_t rng_below(rng_t *r, uint64_t n)
{
    unsigned __int128 m = (unsigned __int128)rng_next(r) * n;
    uint64_t low = (uint64_t)m;
    if (low < n) {
        uint64_t threshold = -n % n;
        while (low < threshold) {
            m = (unsigned __int128)rng_next(r) * n;
            low = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

/* rng_range - a uniform integer in [lo, hi]; lo <= hi. */
static inline uint64_t rng_range(rng_t *r, uint64_t lo, uint64_t hi)
{
    return lo + rng_below(r, hi - lo + 1);
}

/* rng_unit - a uniform double in [0, 1). */
static inline double rng_unit(rng_t *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

#endif
