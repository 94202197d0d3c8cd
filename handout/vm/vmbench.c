/*
 * vmbench.c - how fast the machine translates, and how fast OPT runs.
 *
 *   vmbench [-t SETSxWAYS] [-p PASSES] [-n OPTREFS] [-o OPTFRAMES] LACKEY_LOG
 *
 * 1. Replay: every reference of a Valgrind lackey log (a real program's
 *    loads, stores and fetches) goes through vm_access: TLB, page walk on a
 *    miss, page faults the first time. The machine has a frame for every
 *    page the program touches (up to FRAMES_MAX), so after the first, cold
 *    pass every pass measures translation alone. Regions are made to cover
 *    the touched pages (runs of pages less than REGION_GAP apart). Then the
 *    same on a tight machine, half as many frames as pages and a 2x2 TLB,
 *    where the clock, the daemon and swap work all the time.
 * 2. OPT: the first OPTREFS references (repeated if the log is shorter) as
 *    a page stream; OPT and, for comparison, the other policies, with
 *    OPTFRAMES frames. Then OPT alone on a synthetic stream of OPTREFS
 *    references over tens of thousands of pages, with 16 * OPTFRAMES
 *    frames, where the next-use heap has real work to do.
 *
 * 3. IA-32: the replay of 1 on the IA-32 machine, its pages mapped by hand
 *    (the addresses folded into the 3 GiB below the kernel's quarter), so
 *    every pass measures the two-level walk and the TLB alone.
 *
 * Times are process CPU time. The summary line compares the figures with
 * the lab's targets: >= 20 M references/s, OPT over 1 M references < 1 s.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rng.h"
#include "vm.h"

#define REGION_GAP 16           /* pages: closer runs share a region */
#define REPLAY_TARGET 20e6      /* references per second */
#define OPT_TARGET 1.0          /* seconds for 1 M references */

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The distinct user pages of s, sorted; *n gets their number. */
static uint64_t *distinct_pages(const struct refstream *s, size_t *n)
{
    uint64_t *pages = malloc((s->n ? s->n : 1) * sizeof *pages);
    if (!pages)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->va[i] >= USER_MIN && s->va[i] < USER_TOP)
            pages[k++] = s->va[i] >> PAGE_SHIFT;
    qsort(pages, k, sizeof *pages, cmp_u64);
    size_t d = 0;
    for (size_t i = 0; i < k; i++)
        if (d == 0 || pages[d - 1] != pages[i])
            pages[d++] = pages[i];
    *n = d;
    return pages;
}

/* Regions over runs of pages; returns the number made, -1 on error. */
static int make_regions(struct machine *m, struct proc *p, const uint64_t *pages,
                        size_t n)
{
    int regions = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && pages[j + 1] - pages[j] <= REGION_GAP)
            j++;
        vaddr_t start = pages[i] << PAGE_SHIFT, end = (pages[j] + 1) << PAGE_SHIFT;
        vaddr_t at;
        int r = vm_mmap(m, p, start, end - start, PROT_READ | PROT_WRITE | PROT_EXEC,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0, &at);
        if (r) {
            fprintf(stderr, "vmbench: mmap [%#" PRIx64 ", %#" PRIx64 "): %s\n",
                    start, end, strerror(-r));
            return -1;
        }
        regions++;
        i = j + 1;
    }
    return regions;
}

/* One pass over the stream; returns the CPU seconds it took. */
static double replay(struct machine *m, const struct refstream *s, uint64_t *bad)
{
    double t0 = cpu_seconds();
    for (size_t i = 0; i < s->n; i++) {
        paddr_t pa;
        if (vm_access(m, s->va[i], (enum access)s->kind[i], MODE_USER, &pa))
            (*bad)++;
    }
    return cpu_seconds() - t0;
}

/*
 * Replays s on a machine of frames frames (0: one for every page touched)
 * and a TLB of sets x ways: one cold pass, then passes warm ones. *rate
 * gets the best pass's references per second.
 */
