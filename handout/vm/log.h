/*
 * log.h - the machine's event log: one line per event, in the order the
 * events happen, deterministic, for vmsh to show and for tests to read.
 *
 * Levels (each includes those before it):
 *   LOG_OFF     nothing
 *   LOG_EVENTS  faults and how they ended, kills, pageout runs, evictions,
 *               reclaims, disk transfers, copies on write
 *   LOG_TLB     also TLB misses, frame allocation and freeing, CR3 loads
 *   LOG_REFS    also every memory reference
 * Lines made while the kernel handles a fault are indented by two spaces.
 *
 * Lines go to a sink function when one is set, else to a buffer the caller
 * reads (vmlog_text) and clears (vmlog_clear). The buffer holds at most
 * VMLOG_LIMIT bytes; lines past that are counted, not kept. Producers call
 * vm_logging() before formatting anything, so a machine that logs nothing
 * pays one comparison per event.
 */
#ifndef VM_LOG_H
#define VM_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum log_level { LOG_OFF, LOG_EVENTS, LOG_TLB, LOG_REFS };

#define VMLOG_LIMIT ((size_t)1 << 22)

typedef void (*vmlog_sink_t)(void *ctx, const char *line);

struct vmlog {
    int level;          /* enum log_level */
    int depth;          /* indentation: 1 while a fault is handled */
    vmlog_sink_t sink;  /* when set, lines go here, not to buf */
    void *sink_ctx;
    char *buf;          /* NUL-terminated lines, each ending in '\n' */
    size_t len, cap;
    uint64_t dropped;   /* lines lost to VMLOG_LIMIT */
};

/* vmlog_add - append one line (printf format, no newline) when level is
 * on. The caller has usually checked already; this checks again. */
void vmlog_add(struct vmlog *l, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* vmlog_text - the lines kept since the last clear ("" when none). */
const char *vmlog_text(const struct vmlog *l);

/* vmlog_clear - forget the kept lines and the dropped count. */
void vmlog_clear(struct vmlog *l);

/* vmlog_destroy - free the buffer. */
void vmlog_destroy(struct vmlog *l);

/* vmlog_on - whether a line of level would be kept. */
static inline bool vmlog_on(const struct vmlog *l, int level)
{
    return l->level >= level;
}

/* vmlog_level_name, vmlog_level_parse - "off", "events", "tlb", "refs". */
const char *vmlog_level_name(int level);
int vmlog_level_parse(const char *name);    /* -1 when unknown */

#endif
