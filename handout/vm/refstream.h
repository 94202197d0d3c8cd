/*
 * refstream.h - a stream of memory references read from a file, for the
 * replacement experiments and for replays through the machine.
 *
 * Two formats:
 *   pages   one page number per line, decimal or 0x-hex; blank lines and
 *           '#' comments are skipped. Each page p is a read of p << 12.
 *   lackey  the output of valgrind --tool=lackey --trace-mem=yes:
 *           "I  ADDR,SIZE" (fetch), " L ADDR,SIZE" (load), " S ADDR,SIZE"
 *           (store), " M ADDR,SIZE" (modify: one reference, a write);
 *           ADDR hex without 0x. Lines starting "==" are Valgrind's own.
 * A line that fits neither is reported as "FILE:LINE: expected ..." and
 * skipped; the rest is read.
 */
#ifndef VM_REFSTREAM_H
#define VM_REFSTREAM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pte.h"

enum ref_format { REF_AUTO, REF_PAGES, REF_LACKEY };

struct refstream {
    vaddr_t *va;        /* the address of each reference */
    uint8_t *kind;      /* its enum access */
    size_t n, cap;
    unsigned errors;    /* lines skipped */
};

#define REFSTREAM_MAX_ERRORS_SHOWN 10

/*
 * refstream_load - read the file at path (format REF_AUTO: lackey if its
 * first meaningful line looks like lackey's, else pages) into s, which is
 * initialized here. Errors of lines go to err (the first
 * REFSTREAM_MAX_ERRORS_SHOWN, then a count). 0, or -errno when the file
 * cannot be opened or read (-EISDIR: path is a directory) or memory runs
 * out (s is then empty).
 */
int refstream_load(struct refstream *s, const char *path, int format,
                   FILE *err);

/* refstream_read - the same from an open stream; name is for messages.
 * -errno when the stream cannot be read. */
int refstream_read(struct refstream *s, FILE *in, const char *name,
                   int format, FILE *err);

void refstream_free(struct refstream *s);

/* refstream_format_parse - "auto", "pages", "lackey"; -1 when unknown. */
int refstream_format_parse(const char *name);

#endif
