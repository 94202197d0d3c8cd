/*
 * test_channel.c - the results channel from a graded process to grade:
 * what channel_send writes, channel_next gives back record by record,
 * payloads of any bytes included; a record under another nonce, garbage
 * after good records and a cut record are refused (-1); channel_from_env
 * takes the channel out of the environment (and leaves nothing of it
 * there), refuses a missing or malformed one, and keeps the descriptor
 * from programs the sender would exec.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "channel.h"
#include "timeouts.h"

TestSuite(channel, .timeout = TIMEOUT(10));

/* The received bytes of a test, and how far channel_next has read them. */
typedef struct received {
    char *buf;
    size_t len, pos;
} received_t;

/* open_pair - grade's side in *rx, a sender on the pipe's write end in *tx. */
static void open_pair(channel_t *rx, channel_t *tx)
{
    int wfd;
    cr_assert(eq(int, channel_open(rx, &wfd), 0));
    tx->fd = wfd;
    memcpy(tx->nonce, rx->nonce, sizeof tx->nonce);
}

/* read_all - everything until end of file on fd (closed then). */
static received_t read_all(int fd)
{
    received_t r = { 0 };
    size_t cap = 0;
    FILE *m = open_memstream(&r.buf, &cap);
    char chunk[4096];
    ssize_t got;
    while ((got = read(fd, chunk, sizeof chunk)) > 0)
        fwrite(chunk, 1, (size_t)got, m);
    fclose(m);
    close(fd);
    r.len = cap;
    return r;
}

/* finish - the sender closes its end; all it sent, as grade reads it. */
static received_t finish(const channel_t *rx, channel_t *tx)
{
    close(tx->fd);
    tx->fd = -1;
    return read_all(rx->fd);
}

/* expect_record - the next record of r is exactly want (len bytes). */
static void expect_record(const channel_t *rx, received_t *r, const char *want, size_t len)
{
    const char *payload = NULL;
    size_t plen = 0;
    cr_assert(eq(int, channel_next(rx, r->buf, r->len, &r->pos, &payload, &plen), 1));
    cr_assert(eq(sz, plen, len));
    cr_expect(eq(int, memcmp(payload, want, len), 0), "payload [%.*s], want [%.*s]", (int)plen,
              payload, (int)len, want);
}

/* next_result - what channel_next returns for the bytes at r->pos. */
static int next_result(const channel_t *rx, received_t *r)
{
    const char *payload;
    size_t plen;
    return channel_next(rx, r->buf, r->len, &r->pos, &payload, &plen);
}

Test(channel, open_makes_a_nonce_of_32_hex_digits)
{
    channel_t rx, tx;
    open_pair(&rx, &tx);
    cr_expect(eq(sz, strlen(rx.nonce), (size_t)CHANNEL_NONCE_LEN));
    cr_expect(eq(sz, strspn(rx.nonce, "0123456789abcdef"), (size_t)CHANNEL_NONCE_LEN),
              "nonce %s", rx.nonce);
    close(rx.fd);
    close(tx.fd);
}

Test(channel, two_opens_make_different_nonces)
{
    channel_t a, b, ta, tb;
    open_pair(&a, &ta);
    open_pair(&b, &tb);
    cr_expect(ne(str, a.nonce, b.nonce));
    close(a.fd);
    close(ta.fd);
    close(b.fd);
    close(tb.fd);
}

