/*
 * complete.h - what Tab may complete a word to, from the command table:
 * command and subcommand names, option names, and each argument's kind of
 * value (pids, files of the machine's disk, protections, policies...).
 * Kept apart from readline so the tests can ask it directly.
 */
#ifndef VMSH_COMPLETE_H
#define VMSH_COMPLETE_H

#include <stdbool.h>

#include "vmsh.h"

struct completion {
    char **words;       /* NULL-terminated, malloc'd: the candidates that
                           start with the word being completed, sorted */
    bool host_path;     /* the word is a path of the host: complete it from
                           the file system instead */
};

/*
 * complete_word - candidates for the word text, which starts at offset
 * start of line (the words before it decide what it is). Never fails:
 * no candidate is an empty list. Free with complete_free.
 */
struct completion complete_word(struct vmsh *sh, const char *line, int start,
                                const char *text);
void complete_free(struct completion *c);

#endif
