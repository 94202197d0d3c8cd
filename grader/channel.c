/*
 * channel.c - nonce-tagged records over a pipe (see channel.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/uio.h>
#include <unistd.h>

#include "channel.h"

int channel_from_env(channel_t *c)
{
    c->fd = -1;
    c->nonce[0] = '\0';
    char *fd_text = getenv(CHANNEL_FD_ENV), *nonce = getenv(CHANNEL_NONCE_ENV);
    int fd = -1;
    bool ok = fd_text && nonce && strlen(nonce) == CHANNEL_NONCE_LEN;
    if (ok) {
        char *end;
        long v = strtol(fd_text, &end, 10);
        ok = end != fd_text && !*end && v > 2 && v < 1024 && fcntl((int)v, F_GETFD) >= 0;
        fd = (int)v;
    }
    if (ok) {
        memcpy(c->nonce, nonce, CHANNEL_NONCE_LEN + 1);
        c->fd = fd;
        fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    /* unsetenv drops the entry but not its bytes: wipe them first. */
    if (nonce)
        memset(nonce, 'x', strlen(nonce));
    unsetenv(CHANNEL_NONCE_ENV);
    unsetenv(CHANNEL_FD_ENV);
    return ok ? 0 : -1;
}

int channel_send(const channel_t *c, const char *payload, size_t len)
{
    if (c->fd < 0)
        return -1;
    char head[64];
    int h = snprintf(head, sizeof head, "@@%s %zu\n", c->nonce, len);
    /* One writev: a record is whole in the pipe, or cut only by a kill. */
    struct iovec v[3] = { { head, (size_t)h }, { (void *)payload, len }, { "\n", 1 } };
    size_t left = (size_t)h + len + 1;
    int i = 0;
    while (left > 0) {
        ssize_t w = writev(c->fd, v + i, 3 - i);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        left -= (size_t)w;
        while (i < 3 && (size_t)w >= v[i].iov_len) {
            w -= (ssize_t)v[i].iov_len;
            i++;
        }
        if (i < 3) {
            v[i].iov_base = (char *)v[i].iov_base + w;
            v[i].iov_len -= (size_t)w;
        }
    }
    return 0;
}

int channel_open(channel_t *c, int *write_fd)
{
    unsigned char raw[CHANNEL_NONCE_LEN / 2];
    size_t got = 0;
    while (got < sizeof raw) {
        ssize_t r = getrandom(raw + got, sizeof raw - got, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        got += (size_t)r;
    }
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(c->nonce + 2 * i, 3, "%02x", raw[i]);
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0)
        return -1;
    c->fd = p[0];
    *write_fd = p[1];
    return 0;
}

void channel_env(const channel_t *c, int write_fd, char *fd_var, char *nonce_var, size_t n)
{
    snprintf(fd_var, n, CHANNEL_FD_ENV "=%d", write_fd);
    snprintf(nonce_var, n, CHANNEL_NONCE_ENV "=%s", c->nonce);
}

int channel_next(const channel_t *c, const char *buf, size_t len, size_t *pos,
                 const char **payload, size_t *plen)
{
    size_t at = *pos;
    if (at == len)
        return 0;
    size_t head = 2 + CHANNEL_NONCE_LEN + 1;
    /* What is left may be the start of a record, cut by a kill. */
    char want[2 + CHANNEL_NONCE_LEN + 2];
    snprintf(want, sizeof want, "@@%s ", c->nonce);
    if (len - at < head)
        return memcmp(buf + at, want, len - at) == 0 ? -2 : -1;
    if (memcmp(buf + at, want, head) != 0)
        return -1;
    at += head;
    size_t n = 0;
    int digits = 0;
    while (at < len && buf[at] >= '0' && buf[at] <= '9' && digits < 12) {
        n = 10 * n + (size_t)(buf[at++] - '0');
        digits++;
    }
    if (at >= len && digits)
        return -2;
    if (!digits || buf[at] != '\n')
        return -1;
    at++;
    if (len - at < n + 1)
        return -2;
    if (buf[at + n] != '\n')
        return -1;
    *payload = buf + at;
    *plen = n;
    *pos = at + n + 1;
    return 1;
}
