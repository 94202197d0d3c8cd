/*
 * parts.c - reading grade's sections of the policy (see parts.h).
 */
#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "parts.h"
#include "plan.h"

typedef struct loader {
    grade_policy_t *gp;
    const char *path;
    FILE *err;
    int errors;
    int line;
    FILE *f;
} loader_t;

static part_t *part_named(grade_policy_t *gp, const char *id)
{
    for (size_t i = 0; i < gp->nparts; i++)
        if (!strcmp(gp->parts[i].id, id))
            return &gp->parts[i];
    part_t *v = realloc(gp->parts, (gp->nparts + 1) * sizeof *v);
    if (!v)
        abort();
    gp->parts = v;
    part_t *p = &gp->parts[gp->nparts++];
    memset(p, 0, sizeof *p);
    p->id = strdup(id);
    p->title = strdup(id);
    return p;
}

static bool number(const char *value, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(value, &end);
    if (end == value || *end || errno || !isfinite(v) || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static void bad(loader_t *l, const char *fmt, const char *a, const char *b)
{
    fprintf(l->err, "%s:%d: ", l->path, l->line);
    fprintf(l->err, fmt, a, b);
    fputc('\n', l->err);
    l->errors++;
}

static void on_part(loader_t *l, const char *id, const char *name, const char *value)
{
    part_t *p = part_named(l->gp, id);
    double v;
    if (!strcmp(name, "title")) {
        free(p->title);
        p->title = strdup(value);
    } else if (!strcmp(name, "points")) {
        if (!number(value, 0, 1e6, &v))
            bad(l, "points: expected a number from 0, found '%s'%s", value, "");
        else
            p->points = v;
    } else if (!strcmp(name, "lab")) {
        p->has_lab = true;
        if (!strcmp(value, "malloc"))
            p->lab = LAB_MALLOC;
        else if (!strcmp(value, "vm"))
            p->lab = LAB_VM;
        else
            bad(l, "lab: expected malloc or vm, found '%s'%s", value, "");
    } else if (!strcmp(name, "kind")) {
        p->has_kind = true;
        if (!strcmp(value, "tests"))
            p->kind = PART_TESTS;
        else if (!strcmp(value, "traces"))
            p->kind = PART_TRACES;
        else if (!strcmp(value, "perfidx"))
            p->kind = PART_PERFIDX;
        else
            bad(l, "kind: expected tests, traces or perfidx, found '%s'%s", value, "");
    } else if (!strcmp(name, "match")) {
        for (size_t i = 0; i < p->npatterns; i++)
            free(p->patterns[i]);
        free(p->patterns);
        words_t w = { 0 };
        words_split(&w, value);
        p->patterns = w.v;
        p->npatterns = w.n;
    } else {
        bad(l, "unknown key '%s' in [part %s]", name, id);
    }
}

static void set_size(loader_t *l, const char *name, const char *value, double unit, double lo,
                     size_t *dst)
{
    double v;
    if (!number(value, lo, 1e9, &v))
        bad(l, "%s: expected a number, found '%s'", name, value);
    else
        *dst = (size_t)(v * unit);
}

static void set_seconds(loader_t *l, const char *name, const char *value, double *dst)
{
    if (!number(value, 0.01, 1e6, dst))
        bad(l, "%s: expected seconds, found '%s'", name, value);
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    loader_t *l = user;
    grade_policy_t *gp = l->gp;
    if (!strncmp(section, "part ", 5)) {
        on_part(l, section + 5, name, value);
    } else if (!strcmp(section, "sandbox")) {
        size_t n;
        if (!strcmp(name, "test_timeout"))
            set_seconds(l, name, value, &gp->test_timeout);
        else if (!strcmp(name, "scenario_timeout"))
            set_seconds(l, name, value, &gp->scenario_timeout);
        else if (!strcmp(name, "compile_timeout"))
            set_seconds(l, name, value, &gp->compile_timeout);
        else if (!strcmp(name, "submission_timeout"))
            set_seconds(l, name, value, &gp->submission_timeout);
        else if (!strcmp(name, "test_deadline"))
            set_seconds(l, name, value, &gp->test_deadline);
        else if (!strcmp(name, "trace_deadline_multiple"))
            set_seconds(l, name, value, &gp->deadline_multiple);
        else if (!strcmp(name, "trace_deadline_floor"))
            set_seconds(l, name, value, &gp->deadline_floor);
        else if (!strcmp(name, "output"))
            set_size(l, name, value, 1024, 1, &gp->output);
        else if (!strcmp(name, "memory"))
            set_size(l, name, value, 1 << 20, 64, &gp->memory);
        else if (!strcmp(name, "processes")) {
            set_size(l, name, value, 1, 4, &n);
            gp->processes = (unsigned)n;
        } else
            bad(l, "unknown key '%s' in [%s]", name, section);
    } else if (!strcmp(section, "intake")) {
        if (!strcmp(name, "max_file"))
            set_size(l, name, value, 1024, 1, &gp->max_file);
        else
            bad(l, "unknown key '%s' in [%s]", name, section);
    } else if (!strcmp(section, "rules")) {
        if (!strcmp(name, "malloc_data"))
            set_size(l, name, value, 1, 0, &gp->data_budget[LAB_MALLOC]);
        else if (!strcmp(name, "vm_data"))
            set_size(l, name, value, 1, 0, &gp->data_budget[LAB_VM]);
        else
            bad(l, "unknown key '%s' in [%s]", name, section);
    }
    /* Every other section is mdriver's, read by policy_load. */
    return 1;
}

static char *read_line(char *str, int num, void *stream)
{
    loader_t *l = stream;
    char *r = fgets(str, num, l->f);
    if (r)
        l->line++;
    return r;
}

static int load_one(grade_policy_t *gp, const char *path, FILE *err)
{
    int errors = policy_load(path, &gp->mdriver, err);
    loader_t l = { .gp = gp, .path = path, .err = err };
    l.f = fopen(path, "r");
    if (!l.f)
        return errors ? errors : 1;
    ini_parse_stream(read_line, &l, handler, &l);
    fclose(l.f);
    return errors + l.errors;
}

int grade_policy_load(grade_policy_t *gp, const char *kit_path, const char *course_path,
                      FILE *err)
{
    memset(gp, 0, sizeof *gp);
    gp->mdriver = policy_default();
    gp->test_timeout = 120;
    gp->scenario_timeout = 5;
    gp->compile_timeout = 60;
    gp->submission_timeout = 1800;
    gp->test_deadline = 1;
    gp->deadline_multiple = 100;
    gp->deadline_floor = 5;
    gp->output = 256 << 10;
    gp->memory = (size_t)4 << 30;
    gp->processes = 64;
    gp->max_file = 256 << 10;
    gp->data_budget[LAB_MALLOC] = 1024;
    gp->data_budget[LAB_VM] = 64;
    int errors = load_one(gp, kit_path, err);
    for (size_t i = 0; i < gp->nparts; i++)
        gp->parts[i].in_kit = true;
    if (course_path)
        errors += load_one(gp, course_path, err);
    /* A part of the course's own must say what it is: a misspelt name of
     * the kit's ([part vm.b]) would otherwise be a part counting nothing. */
    for (size_t i = 0; i < gp->nparts; i++) {
        const part_t *p = &gp->parts[i];
        if (p->in_kit || (p->has_lab && p->has_kind && (p->npatterns || p->kind == PART_PERFIDX)))
            continue;
        fprintf(err, "%s: [part %s] is not a part of the kit's policy (", course_path, p->id);
        for (size_t k = 0; k < gp->nparts; k++)
            if (gp->parts[k].in_kit)
                fprintf(err, "%s%s", k ? ", " : "", gp->parts[k].id);
        fprintf(err, "); a new part needs lab, kind and match\n");
        errors++;
    }
    return errors;
}

void parts_free(part_t *parts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(parts[i].id);
        free(parts[i].title);
        for (size_t k = 0; k < parts[i].npatterns; k++)
            free(parts[i].patterns[k]);
        free(parts[i].patterns);
    }
    free(parts);
}

void grade_policy_free(grade_policy_t *gp)
{
    parts_free(gp->parts, gp->nparts);
    gp->parts = NULL;
    gp->nparts = 0;
}

part_t *parts_copy(const grade_policy_t *gp)
{
    part_t *v = calloc(gp->nparts ? gp->nparts : 1, sizeof *v);
    for (size_t i = 0; i < gp->nparts; i++) {
        v[i] = gp->parts[i];
        v[i].id = strdup(gp->parts[i].id);
        v[i].title = strdup(gp->parts[i].title);
        v[i].patterns = calloc(v[i].npatterns ? v[i].npatterns : 1, sizeof *v[i].patterns);
        for (size_t k = 0; k < v[i].npatterns; k++)
            v[i].patterns[k] = strdup(gp->parts[i].patterns[k]);
    }
    return v;
}

static bool part_counts(const part_t *p, const check_t *c)
{
    if (p->points <= 0 || p->lab != c->lab)
        return false;
    if (p->kind == PART_PERFIDX)
        return false;
    if ((p->kind == PART_TRACES) != (c->kind == CHECK_TRACE))
        return false;
    for (size_t i = 0; i < p->npatterns; i++) {
        bool test_pattern = strchr(p->patterns[i], '/') != NULL;
        if (c->kind == CHECK_TEST && !test_pattern)
            continue;
        if (c->kind == CHECK_SCENARIO && test_pattern)
            continue;
        if (fnmatch(p->patterns[i], c->key, 0) == 0)
            return true;
    }
    return false;
}

int part_of(const grade_policy_t *gp, const check_t *c)
{
    for (size_t i = 0; i < gp->nparts; i++)
        if (part_counts(&gp->parts[i], c))
            return (int)i;
    return -1;
}

size_t parts_test_patterns(const grade_policy_t *gp, enum lab lab, const char **v, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < gp->nparts; i++) {
        const part_t *p = &gp->parts[i];
        if (p->points <= 0 || p->lab != lab || p->kind != PART_TESTS)
            continue;
        for (size_t k = 0; k < p->npatterns && n < max; k++)
            if (strchr(p->patterns[k], '/'))
                v[n++] = p->patterns[k];
    }
    return n;
}
