/*
 * heapviz - pictures of the heap of mm.c as it replays a trace.
 *
 *   heapviz [-o FILE] [--check] TRACE      the heap map, one HTML page
 *   heapviz --at LINE [--check] TRACE      the heap as words after LINE
 *
 * The replay runs in a child, as mdriver's do: an allocator that crashes,
 * loops or is not written yet costs the picture's end, not the program. The
 * child reports what the heap holds after every operation (replay.c); this
 * process builds the blocks' lives of the reports and writes the page
 * (html.c). Exit status: 0 when the replay ran to its end (or to LINE), 1
 * when it stopped early (the page shows the part that ran) or mm_check_heap
 * complained, 2 for a usage error, a trace that cannot be read or a page
 * that cannot be written.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "heapviz.h"
#include "replay.h"   /* the grader's: layout_block_size */

#ifndef HEAPVIZ_IMPL
#define HEAPVIZ_IMPL "mm.c"
#endif

/* Notes of mm_check_heap kept for the page; the rest are counted. */
#define MAX_CHECKS 200

static void usage(FILE *out)
{
    fprintf(out,
            "usage: heapviz [options] TRACE\n"
            "Replays the trace TRACE against your mm.c and draws its heap: the heap map,\n"
            "one HTML page (open it in a browser), or with --at the heap's words.\n"
            "\n"
            "  -o FILE      write the heap map to FILE (default: TRACE's name with .html,\n"
            "               in the current folder)\n"
            "  --at LINE    print the heap word by word after the operation at LINE of\n"
            "               TRACE (or the last one before it), and write no map\n"
            "  --check      call mm_check_heap: after every operation for the map (its\n"
            "               complaints are marked), once at LINE with --at (the words\n"
            "               it names are marked)\n"
            "  --timeout S  seconds the replay may take (default 120)\n"
            "  -h, --help   this message\n");
}

/* --- Building the blocks' lives of the child's records ---------------------- */

/* grow - make room for one more element of size sz in *v. */
static void grow(void **v, size_t n, size_t *cap, size_t sz)
{
    if (n < *cap)
        return;
    size_t c = *cap ? 2 * *cap : 1024;
    void *p = realloc(*v, c * sz);
    if (!p) {
        perror("heapviz");
        exit(2);
    }
    *v = p;
    *cap = c;
}

/* The free blocks open now, by offset, for HV_FREE_OFF. */
typedef struct open_free {
    uint64_t off;
    size_t rect;
} open_free_t;

typedef struct builder {
    hv_run_t *run;
    size_t *open_alloc;        /* by ID: its rect, or SIZE_MAX */
    open_free_t *open; size_t nopen, open_cap;
} builder_t;

