/*
 * vmshtest.h - what vmsh's tests share: running the vmsh program beside
 * the test binary as a user would (arguments, standard input, a working
 * directory; its output captured), and small file helpers.
 */
#ifndef VMSHTEST_H
#define VMSHTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "timeouts.h"

/* Seconds a test of the vmsh program may take (Valgrind: much longer). */
#define VMSH_TEST_TIMEOUT TIMEOUT(30)

/* Seconds one run of vmsh may take before it is killed: shorter than a
 * test's, so the test reports what vmsh was doing instead of Criterion's
 * bare "Timed out". */
#define VMSH_RUN_DEADLINE TIMEOUT(20)

struct vmsh_run {
    int status;     /* exit status, or 128 + the signal that killed it */
    char *out;      /* its standard output (and error, when merged) */
    char *err;      /* its standard error, "" when merged */
    bool timed_out; /* it ran past its deadline and was killed */
    double deadline;    /* that deadline, in seconds */
};

/* vt_program - the program name (vmsh, vmsh-stuck) beside this test
 * binary (fails the test when there is none). vmsh_path is vmsh's. */
const char *vt_program(const char *name);
const char *vmsh_path(void);

/*
 * vt_die_with_parent - in a child just forked by parent, before it execs:
 * the kernel kills the child (SIGKILL) when parent dies, so a test that
 * times out or crashes leaves no program of its running; the child exits
 * at once if parent has died already.
 */
void vt_die_with_parent(pid_t parent);

/*
 * vmsh_run - run the program prog (vmsh or a test build of it) with args
 * (NULL-terminated, without argv[0]) in directory dir (NULL: the kit's
 * root), input on its standard input (NULL: /dev/null), for at most
 * deadline seconds: past it, it is killed and timed_out set. merged puts
 * standard error into standard output, in order, as a transcript has it.
 * Free with vmsh_run_free.
 */
struct vmsh_run vmsh_run(const char *prog, const char *const *args, const char *input,
                         const char *dir, bool merged, double deadline);

/* vmsh_batch - vmsh_run of vmsh within VMSH_RUN_DEADLINE; a run past it
 * fails the test, with what vmsh printed until then. */
struct vmsh_run vmsh_batch(const char *const *args, const char *input,
                           const char *dir, bool merged);
void vmsh_run_free(struct vmsh_run *r);

/*
 * vmsh_timeout_text - what a run of the script at script_path that timed
 * out was doing, from its transcript r->out: "timed out after 20 s during
 * `translate 0x10000000` (line 7)", the last command it echoed and that
 * command's line in the script ("... before its first command" when none
 * was echoed). Into buf.
 */
const char *vmsh_timeout_text(const struct vmsh_run *r, const char *script_path,
                              char *buf, size_t n);

/* vt_temp_dir - a new empty directory under $TMPDIR or /tmp (name into
 * buf); vt_remove_dir removes it and everything in it. */
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
