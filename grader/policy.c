/*
 * policy.c - the grading policy: defaults, the INI reader (inih), the index.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <ini.h>

#include "policy.h"

policy_t policy_default(void)
{
    return (policy_t){
        .util_weight = 0.6, .util_of_bound = true, .util_min = 0.70, .util_max = 0.93,
        .thru_weight = 0.4, .thru_min = 0.30, .thru_max = 0.90,
        .timeout = 20, .stall = 2, .memory = 1024, .heap = 2048, .min_cpu = 0.02, .rounds = 5,
    };
}

/* One key of the file: where it goes and what it accepts. */
typedef struct key {
    const char *section, *name;
    enum { NUMBER, FLAG, COUNT } kind;
    size_t offset;
    double lo, hi;
} policy_key_t;

#define KEY(s, n, k, field, lo, hi) { s, n, k, offsetof(policy_t, field), lo, hi }

static const policy_key_t keys[] = {
    KEY("perfidx", "util_weight", NUMBER, util_weight, 0, 1e9),
    KEY("perfidx", "util_of_bound", FLAG, util_of_bound, 0, 1),
    KEY("perfidx", "util_min", NUMBER, util_min, 0, 1),
    KEY("perfidx", "util_max", NUMBER, util_max, 0, 1),
    KEY("perfidx", "thru_weight", NUMBER, thru_weight, 0, 1e9),
    KEY("perfidx", "thru_min", NUMBER, thru_min, 0, 1e9),
    KEY("perfidx", "thru_max", NUMBER, thru_max, 0, 1e9),
    KEY("limits", "timeout", NUMBER, timeout, 0.001, 1e6),
    KEY("limits", "stall", NUMBER, stall, 0, 1e6),
    KEY("limits", "memory", COUNT, memory, 16, 1 << 20),
    KEY("limits", "heap", COUNT, heap, 1, 1 << 20),
    KEY("timing", "min_cpu", NUMBER, min_cpu, 0, 60),
    KEY("timing", "rounds", COUNT, rounds, 1, 32),
};

typedef struct loader {
    const char *path;
    policy_t *p;
    FILE *err;
    int errors;
} loader_t;

static int set_key(loader_t *l, const policy_key_t *k, const char *value)
{
    char *end;
    char *field = (char *)l->p + k->offset;
    if (k->kind == FLAG) {
        bool v;
        if (!strcasecmp(value, "yes") || !strcasecmp(value, "true") || !strcmp(value, "1"))
            v = true;
        else if (!strcasecmp(value, "no") || !strcasecmp(value, "false") || !strcmp(value, "0"))
            v = false;
        else
            return 0;
        memcpy(field, &v, sizeof v);
        return 1;
    }
    double v = strtod(value, &end);
    if (end == value || *end || !isfinite(v) || v < k->lo || v > k->hi)
        return 0;
    if (k->kind == COUNT) {
        if (v != (unsigned)v)
            return 0;
        unsigned u = (unsigned)v;
        memcpy(field, &u, sizeof u);
    } else {
        memcpy(field, &v, sizeof v);
    }
    return 1;
}

/* grade_section - a section of grade's (parts.h), which mdriver skips. */
static bool grade_section(const char *section)
{
    return !strncmp(section, "part ", 5) || !strcmp(section, "sandbox") ||
           !strcmp(section, "intake") || !strcmp(section, "rules");
}

static int on_key(void *user, const char *section, const char *name, const char *value,
                  int lineno)
{
    loader_t *l = user;
    if (grade_section(section))
        return 1;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const policy_key_t *k = &keys[i];
        if (strcmp(k->section, section) || strcmp(k->name, name))
            continue;
        if (!set_key(l, k, value)) {
            if (k->kind == FLAG)
                fprintf(l->err, "%s:%d: %s: expected yes or no, found '%s'\n", l->path, lineno,
                        name, value);
            else
                fprintf(l->err, "%s:%d: %s: expected %s from %g to %g, found '%s'\n", l->path,
                        lineno, name, k->kind == COUNT ? "a whole number" : "a number", k->lo,
                        k->hi, value);
            l->errors++;
        }
        return 1;
    }
    fprintf(l->err, "%s:%d: unknown key '%s' in [%s]\n", l->path, lineno, name, section);
    l->errors++;
    return 1;
}

/* Debian's inih is built without INI_HANDLER_LINENO, so the handler gets
 * no line number: count lines in the reader callback instead. */
typedef struct lines {
    FILE *f;
    int line;
} lines_t;

static char *read_line(char *str, int num, void *stream)
{
    lines_t *ls = stream;
    char *r = fgets(str, num, ls->f);
    if (r)
        ls->line++;
    return r;
}

typedef struct both {
    loader_t *l;
    lines_t *ls;
} both_t;

static int handler(void *user, const char *section, const char *name, const char *value)
{
    both_t *b = user;
    return on_key(b->l, section, name, value, b->ls->line);
}

int policy_load(const char *path, policy_t *p, FILE *err)
{
    FILE *f = fopen(path, "r");
    struct stat st;
    if (!f || fstat(fileno(f), &st) < 0 || S_ISDIR(st.st_mode)) {
        fprintf(err, "%s: cannot read the policy file: %s\n", path,
                f ? "it is a directory" : strerror(errno));
        if (f)
            fclose(f);
        return 1;
    }
    loader_t l = { .path = path, .p = p, .err = err };
    lines_t ls = { .f = f };
    both_t b = { &l, &ls };
    int bad = ini_parse_stream(read_line, &ls, handler, &b);
    fclose(f);
    if (bad > 0) {
        fprintf(err, "%s:%d: not an INI line (expected [section] or key = value)\n", path, bad);
        l.errors++;
    }
    if (p->util_min >= p->util_max) {
        fprintf(err, "%s: util_min must be below util_max\n", path);
        l.errors++;
    }
    if (p->thru_min >= p->thru_max) {
        fprintf(err, "%s: thru_min must be below thru_max\n", path);
        l.errors++;
    }
    if (p->util_weight + p->thru_weight <= 0) {
        fprintf(err, "%s: util_weight + thru_weight must be positive\n", path);
        l.errors++;
    }
    return l.errors;
}

static double scale(double x, double lo, double hi)
{
    double s = (x - lo) / (hi - lo);
    return s < 0 ? 0 : s > 1 ? 1 : s;
}

double policy_perfidx(const policy_t *p, double util_score, double thru_ratio,
                      double *space, double *speed)
{
    double w = p->util_weight + p->thru_weight;
    double a = 100 * p->util_weight / w * scale(util_score, p->util_min, p->util_max);
    double b = 100 * p->thru_weight / w * scale(thru_ratio, p->thru_min, p->thru_max);
    if (space)
        *space = a;
    if (speed)
        *speed = b;
    return a + b;
}
