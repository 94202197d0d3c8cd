/*
 * channel.h - results from a graded process to grade, over a pipe grade
 * made.
 *
 * grade starts mdriver, a test program or vmsh with the write end of a
 * pipe and a random nonce in its environment (GRADE_RESULT_FD,
 * GRADE_NONCE). The program takes both out of its environment before any
 * submission code runs, and sends its results as records tagged with the
 * nonce:
 *
 *     @@NONCE LENGTH\n PAYLOAD \n
 *
 * grade accepts a run's results only if everything that came through the
 * pipe is such records. What a submission prints goes to stdout and
 * stderr, never here, and it cannot know the nonce from anything it is
 * given, so nothing it prints or writes passes for a result.
 */
#ifndef CHANNEL_H
#define CHANNEL_H

#include <stdbool.h>
#include <stddef.h>

#define CHANNEL_FD_ENV "GRADE_RESULT_FD"
#define CHANNEL_NONCE_ENV "GRADE_NONCE"
#define CHANNEL_NONCE_LEN 32   /* hex digits */

typedef struct channel {
    int fd;                               /* write end (sender) or read end (grade) */
    char nonce[CHANNEL_NONCE_LEN + 1];
} channel_t;

/*
 * channel_from_env - the sender's side: take the channel out of the
 * environment (both variables unset, the nonce's bytes there wiped) and
 * mark the descriptor close-on-exec. 0 when the program was started by
 * grade, -1 when not (then c->fd is -1).
 */
int channel_from_env(channel_t *c);

/* channel_send - one record of len bytes. 0, or -1 when the pipe failed. */
int channel_send(const channel_t *c, const char *payload, size_t len);

/*
 * channel_open - grade's side: a pipe and a fresh nonce. *write_fd gets the
 * end to give the child; c->fd is the read end (close-on-exec). 0 or -1.
 */
int channel_open(channel_t *c, int *write_fd);

/* channel_env - the two environment entries for the child, into fd_var
 * and nonce_var (n bytes each). */
void channel_env(const channel_t *c, int write_fd, char *fd_var, char *nonce_var, size_t n);

/*
 * channel_next - the next record of buf[0..len) after *pos: its payload
 * (pointing into buf, not terminated) and length. 1 for a record, 0 at the
 * clean end, -2 when what is left is the start of a record cut short (the
 * writer was killed while it wrote), -1 when the bytes at *pos are not a
 * record with c's nonce (a forgery): nothing after them can be trusted.
 */
int channel_next(const channel_t *c, const char *buf, size_t len, size_t *pos,
                 const char **payload, size_t *plen);

#endif