static int bench_replay(const struct refstream *s, const uint64_t *pages,
                        size_t npages, unsigned frames, unsigned sets,
                        unsigned ways, int passes, double *rate)
{
    struct vm_config c;
    vm_config_default(&c);
    uint64_t roomy = npages + npages / 64 + 64;    /* pages, tables, slack */
    c.frames = frames ? frames : roomy > FRAMES_MAX ? FRAMES_MAX : (unsigned)roomy;
    c.tlb_sets = sets;
    c.tlb_ways = ways;
    c.swap_slots = (unsigned)(npages < SWAP_MAX ? npages : SWAP_MAX);
    c.high_water = c.frames / 16 > c.low_water ? c.frames / 16 : c.low_water;
    c.handspread = c.frames / 4;
    c.log_level = LOG_OFF;
    char why[160];
    if (vm_config_check(&c, why, sizeof why)) {
        fprintf(stderr, "vmbench: %s\n", why);
        return -1;
    }
    struct machine *m = machine_new(&c);
    struct proc *p = m ? proc_spawn(m) : NULL;
    if (!p || proc_switch(m, p)) {
        fprintf(stderr, "vmbench: cannot boot the machine\n");
        machine_free(m);
        return -1;
    }
    int regions = make_regions(m, p, pages, npages);
    if (regions < 0) {
        machine_free(m);
        return -1;
    }
    printf("# replay: %zu refs, %zu pages, %d regions, frames=%u tlb=%ux%u policy=%s "
           "low=%u high=%u\n", s->n, npages, regions, c.frames, sets, ways,
           vm_policy_name(c.policy), c.low_water, c.high_water);

    double best = 0;
    uint64_t bad = 0;
    for (int i = 0; i <= passes; i++) {
        struct stats before = m->stats;
        double t = replay(m, s, &bad);
        const struct stats *st = &m->stats;
        uint64_t hits = st->tlb_hits - before.tlb_hits;
        uint64_t misses = st->tlb_misses - before.tlb_misses;
        char name[16];
        snprintf(name, sizeof name, i ? "warm %d" : "cold", i);
        printf("replay %-7s %7.3f s %7.2f M refs/s  tlb hits %6.2f%%  walk reads/ref %.3f"
               "  faults %" PRIu64 " (major %" PRIu64 ")  evictions %" PRIu64 "\n", name, t,
               (double)s->n / t / 1e6,
               100.0 * (double)hits / (double)(hits + misses ? hits + misses : 1),
               (double)(st->walk_reads - before.walk_reads) / (double)(s->n ? s->n : 1),
               st->minor_faults + st->major_faults - before.minor_faults - before.major_faults,
               st->major_faults - before.major_faults, st->evictions - before.evictions);
        if (i > 0 && (best == 0 || t < best))
            best = t;
    }
    if (bad)
        fprintf(stderr, "vmbench: %" PRIu64 " references failed\n", bad);
    unsigned problems = vm_check(m, stderr);
    if (problems)
        fprintf(stderr, "vmbench: vm_check found %u problems after the replay\n", problems);
    machine_free(m);
    *rate = (double)s->n / best;
    return problems || bad ? -1 : 0;
}

/* An address of the log folded into IA-32's user space (below 3 GiB). */
static vaddr_t fold32(vaddr_t va)
{
    return (va & PAGE_MASK) | (((va >> PAGE_SHIFT) % (USER32_TOP >> PAGE_SHIFT))
                               << PAGE_SHIFT);
}

/* The replay of s on the IA-32 machine, each folded page mapped by hand to
 * a frame of its own (frames shared when there are more pages than frames:
 * translation does not care); *rate gets the best warm pass's references
 * per second. */
