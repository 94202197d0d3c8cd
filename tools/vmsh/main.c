/*
 * main.c - vmsh's command line: settings, scripts, and which of the two
 * ways to read commands (interactive at a terminal, batch otherwise).
 *
 *   vmsh [-e] [-f SCRIPT]... [KEY=VALUE...]
 *   vmsh --help | --version
 *
 * Exit status: 0; 1 when -e met an error or a script could not be read;
 * 2 for a bad command line.
 *
 * Run by grade (channel.h), vmsh reads in advance every file below the
 * directory --preload names, enters the sandbox (sandbox.h), and writes its
 * transcript (both streams, in order) only to grade's channel. What the
 * machine's student code might write to descriptors 1 and 2 is then not
 * part of the transcript.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "channel.h"
#include "hostfile.h"
#include "parse.h"
#include "sandbox.h"
#include "vmsh.h"

#define SCRIPTS_MAX 16

static void usage(FILE *out)
{
    fputs("usage: vmsh [-e] [-f SCRIPT]... [KEY=VALUE...]\n"
          "       vmsh --help | --version\n"
          "A shell over the simulated x86-64 machine of the vm lab.\n"
          "  -f SCRIPT   run the commands of SCRIPT (- is standard input), then exit\n"
          "  -e          stop at the first error, with exit status 1\n"
          "  --preload DIR  (for grade) read every file below DIR before the first command\n"
          "  KEY=VALUE   the machine's configuration: frames=N tlb=SETSxWAYS\n"
          "              policy=clock1|clock2 watermarks=LOW,HIGH swap=N handspread=N\n"
          "              log=off|events|tlb|refs seed=N (as the config command)\n"
          "At a terminal, vmsh reads commands with line editing, Tab completion and\n"
          "a history (~/.vmsh_history, or $VMSH_HISTORY; empty: none); otherwise it\n"
          "runs them as a script, echoing each as 'vmsh> CMD' before its output.\n"
          "Type help in vmsh for the commands; docs/vmsh.md is the manual.\n", out);
}

static ssize_t channel_write(void *cookie, const char *buf, size_t n)
{
    return channel_send(cookie, buf, n) < 0 ? -1 : (ssize_t)n;
}

/*
 * graded - the set-up when grade runs vmsh: the files, the transcript's
 * stream over the channel, then the sandbox. -1 (reported on stderr) when
 * any of it fails: vmsh must not run student code unconfined.
 */
static int graded(channel_t *ch, const char *preload)
{
    char err[256];
    if (preload && hostfile_preload(preload, err, sizeof err) < 0) {
        fprintf(stderr, "vmsh: --preload %s: %s\n", preload, err);
        return -1;
    }
    FILE *out = fopencookie(ch, "w", (cookie_io_functions_t){ .write = channel_write });
    if (!out) {
        perror("vmsh: the transcript's stream");
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    stdout = stderr = out;
#if defined(KIT_COVERAGE) || defined(__SANITIZE_ADDRESS__)
    /* A coverage build writes its counters to files at exit, and
     * LeakSanitizer starts a tracer: both would be refused (grade runs
     * release builds, always sandboxed). */
    return 0;
#endif
    sandbox_rules_t rules = { .report_fd = STDERR_FILENO };
    if (sandbox_enter(&rules, err, sizeof err) < 0) {
        dprintf(STDERR_FILENO, "vmsh: %s\n", err);
        return -1;
    }
    return 0;
}

/* Usage on stderr, for a command line that is wrong; exit status 2. */
static int bad_command_line(void)
{
    usage(stderr);
    return 2;
}

int main(int argc, char **argv)
{
    channel_t ch;
    bool by_grade = channel_from_env(&ch) == 0;
    const char *preload = NULL;
    struct vm_config cfg;
    vm_config_default(&cfg);
    uint64_t seed = 1;
    const char *scripts[SCRIPTS_MAX];
    int nscripts = 0;
    const char *settings[argc];     /* the KEY=VALUE arguments, in order */
    int nsettings = 0;
    bool stop_on_error = false;
    char err[200], note[160];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("vmsh " VMSH_VERSION "\n");
            return 0;
        } else if (!strcmp(a, "-e")) {
            stop_on_error = true;
        } else if (!strcmp(a, "--preload") && i + 1 < argc) {
            preload = argv[++i];
        } else if (!strcmp(a, "-f")) {
            if (i + 1 == argc || nscripts == SCRIPTS_MAX) {
                fprintf(stderr, "vmsh: -f needs a SCRIPT (at most %d)\n", SCRIPTS_MAX);
                return bad_command_line();
            }
            scripts[nscripts++] = argv[++i];
        } else if (a[0] != '-' && strchr(a, '=')) {
            settings[nsettings++] = a;
        } else {
            fprintf(stderr, "vmsh: unknown argument '%s'\n", a);
            return bad_command_line();
        }
    }
    if (config_apply(&cfg, &seed, settings, nsettings, err, sizeof err, note,
                     sizeof note)) {
        fprintf(stderr, "vmsh: %s\n", err);
        return bad_command_line();
    }
    if (note[0])
        fprintf(stderr, "vmsh: %s\n", note);

    if (preload && !by_grade) {
        /* --preload is grade's: without grade's channel vmsh would run the
         * scenario unconfined. */
        fprintf(stderr, "vmsh: --preload is for grade, which starts vmsh with a channel\n");
        return 2;
    }
    if (by_grade && graded(&ch, preload) < 0)
        return 2;
    struct vmsh sh;
    if (session_init(&sh, &cfg, seed)) {
        session_free(&sh);
        return 2;
    }
    sh.stop_on_error = stop_on_error;
    int status = 0;
    char params[320];
    if (nscripts == 0 && isatty(STDIN_FILENO)) {
        sh.interactive = true;
        char buf[4096];
        interactive_run(&sh, history_path(buf, sizeof buf));
    } else {
        puts(session_params(&sh, params, sizeof params));
        if (nscripts == 0)
            scripts[nscripts++] = "-";
        for (int i = 0; i < nscripts && !sh.quit; i++)
            if (batch_run_file(&sh, scripts[i], scripts[i]) == -2)
                status = 1;
        fflush(stdout);
    }
    if (stop_on_error && sh.errors)
        status = 1;
    session_free(&sh);
    hostfile_free();
    return status;
}