/* find_open - where off is, or would go, among the open free blocks. */
static size_t find_open(const builder_t *b, uint64_t off)
{
    size_t lo = 0, hi = b->nopen;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (b->open[mid].off < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void close_alloc(builder_t *b, uint32_t id, uint32_t op)
{
    if (id == TRACE_NO_ID || b->open_alloc[id] == SIZE_MAX)
        return;
    b->run->alloc[b->open_alloc[id]].end = op;
    b->open_alloc[id] = SIZE_MAX;
}

/* on_op - op i is done: its block's life starts, the old one ends. */
static void on_op(builder_t *b, const hv_rec_t *r)
{
    hv_run_t *run = b->run;
    const trace_op_t *op = &run->trace->ops[r->op];
    run->heap[r->op] = r->a;
    run->ops_done = r->op + 1;
    if (op->kind != OP_ALLOC)
        close_alloc(b, op->id, r->op);
    if (r->b == UINT64_MAX)
        return;
    /* A size word that cannot be this block's is drawn as the least block
     * the layout allows (the page says which blocks were). */
    uint64_t size = r->c;
    if (size < op->size + 16 || r->b + size > r->a)
        size = layout_block_size(op->size);
    grow((void **)&run->alloc, run->nalloc, &run->alloc_cap, sizeof *run->alloc);
    run->alloc[run->nalloc] = (hv_alloc_rect_t){ r->op, UINT32_MAX, r->b, size, op->size,
                                                 op->id, op->line };
    b->open_alloc[op->id] = run->nalloc++;
}

static void on_free_on(builder_t *b, const hv_rec_t *r)
{
    hv_run_t *run = b->run;
    grow((void **)&run->free, run->nfree, &run->free_cap, sizeof *run->free);
    run->free[run->nfree] = (hv_free_rect_t){ r->op, UINT32_MAX, r->a, r->b };
    size_t at = find_open(b, r->a);
    grow((void **)&b->open, b->nopen, &b->open_cap, sizeof *b->open);
    memmove(&b->open[at + 1], &b->open[at], (b->nopen - at) * sizeof *b->open);
    b->open[at] = (open_free_t){ r->a, run->nfree++ };
    b->nopen++;
}

static void on_free_off(builder_t *b, const hv_rec_t *r)
{
    size_t at = find_open(b, r->a);
    if (at == b->nopen || b->open[at].off != r->a)
        return;
    b->run->free[b->open[at].rect].end = r->op;
    memmove(&b->open[at], &b->open[at + 1], (b->nopen - at - 1) * sizeof *b->open);
    b->nopen--;
}

/* read_all - n bytes from fd; false at its end. */
static bool read_all(int fd, void *p, size_t n)
{
    char *c = p;
    while (n > 0) {
        ssize_t k = read(fd, c, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        c += k;
        n -= (size_t)k;
    }
    return true;
}

/* on_text - a record with text: a complaint of the checker or the failure. */
static void on_text(builder_t *b, const hv_rec_t *r, int fd)
{
    hv_run_t *run = b->run;
    char *text = malloc(r->c + 1);
    if (!text || !read_all(fd, text, r->c)) {
        free(text);
        return;
    }
    text[r->c] = '\0';
    if (r->type == HV_FAIL) {
        free(run->failure);
        run->failure = text;
        return;
    }
    run->check_count++;
    if (run->nchecks == MAX_CHECKS) {
        free(text);
        return;
    }
    grow((void **)&run->checks, run->nchecks, &run->checks_cap, sizeof *run->checks);
    run->checks[run->nchecks++] = (hv_note_t){ r->op, text };
}

/* add_unparsed - op is one after which the heap could not be read. */
static void add_unparsed(hv_run_t *run, uint32_t op)
{
    if (run->nranges && run->unparsed_ranges[run->nranges - 1] == op) {
        run->unparsed_ranges[run->nranges - 1] = op + 1;
        return;
    }
    grow((void **)&run->unparsed_ranges, run->nranges + 1, &run->ranges_cap,
         sizeof *run->unparsed_ranges);
    run->unparsed_ranges[run->nranges++] = op;
    run->unparsed_ranges[run->nranges++] = op + 1;
}

/* collect - read the child's records from fd into run, to their end. */
static void collect(hv_run_t *run, int fd)
{
    builder_t b = { run, malloc((run->trace->num_ids ? run->trace->num_ids : 1) * sizeof(size_t)),
                    NULL, 0, 0 };
    if (!b.open_alloc) {
        perror("heapviz");
        exit(2);
    }
    memset(b.open_alloc, 0xff, (run->trace->num_ids ? run->trace->num_ids : 1) * sizeof(size_t));
    hv_rec_t r;
    while (read_all(fd, &r, sizeof r)) {
        if (r.op != UINT32_MAX && r.op >= run->trace->num_ops)
            break;   /* not a record of this replay */
        switch (r.type) {
        case HV_INIT:
            run->inited = true;
            run->heap_init = r.a;
            break;
        case HV_OP:
            run->in_check = false;
            on_op(&b, &r);
            break;
        case HV_FREE_ON:
            on_free_on(&b, &r);
            break;
        case HV_FREE_OFF:
            on_free_off(&b, &r);
            break;
        case HV_CHECKING:
            run->in_check = true;
            break;
        case HV_AT:
            run->at_done = true;
            break;
        case HV_UNPARSED:
            add_unparsed(run, r.op);
            if (run->unparsed++ == 0) {
                run->first_unparsed = r.op;
                snprintf(run->unparsed_why, sizeof run->unparsed_why, "the walk stopped at +%" PRIu64 ": %s",
                         r.b, walk_end_text((enum walk_end)r.a));
            }
            break;
        case HV_CHECK:
        case HV_FAIL:
            on_text(&b, &r, fd);
            break;
        }
    }
    for (size_t i = 0; i < run->nalloc; i++)
        if (run->alloc[i].end == UINT32_MAX)
            run->alloc[i].end = run->ops_done;
    for (size_t i = 0; i < run->nfree; i++)
        if (run->free[i].end == UINT32_MAX)
            run->free[i].end = run->ops_done;
    free(b.open_alloc);
    free(b.open);
}

/* --- Running the child ------------------------------------------------------ */

/* where - the op the child was at when it ended, as a message. */
static void where(const hv_run_t *run, char *buf, size_t n)
{
    const trace_t *t = run->trace;
    char text[96];
    if (run->in_check && run->ops_done == 0) {
        snprintf(buf, n, "in mm_check_heap, after mm_init");
    } else if (run->in_check) {
        const trace_op_t *op = &t->ops[run->ops_done - 1];
        snprintf(buf, n, "in mm_check_heap, after line %" PRIu32 " (%s)", op->line,
                 trace_op_text(op, text, sizeof text));
    } else if (!run->inited) {
        snprintf(buf, n, "during mm_init");
    } else if (run->ops_done < t->num_ops) {
        const trace_op_t *op = &t->ops[run->ops_done];
        snprintf(buf, n, "at line %" PRIu32 " (%s)", op->line, trace_op_text(op, text, sizeof text));
    } else {
        snprintf(buf, n, "after the last operation");
    }
}

/* run_child - replay in a child; run filled from its records. Returns 0
 * when the replay ran to its end, 3 when --at's reader closed its end of
 * the output, else 1 with run->failure set. */
static int run_child(hv_run_t *run, const hv_options_t *o)
{
    int fd[2];
    if (pipe(fd) != 0) {
        perror("heapviz: pipe");
        return 2;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("heapviz: fork");
        return 2;
    }
    if (pid == 0) {
        close(fd[0]);
        alarm(o->timeout);
        int status = hv_replay(run->trace, o, fd[1], stdout);
        fflush(NULL);
        hv_exit(status);
    }
    close(fd[1]);
    collect(run, fd[0]);
    close(fd[0]);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && !run->failure)
        return 0;
    /* --at's words went to a reader that stopped reading (| head) */
    if (o->at_line && WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE)
        return 3;
    char at[256], buf[512];
    where(run, at, sizeof at);
    if (run->failure) {
        snprintf(buf, sizeof buf, "%s", run->failure);
        free(run->failure);
    } else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM) {
        snprintf(buf, sizeof buf, "the replay took more than %u seconds %s", o->timeout, at);
    } else if (WIFSIGNALED(st)) {
        snprintf(buf, sizeof buf, "the allocator was killed by SIG%s (%s) %s",
                 sigabbrev_np(WTERMSIG(st)), strsignal(WTERMSIG(st)), at);
    } else {
        snprintf(buf, sizeof buf, "the allocator ended the process (exit status %d) %s",
                 WEXITSTATUS(st), at);
    }
    run->failure = strdup(buf);
    return 1;
}

static void run_free(hv_run_t *run)
{
    free(run->alloc);
    free(run->free);
    free(run->heap);
    for (size_t i = 0; i < run->nchecks; i++)
        free(run->checks[i].text);
    free(run->checks);
    free(run->failure);
    free(run->unparsed_ranges);
}

/* at_last_done - --at's line was not reached: the heap after the last
 * operation that was done, replayed again to it (without mm_check_heap,
 * which may be what stopped the replay). */
static void at_last_done(const hv_run_t *run, const hv_options_t *o)
{
    const trace_t *t = run->trace;
    hv_options_t again = *o;
    again.at_line = t->ops[run->ops_done - 1].line;
    again.check = false;
    fprintf(stderr, "heapviz: line %ld was not reached; the heap after line %ld, the last operation done:\n",
            o->at_line, again.at_line);
    hv_run_t rerun = { .trace = t, .impl = run->impl, .first_unparsed = UINT32_MAX };
    rerun.heap = calloc(t->num_ops ? t->num_ops : 1, sizeof *rerun.heap);
    if (rerun.heap)
        run_child(&rerun, &again);
    run_free(&rerun);
}

/* --- The command ------------------------------------------------------------ */

/* default_output - TRACE's file name with .html for .rep, in the current
 * folder. */
static char *default_output(const char *trace)
{
    char *copy = strdup(trace), *base = basename(copy);
    size_t len = strlen(base);
    if (len > 4 && strcmp(base + len - 4, ".rep") == 0)
        base[len - 4] = '\0';
    char *out = NULL;
    if (asprintf(&out, "%s.html", base) < 0)
        out = NULL;
    free(copy);
    return out;
}


/* write_map - the page, into path; 0 or 2. */
static int write_map(const hv_run_t *run, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "heapviz: cannot write %s: %s\n", path, strerror(errno));
        return 2;
    }
    int bad = html_write(run, f);
    if (fclose(f) != 0 || bad) {
        fprintf(stderr, "heapviz: cannot write %s: %s\n", path, strerror(errno));
        return 2;
    }
    struct stat st;
    stat(path, &st);
    char size[32];
    if (st.st_size >= 1000000)
        snprintf(size, sizeof size, "%.1f MB", st.st_size / 1e6);
    else
        snprintf(size, sizeof size, "%.0f KB", st.st_size / 1e3);
    fprintf(stderr, "heapviz: wrote %s (%s): %" PRIu32 " of %zu operations; blocks drawn: %zu allocated, %zu free\n",
            path, size, run->ops_done, run->trace->num_ops, run->nalloc, run->nfree);
    return 0;
}

