/*
 * batch.c - vmsh reading a script: a file (-f, source) or standard input
 * that is not a terminal. No prompt; every command is echoed as
 * "vmsh> CMD" before its output, and comments and blank lines are copied
 * as they are, so the output reads as the script with its results: a
 * transcript, which is how scenarios are checked. The echo is flushed
 * before the command runs, so a transcript cut short (a command that never
 * ends, killed) still shows which command was running.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "hostfile.h"

#define ECHO_PREFIX "vmsh> "

int batch_run_stream(struct vmsh *sh, FILE *in, const char *name, const char *dir)
{
    if (sh->depth >= VMSH_SOURCE_DEPTH)
        return sh_error(sh, "%s: scripts nested more than %d deep", name,
                        VMSH_SOURCE_DEPTH);
    struct source src = { .name = name, .dir = dir ? strdup(dir) : NULL,
                          .outer = sh->src };
    unsigned errors = sh->errors;
    sh->src = &src;
    sh->depth++;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while (!sh->quit && (len = getline(&line, &cap, in)) >= 0) {
        src.line++;
        if (sh->interactive && sh->interrupted) {
            sh_error(sh, "interrupted");
            break;
        }
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' ||
                           line[len - 1] == ' ' || line[len - 1] == '\t'))
            line[--len] = '\0';
        if (strlen(line) != (size_t)len) {
            sh_error(sh, "the line holds a NUL byte");
            continue;
        }
        const char *p = line + strspn(line, " \t");
        if (*p == '\0' || *p == '#') {
            puts(line);
            continue;
        }
        printf(ECHO_PREFIX "%s\n", p);
        fflush(stdout);
        command_run_line(sh, p);
        fflush(stdout);
    }
    int err = ferror(in) ? (errno ? errno : EIO) : 0;
    free(line);
    free(src.dir);
    sh->src = src.outer;
    if (err && !sh->quit)
        sh_error(sh, "cannot read %s: %s", name, strerror(err));
    sh->depth--;
    return sh->errors == errors ? 0 : -1;
}

int batch_run_file(struct vmsh *sh, const char *path, const char *shown)
{
    FILE *in = strcmp(path, "-") ? hostfile_open(path) : stdin;
    if (!in) {
        sh_error(sh, "cannot open %s: %s", shown, strerror(errno));
        return -2;
    }
    struct stat st;
    if (fstat(fileno(in), &st) == 0 && S_ISDIR(st.st_mode)) {
        sh_error(sh, "cannot run %s: it is a directory, not a script", shown);
        if (in != stdin)
            fclose(in);
        return -2;
    }
    char *copy = strdup(path);
    const char *dir = NULL;
    if (copy && strchr(copy, '/'))
        dir = dirname(copy);
    int r = batch_run_stream(sh, in, in == stdin ? "<stdin>" : shown, dir);
    free(copy);
    if (in != stdin)
        fclose(in);
    return r;
}
