/*
 * interactive.c - vmsh at a terminal, through GNU readline: line editing,
 * Tab completion (complete.h), a persistent history, Ctrl-C and Ctrl-D.
 *
 * Readline's callback interface reads the terminal: the main loop waits in
 * pselect with SIGINT blocked everywhere else, so a Ctrl-C between two
 * keys is seen in ordinary code (never in a signal handler), where the
 * line is cancelled with readline's own calls. A command runs inside the
 * line handler, with the terminal back in its normal mode and SIGINT
 * unblocked, so a long command can be interrupted: Ctrl-C sets
 * sh->interrupted, which the long commands (touch, source, replay) check
 * and stop at, keeping the machine. A command still running STOP_GRACE
 * seconds later (student code that loops, which checks nothing), or at a
 * second Ctrl-C, is stopped from the signal handler by session_interrupt,
 * as a missing function stops it, and the machine is rebuilt.
 *
 * Readline's hooks carry no context: the session is file-static, the one
 * instance these APIs force.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "commands.h"
#include "complete.h"

#define PROMPT "vmsh> "
#define HISTORY_MAX 1000
#define STOP_GRACE 1        /* seconds a command has to stop after Ctrl-C */

static struct vmsh *session;
static volatile sig_atomic_t sigint_seen;
static volatile sig_atomic_t running;   /* a command runs (in on_line) */
static bool at_eof;
static int lines_added;     /* history lines of this session */
static sigset_t sigint_only;

static void on_sigint(int sig)
{
    (void)sig;
    sigint_seen = 1;
    if (!session || !running)
        return;
    if (session->interrupted)
        session_interrupt();
    session->interrupted = 1;
    alarm(STOP_GRACE);
}

/* The grace after a Ctrl-C is over, and the command still runs. */
static void on_alarm(int sig)
{
    (void)sig;
    if (session && running && session->interrupted)
        session_interrupt();
}

const char *history_path(char *buf, size_t n)
{
    const char *env = getenv("VMSH_HISTORY");
    if (env) {
        if (!*env)
            return NULL;
        snprintf(buf, n, "%s", env);
        return buf;
    }
    const char *home = getenv("HOME");
    if (!home || !*home)
        return NULL;
    snprintf(buf, n, "%s/.vmsh_history", home);
    return buf;
}

/* --- Completion -------------------------------------------------------------- */

static char **candidates;   /* of the completion in progress */

static char *next_candidate(const char *text, int state)
{
    static size_t i;
    (void)text;
    if (state == 0)
        i = 0;
    if (!candidates || !candidates[i])
        return NULL;
    return strdup(candidates[i++]);
}

static char **attempt_completion(const char *text, int start, int end)
{
    (void)end;
    struct completion c = complete_word(session, rl_line_buffer, start, text);
    rl_attempted_completion_over = 1;
    char **matches = NULL;
    if (c.host_path && (!c.words || !c.words[0])) {
        matches = rl_completion_matches(text, rl_filename_completion_function);
    } else {
        candidates = c.words;
        matches = rl_completion_matches(text, next_candidate);
        candidates = NULL;
        /* KEY= settings continue without a blank. */
        if (matches && !matches[1] && matches[0][0] &&
            matches[0][strlen(matches[0]) - 1] == '=')
            rl_completion_append_character = '\0';
    }
    complete_free(&c);
    return matches;
}

/* --- Lines ------------------------------------------------------------------- */

/* Ctrl-C while editing: forget the line, show a fresh prompt. */
static void cancel_line(void)
{
    rl_echo_signal_char(SIGINT);
    rl_callback_sigcleanup();
    rl_free_line_state();
    rl_replace_line("", 0);
    rl_point = rl_end = 0;
    using_history();
    rl_crlf();
    rl_on_new_line();
    rl_redisplay();
}

/* Keeps line in the history, without the blanks that end it (Tab's, after
 * a completed word), once when it repeats the line before. */
