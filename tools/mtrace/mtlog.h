/*
 * mtlog.h - the log that libmtrace.so writes: one file per process image.
 *
 * A log is a header followed by fixed-size records, in the order the calls
 * happened in that process (the recorder holds one lock across each real
 * call and its record, so the order is a true order even with threads).
 * Integers are in the machine's own byte order: a log is a temporary file
 * read back on the machine that wrote it, never something to ship.
 *
 * The file is PREFIX.PID, or PREFIX.PID.N when an earlier image of the same
 * process (before an exec) already took that name.
 */
#ifndef MTLOG_H
#define MTLOG_H

#include <stdint.h>

#define MTLOG_MAGIC "MTRACE\0\1"
#define MTLOG_MAGIC_LEN 8
#define MTLOG_VERSION 1
#define MTLOG_VERSION_TEXT "1"
#define MTLOG_CMD_LEN 224 /* bytes of the command line kept, NUL-terminated */

/* The environment variable that names the log prefix. */
#define MTLOG_ENV "MTRACE_LOG"
/* The prefix used when MTRACE_LOG is not set. */
#define MTLOG_DEFAULT_PREFIX "mtrace.log"

struct mtlog_header {
    char magic[MTLOG_MAGIC_LEN];
    uint32_t version;
    uint32_t record_size; /* sizeof(struct mtlog_record) of the writer */
    uint64_t pid;
    uint64_t ppid;
    char cmd[MTLOG_CMD_LEN]; /* argv joined by spaces, truncated */
};

enum mtlog_op {
    MTLOG_MALLOC = 1,      /* size -> result */
    MTLOG_CALLOC,          /* size = nmemb * size (saturated) -> result */
    MTLOG_REALLOC,         /* ptr, size -> result (0 when it failed or freed) */
    MTLOG_FREE,            /* ptr */
    MTLOG_MEMALIGN,        /* aux = alignment, size -> result; the whole family */
    MTLOG_END,             /* aux = enum mtlog_end: this image is ending, the
                              buffer was written; records may still follow
                              (late destructors, a failed exec) */
    MTLOG_OP_LIMIT
};

enum mtlog_end {
    MTLOG_END_EXIT,        /* exit() or a return from main */
    MTLOG_END__EXIT,       /* _exit() or _Exit() */
    MTLOG_END_EXEC,        /* execve(), execv(), execvp(), execvpe() */
};

struct mtlog_record {
    uint32_t op;      /* enum mtlog_op */
    uint32_t aux;     /* memalign family: the alignment (0 if it exceeds 32
                         bits); MTLOG_END: enum mtlog_end */
    uint64_t ptr;     /* the block handed in: free, realloc */
    uint64_t size;    /* the bytes asked for */
    uint64_t result;  /* the block handed out; 0 for none or failure */
};

#endif