int main(int argc, char **argv)
{
    hv_options_t o = { .timeout = 120 };
    const char *output = NULL;
    static const struct option longs[] = {
        { "at", required_argument, NULL, 'a' },
        { "check", no_argument, NULL, 'c' },
        { "timeout", required_argument, NULL, 't' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    for (int c; (c = getopt_long(argc, argv, "o:h", longs, NULL)) != -1;) {
        char *end;
        switch (c) {
        case 'o':
            output = optarg;
            break;
        case 'a':
            o.at_line = strtol(optarg, &end, 10);
            if (*end || end == optarg || o.at_line < 1) {
                fprintf(stderr, "heapviz: --at %s: expected a line number (1 or more)\n", optarg);
                return 2;
            }
            break;
        case 'c':
            o.check = true;
            break;
        case 't':
            o.timeout = (unsigned)strtoul(optarg, &end, 10);
            if (*end || end == optarg || o.timeout == 0) {
                fprintf(stderr, "heapviz: --timeout %s: expected seconds (1 or more)\n", optarg);
                return 2;
            }
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "heapviz: expected one trace\n");
        usage(stderr);
        return 2;
    }
    if (output && o.at_line) {
        fprintf(stderr, "heapviz: -o and --at: --at prints words, and writes no map\n");
        return 2;
    }
    struct stat st;
    if (stat(argv[optind], &st) == 0 && S_ISDIR(st.st_mode)) {
        fprintf(stderr, "heapviz: %s is a folder; heapviz draws one trace, e.g. %s/NAME.rep\n",
                argv[optind], argv[optind]);
        return 2;
    }
    trace_t t;
    if (trace_read(argv[optind], &t, stderr) != 0)
        return 2;
    hv_run_t run = { .trace = &t, .impl = HEAPVIZ_IMPL, .first_unparsed = UINT32_MAX };
    run.heap = calloc(t.num_ops ? t.num_ops : 1, sizeof *run.heap);
    if (!run.heap) {
        perror("heapviz");
        return 2;
    }
    int status = run_child(&run, &o);
    if (status == 3) {
        run_free(&run);
        trace_free(&t);
        return 0;
    }
    if (status == 1)
        fprintf(stderr, "heapviz: %s: %s\n", t.path, run.failure);
    if (status == 1 && o.at_line && !run.at_done && run.ops_done > 0)
        at_last_done(&run, &o);
    if (run.check_count && o.at_line) {
        fprintf(stderr, "heapviz: mm_check_heap complained (its words are above the heap's)\n");
        status = status ? status : 1;
    } else if (run.check_count) {
        fprintf(stderr, "heapviz: mm_check_heap complained after %zu of %" PRIu32
                        " operations, first after line %" PRIu32 ":\n%s",
                run.check_count, run.ops_done, t.ops[run.checks[0].op].line, run.checks[0].text);
        status = status ? status : 1;
    }
    if (status != 2 && !o.at_line) {
        char *path = output ? strdup(output) : default_output(t.path);
        if (write_map(&run, path) != 0)
            status = 2;
        free(path);
    }
    run_free(&run);
    trace_free(&t);
    return status;
}
