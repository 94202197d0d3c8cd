/*
 * vmsh.h - the session of vmsh, the shell over the simulated machine: the
 * machine and its configuration, where commands come from, and how errors
 * are reported.
 *
 * One struct vmsh holds everything a session has; it is passed to every
 * command. A session always has a machine (sh->m), booted from sh->cfg.
 * When a student function the machine calls is not written yet, or the
 * machine panics, or Ctrl-C stops a command that did not stop by itself,
 * the command stops, the error is reported, and the machine is rebuilt
 * from sh->cfg (an interrupted call may leave it inconsistent, see
 * machine.h): the session goes on.
 *
 * Output: results go to stdout; errors go to stderr, one line each, as
 * "SCRIPT:LINE: message" when the command came from a script (or "<stdin>"),
 * bare when it was typed at the terminal. stdout is flushed before every
 * error, so a transcript of both streams (2>&1) keeps their order.
 */
#ifndef VMSH_VMSH_H
#define VMSH_VMSH_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "rng.h"
#include "vm.h"

#define VMSH_VERSION "1.0"
#define VMSH_SOURCE_DEPTH 16    /* scripts sourcing scripts, at most */

/* Where the command being run comes from. */
struct source {
    const char *name;       /* the script as named, "<stdin>", NULL: the terminal */
    char *dir;              /* its directory: relative paths in it start there */
    unsigned long line;     /* line number of the command */
    struct source *outer;   /* the script that sourced this one */
};

struct vmsh {
    struct machine *m;
    struct vm_config cfg;   /* what m was booted from, and is rebuilt from */
    uint64_t seed;          /* of rng: random fills and random touches */
    rng_t rng;
    struct stats base;      /* stats reset: counts are shown from here */
    bool interactive;       /* commands come from a terminal */
    bool stop_on_error;     /* -e: the first error ends the session */
    bool quit;              /* quit was run, or -e met an error */
    unsigned errors;        /* errors reported so far */
    bool hand_made;         /* map made entries since the machine booted: the
                               kernel knows nothing of them, and check says so */
    int depth;              /* scripts being sourced */
    struct source *src;     /* NULL: the terminal */
    volatile sig_atomic_t interrupted;  /* Ctrl-C during a command: long
                                           commands check it and stop */
    void *temp[8];          /* freed after each command, even a failed one */
};

/* --- session.c ------------------------------------------------------------ */

/* session_init - a session with a machine booted from c; -1 with the reason
 * on stderr when c is bad or memory runs out. */
int session_init(struct vmsh *sh, const struct vm_config *c, uint64_t seed);

/* session_free - free the machine and everything the session holds. */
void session_free(struct vmsh *sh);

/* session_reboot - a new machine from c (checked already), replacing the
 * old one; the random generator starts again from the seed and the stats
 * baseline is cleared. -1 (old machine kept) when memory runs out. */
int session_reboot(struct vmsh *sh, const struct vm_config *c);

/* session_guard - call fn(sh, arg) so that a missing student function or a
 * machine panic stops it: the error is reported, the machine rebuilt, and
 * -1 returned. Otherwise fn's result. Temporary allocations (session_temp)
 * are freed either way. */
int session_guard(struct vmsh *sh, int (*fn)(struct vmsh *, void *), void *arg);

/* session_interrupt - stop the command running now the way a missing
 * student function stops it: "interrupted" is reported, the machine is
 * rebuilt, and its session_guard returns -1. Nothing when no command runs.
 * Async-signal-safe: it is for signal handlers (Ctrl-C at the terminal),
 * and the last resort, for a command that does not stop by itself when
 * sh->interrupted is set. */
void session_interrupt(void);

/* session_temp - n bytes freed when the guarded command ends, however it
 * ends: for buffers of commands that call into the machine. Never NULL
 * (vmsh stops when the host is out of memory). */
void *session_temp(struct vmsh *sh, size_t n);

/* session_params - the parameters line: "# vmsh frames=64 tlb=8x2 ...". */
const char *session_params(const struct vmsh *sh, char *buf, size_t n);

/* sh_error - report an error (printf format, no newline) at the current
 * source location; counts it. Returns -1, for "return sh_error(...)". */
__attribute__((format(printf, 2, 3)))
int sh_error(struct vmsh *sh, const char *fmt, ...);

/* sh_path - path as a script names it: relative to the script's directory
 * when it comes from a script file, else as is. Into buf. */
const char *sh_path(const struct vmsh *sh, const char *path, char *buf, size_t n);

/* --- batch.c -------------------------------------------------------------- */

/* batch_run_file - run the script at path ("-": standard input), echoing
 * each command as "vmsh> CMD"; shown names it in messages. 0; -1 when a
 * command of it failed; -2 when it cannot be opened (reported). Stops
 * early when sh->quit is set. */
int batch_run_file(struct vmsh *sh, const char *path, const char *shown);

/* batch_run_stream - the same from an open stream, named name; relative
 * paths in it start from dir (NULL: the working directory). */
int batch_run_stream(struct vmsh *sh, FILE *in, const char *name, const char *dir);

/* --- interactive.c -------------------------------------------------------- */

/* interactive_run - read commands at the terminal with GNU readline until
 * quit or Ctrl-D; history in history_path (NULL: none). */
int interactive_run(struct vmsh *sh, const char *history_path);

/* history_path - where the history goes: $VMSH_HISTORY if set (empty: no
 * history), else ~/.vmsh_history; NULL when there is none. Into buf. */
const char *history_path(char *buf, size_t n);

#endif
