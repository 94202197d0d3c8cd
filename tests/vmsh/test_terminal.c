/*
 * test_terminal.c - vmsh at a terminal: run in a pseudo-terminal, typed
 * at key by key as a user would. The prompt, Tab completion, history kept
 * across two sessions in a private file (a completed word's blank left
 * out), Ctrl-C cancelling the line being typed and stopping a command that
 * runs long or never ends (the program vmsh-stuck loops in every TLB
 * lookup, as a student's code might), Ctrl-D and quit ending the session.
 *
 * The terminal is made as forkpty(3) makes it (posix_openpt, a new
 * session, the slave side as the controlling terminal), but by hand:
 * glibc's openpty asks for the slave with an ioctl Valgrind does not know
 * (TIOCGPTPEER), and its warning would fail make memcheck.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "vmshtest.h"

#define WAIT_SECONDS (5.0 * TEST_TIMEOUT_SCALE)
#define KEY_CTRL(c) ((c) & 0x1f)

static char dir[256];

static void setup(void)
{
    vt_temp_dir(dir, sizeof dir);
}

static void teardown(void)
{
    vt_remove_dir(dir);
}

TestSuite(terminal, .init = setup, .fini = teardown, .timeout = VMSH_TEST_TIMEOUT * 2);

struct term {
    pid_t pid;
    int fd;             /* the pseudo-terminal's master side */
    char out[65536];    /* everything vmsh wrote, NUL-terminated */
    size_t len;
    size_t mark;        /* term_wait looks from here */
};

/* Starts the program name (vmsh, vmsh-stuck) on a new pseudo-terminal,
 * with its history in dir. */
static void term_start_program(struct term *t, const char *name)
{
    const char *prog = vt_program(name);
    char hist[300], inputrc[300];
    snprintf(hist, sizeof hist, "%s/history", dir);
    vt_write_file(dir, "inputrc", "set enable-bracketed-paste off\nset bell-style none\n",
                  inputrc, sizeof inputrc);
    struct winsize ws = { .ws_row = 40, .ws_col = 200 };
    memset(t, 0, sizeof *t);
    t->fd = posix_openpt(O_RDWR | O_NOCTTY);
    cr_assert_geq(t->fd, 0, "posix_openpt failed: %s", strerror(errno));
    cr_assert(eq(int, grantpt(t->fd), 0));
    cr_assert(eq(int, unlockpt(t->fd), 0));
    char slave[128];
    cr_assert(eq(int, ptsname_r(t->fd, slave, sizeof slave), 0));
    fflush(NULL);
    pid_t parent = getpid();
    t->pid = fork();
    cr_assert_geq(t->pid, 0, "fork failed: %s", strerror(errno));
    if (t->pid == 0) {
        vt_die_with_parent(parent);
        int s = -1;
        if (setsid() < 0 || (s = open(slave, O_RDWR)) < 0 || ioctl(s, TIOCSCTTY, 0) < 0 ||
            ioctl(s, TIOCSWINSZ, &ws) < 0 || dup2(s, 0) < 0 || dup2(s, 1) < 0 ||
            dup2(s, 2) < 0)
            _exit(126);
        close(s);
        close(t->fd);
        setenv("TERM", "dumb", 1);
        setenv("VMSH_HISTORY", hist, 1);
        setenv("INPUTRC", inputrc, 1);
        if (chdir(KIT_ROOT) == 0)
            execl(prog, prog, (char *)NULL);
        _exit(127);
    }
}

