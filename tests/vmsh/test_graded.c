/*
 * test_graded.c - vmsh as grade runs it (grade's channel in its
 * environment, --preload): every file the scripts read comes from the
 * copies read first, and the transcript, both streams in order, goes
 * through the channel alone: what reaches descriptors 1 and 2 is not part
 * of it.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "channel.h"
#include "vmshtest.h"

TestSuite(graded, .timeout = VMSH_TEST_TIMEOUT);

typedef struct graded {
    char *transcript;       /* the channel's records, joined */
    bool clean;             /* nothing but records came through */
    char *out;              /* descriptors 1 and 2 */
    int status;
} graded_t;

/* run_graded - vmsh with args in dir, as grade starts it. */
static graded_t run_graded(const char *dir, const char *const *args)
{
    channel_t ch;
    int w;
    cr_assert_eq(channel_open(&ch, &w), 0);
    char out_path[] = "/tmp/vmsh-graded-XXXXXX";
    int out = mkstemp(out_path);
    cr_assert_geq(out, 0);
    const char *argv[16] = { vmsh_path() };
    int n = 1;
    for (; args[n - 1] && n < 15; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    pid_t parent = getpid();
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        vt_die_with_parent(parent);
        char fd_var[64], nonce_var[96];
        channel_env(&ch, 3, fd_var, nonce_var, sizeof fd_var);
        if (dup2(w, 3) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0 || chdir(dir) < 0)
            _exit(127);
        char *env[] = { fd_var, nonce_var, NULL };
        execve(argv[0], (char *const *)argv, env);
        _exit(127);
    }
    close(w);
    char *raw = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 65536 > cap) {
            cap = 2 * (len + 65536);
            raw = realloc(raw, cap);
        }
        ssize_t got = read(ch.fd, raw + len, 65536);
        if (got <= 0)
            break;
        len += (size_t)got;
    }
    close(ch.fd);
    int st;
    waitpid(pid, &st, 0);
    graded_t g = { .status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st),
                   .clean = true };
    size_t pos = 0, n2, tlen = 0;
    const char *p;
    int r;
    g.transcript = calloc(len + 1, 1);
    while ((r = channel_next(&ch, raw ? raw : "", len, &pos, &p, &n2)) == 1) {
        memcpy(g.transcript + tlen, p, n2);
        tlen += n2;
    }
    g.clean = r == 0;
    free(raw);
    g.out = vt_read_file(out_path);
    close(out);
    remove(out_path);
    return g;
}

static void expect_golden(const char *name)
{
    char script[64], golden[512];
    snprintf(script, sizeof script, "%s.vmsh", name);
    snprintf(golden, sizeof golden, KIT_ROOT "/traces/vm/%s.out", name);
    const char *args[] = { "--preload", "..", "-f", script, NULL };
    graded_t g = run_graded(KIT_ROOT "/traces/vm", args);
    char *want = vt_read_file(golden);
    cr_assert_not_null(want);
    cr_assert(g.clean, "something that is not a record came through the channel");
    cr_assert_eq(g.status, 0, "vmsh: %s", g.out);
    cr_assert_str_eq(g.transcript, want);
    cr_assert_str_empty(g.out, "descriptors 1 and 2 got: %s", g.out);
    free(want);
    free(g.transcript);
    free(g.out);
}

Test(graded, the_transcript_comes_through_the_channel)
{
    expect_golden("walk");
}

Test(graded, a_sourced_script_comes_from_the_copies_read_first)
{
    expect_golden("shell");
}

Test(graded, a_reference_stream_comes_from_the_copies_read_first)
{
    expect_golden("belady");
}

Test(graded, a_file_outside_the_preloaded_folder_cannot_be_read)
{
    const char *args[] = { "--preload", ".", "-f", "walk.vmsh", "-f", "/etc/hostname", NULL };
    graded_t g = run_graded(KIT_ROOT "/traces/vm", args);
    cr_assert(strstr(g.transcript, "cannot open /etc/hostname: No such file or directory"),
              "%s", g.transcript);
    free(g.transcript);
    free(g.out);
}
