/*
 * cmd_file.c - the machine's disk as a program's read(2) and write(2) see
 * it: make a file, dump it, write to it. These go through the page cache
 * and are not paging transfers: no disk read or write is counted.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "print.h"

#define CAT_DEFAULT ((uint64_t)4 << 10)
#define CAT_MAX ((uint64_t)64 << 10)

enum pattern { PATTERN_ZERO, PATTERN_SEQ, PATTERN_RANDOM, PATTERN_TEXT };

/* Fills page-sized chunks of file id with the pattern. */
static void fill(struct vmsh *sh, int id, uint64_t size, enum pattern pat,
                 const char *text, size_t tlen)
{
    uint8_t *chunk = session_temp(sh, PAGE_SIZE);
    for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
        uint64_t n = size - off < PAGE_SIZE ? size - off : PAGE_SIZE;
        for (uint64_t i = 0; i < n; i++) {
            uint64_t at = off + i;
            chunk[i] = pat == PATTERN_SEQ ? (uint8_t)at
                     : pat == PATTERN_RANDOM ? (uint8_t)rng_next(&sh->rng)
                     : (uint8_t)text[at % tlen];
        }
        disk_file_write(sh->m, id, off, chunk, n);
    }
}

int cmd_file_create(struct vmsh *sh, const struct call *c)
{
    uint64_t size;
    if (!arg_number(c, c->argv[1], "SIZE", &size))
        return -1;
    if (size == 0 || size > DISK_FILE_MAX)
        return call_usage(c, "file create: SIZE is %" PRIu64 ", expected 1 to 1G", size);
    enum pattern pat = PATTERN_ZERO;
    const char *p = c->argc == 3 ? c->argv[2] : "zero";
    if (c->argc == 3 && c->quoted[2]) {
        if (c->len[2] == 0)
            return call_usage(c, "file create: the PATTERN string is empty");
        pat = PATTERN_TEXT;
    } else if (!strcmp(p, "seq")) {
        pat = PATTERN_SEQ;
    } else if (!strcmp(p, "random")) {
        pat = PATTERN_RANDOM;
    } else if (strcmp(p, "zero") != 0) {
        return call_usage(c, "file create: bad PATTERN '%s': expected zero, seq, random "
                          "or a \"quoted string\"", p);
    }
    bool ro = call_option(c, "--readonly", NULL);
    char err[64];
    int id = disk_file_create(sh->m, c->argv[0], size, ro);
    if (id == -EINVAL)
        return sh_error(sh, "file create: bad NAME '%s': a name has no blanks and does "
                        "not start with shm:", c->argv[0]);
    if (id < 0)
        return sh_error(sh, "file create: %s: %s", c->argv[0],
                        errno_text(id, err, sizeof err));
    if (pat != PATTERN_ZERO)
        fill(sh, id, size, pat, c->argc == 3 ? c->argv[2] : "", c->argc == 3 ? c->len[2] : 0);
    char stext[24];
    const struct disk_file *df = disk_file(sh->m, id);
    printf("file create: %s, %s (%" PRIu64 " page%s), id %d, %s, %s\n", df->name,
           size_text(size, stext, sizeof stext), df->npages, df->npages == 1 ? "" : "s",
           id, ro ? "read-only" : "read-write", p);
    return 0;
}

/* The file called name; reports and returns -1 when none. */
static int find_file(struct vmsh *sh, const struct call *c, const char *name)
{
    int id = disk_file_find(sh->m, name);
    if (id < 0)
        sh_error(sh, "%s: no file '%s' on the disk (files lists them)", c->name, name);
    return id;
}

int cmd_file_cat(struct vmsh *sh, const struct call *c)
{
    if (c->argc == 2)
        return call_usage(c, "file cat: OFF needs LEN");
    int id = find_file(sh, c, c->argv[0]);
    if (id < 0)
        return -1;
    const struct disk_file *df = disk_file(sh->m, id);
    uint64_t off = 0, len = df->size < CAT_DEFAULT ? df->size : CAT_DEFAULT;
    if (c->argc == 3 && (!arg_number(c, c->argv[1], "OFF", &off) ||
                         !arg_number(c, c->argv[2], "LEN", &len)))
        return -1;
    if (len == 0 || len > CAT_MAX)
        return call_usage(c, "file cat: LEN is %" PRIu64 ", expected 1 to %" PRIu64, len,
                          CAT_MAX);
    if (off > df->size || len > df->size - off)
        return sh_error(sh, "file cat: [0x%" PRIx64 ", 0x%" PRIx64 ") is past the end "
                        "of %s (%" PRIu64 " bytes)", off, off + len, df->name, df->size);
    bool raw = call_option(c, "--disk", NULL);
    uint8_t *buf = session_temp(sh, len);
    disk_file_read(sh->m, id, off, buf, len, raw);
    printf("%s [0x%" PRIx64 ", 0x%" PRIx64 ") %s:\n", df->name, off, off + len,
           raw ? "on the disk" : "as read(2) sees it");
    print_hexdump(off, buf, len);
    return 0;
}

int cmd_file_write(struct vmsh *sh, const struct call *c)
{
    int id = find_file(sh, c, c->argv[0]);
    uint64_t off, value;
    if (id < 0 || !arg_number(c, c->argv[1], "OFF", &off))
        return -1;
    const void *bytes = c->argv[2];
    size_t n = c->len[2];
    if (!c->quoted[2]) {
        if (!arg_number(c, c->argv[2], "VALUE", &value))
            return -1;
        bytes = &value;
        n = sizeof value;
    }
    if (n == 0)
        return call_usage(c, "file write: the string is empty");
    const struct disk_file *df = disk_file(sh->m, id);
    if (off > df->size || n > df->size - off)
        return sh_error(sh, "file write: [0x%" PRIx64 ", 0x%" PRIx64 ") is past the end "
                        "of %s (%" PRIu64 " bytes)", off, off + n, df->name, df->size);
    disk_file_write(sh->m, id, off, bytes, n);
    printf("file write: %zu byte%s at %s+0x%" PRIx64 "\n", n, n == 1 ? "" : "s",
           df->name, off);
    return 0;
}