static int bench_replay_ia32(const struct refstream *s, unsigned sets, unsigned ways,
                             int passes, double *rate)
{
    struct vm_config c;
    vm_config_default(&c);
    c.arch = ARCH_IA32;
    c.frames = FRAMES_MAX;
    c.tlb_sets = sets;
    c.tlb_ways = ways;
    c.log_level = LOG_OFF;
    struct machine *m = machine_new(&c);
    struct proc *p = m ? proc_spawn(m) : NULL;
    struct refstream f = { .n = s->n, .va = malloc(s->n * sizeof *f.va), .kind = s->kind };
    if (!p || proc_switch(m, p) || !f.va) {
        fprintf(stderr, "vmbench: cannot boot the IA-32 machine\n");
        free(f.va);
        machine_free(m);
        return -1;
    }
    size_t mapped = 0;
    for (size_t i = 0; i < s->n; i++) {
        f.va[i] = fold32(s->va[i]);
        vaddr_t page = page_round_down(f.va[i]);
        paddr_t pa = (paddr_t)(16 + mapped % (FRAMES_MAX - 1024)) << PAGE_SHIFT;
        int r = pt_map(m, p, page, pa, PTE_W | PTE_U, 0);
        if (r == 0)
            mapped++;
        else if (r != -EEXIST) {
            fprintf(stderr, "vmbench: ia32: cannot map %#" PRIx64 ": %s\n", page,
                    strerror(-r));
            free(f.va);
            machine_free(m);
            return -1;
        }
    }
    printf("# ia32 replay: %zu refs, %zu pages (folded below 3 GiB), tlb=%ux%u\n",
           s->n, mapped, sets, ways);
    double best = 0;
    uint64_t bad = 0;
    for (int i = 0; i <= passes; i++) {
        struct stats before = m->stats;
        double t = replay(m, &f, &bad);
        uint64_t hits = m->stats.tlb_hits - before.tlb_hits;
        uint64_t misses = m->stats.tlb_misses - before.tlb_misses;
        printf("ia32 %s %7.3f s %7.2f M refs/s  tlb hits %6.2f%%  walk reads/ref %.3f\n",
               i ? "warm" : "cold", t, (double)s->n / t / 1e6,
               100.0 * (double)hits / (double)(hits + misses ? hits + misses : 1),
               (double)(m->stats.walk_reads - before.walk_reads) / (double)(s->n ? s->n : 1));
        if (i > 0 && (best == 0 || t < best))
            best = t;
    }
    free(f.va);
    machine_free(m);
    if (bad) {
        fprintf(stderr, "vmbench: ia32: %" PRIu64 " references failed\n", bad);
        return -1;
    }
    *rate = (double)s->n / best;
    return 0;
}

static int bench_opt(const struct refstream *s, size_t nrefs, unsigned frames,
                     double *seconds)
{
    uint64_t *pages = malloc(nrefs * sizeof *pages);
    if (!pages || s->n == 0) {
        free(pages);
        return -1;
    }
    for (size_t i = 0; i < nrefs; i++)
        pages[i] = s->va[i % s->n] >> PAGE_SHIFT;
    struct replay r;
    if (replay_init_pages(&r, pages, nrefs)) {
        free(pages);
        return -1;
    }
    free(pages);
    printf("# replacement: %zu refs, %" PRIu32 " pages, %u frames\n", r.n, r.npages, frames);
    for (int pol = 0; pol < REPLACE_NPOLICIES; pol++) {
        double t0 = cpu_seconds();
        int64_t faults = replace_run(&r, pol, frames, frames / 4);
        double t = cpu_seconds() - t0;
        printf("%-7s faults %9" PRId64 "  %8.3f s\n", replace_policy_name(pol), faults, t);
        if (pol == REPLACE_OPT)
            *seconds = t;
    }
    replay_free(&r);
    return 0;
}

/* OPT on a synthetic stream with many more pages: n references drifting
 * over a window of SYNTH_WINDOW pages (splitmix64, seed 1), frames frames. */
