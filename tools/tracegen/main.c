/*
 * main.c - tracegen: write a seeded synthetic malloc trace, list the
 * patterns, or check trace files.
 *
 * Generating prints nothing but the trace (on standard output or in -o
 * FILE), so the output can be piped or compared byte for byte. Before it
 * is written, the trace is read back as a driver reads it, through the
 * classic check: tracegen never emits a trace that breaks the format.
 * Exit status: 0 done, 1 a trace failed its check or could not be made or
 * written, 2 a bad command line.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "tracegen.h"

/* check_files - hold each file to the classic format; a summary line per
 * file on stdout. */
static int check_files(const struct tg_options *o)
{
    int status = 0;
    for (int i = 0; i < o->nfiles; i++) {
        const char *name = o->files[i];
        FILE *f = fopen(name, "r");
        if (!f) {
            fprintf(stderr, "tracegen: %s: %s\n", name, strerror(errno));
            status = 1;
            continue;
        }
        trace_t t;
        trace_stats_t st;
        int problems = trace_read_classic(f, name, TG_RULES, &t, stderr, &st);
        fclose(f);
        if (problems) {
            printf("%s: %d problem%s\n", name, problems, problems == 1 ? "" : "s");
            status = 1;
        } else {
            printf("%s: ok: %zu ops (%zu a, %zu r, %zu f), %zu ids, peak %" PRIu64
                   " live bytes, largest block %" PRIu64 ", heap_hint %zu\n",
                   name, st.ops, st.allocs, st.reallocs, st.frees, st.ids, st.peak_bytes,
                   st.max_size, t.heap_hint);
            trace_free(&t);
        }
    }
    return status;
}

/* render - the trace as text in a malloc'ed buffer (*len bytes), read back
 * through the classic check. NULL on failure, after saying why. */
static char *render(const trace_t *t, size_t *len)
{
    char *text = NULL;
    FILE *mem = open_memstream(&text, len);
    if (!mem || trace_write(t, mem) < 0 || fclose(mem) != 0) {
        fprintf(stderr, "tracegen: out of memory writing the trace\n");
        free(text);
        return NULL;
    }
    FILE *in = fmemopen(text, *len, "r");
    trace_t back;
    int problems = 1;
    if (in) {
        problems = trace_read_classic(in, "(generated trace)", TG_RULES, &back, stderr, NULL);
        trace_free(&back);
        fclose(in);
    }
    if (problems) {
        fprintf(stderr, "tracegen: bug: the generated trace fails its check\n");
        free(text);
        return NULL;
    }
    return text;
}

static int generate(const struct tg_options *o)
{
    trace_t t;
    if (tg_generate(&t, o->pattern, o->param, o->seed, o->ops) < 0) {
        fprintf(stderr, "tracegen: out of memory building the trace\n");
        return 1;
    }
    size_t len;
    char *text = render(&t, &len);
    trace_free(&t);
    if (!text)
        return 1;

    FILE *out = o->output ? fopen(o->output, "w") : stdout;
    if (!out) {
        fprintf(stderr, "tracegen: %s: %s\n", o->output, strerror(errno));
        free(text);
        return 1;
    }
    int ok = fwrite(text, 1, len, out) == len;
    ok = (o->output ? fclose(out) : fflush(out)) == 0 && ok;
    free(text);
    if (!ok) {
        fprintf(stderr, "tracegen: %s: %s\n", o->output ? o->output : "standard output",
                strerror(errno));
        if (o->output)
            remove(o->output);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct tg_options o;
    if (tg_parse_args(argc, argv, &o, stderr) < 0)
        return 2;
    switch (o.mode) {
    case TG_HELP:
        tg_usage(stdout);
        fputs("Patterns (tracegen --list describes their parameters):", stdout);
        for (const struct tg_pattern *p = tg_patterns; p->name; p++)
            printf(" %s", p->name);
        putchar('\n');
        return 0;
    case TG_LIST:
        tg_list(stdout);
        return 0;
    case TG_CHECK:
        return check_files(&o);
    case TG_GENERATE:
        return generate(&o);
    }
    return 2;
}
