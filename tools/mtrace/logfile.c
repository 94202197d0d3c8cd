/*
 * logfile.c - reading recorder logs and choosing one (logfile.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "logfile.h"

int mtlog_probe(const char *path, struct mtlog_info *info)
{
    *info = (struct mtlog_info){ 0 };
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
        return -1;
    }
    struct mtlog_header h;
    struct stat st;
    const char *bad = NULL;
    if (fread(&h, sizeof h, 1, f) != 1 || memcmp(h.magic, MTLOG_MAGIC, MTLOG_MAGIC_LEN) != 0)
        bad = "expected an mtrace log (its header is missing)";
    else if (h.version != MTLOG_VERSION)
        bad = "expected an mtrace log of this version (" MTLOG_VERSION_TEXT ")";
    else if (h.record_size != sizeof(struct mtlog_record))
        bad = "expected records of this build's size (the log comes from another build)";
    else if (fstat(fileno(f), &st) < 0)
        bad = "cannot stat";
    fclose(f);
    if (bad) {
        fprintf(stderr, "%s: %s\n", path, bad);
        return -1;
    }
    h.cmd[MTLOG_CMD_LEN - 1] = '\0';
    size_t body = (size_t)st.st_size - sizeof h;
    if (body % sizeof(struct mtlog_record))
        fprintf(stderr, "%s: warning: ignoring a partial record at the end\n", path);
    info->path = strdup(path);
    if (!info->path) {
        fprintf(stderr, "%s: out of memory\n", path);
        return -1;
    }
    info->header = h;
    info->records = body / sizeof(struct mtlog_record);
    return 0;
}

struct mtlog_record *mtlog_load(const struct mtlog_info *info)
{
    FILE *f = fopen(info->path, "rb");
    if (!f) {
        fprintf(stderr, "%s: cannot open: %s\n", info->path, strerror(errno));
        return NULL;
    }
    struct mtlog_record *recs = malloc((info->records ? info->records : 1) * sizeof *recs);
    if (!recs) {
        fprintf(stderr, "%s: out of memory for %zu records\n", info->path, info->records);
        fclose(f);
        return NULL;
    }
    bool ok = fseek(f, sizeof(struct mtlog_header), SEEK_SET) == 0
              && fread(recs, sizeof *recs, info->records, f) == info->records;
    fclose(f);
    if (!ok) {
        fprintf(stderr, "%s: expected %zu records, could not read them\n", info->path, info->records);
        free(recs);
        return NULL;
    }
    for (size_t i = 0; i < info->records; i++) {
        if (recs[i].op == 0 || recs[i].op >= MTLOG_OP_LIMIT) {
            fprintf(stderr, "%s: record %zu: expected an op from 1 to %d, found %u\n", info->path,
                    i, MTLOG_OP_LIMIT - 1, recs[i].op);
            free(recs);
            return NULL;
        }
    }
    return recs;
}

void mtlog_program(const struct mtlog_header *h, char *buf, size_t cap)
{
    size_t end = strcspn(h->cmd, " ");
    size_t start = end;
    while (start > 0 && h->cmd[start - 1] != '/')
        start--;
    size_t n = end - start < cap - 1 ? end - start : cap - 1;
    memcpy(buf, h->cmd + start, n);
    buf[n] = '\0';
}

long mtlog_choose(const struct mtlog_info *logs, size_t n, long pid, const char *name)
{
    long best = -1;
    char prog[MTLOG_CMD_LEN];
    for (size_t i = 0; i < n; i++) {
        if (pid >= 0 && logs[i].header.pid != (uint64_t)pid)
            continue;
        mtlog_program(&logs[i].header, prog, sizeof prog);
        if (name && strcmp(prog, name) != 0)
            continue;
        if (best < 0 || logs[i].records > logs[best].records)
            best = (long)i;
    }
    return best;
}

void mtlog_list(FILE *f, const struct mtlog_info *logs, size_t n, long chosen)
{
    fprintf(f, "#   %8s %8s %10s  %s\n", "pid", "ppid", "records", "command");
    for (size_t i = 0; i < n; i++)
        fprintf(f, "# %c %8llu %8llu %10zu  %s\n", (long)i == chosen ? '*' : ' ',
                (unsigned long long)logs[i].header.pid, (unsigned long long)logs[i].header.ppid,
                logs[i].records, logs[i].header.cmd);
}

void mtlog_info_free(struct mtlog_info *info)
{
    free(info->path);
    *info = (struct mtlog_info){ 0 };
}
