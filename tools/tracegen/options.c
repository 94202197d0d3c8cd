/*
 * options.c - tracegen's command line, read into a struct tg_options.
 *
 *   tracegen PATTERN [-s SEED] [-n OPS] [-o FILE] [--PARAM VALUE]...
 *   tracegen --list | --check FILE... | -h
 *
 * Pattern parameters come from the pattern's table (patterns.c), so the
 * names, ranges and defaults that --list prints are the ones accepted here.
 * A value is checked against its range as it is read, then the pattern's own
 * check looks at the parameters together. Every refusal says which option,
 * what was expected and what was given.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tracegen.h"

void tg_usage(FILE *out)
{
    fputs("usage: tracegen PATTERN [-s SEED] [-n OPS] [-o FILE] [--PARAM VALUE]...\n"
          "       tracegen --list\n"
          "       tracegen --check FILE...\n"
          "       tracegen -h\n"
          "  -s SEED          seed of the generator (default 1); the same arguments\n"
          "                   give the same trace\n"
          "  -n OPS           length of the trace in operations, at most (default 20000)\n"
          "  -o FILE          write the trace to FILE instead of standard output\n"
          "  --list           the patterns and their parameters\n"
          "  --check FILE...  check traces against the format\n"
          "  -h, --help       this help\n", out);
}

/* refuse - print what is wrong and the usage to err; -1 for the caller. */
__attribute__((format(printf, 2, 3)))
static int refuse(FILE *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("tracegen: ", err);
    vfprintf(err, fmt, ap);
    fputc('\n', err);
    va_end(ap);
    tg_usage(err);
    return -1;
}

/* parse_u64 - s as an unsigned integer (decimal, or hex after 0x) from lo
 * to hi; false when it is anything else. */
static bool parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *v)
{
    char *end;
    if (*s < '0' || *s > '9')
        return false;           /* strtoull would take a sign or blanks */
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (errno || *end != '\0' || x < lo || x > hi)
        return false;
    *v = x;
    return true;
}

/* parse_param - s as a value of parameter q; false when it is not one. */
static bool parse_param(const char *s, const struct tg_param *q, double *v)
{
    char *end;
    if (*s == '\0' || *s == ' ' || *s == '\t' || *s == '\n')
        return false;
    errno = 0;
    double x = strtod(s, &end);
    if (errno || *end != '\0' || !isfinite(x) || x < q->min || x > q->max)
        return false;
    if (q->integer && x != floor(x))
        return false;
    *v = x;
    return true;
}

/* param_index - the index of parameter name in pattern, -1 when none. */
static int param_index(const struct tg_pattern *pattern, const char *name, size_t len)
{
    for (size_t i = 0; i < tg_param_count(pattern); i++) {
        const char *n = pattern->params[i].name;
        if (strlen(n) == len && strncmp(n, name, len) == 0)
            return (int)i;
    }
    return -1;
}

/*
 * option_value - the value of the option at argv[*i]: what follows its name
 * in the same word (after '=' for long options), or else the next word,
 * which is then consumed. NULL when there is none.
 */
static const char *option_value(int argc, char **argv, int *i, const char *attached)
{
    if (*attached)
        return attached;
    if (*i + 1 < argc)
        return argv[++*i];
    return NULL;
}

/* parse_pattern_args - the options after PATTERN, from argv[first]. */
static int parse_pattern_args(int argc, char **argv, int first, struct tg_options *o,
                              FILE *err)
{
    const struct tg_pattern *pattern = o->pattern;
    for (int i = first; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            o->mode = TG_HELP;
            return 0;
        }
        if (arg[0] == '-' && arg[1] == '-' && arg[2] != '\0') {
            const char *name = arg + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            int k = param_index(pattern, name, len);
            if (k < 0)
                return refuse(err, "%s: pattern %s has no parameter --%.*s "
                              "(tracegen --list shows its parameters)", arg, pattern->name,
                              (int)len, name);
            const struct tg_param *q = &pattern->params[k];
            const char *value = option_value(argc, argv, &i, eq ? eq + 1 : "");
            if (!value || !parse_param(value, q, &o->param[k]))
                return refuse(err, "--%s: expected %s from %.15g to %.15g, not '%s'", q->name,
                              q->integer ? "an integer" : "a number", q->min, q->max,
                              value ? value : "(nothing)");
            continue;
        }
        if (arg[0] != '-' || arg[1] == '\0' || !strchr("sno", arg[1]))
            return refuse(err, "%s: expected -s SEED, -n OPS, -o FILE or --PARAM VALUE", arg);
        const char *value = option_value(argc, argv, &i, arg + 2);
        uint64_t v;
        switch (arg[1]) {
        case 's':
            if (!value || !parse_u64(value, 0, UINT64_MAX, &v))
                return refuse(err, "-s: expected a seed from 0 to %llu, not '%s'",
                              (unsigned long long)UINT64_MAX, value ? value : "(nothing)");
            o->seed = v;
            break;
        case 'n':
            if (!value || !parse_u64(value, 1, TG_MAX_OPS, &v))
                return refuse(err, "-n: expected a number of operations from 1 to %lu, "
                              "not '%s'", TG_MAX_OPS, value ? value : "(nothing)");
            o->ops = (size_t)v;
            break;
        case 'o':
            if (!value || *value == '\0')
                return refuse(err, "-o: expected a file name");
            o->output = value;
            break;
        }
    }
    const char *why = pattern->check ? pattern->check(o->param) : NULL;
    if (why)
        return refuse(err, "%s: %s", pattern->name, why);
    return 0;
}

int tg_parse_args(int argc, char **argv, struct tg_options *o, FILE *err)
{
    *o = (struct tg_options){ .mode = TG_GENERATE, .seed = TG_DEFAULT_SEED,
                              .ops = TG_DEFAULT_OPS };
    if (argc < 2)
        return refuse(err, "expected a pattern name (tracegen --list shows them)");
    const char *first = argv[1];
    if (strcmp(first, "-h") == 0 || strcmp(first, "--help") == 0) {
        o->mode = TG_HELP;
        return 0;
    }
    if (strcmp(first, "--list") == 0) {
        if (argc > 2)
            return refuse(err, "--list: expected nothing after it, not '%s'", argv[2]);
        o->mode = TG_LIST;
        return 0;
    }
    if (strcmp(first, "--check") == 0) {
        if (argc < 3)
            return refuse(err, "--check: expected one or more trace files");
        o->mode = TG_CHECK;
        o->files = argv + 2;
        o->nfiles = argc - 2;
        return 0;
    }
    if (first[0] == '-')
        return refuse(err, "%s: expected a pattern name first "
                      "(tracegen --list shows them)", first);
    o->pattern = tg_pattern_find(first);
    if (!o->pattern)
        return refuse(err, "%s: no such pattern (tracegen --list shows them)", first);
    tg_param_defaults(o->pattern, o->param);
    return parse_pattern_args(argc, argv, 2, o, err);
}