#define SYNTH_WINDOW 4000
static int bench_opt_synthetic(size_t n, unsigned frames, double *seconds)
{
    uint64_t *pages = malloc(n * sizeof *pages);
    if (!pages)
        return -1;
    rng_t g = rng_seed(1);
    for (size_t i = 0; i < n; i++)
        pages[i] = i / 20 + rng_below(&g, SYNTH_WINDOW);
    struct replay r;
    int bad = replay_init_pages(&r, pages, n);
    free(pages);
    if (bad)
        return -1;
    double t0 = cpu_seconds();
    int64_t faults = replace_run(&r, REPLACE_OPT, frames, 0);
    *seconds = cpu_seconds() - t0;
    printf("# synthetic: %zu refs, %" PRIu32 " pages (seed 1), %u frames\n", r.n, r.npages,
           frames);
    printf("opt     faults %9" PRId64 "  %8.3f s\n", faults, *seconds);
    replay_free(&r);
    return faults < 0 ? -1 : 0;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: vmbench [-t SETSxWAYS] [-p PASSES] [-n OPTREFS] [-o OPTFRAMES] "
               "LACKEY_LOG\n");
}

int main(int argc, char **argv)
{
    unsigned sets = 16, ways = 4, optframes = 64;
    int passes = 3;
    long optrefs = 1000000;
    int opt;
    while ((opt = getopt(argc, argv, "t:p:n:o:h")) != -1) {
        switch (opt) {
        case 't':
            if (sscanf(optarg, "%ux%u", &sets, &ways) != 2) {
                fprintf(stderr, "vmbench: -t %s: expected SETSxWAYS, e.g. 16x4\n", optarg);
                return 2;
            }
            break;
        case 'p': passes = atoi(optarg); break;
        case 'n': optrefs = atol(optarg); break;
        case 'o': optframes = (unsigned)atoi(optarg); break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc - 1 || passes < 1 || optrefs < 1 || optframes < 1) {
        usage(stderr);
        return 2;
    }
    const char *path = argv[optind];
    printf("# vmbench: trace=%s tlb=%ux%u passes=%d optrefs=%ld optframes=%u\n", path,
           sets, ways, passes, optrefs, optframes);
    struct refstream s;
    double t0 = cpu_seconds();
    int r = refstream_load(&s, path, REF_LACKEY, stderr);
    if (r) {
        fprintf(stderr, "vmbench: %s: %s\n", path, strerror(-r));
        return 1;
    }
    printf("# read %zu refs in %.2f s\n", s.n, cpu_seconds() - t0);
    double rate = 0, tight = 0, optsec = 0, synthsec = 0, rate32 = 0;
    int status = 0;
    size_t npages;
    uint64_t *pages = distinct_pages(&s, &npages);
    size_t half = npages / 2 + 32 < FRAMES_MAX ? npages / 2 + 32 : FRAMES_MAX;
    if (!pages ||
        bench_replay(&s, pages, npages, 0, sets, ways, passes, &rate) ||
        bench_replay(&s, pages, npages, (unsigned)half, 2, 2, 1, &tight) ||
        bench_replay_ia32(&s, sets, ways, passes, &rate32) ||
        bench_opt(&s, (size_t)optrefs, optframes, &optsec) ||
        bench_opt_synthetic((size_t)optrefs, 16 * optframes, &synthsec))
        status = 1;
    free(pages);
    refstream_free(&s);
    if (status)
        return status;
    printf("vmbench: replay %.1f M refs/s (target >= %.0f M; %.1f M with half the "
           "frames and a 2x2 TLB; %.1f M on the IA-32 machine), opt %ld refs %.3f s, "
           "synthetic %.3f s (target < %.0f s for 1 M)\n", rate / 1e6, REPLAY_TARGET / 1e6,
           tight / 1e6, rate32 / 1e6, optrefs, optsec, synthsec, OPT_TARGET);
    return 0;
}
