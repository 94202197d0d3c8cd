/*
 * plan.c - reading the build plan (see plan.h).
 */
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "plan.h"

const char *const lab_name[LAB_COUNT] = { "malloc", "vm" };

void words_split(words_t *w, const char *s)
{
    const char *p = s;
    for (;;) {
        p += strspn(p, " \t");
        size_t len = strcspn(p, " \t");
        if (!len)
            break;
        char **v = realloc(w->v, (w->n + 1) * sizeof *v);
        if (!v)
            abort();
        w->v = v;
        w->v[w->n++] = strndup(p, len);
        p += len;
    }
}

void words_free(words_t *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->v[i]);
    free(w->v);
    w->v = NULL;
    w->n = 0;
}

bool words_has(const words_t *w, const char *s)
{
    for (size_t i = 0; i < w->n; i++)
        if (!strcmp(w->v[i], s))
            return true;
    return false;
}

static int lab_parse(const char *s)
{
    for (int l = 0; l < LAB_COUNT; l++)
        if (!strcmp(s, lab_name[l]))
            return l;
    return -1;
}

typedef struct loader {
    plan_t *p;
    const char *path;
    FILE *err;
    int errors;
} loader_t;

static void set_string(char **dst, const char *value)
{
    free(*dst);
    *dst = strdup(value);
}

static int on_kit(loader_t *l, const char *name, const char *value)
{
    plan_t *p = l->p;
    struct { const char *key; char **dst; } strings[] = {
        { "root", &p->root }, { "cc", &p->cc }, { "forbidden", &p->forbidden },
        { "reserved", &p->reserved }, { "skeleton", &p->skeleton }, { "traces", &p->traces },
        { "scenarios", &p->scenarios }, { "refs", &p->refs }, { "policy", &p->policy },
    };
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        if (!strcmp(name, strings[i].key)) {
            set_string(strings[i].dst, value);
            return 0;
        }
    if (!strcmp(name, "cflags"))
        words_split(&p->cflags, value);
    else if (!strcmp(name, "includes"))
        words_split(&p->includes, value);
    else if (!strcmp(name, "student_files"))
        words_split(&p->student_files, value);
    else
        return -1;
    return 0;
}

static program_t *program_named(plan_t *p, const char *name)
{
    for (size_t i = 0; i < p->nprograms; i++)
        if (!strcmp(p->programs[i].name, name))
            return &p->programs[i];
    if (p->nprograms == sizeof p->programs / sizeof p->programs[0])
        return NULL;
    program_t *g = &p->programs[p->nprograms++];
    memset(g, 0, sizeof *g);
    g->name = strdup(name);
    return g;
}

static int on_program(loader_t *l, const char *prog, const char *name, const char *value)
{
    program_t *g = program_named(l->p, prog);
    if (!g)
        return -1;
    if (!strcmp(name, "lab")) {
        int lab = lab_parse(value);
        if (lab < 0)
            return -1;
        g->lab = (enum lab)lab;
    } else if (!strcmp(name, "objects"))
        words_split(&g->objects, value);
    else if (!strcmp(name, "compile"))
        words_split(&g->compile, value);
    else if (!strcmp(name, "tests"))
        words_split(&g->tests, value);
    else if (!strcmp(name, "kit")) {
        free(g->kit);
        g->kit = strdup(value);
    }
    else if (!strcmp(name, "libs"))
        words_split(&g->libs, value);
    else if (!strcmp(name, "ldflags"))
        words_split(&g->ldflags, value);
    else
        return -1;
    return 0;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    loader_t *l = user;
    int r = -1;
    if (!strcmp(section, "kit"))
        r = on_kit(l, name, value);
    else if (!strncmp(section, "lab ", 4)) {
        int lab = lab_parse(section + 4);
        if (lab >= 0 && !strcmp(name, "files")) {
            words_split(&l->p->lab_files[lab], value);
            r = 0;
        } else if (lab >= 0 && !strcmp(name, "api")) {
            words_split(&l->p->lab_api[lab], value);
            r = 0;
        } else if (lab >= 0 && !strcmp(name, "calls")) {
            words_split(&l->p->lab_calls[lab], value);
            r = 0;
        }
    } else if (!strncmp(section, "program ", 8))
        r = on_program(l, section + 8, name, value);
    if (r < 0) {
        fprintf(l->err, "%s: [%s] %s: not a key of the plan\n", l->path, section, name);
        l->errors++;
    }
    return 1;
}

int plan_load(const char *path, plan_t *p, FILE *err)
{
    memset(p, 0, sizeof *p);
    loader_t l = { .p = p, .path = path, .err = err };
    int r = ini_parse(path, handler, &l);
    if (r < 0) {
        fprintf(err, "%s: cannot read the build plan (make builds it: run make in the kit)\n",
                path);
        return -1;
    }
    if (r > 0) {
        fprintf(err, "%s:%d: not an INI line\n", path, r);
        l.errors++;
    }
    if (!p->root || !p->cc || !p->skeleton || !p->traces || !p->scenarios || !p->policy ||
        !p->forbidden || !p->reserved) {
        fprintf(err, "%s: the plan lacks a key of [kit]\n", path);
        l.errors++;
    }
    return l.errors ? -1 : 0;
}

void plan_free(plan_t *p)
{
    free(p->root);
    free(p->cc);
    free(p->forbidden);
    free(p->reserved);
    free(p->skeleton);
    free(p->traces);
    free(p->scenarios);
    free(p->refs);
    free(p->policy);
    words_free(&p->cflags);
    words_free(&p->includes);
    words_free(&p->student_files);
    for (int l = 0; l < LAB_COUNT; l++) {
        words_free(&p->lab_files[l]);
        words_free(&p->lab_api[l]);
        words_free(&p->lab_calls[l]);
    }
    for (size_t i = 0; i < p->nprograms; i++) {
        program_t *g = &p->programs[i];
        free(g->name);
        free(g->kit);
        words_free(&g->objects);
        words_free(&g->compile);
        words_free(&g->tests);
        words_free(&g->libs);
        words_free(&g->ldflags);
    }
    memset(p, 0, sizeof *p);
}

enum lab plan_lab_of(const plan_t *p, const char *student_path)
{
    for (int l = 0; l < LAB_COUNT; l++)
        if (words_has(&p->lab_files[l], student_path))
            return (enum lab)l;
    return LAB_MALLOC;
}
