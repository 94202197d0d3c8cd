/*
 * cmd_shell.c - the shell's own commands: scripts, echo, help, quit.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

int cmd_source(struct vmsh *sh, const struct call *c)
{
    char path[4096];
    sh_path(sh, c->argv[0], path, sizeof path);
    return batch_run_file(sh, path, path) ? -1 : 0;
}

int cmd_echo(struct vmsh *sh, const struct call *c)
{
    (void)sh;
    for (int i = 0; i < c->argc; i++) {
        if (i)
            putchar(' ');
        fwrite(c->argv[i], 1, c->len[i], stdout);
    }
    putchar('\n');
    return 0;
}

static void list_line(const char *name, const char *summary)
{
    printf("  %-12s %s\n", name, summary);
}

static void help_all(void)
{
    printf("vmsh commands (help COMMAND tells more):\n");
    for (const struct command_group *g = command_groups; g->title; g++) {
        printf("%s:\n", g->title);
        for (const struct command *cmd = g->commands; cmd->name; cmd++) {
            if (!cmd->sub) {
                list_line(cmd->name, cmd->summary);
                continue;
            }
            for (const struct command *s = cmd->sub; s->name; s++) {
                char name[32];
                snprintf(name, sizeof name, "%s %s", cmd->name, s->name);
                list_line(name, s->summary);
            }
        }
    }
    printf("Numbers are decimal, or hex after 0x, with an optional K, M, G or T "
           "(4K is 4096).\n"
           "At the terminal: Tab completes commands and their arguments, Ctrl-C "
           "cancels the line or stops the command running, Ctrl-D quits.\n");
}

static void help_one(const struct command *cmd)
{
    printf("usage: %s\n%s.\n", cmd->usage, cmd->summary);
    if (cmd->help[0])
        printf("%s", cmd->help);
    if (cmd->sub)
        for (const struct command *s = cmd->sub; s->name; s++)
            printf("  %-46s %s\n", s->usage, s->summary);
}

int cmd_help(struct vmsh *sh, const struct call *c)
{
    if (c->argc == 0) {
        help_all();
        return 0;
    }
    const struct command *cmd = command_find(NULL, c->argv[0]);
    if (!cmd) {
        const char *near = command_suggest(c->argv[0]);
        if (near)
            return sh_error(sh, "help: no command '%s' (did you mean %s?)", c->argv[0],
                            near);
        return sh_error(sh, "help: no command '%s'; help lists the commands",
                        c->argv[0]);
    }
    if (c->argc == 2) {
        const struct command *sub = cmd->sub ? command_find(cmd->sub, c->argv[1]) : NULL;
        if (!sub)
            return call_usage(c, "help: %s has no subcommand '%s'", cmd->name,
                              c->argv[1]);
        cmd = sub;
    }
    help_one(cmd);
    return 0;
}

int cmd_quit(struct vmsh *sh, const struct call *c)
{
    (void)c;
    sh->quit = true;
    return 0;
}
