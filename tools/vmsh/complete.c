/*
 * complete.c - completion candidates (complete.h). The words before the
 * cursor are split at blanks (quotes are not interpreted: completing
 * inside a string completes nothing useful anyway), matched against the
 * command table to find the command, its subcommand, how many positional
 * arguments are already there and whether an option waits for its value.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "complete.h"

struct list {
    char **w;
    size_t n, cap;
    const char *prefix;
};

static void add(struct list *l, const char *word)
{
    if (strncmp(word, l->prefix, strlen(l->prefix)) != 0)
        return;
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->w[i], word))
            return;
    if (l->n + 2 > l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        char **w = realloc(l->w, cap * sizeof *w);
        if (!w)
            return;
        l->w = w;
        l->cap = cap;
    }
    char *copy = strdup(word);
    if (copy)
        l->w[l->n++] = copy;
}

static void add_all(struct list *l, const char *const *words)
{
    for (; *words; words++)
        add(l, *words);
}

/* prev is the positional argument before the word, NULL when none: what
 * some arguments may be depends on it. */
static void add_kind(struct vmsh *sh, struct list *l, enum arg_kind kind,
                     const char *prev)
{
    static const char *const access[] = { "r", "w", "x", NULL };
    static const char *const mode[] = { "user", "kernel", NULL };
    static const char *const prot[] = { "r--", "rw-", "r-x", "rwx", "none", NULL };
    static const char *const flags[] = {
        "private,anon", "shared,anon", "private", "shared", "private,anon,fixed",
        "shared,anon,fixed", "private,fixed", "shared,fixed", "private,anon,huge", NULL,
    };
    static const char *const formats[] = { "auto", "pages", "lackey", NULL };
    static const char *const patterns[] = { "zero", "seq", "random", NULL };
    struct machine *m = sh->m;
    char buf[32];
    switch (kind) {
    case ARG_PID_KERNEL:
        add(l, "kernel");
        /* fall through */
    case ARG_PID:
        for (unsigned i = 0; i < m->nproc; i++) {
            snprintf(buf, sizeof buf, "%d", m->proc[i]->pid);
            add(l, buf);
        }
        break;
    case ARG_DISKFILE:
        for (unsigned i = 0; i < m->disk.nfiles; i++)
            if (m->disk.file[i] && !m->disk.file[i]->shm)
                add(l, m->disk.file[i]->name);
        break;
    case ARG_ACCESS_MODE:
        add_all(l, mode);
        /* fall through */
    case ARG_ACCESS:
        add_all(l, access);
        break;
    case ARG_MODE:
        add_all(l, mode);
        break;
    case ARG_ADDR:
        add(l, "any");
        break;
    case ARG_PROT:
        add_all(l, prot);
        break;
    case ARG_FLAGS:
        add_all(l, flags);
        break;
    case ARG_POLICY:
        for (int p = 0; p < REPLACE_NPOLICIES; p++)
            add(l, replace_policy_name(p));
        break;
    case ARG_LOGLEVEL:
        add_all(l, config_values("log"));
        break;
    case ARG_CONFIG: {
        /* After KEY=, the words of its value, when they are a fixed set. */
        const char *eq = strchr(l->prefix, '=');
        if (eq) {
            char key[32], setting[80];
            const char *const *values = NULL;
            if ((size_t)(eq - l->prefix) < sizeof key) {
                snprintf(key, sizeof key, "%.*s", (int)(eq - l->prefix), l->prefix);
                values = config_values(key);
            }
            for (; values && *values; values++) {
                snprintf(setting, sizeof setting, "%s=%s", key, *values);
                add(l, setting);
            }
            break;
        }
        for (const char *const *k = config_keys; *k; k++) {
            snprintf(buf, sizeof buf, "%s=", *k);
            add(l, buf);
        }
        break;
    }
    case ARG_COMMAND:
        for (const struct command_group *g = command_groups; g->title; g++)
            for (const struct command *c = g->commands; c->name; c++)
                add(l, c->name);
        break;
    case ARG_FORMAT:
        add_all(l, formats);
        break;
    case ARG_PATTERN:
        add_all(l, patterns);
        break;
    case ARG_STATS:
        add(l, "reset");
        break;
    case ARG_TLBOP:
        add(l, "flush");
        add(l, "invlpg");
        break;
    case ARG_TLBALL:
        if (prev && !strcmp(prev, "flush"))
            add(l, "all");
        break;
    case ARG_NONE:
    case ARG_PATH:
        break;
    }
}

static void add_options(struct list *l, const struct command *cmd)
{
    for (int i = 0; i < OPTIONS_MAX && cmd->options[i].name; i++)
        add(l, cmd->options[i].name);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The words of line before start, at blanks, into a copy held in *buf. */
static int split(const char *line, int start, char **buf, char *w[], int max)
{
    *buf = strndup(line, (size_t)start);
    int n = 0;
    if (!*buf)
        return 0;
    for (char *p = *buf; *p && n < max;) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        w[n++] = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        if (*p)
            *p++ = '\0';
    }
    return n;
}

struct completion complete_word(struct vmsh *sh, const char *line, int start,
                                const char *text)
{
    struct completion out = { NULL, false };
    struct list l = { .prefix = text };
    char *buf, *w[WORDS_MAX];
    int n = split(line, start, &buf, w, WORDS_MAX);
    const struct command *cmd = n ? command_find(NULL, w[0]) : NULL;
    int first = 1;
    if (n == 0) {
        add_kind(sh, &l, ARG_COMMAND, NULL);
    } else if (cmd && cmd->sub) {
        if (n == 1)
            for (const struct command *s = cmd->sub; s->name; s++)
                add(&l, s->name);
        cmd = n > 1 ? command_find(cmd->sub, w[1]) : NULL;
        first = 2;
    }
    if (cmd && n >= first) {
        const struct option *pending = NULL;
        const char *prev = NULL;
        int pos = 0;
        for (int k = first; k < n; k++) {
            if (pending) {
                pending = NULL;
                continue;
            }
            if (!strncmp(w[k], "--", 2)) {
                for (int i = 0; i < OPTIONS_MAX && cmd->options[i].name; i++)
                    if (!strcmp(cmd->options[i].name, w[k]) && cmd->options[i].value)
                        pending = &cmd->options[i];
                continue;
            }
            prev = w[k];
            pos++;
        }
        if (pending) {
            if (pending->kind == ARG_PATH)
                out.host_path = true;
            add_kind(sh, &l, pending->kind, NULL);
        } else {
            if (text[0] == '-' || text[0] == '\0')
                add_options(&l, cmd);
            if (text[0] != '-' && (cmd->max_args < 0 || pos < cmd->max_args)) {
                enum arg_kind kind = cmd->args[pos < ARGS_KINDS ? pos : ARGS_KINDS - 1];
                if (kind == ARG_PATH)
                    out.host_path = true;
                add_kind(sh, &l, kind, prev);
            }
        }
    }
    free(buf);
    if (l.n)
        qsort(l.w, l.n, sizeof *l.w, by_name);
    if (!l.w)
        l.w = calloc(1, sizeof *l.w);
    else
        l.w[l.n] = NULL;
    out.words = l.w;
    return out;
}

void complete_free(struct completion *c)
{
    if (!c->words)
        return;
    for (char **w = c->words; *w; w++)
        free(*w);
    free(c->words);
    c->words = NULL;
}
