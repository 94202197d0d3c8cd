/*
 * vmshtest.h - what vmsh's tests share: running the vmsh program beside
 * the test binary as a user would (arguments, standard input, a working
 * directory; its output captured), and small file helpers.
 */
#ifndef VMSHTEST_H
#define VMSHTEST_H

#include <stdbool.h>
#include <stddef.h>

#include "timeouts.h"

/* Seconds a test of the vmsh program may take (Valgrind: much longer). */
#define VMSH_TEST_TIMEOUT TIMEOUT(30)

struct vmsh_run {
    int status;     /* exit status, or 128 + the signal that killed it */
    char *out;      /* its standard output (and error, when merged) */
    char *err;      /* its standard error, "" when merged */
};

/* vmsh_path - the vmsh program beside this test binary (fails the test
 * when there is none). */
const char *vmsh_path(void);

/*
 * vmsh_batch - run vmsh with args (NULL-terminated, without argv[0]) in
 * directory dir (NULL: the kit's root), input on its standard input
 * (NULL: /dev/null). merged puts standard error into standard output, in
 * order, as a transcript has it. Free with vmsh_run_free.
 */
struct vmsh_run vmsh_batch(const char *const *args, const char *input,
                           const char *dir, bool merged);
void vmsh_run_free(struct vmsh_run *r);

/* vt_temp_dir - a new empty directory under /tmp (name into buf);
 * vt_remove_dir removes it and what it holds (one level deep). */
void vt_temp_dir(char *buf, size_t n);
void vt_remove_dir(const char *dir);

/* vt_read_file - a file's contents, NUL-terminated, malloc'd; NULL when it
 * cannot be read. vt_write_file - write text to dir/name (path into buf). */
char *vt_read_file(const char *path);
void vt_write_file(const char *dir, const char *name, const char *text,
                   char *path, size_t n);

/* vt_count_lines - lines of text that start with prefix. */
int vt_count_lines(const char *text, const char *prefix);

/* vt_line_with - the first line of text containing needle, copied into
 * buf (empty when none). */
const char *vt_line_with(const char *text, const char *needle, char *buf, size_t n);

#endif
