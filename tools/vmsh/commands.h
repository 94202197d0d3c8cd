/*
 * commands.h - the command table: one entry per command, which drives
 * dispatch, argument checking, help, tab completion and argument hints.
 *
 * An entry gives the command's name, its handler, its usage line, a
 * one-line summary and a longer help text, how many positional arguments it
 * takes, what kind of value each is (for completion), and its options. A
 * command with subcommands (file) has a table of its own instead of a
 * handler. The dispatcher checks the argument count and the options before
 * the handler runs; a handler checks the values of its arguments and says
 * which one is bad (call_usage): every such message ends with the usage.
 */
#ifndef VMSH_COMMANDS_H
#define VMSH_COMMANDS_H

#include <stdbool.h>
#include <stdint.h>

#include "parse.h"
#include "vmsh.h"

/* What a word of a command is, for completion. */
enum arg_kind {
    ARG_NONE,       /* a number or free text: nothing to complete */
    ARG_PID,        /* a process id */
    ARG_PID_KERNEL, /* a process id or "kernel" */
    ARG_DISKFILE,   /* a file of the machine's disk */
    ARG_PATH,       /* a file of the host */
    ARG_ACCESS,     /* r w x */
    ARG_MODE,       /* user kernel */
    ARG_ACCESS_MODE,    /* r w x user kernel */
    ARG_ADDR,       /* an address, or "any" */
    ARG_PROT,       /* rw- style */
    ARG_FLAGS,      /* shared private anon fixed */
    ARG_POLICY,     /* replacement policies */
    ARG_LOGLEVEL,   /* off events tlb refs */
    ARG_CONFIG,     /* KEY=VALUE settings */
    ARG_COMMAND,    /* a command name */
    ARG_FORMAT,     /* refstream formats */
    ARG_PATTERN,    /* file fill patterns */
    ARG_STATS,      /* reset */
    ARG_TLBOP,      /* flush invlpg */
    ARG_TLBALL,     /* all, after flush (after invlpg comes a VA) */
};

#define ARGS_KINDS 6
#define OPTIONS_MAX 6

struct option {
    const char *name;       /* "--dot" */
    const char *value;      /* what it takes ("N"), NULL for a flag */
    enum arg_kind kind;     /* of its value */
};

struct call;
struct vmsh;

struct command {
    const char *name;
    int (*run)(struct vmsh *sh, const struct call *c);
    const char *usage;      /* the full line: "mmap ADDR|any LEN PROT FLAGS ..." */
    const char *summary;    /* one line, for help's list */
    const char *help;       /* the rest, for help CMD (lines end in \n) */
    int min_args, max_args; /* positional arguments; max -1: no limit */
    enum arg_kind args[ARGS_KINDS];     /* the kind of each, by position */
    struct option options[OPTIONS_MAX]; /* ends at a NULL name */
    const struct command *sub;          /* subcommands, ending at a NULL name */
};

/* One command being run: its positional arguments and options. */
struct call {
    struct vmsh *sh;
    const struct command *cmd;
    const char *name;       /* as messages name it: "mmap", "file create" */
    int argc;
    char **argv;            /* positional arguments, argv[0] the first */
    size_t *len;            /* their lengths (quoted words may hold NUL) */
    bool *quoted;
    const char *opt[OPTIONS_MAX];   /* option values, by index: NULL when
                                       absent, "" for a flag given */
};

/* The table, in the order help shows it, with group headings. */
struct command_group {
    const char *title;
    const struct command *commands;     /* ends at a NULL name */
};
extern const struct command_group command_groups[];

/* command_find - the command called name in table (NULL: the main table);
 * NULL when none. */
const struct command *command_find(const struct command *table, const char *name);

/* command_suggest - the command whose name is closest to name (one edit
 * away, or a prefix of it), for "did you mean"; NULL when none is close. */
const char *command_suggest(const char *name);

/* command_run_line - run one command line. 0, or -1 when it failed (the
 * error has been reported). Blank lines and comments do nothing. */
int command_run_line(struct vmsh *sh, const char *line);

/* call_usage - report a bad argument of c (printf format): the message,
 * then the usage. Returns -1. */
__attribute__((format(printf, 2, 3)))
int call_usage(const struct call *c, const char *fmt, ...);

/* call_option - whether option name was given; its value in *value. */
bool call_option(const struct call *c, const char *name, const char **value);

/* Argument helpers: each reports a bad word with call_usage and returns
 * false. what names the argument as the usage does ("LEN"). */
bool arg_number(const struct call *c, const char *word, const char *what,
                uint64_t *v);
bool arg_pid(const struct call *c, const char *word, struct proc **p);

/* need_proc - the running process; reports and returns NULL when none. */
struct proc *need_proc(const struct call *c);

/* errno_text - "EINVAL (Invalid argument)" for -EINVAL or EINVAL. */
const char *errno_text(int err, char *buf, size_t n);

/* --- The handlers (one file per group) ------------------------------------ */

/* cmd_machine.c */
int cmd_config(struct vmsh *sh, const struct call *c);
int cmd_reset(struct vmsh *sh, const struct call *c);
int cmd_seed(struct vmsh *sh, const struct call *c);
/* cmd_proc.c */
int cmd_spawn(struct vmsh *sh, const struct call *c);
int cmd_ps(struct vmsh *sh, const struct call *c);
int cmd_switch(struct vmsh *sh, const struct call *c);
int cmd_fork(struct vmsh *sh, const struct call *c);
int cmd_exit(struct vmsh *sh, const struct call *c);
/* cmd_memory.c */
int cmd_mmap(struct vmsh *sh, const struct call *c);
int cmd_munmap(struct vmsh *sh, const struct call *c);
int cmd_mprotect(struct vmsh *sh, const struct call *c);
int cmd_read(struct vmsh *sh, const struct call *c);
int cmd_write(struct vmsh *sh, const struct call *c);
int cmd_touch(struct vmsh *sh, const struct call *c);
/* cmd_translate.c */
int cmd_translate(struct vmsh *sh, const struct call *c);
int cmd_map(struct vmsh *sh, const struct call *c);
/* cmd_state.c */
int cmd_pt(struct vmsh *sh, const struct call *c);
int cmd_tlb(struct vmsh *sh, const struct call *c);
int cmd_frames(struct vmsh *sh, const struct call *c);
int cmd_vmas(struct vmsh *sh, const struct call *c);
int cmd_files(struct vmsh *sh, const struct call *c);
int cmd_swap(struct vmsh *sh, const struct call *c);
int cmd_stats(struct vmsh *sh, const struct call *c);
int cmd_log(struct vmsh *sh, const struct call *c);
int cmd_check(struct vmsh *sh, const struct call *c);
/* cmd_file.c */
int cmd_file_create(struct vmsh *sh, const struct call *c);
int cmd_file_cat(struct vmsh *sh, const struct call *c);
int cmd_file_write(struct vmsh *sh, const struct call *c);
/* cmd_paging.c */
int cmd_pageout(struct vmsh *sh, const struct call *c);
int cmd_clock(struct vmsh *sh, const struct call *c);
/* cmd_replay.c */
int cmd_replay(struct vmsh *sh, const struct call *c);
/* cmd_shell.c */
int cmd_source(struct vmsh *sh, const struct call *c);
int cmd_echo(struct vmsh *sh, const struct call *c);
int cmd_help(struct vmsh *sh, const struct call *c);
int cmd_quit(struct vmsh *sh, const struct call *c);

#endif