static void term_start(struct term *t)
{
    term_start_program(t, "vmsh");
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Reads what vmsh writes until needle appears after the mark (the mark
 * then moves past it), or the time is up. */
static bool term_wait(struct term *t, const char *needle)
{
    double end = now() + WAIT_SECONDS;
    for (;;) {
        char *at = strstr(t->out + t->mark, needle);
        if (at) {
            t->mark = (size_t)(at - t->out) + strlen(needle);
            return true;
        }
        double left = end - now();
        if (left <= 0 || t->len + 1 >= sizeof t->out)
            return false;
        struct pollfd p = { .fd = t->fd, .events = POLLIN };
        if (poll(&p, 1, (int)(left * 1000) + 1) <= 0)
            continue;
        ssize_t n = read(t->fd, t->out + t->len, sizeof t->out - 1 - t->len);
        if (n <= 0)
            return false;   /* vmsh has gone */
        t->len += (size_t)n;
        t->out[t->len] = '\0';
    }
}

static void term_expect(struct term *t, const char *needle, const char *what)
{
    cr_assert(term_wait(t, needle), "%s: never saw \"%s\"; the terminal shows:\n%s", what,
              needle, t->out);
}

static void term_send(struct term *t, const char *keys)
{
    size_t n = strlen(keys);
    cr_assert(eq(sz, (size_t)write(t->fd, keys, n), n), "cannot type at vmsh");
}

/* Waits for vmsh to end (killing it after the time is up); its status. */
static int term_end(struct term *t)
{
    int status = 0;
    double end = now() + WAIT_SECONDS;
    while (waitpid(t->pid, &status, WNOHANG) == 0) {
        if (now() > end) {
            kill(t->pid, SIGKILL);
            waitpid(t->pid, &status, 0);
            break;
        }
        char drain[4096];
        struct pollfd p = { .fd = t->fd, .events = POLLIN };
        if (poll(&p, 1, 10) > 0 && read(t->fd, drain, sizeof drain) <= 0)
            usleep(10000);
    }
    close(t->fd);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

Test(terminal, the_prompt_is_shown)
{
    struct term t;
    term_start(&t);
    term_expect(&t, "# vmsh frames=64", "the parameters line");
    term_expect(&t, "vmsh> ", "the prompt");
    term_send(&t, "quit\r");
    cr_expect(eq(int, term_end(&t), 0));
}

Test(terminal, tab_completes_a_partial_command)
{
    struct term t;
    term_start(&t);
    term_expect(&t, "vmsh> ", "the prompt");
    term_send(&t, "swi\t");
    term_expect(&t, "tch ", "the completion of swi");
    term_send(&t, "7\r");
    term_expect(&t, "switch: no process 7", "the completed command's run");
    term_send(&t, "file cr\t");
    term_expect(&t, "eate ", "the completion of a subcommand");
    term_send(&t, "f 4K\r");
    term_expect(&t, "file create: f, 4K", "the completed subcommand's run");
    term_send(&t, "quit\r");
    cr_expect(eq(int, term_end(&t), 0));
}

Test(terminal, history_is_kept_across_sessions_in_a_private_file)
{
    struct term t;
    term_start(&t);
    term_expect(&t, "vmsh> ", "the prompt");
    term_send(&t, "echo first-session\r");
    term_expect(&t, "\nfirst-session", "the echo's output");
    term_expect(&t, "vmsh> ", "the prompt after the command");
    term_send(&t, "\x04");
    cr_assert(eq(int, term_end(&t), 0), "Ctrl-D should end the first session");

    char hist[300];
    snprintf(hist, sizeof hist, "%s/history", dir);
    struct stat st;
    cr_assert(eq(int, stat(hist, &st), 0), "no history file at %s", hist);
    cr_expect(eq(int, st.st_mode & 0777, 0600), "the history file has mode %o",
              st.st_mode & 0777);
    char *text = vt_read_file(hist);
    cr_assert_not_null(text);
    cr_expect(strstr(text, "echo first-session") != NULL, "history file: %s", text);
    free(text);

    term_start(&t);
    term_expect(&t, "vmsh> ", "the second session's prompt");
    char up[2] = { KEY_CTRL('p'), 0 };
    term_send(&t, up);
    term_expect(&t, "echo first-session", "the line recalled from the first session");
    term_send(&t, "\r");
    term_expect(&t, "\nfirst-session", "the recalled command's run");
    term_send(&t, "quit\r");
    cr_expect(eq(int, term_end(&t), 0));
}

Test(terminal, ctrl_c_cancels_the_line_and_the_session_goes_on)
{
    struct term t;
    term_start(&t);
    term_expect(&t, "vmsh> ", "the prompt");
    term_send(&t, "echo AAA");
    term_expect(&t, "AAA", "the typed line");
    char intr[2] = { KEY_CTRL('c'), 0 };
    term_send(&t, intr);
    term_expect(&t, "vmsh> ", "a fresh prompt after Ctrl-C");
    size_t after = t.mark;
    term_send(&t, "echo BBB\r");
    term_expect(&t, "\nBBB", "the next command's output");
    cr_expect(strstr(t.out + after, "AAA") == NULL,
              "the cancelled text came back:\n%s", t.out + after);
    term_send(&t, "quit\r");
    cr_expect(eq(int, term_end(&t), 0));
}

Test(terminal, ctrl_d_on_an_empty_line_quits)
{
    struct term t;
    term_start(&t);
    term_expect(&t, "vmsh> ", "the prompt");
    term_send(&t, "\x04");
    cr_expect(eq(int, term_end(&t), 0), "vmsh should end with status 0");
}

Test(terminal, an_error_at_the_terminal_has_no_script_name)
{
    struct term t;
    term_start(&t);
    term_expect(&t, "vmsh> ", "the prompt");
    term_send(&t, "bogus\r");
    term_expect(&t, "\nunknown command 'bogus'; help lists the commands", "the error");
    term_expect(&t, "vmsh> ", "the prompt after the error");
    term_send(&t, "quit\r");
    cr_expect(eq(int, term_end(&t), 0));
}

/* A command that runs about 3 s: 96 million references, each a TLB miss. */
#define LONG_TOUCH "touch 0x10000000 64K --passes 6000000"

Test(terminal, ctrl_c_stops_a_long_touch_and_keeps_the_machine)
{
    struct term t;
    term_start(&t);
    term_expect(&t, "vmsh> ", "the prompt");
    term_send(&t, "config tlb=1x1\r");
    term_expect(&t, "vmsh> ", "the prompt after config");
    term_send(&t, "spawn\r");
    term_expect(&t, "vmsh> ", "the prompt after spawn");
    term_send(&t, "mmap 0x10000000 64K rw- private,anon,fixed\r");
    term_expect(&t, "vmsh> ", "the prompt after mmap");
    term_send(&t, LONG_TOUCH "\r");
    term_expect(&t, LONG_TOUCH "\r\n", "the touch command, accepted");
    char intr[2] = { KEY_CTRL('c'), 0 };
    term_send(&t, intr);
    term_expect(&t, "touch: interrupted after ", "touch's report that it stopped");
    term_expect(&t, "vmsh> ", "the prompt after the interrupted touch");
    term_send(&t, "ps\r");
    term_expect(&t, "alive", "pid 1, alive: the machine was kept");
    cr_expect(strstr(t.out, "rebuilt") == NULL, "the machine was rebuilt:\n%s", t.out);
    term_send(&t, "quit\r");
    cr_expect(eq(int, term_end(&t), 0));
}

Test(terminal, ctrl_c_stops_student_code_that_loops_and_rebuilds_the_machine)
{
    struct term t;
    term_start_program(&t, "vmsh-stuck");
    term_expect(&t, "vmsh> ", "the prompt");
    term_send(&t, "spawn\r");
    term_expect(&t, "vmsh> ", "the prompt after spawn");
    term_send(&t, "translate 0x10000000\r");
    term_expect(&t, "translate 0x10000000\r\n", "the translate command, accepted");
    char intr[2] = { KEY_CTRL('c'), 0 };
    term_send(&t, intr);
    term_expect(&t, "interrupted; the machine is rebuilt from its configuration",
                "the report of the stopped command");
    term_expect(&t, "vmsh> ", "the prompt after it");
    term_send(&t, "ps\r");
    term_expect(&t, "no processes", "an empty process list: the machine was rebuilt");
    term_send(&t, "echo alive\r");
    term_expect(&t, "\nalive", "the session going on");
    term_send(&t, "quit\r");
    cr_expect(eq(int, term_end(&t), 0));
}

Test(terminal, history_keeps_a_completed_command_without_tab_s_blank)
{
    struct term t;
    term_start(&t);
    term_expect(&t, "vmsh> ", "the prompt");
    term_send(&t, "spa\t");
    term_expect(&t, "wn ", "the completion of spa");
    term_send(&t, "\r");
    term_expect(&t, "spawn: pid 1", "the completed command's run");
    term_send(&t, "quit\r");
    cr_assert(eq(int, term_end(&t), 0));
    char hist[300];
    snprintf(hist, sizeof hist, "%s/history", dir);
    char *text = vt_read_file(hist);
    cr_assert_not_null(text, "no history file at %s", hist);
    cr_expect(eq(str, text, "spawn\nquit\n"));
    free(text);
}
