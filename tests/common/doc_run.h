/*
 * doc_run.h - running a command a doc shows, as the docs' tests do
 * (test_lecture_map.c, test_doc_commands.c): /bin/sh -c from the kit's
 * root, in an environment of its own, both output streams caught, killed
 * with all it started at a deadline; and reading the doc.
 */
#ifndef DOC_RUN_H
#define DOC_RUN_H

#include <stdbool.h>

/*
 * doc_run - cmd with /bin/sh -c in the kit's root (KIT_ROOT). Its
 * environment is env (NAME=VALUE strings, NULL-ended) with LC_ALL=C.UTF-8
 * and this process's TMPDIR and sanitizer options: a Criterion runner or
 * a make the command starts must not see this one's variables. Its output
 * (both streams) into *out, malloc'd. After seconds it is killed, with its
 * process group, and *timed_out is set. Returns its wait status.
 */
int doc_run(const char *cmd, const char *const *env, double seconds, char **out,
            bool *timed_out);

/* doc_read_file - the whole of the file at path, malloc'd; NULL if it
 * cannot be read. */
char *doc_read_file(const char *path);

/* doc_tail - the last part of a long output, for a message. */
const char *doc_tail(const char *out);

#endif