Test(channel, open_marks_both_ends_close_on_exec)
{
    channel_t rx, tx;
    open_pair(&rx, &tx);
    cr_expect(eq(int, fcntl(rx.fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC));
    cr_expect(eq(int, fcntl(tx.fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC));
    close(rx.fd);
    close(tx.fd);
}

Test(channel, one_record_comes_back)
{
    channel_t rx, tx;
    open_pair(&rx, &tx);
    cr_assert(eq(int, channel_send(&tx, "hello", 5), 0));
    received_t r = finish(&rx, &tx);
    expect_record(&rx, &r, "hello", 5);
    cr_expect(eq(int, next_result(&rx, &r), 0));
    free(r.buf);
}

Test(channel, several_records_come_back_in_order)
{
    channel_t rx, tx;
    open_pair(&rx, &tx);
    const char *sent[] = { "first", "second record", "3" };
    for (int i = 0; i < 3; i++)
        cr_assert(eq(int, channel_send(&tx, sent[i], strlen(sent[i])), 0));
    received_t r = finish(&rx, &tx);
    for (int i = 0; i < 3; i++)
        expect_record(&rx, &r, sent[i], strlen(sent[i]));
    cr_expect(eq(int, next_result(&rx, &r), 0));
    free(r.buf);
}

Test(channel, an_empty_payload_is_a_record)
{
    channel_t rx, tx;
    open_pair(&rx, &tx);
    cr_assert(eq(int, channel_send(&tx, "", 0), 0));
    cr_assert(eq(int, channel_send(&tx, "after", 5), 0));
    received_t r = finish(&rx, &tx);
    expect_record(&rx, &r, "", 0);
    expect_record(&rx, &r, "after", 5);
    cr_expect(eq(int, next_result(&rx, &r), 0));
    free(r.buf);
}

Test(channel, newlines_and_at_signs_in_a_payload_stay_in_it)
{
    channel_t rx, tx;
    open_pair(&rx, &tx);
    char payload[128];
    int n = snprintf(payload, sizeof payload, "a\n@@%s 3\nxyz\n\n@@", rx.nonce);
    cr_assert(eq(int, channel_send(&tx, payload, (size_t)n), 0));
    received_t r = finish(&rx, &tx);
    expect_record(&rx, &r, payload, (size_t)n);
    cr_expect(eq(int, next_result(&rx, &r), 0));
    free(r.buf);
}

Test(channel, a_record_under_another_nonce_is_refused)
{
    channel_t rx, tx, other, otx;
    open_pair(&rx, &tx);
    open_pair(&other, &otx);
    close(other.fd);
    close(otx.fd);
    memcpy(tx.nonce, other.nonce, sizeof tx.nonce);
    cr_assert(eq(int, channel_send(&tx, "forged", 6), 0));
    received_t r = finish(&rx, &tx);
    cr_expect(eq(int, next_result(&rx, &r), -1));
    free(r.buf);
}

Test(channel, garbage_after_good_records_is_refused_after_them)
{
    channel_t rx, tx;
    open_pair(&rx, &tx);
    cr_assert(eq(int, channel_send(&tx, "one", 3), 0));
    cr_assert(eq(int, channel_send(&tx, "two", 3), 0));
    cr_assert(eq(i64, (int64_t)write(tx.fd, "junk\n", 5), 5));
    received_t r = finish(&rx, &tx);
    expect_record(&rx, &r, "one", 3);
    expect_record(&rx, &r, "two", 3);
    cr_expect(eq(int, next_result(&rx, &r), -1));
    free(r.buf);
}

/* A writer killed while it wrote leaves the start of a record: cut, which
 * is not a forgery (-2, not -1). */
Test(channel, a_record_cut_short_is_cut_not_forged)
{
    channel_t rx, tx;
    open_pair(&rx, &tx);
    char head[64];
    int n = snprintf(head, sizeof head, "@@%s 10\nhello", rx.nonce);
    cr_assert(eq(i64, (int64_t)write(tx.fd, head, (size_t)n), n));
    received_t r = finish(&rx, &tx);
    cr_expect(eq(int, next_result(&rx, &r), -2));
    free(r.buf);
}

Test(channel, a_record_without_its_last_newline_is_cut)
{
    channel_t rx, tx;
    open_pair(&rx, &tx);
    cr_assert(eq(int, channel_send(&tx, "hello", 5), 0));
    received_t r = finish(&rx, &tx);
    r.len--;    /* the record's closing newline */
    cr_expect(eq(int, next_result(&rx, &r), -2));
    free(r.buf);
}

Test(channel, a_header_cut_in_its_nonce_is_cut)
{
    channel_t rx, tx;
    open_pair(&rx, &tx);
    char head[64];
    int n = snprintf(head, sizeof head, "@@%.10s", rx.nonce);
    cr_assert(eq(i64, (int64_t)write(tx.fd, head, (size_t)n), n));
    received_t r = finish(&rx, &tx);
    cr_expect(eq(int, next_result(&rx, &r), -2));
    free(r.buf);
}

Test(channel, a_record_whose_length_overruns_into_garbage_is_forged)
{
    channel_t rx, tx;
    open_pair(&rx, &tx);
    char head[64];
    int n = snprintf(head, sizeof head, "@@%s 3\nhello\n", rx.nonce);
    cr_assert(eq(i64, (int64_t)write(tx.fd, head, (size_t)n), n));
    received_t r = finish(&rx, &tx);
    cr_expect(eq(int, next_result(&rx, &r), -1));
    free(r.buf);
}

Test(channel, send_without_a_channel_fails)
{
    channel_t none = { .fd = -1 };
    cr_expect(eq(int, channel_send(&none, "x", 1), -1));
}

/* --- the sender's side: the environment ---------------------------------- */

/* set_env - the two variables as grade gives them: fd, and nonce as text. */
static void set_env(int fd, const char *nonce)
{
    char text[16];
    snprintf(text, sizeof text, "%d", fd);
    setenv(CHANNEL_FD_ENV, text, 1);
    setenv(CHANNEL_NONCE_ENV, nonce, 1);
}

static const char good_nonce[] = "0123456789abcdef0123456789abcdef";

Test(channel, from_env_takes_the_fd_and_the_nonce)
{
    int p[2];
    cr_assert(eq(int, pipe(p), 0));
    set_env(p[1], good_nonce);
    channel_t c;
    cr_assert(eq(int, channel_from_env(&c), 0));
    cr_expect(eq(int, c.fd, p[1]));
    cr_expect(eq(str, c.nonce, (char *)good_nonce));
    close(p[0]);
    close(p[1]);
}

Test(channel, from_env_leaves_neither_variable_in_the_environment)
{
    int p[2];
    cr_assert(eq(int, pipe(p), 0));
    set_env(p[1], good_nonce);
    channel_t c;
    cr_assert(eq(int, channel_from_env(&c), 0));
    cr_expect(eq(ptr, getenv(CHANNEL_FD_ENV), NULL));
    cr_expect(eq(ptr, getenv(CHANNEL_NONCE_ENV), NULL));
    close(p[0]);
    close(p[1]);
}

Test(channel, from_env_wipes_the_nonce_bytes_channel_env_made)
{
    channel_t rx, tx;
    open_pair(&rx, &tx);
    /* putenv keeps these very strings in the environment. */
    static char fd_var[128], nonce_var[128];
    channel_env(&rx, tx.fd, fd_var, nonce_var, sizeof fd_var);
    char want_fd[64];
    snprintf(want_fd, sizeof want_fd, CHANNEL_FD_ENV "=%d", tx.fd);
    cr_expect(eq(str, fd_var, want_fd));
    putenv(fd_var);
    putenv(nonce_var);
    channel_t c;
    cr_assert(eq(int, channel_from_env(&c), 0));
    cr_expect(eq(str, c.nonce, rx.nonce));
    cr_expect(eq(ptr, strstr(nonce_var, rx.nonce), NULL), "%s still holds the nonce", nonce_var);
    close(rx.fd);
    close(tx.fd);
}

Test(channel, from_env_without_the_variables_is_minus_1)
{
    unsetenv(CHANNEL_FD_ENV);
    unsetenv(CHANNEL_NONCE_ENV);
    channel_t c;
    cr_expect(eq(int, channel_from_env(&c), -1));
    cr_expect(eq(int, c.fd, -1));
}

Test(channel, from_env_with_a_short_nonce_is_minus_1)
{
    int p[2];
    cr_assert(eq(int, pipe(p), 0));
    set_env(p[1], "0123456789abcdef");
    channel_t c;
    cr_expect(eq(int, channel_from_env(&c), -1));
    cr_expect(eq(int, c.fd, -1));
    close(p[0]);
    close(p[1]);
}

Test(channel, from_env_with_a_long_nonce_is_minus_1)
{
    int p[2];
    cr_assert(eq(int, pipe(p), 0));
    set_env(p[1], "0123456789abcdef0123456789abcdef0");
    channel_t c;
    cr_expect(eq(int, channel_from_env(&c), -1));
    cr_expect(eq(int, c.fd, -1));
    close(p[0]);
    close(p[1]);
}

Test(channel, from_env_with_a_closed_fd_is_minus_1)
{
    int p[2];
    cr_assert(eq(int, pipe(p), 0));
    close(p[0]);
    close(p[1]);
    set_env(p[1], good_nonce);
    channel_t c;
    cr_expect(eq(int, channel_from_env(&c), -1));
    cr_expect(eq(int, c.fd, -1));
}

Test(channel, from_env_with_an_fd_that_is_not_a_number_is_minus_1)
{
    setenv(CHANNEL_FD_ENV, "7x", 1);
    setenv(CHANNEL_NONCE_ENV, good_nonce, 1);
    channel_t c;
    cr_expect(eq(int, channel_from_env(&c), -1));
    cr_expect(eq(int, c.fd, -1));
}

Test(channel, from_env_refuses_a_standard_descriptor)
{
    set_env(STDOUT_FILENO, good_nonce);
    channel_t c;
    cr_expect(eq(int, channel_from_env(&c), -1));
    cr_expect(eq(int, c.fd, -1));
}

Test(channel, from_env_marks_the_fd_close_on_exec)
{
    int p[2];
    cr_assert(eq(int, pipe(p), 0));
    cr_assert(eq(int, fcntl(p[1], F_GETFD) & FD_CLOEXEC, 0));
    set_env(p[1], good_nonce);
    channel_t c;
    cr_assert(eq(int, channel_from_env(&c), 0));
    cr_expect(eq(int, fcntl(p[1], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC));
    close(p[0]);
    close(p[1]);
}

Test(channel, a_child_started_with_channel_env_sends_records_grade_reads)
{
    channel_t rx;
    int wfd;
    cr_assert(eq(int, channel_open(&rx, &wfd), 0));
    char fd_var[128], nonce_var[128];
    channel_env(&rx, wfd, fd_var, nonce_var, sizeof fd_var);
    fflush(NULL);
    pid_t pid = fork();
    cr_assert(ne(int, pid, -1));
    if (pid == 0) {
        close(rx.fd);
        putenv(fd_var);
        putenv(nonce_var);
        channel_t tx;
        int ok = channel_from_env(&tx) == 0 && channel_send(&tx, "result 1", 8) == 0 &&
                 channel_send(&tx, "result 2", 8) == 0;
        _exit(ok ? 0 : 1);
    }
    close(wfd);
    received_t r = read_all(rx.fd);
    int status;
    cr_assert(eq(int, waitpid(pid, &status, 0), pid));
    cr_expect(eq(int, WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0));
    expect_record(&rx, &r, "result 1", 8);
    expect_record(&rx, &r, "result 2", 8);
    cr_expect(eq(int, next_result(&rx, &r), 0));
    free(r.buf);
}