static void remember(const char *line)
{
    const char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p)
        return;
    size_t len = strlen(line);
    while (line[len - 1] == ' ' || line[len - 1] == '\t')
        len--;
    char *kept = strndup(line, len);
    if (!kept)
        return;
    HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1)
                                          : NULL;
    if (!last || strcmp(last->line, kept) != 0) {
        add_history(kept);
        lines_added++;
    }
    free(kept);
}

static void on_line(char *line)
{
    if (!line) {
        at_eof = true;
        rl_callback_handler_remove();
        return;
    }
    remember(line);
    sigint_seen = 0;
    session->interrupted = 0;
    running = 1;
    sigprocmask(SIG_UNBLOCK, &sigint_only, NULL);
    command_run_line(session, line);
    fflush(stdout);
    sigprocmask(SIG_BLOCK, &sigint_only, NULL);
    running = 0;
    alarm(0);
    sigint_seen = 0;
    free(line);
    if (session->quit)
        rl_callback_handler_remove();
}

/* --- History file ------------------------------------------------------------- */

static void history_load(const char *path)
{
    using_history();
    stifle_history(HISTORY_MAX);
    if (path)
        read_history(path);     /* a missing file is an empty history */
}

static void history_save(const char *path)
{
    if (!path || lines_added == 0)
        return;
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
    int r = fd < 0 ? errno : 0;
    if (fd >= 0)
        close(fd);
    if (!r)
        r = append_history(lines_added < HISTORY_MAX ? lines_added : HISTORY_MAX, path);
    if (!r)
        r = history_truncate_file(path, HISTORY_MAX);
    if (!r && chmod(path, 0600))
        r = errno;
    if (r)
        fprintf(stderr, "vmsh: cannot save the history in %s: %s\n", path, strerror(r));
}

/* --- The loop ---------------------------------------------------------------- */

int interactive_run(struct vmsh *sh, const char *hist)
{
    session = sh;
    at_eof = false;
    lines_added = 0;
    rl_readline_name = "vmsh";
    rl_catch_signals = 0;
    rl_attempted_completion_function = attempt_completion;
    rl_completer_word_break_characters = " \t";
    history_load(hist);

    sigemptyset(&sigint_only);
    sigaddset(&sigint_only, SIGINT);
    struct sigaction sa = { .sa_handler = on_sigint }, old;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);
    struct sigaction sa_alarm = { .sa_handler = on_alarm }, old_alarm;
    sigemptyset(&sa_alarm.sa_mask);
    sigaction(SIGALRM, &sa_alarm, &old_alarm);
    sigset_t saved, waiting;
    sigprocmask(SIG_BLOCK, &sigint_only, &saved);
    waiting = saved;
    sigdelset(&waiting, SIGINT);

    char params[320];
    printf("%s\ntype help for the commands; Tab completes, Ctrl-C cancels a line, "
           "Ctrl-D quits\n", session_params(sh, params, sizeof params));
    fflush(stdout);
    rl_callback_handler_install(PROMPT, on_line);
    int fd = fileno(rl_instream ? rl_instream : stdin);
    while (!sh->quit && !at_eof) {
        fd_set in;
        FD_ZERO(&in);
        FD_SET(fd, &in);
        int r = pselect(fd + 1, &in, NULL, NULL, NULL, &waiting);
        if (r < 0) {
            if (errno != EINTR)
                break;
            if (sigint_seen) {
                sigint_seen = 0;
                cancel_line();
            }
            continue;
        }
        rl_callback_read_char();
    }
    if (at_eof)
        printf("\n");
    else if (!sh->quit)
        rl_callback_handler_remove();
    history_save(hist);
    clear_history();
    sigprocmask(SIG_SETMASK, &saved, NULL);
    sigaction(SIGINT, &old, NULL);
    sigaction(SIGALRM, &old_alarm, NULL);
    session = NULL;
    return 0;
}
