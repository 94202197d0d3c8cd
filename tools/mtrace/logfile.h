/*
 * logfile.h - reading the logs libmtrace.so writes (format: mtlog.h), and
 * choosing which process of a recording to convert.
 */
#ifndef LOGFILE_H
#define LOGFILE_H

#include <stddef.h>
#include <stdio.h>

#include "mtlog.h"

struct mtlog_info {
    char *path;                 /* owned; freed by mtlog_info_free */
    struct mtlog_header header;
    size_t records;             /* whole records in the file */
};

/*
 * mtlog_probe - read the header of the log at path and count its records.
 * -1 with "path: what was expected" on stderr when it is not a log this
 * version reads. A partial record at the end (a process killed while it
 * wrote) is left out of the count, with a warning.
 */
int mtlog_probe(const char *path, struct mtlog_info *info);

/*
 * mtlog_load - the first info->records records of info's log, in a new
 * array the caller frees. NULL with a message on stderr when the file cannot
 * be read or holds a record with an unknown op.
 */
struct mtlog_record *mtlog_load(const struct mtlog_info *info);

/* mtlog_program - the last path component of the command's first word. */
void mtlog_program(const struct mtlog_header *h, char *buf, size_t cap);

/*
 * mtlog_choose - the index of the log to convert: among the logs of process
 * pid (any when pid < 0) whose program is name (any when NULL), the one with
 * the most records; the earliest on a tie. -1 when none matches.
 */
long mtlog_choose(const struct mtlog_info *logs, size_t n, long pid, const char *name);

/* mtlog_list - one line per log (pid, ppid, records, command), marking the
 * chosen one (none when chosen < 0). */
void mtlog_list(FILE *f, const struct mtlog_info *logs, size_t n, long chosen);

void mtlog_info_free(struct mtlog_info *info);

#endif
