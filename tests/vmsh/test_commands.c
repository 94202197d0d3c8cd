/*
 * test_commands.c - the command table: well formed, and covered: every
 * command (and subcommand) is run by some golden scenario and described
 * in the manual, docs/vmsh.md, with its usage line.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "vmshtest.h"

TestSuite(commands, .timeout = VMSH_TEST_TIMEOUT);

/* Calls fn for every command and subcommand, with its full name. */
static void each_command(void (*fn)(const struct command *, const char *name, void *),
                         void *ctx)
{
    for (const struct command_group *g = command_groups; g->title; g++) {
        for (const struct command *c = g->commands; c->name; c++) {
            if (!c->sub) {
                fn(c, c->name, ctx);
                continue;
            }
            for (const struct command *s = c->sub; s->name; s++) {
                char name[64];
                snprintf(name, sizeof name, "%s %s", c->name, s->name);
                fn(s, name, ctx);
            }
        }
    }
}

/* Whether some line of text runs command name: the name, then a blank or
 * the end of the line, after optional blanks. */
static bool runs(const char *text, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        const char *q = p + strspn(p, " \t");
        if (!strncmp(q, name, len) && (q[len] == ' ' || q[len] == '\n' || !q[len]))
            return true;
    }
    return false;
}

struct scripts {
    char *text;     /* every scenario script, one after the other */
};

static void load_scripts(struct scripts *s)
{
    const char *dir = KIT_ROOT "/traces/vm";
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "cannot open %s", dir);
    size_t len = 0;
    s->text = calloc(1, 1);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".vmsh"))
            continue;
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        char *t = vt_read_file(path);
        cr_assert_not_null(t, "cannot read %s", path);
        s->text = realloc(s->text, len + strlen(t) + 2);
        strcpy(s->text + len, t);
        len += strlen(t);
        strcpy(s->text + len++, "\n");
        free(t);
        n++;
    }
    closedir(d);
    cr_assert(gt(int, n, 0), "no scenario in %s", dir);
}

static void expect_in_a_scenario(const struct command *c, const char *name, void *ctx)
{
    (void)c;
    struct scripts *s = ctx;
    cr_expect(runs(s->text, name), "no scenario in traces/vm runs '%s'", name);
}

Test(commands, every_command_is_run_by_a_scenario)
{
    struct scripts s;
    load_scripts(&s);
    each_command(expect_in_a_scenario, &s);
    free(s.text);
}

static void expect_in_the_manual(const struct command *c, const char *name, void *ctx)
{
    const char *manual = ctx;
    char line[256];
    snprintf(line, sizeof line, "`%s`", c->usage);
    cr_expect(strstr(manual, line) != NULL, "docs/vmsh.md does not give the usage of "
              "'%s' as %s", name, line);
}

Test(commands, every_command_is_in_the_manual_with_its_usage)
{
    char *manual = vt_read_file(KIT_ROOT "/docs/vmsh.md");
    cr_assert_not_null(manual, "no docs/vmsh.md");
    each_command(expect_in_the_manual, manual);
    free(manual);
}

static void expect_well_formed(const struct command *c, const char *name, void *ctx)
{
    (void)ctx;
    cr_expect(eq(int, strncmp(c->usage, name, strlen(name)), 0),
              "the usage of %s starts with something else: %s", name, c->usage);
    cr_expect(c->summary && c->summary[0], "%s has no summary", name);
    cr_expect(c->help != NULL, "%s has no help", name);
    cr_expect(c->run != NULL, "%s has no handler", name);
    cr_expect(c->max_args < 0 || c->min_args <= c->max_args, "%s: argument counts", name);
    for (int i = 0; i < OPTIONS_MAX && c->options[i].name; i++) {
        cr_expect(eq(int, strncmp(c->options[i].name, "--", 2), 0),
                  "%s: option %s does not start with --", name, c->options[i].name);
        cr_expect(strstr(c->usage, c->options[i].name) != NULL,
                  "%s: option %s is not in the usage", name, c->options[i].name);
    }
}

Test(commands, every_entry_is_well_formed)
{
    each_command(expect_well_formed, NULL);
}

static void count_name(const struct command *c, const char *name, void *ctx)
{
    (void)c;
    const char **seen = ctx;
    int n = 0;
    while (seen[n])
        n++;
    for (int i = 0; i < n; i++)
        cr_expect(strcmp(seen[i], name) != 0, "two commands are called %s", name);
    seen[n] = strdup(name);
}

Test(commands, names_are_unique)
{
    const char *seen[256] = { NULL };
    each_command(count_name, seen);
    for (int i = 0; seen[i]; i++)
        free((char *)seen[i]);
}

Test(commands, find_finds_commands_and_subcommands_only)
{
    const struct command *c = command_find(NULL, "translate");
    cr_assert_not_null(c);
    cr_expect(eq(str, (char *)c->name, "translate"));
    const struct command *file = command_find(NULL, "file");
    cr_assert_not_null(file);
    cr_expect_not_null(command_find(file->sub, "create"));
    cr_expect_null(command_find(NULL, "create"));
    cr_expect_null(command_find(NULL, "trans"));
}

Test(commands, suggest_finds_a_near_name_and_nothing_for_a_far_one)
{
    cr_expect(eq(str, (char *)command_suggest("swich"), "switch"));
    cr_expect(eq(str, (char *)command_suggest("trans"), "translate"));
    cr_expect(eq(str, (char *)command_suggest("frmaes"), "frames"));
    cr_expect_null(command_suggest("frobnicate"));
    cr_expect_null(command_suggest("nosuch"));
}

Test(commands, suggest_takes_two_swapped_letters_for_one_slip)
{
    cr_expect(eq(str, (char *)command_suggest("hepl"), "help"));
    cr_expect(eq(str, (char *)command_suggest("mmpa"), "mmap"));
    cr_expect(eq(str, (char *)command_suggest("sapwn"), "spawn"));
    cr_expect(eq(str, (char *)command_suggest("quti"), "quit"));
    cr_expect(eq(str, (char *)command_suggest("tranlsate"), "translate"));
}
