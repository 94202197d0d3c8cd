/*
 * refstream.c - read page-reference streams: plain page numbers, or the
 * memory trace of valgrind --tool=lackey --trace-mem=yes. Lines are parsed
 * by hand (a lackey log of a small program has millions of them); a bad
 * line is reported with its file and line number and skipped.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mmu.h"
#include "refstream.h"

#define PAGE_NUMBER_LIMIT ((uint64_t)1 << (64 - PAGE_SHIFT))

int refstream_format_parse(const char *name)
{
    if (strcmp(name, "auto") == 0)
        return REF_AUTO;
    if (strcmp(name, "pages") == 0)
        return REF_PAGES;
    if (strcmp(name, "lackey") == 0)
        return REF_LACKEY;
    return -1;
}

static int push(struct refstream *s, vaddr_t va, enum access kind)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 4096;
        vaddr_t *va2 = realloc(s->va, cap * sizeof *va2);
        if (!va2)
            return -ENOMEM;
        s->va = va2;
        uint8_t *k2 = realloc(s->kind, cap);
        if (!k2)
            return -ENOMEM;
        s->kind = k2;
        s->cap = cap;
    }
    s->va[s->n] = va;
    s->kind[s->n] = (uint8_t)kind;
    s->n++;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Parses a lackey data line ("I  ADDR,SIZE", " L ADDR,SIZE", ...). */
static bool parse_lackey(const char *p, vaddr_t *va, enum access *kind)
{
    while (*p == ' ')
        p++;
    switch (*p) {
    case 'I': *kind = ACC_EXEC; break;
    case 'L': *kind = ACC_READ; break;
    case 'S': case 'M': *kind = ACC_WRITE; break;
    default: return false;
    }
    p++;
    if (*p != ' ')
        return false;
    while (*p == ' ')
        p++;
    uint64_t a = 0;
    int digits = 0;
    for (int d; (d = hexval(*p)) >= 0; p++, digits++)
        a = a << 4 | (uint64_t)d;
    if (digits == 0 || digits > 16 || *p != ',')
        return false;
    p++;
    if (*p < '0' || *p > '9')
        return false;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p)
        return false;
    *va = a;
    return true;
}

/* Parses a page number: decimal or 0x-hex, nothing else on the line. */
static bool parse_page(const char *p, uint64_t *page)
{
    int base = 10;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    uint64_t v = 0;
    int digits = 0;
    for (;; p++, digits++) {
        int d = hexval(*p);
        if (d < 0 || d >= base)
            break;
        if (v > (PAGE_NUMBER_LIMIT - 1 - (uint64_t)d) / (uint64_t)base)
            return false;
        v = v * (uint64_t)base + (uint64_t)d;
    }
    while (*p == ' ' || *p == '\t')
        p++;
    if (digits == 0 || (*p && *p != '#'))
        return false;
    *page = v;
    return true;
}

static char *trim(char *line)
{
    size_t len = strlen(line);
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' ||
                   line[len - 1] == ' ' || line[len - 1] == '\t'))
        line[--len] = '\0';
    return line;
}

static bool meaningful(const char *line)
{
    const char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    return *p && *p != '#';
}

int refstream_read(struct refstream *s, FILE *in, const char *name, int format,
                   FILE *err)
{
    memset(s, 0, sizeof *s);
    char *line = NULL;
    size_t cap = 0;
    unsigned long lineno = 0;
    int r = 0;
    errno = 0;
    while (getline(&line, &cap, in) >= 0) {
        lineno++;
        trim(line);
        if (!meaningful(line))
            continue;
        if (strncmp(line, "==", 2) == 0) {
            if (format == REF_AUTO)
                format = REF_LACKEY;
            continue;
        }
        vaddr_t va;
        enum access kind;
        if (format == REF_AUTO)
            format = parse_lackey(line, &va, &kind) ? REF_LACKEY : REF_PAGES;
        bool ok;
        if (format == REF_LACKEY) {
            ok = parse_lackey(line, &va, &kind);
        } else {
            const char *p = line;
            while (*p == ' ' || *p == '\t')
                p++;
            uint64_t page = 0;
            ok = parse_page(p, &page);
            va = page << PAGE_SHIFT;
            kind = ACC_READ;
        }
        if (!ok) {
            if (err && s->errors < REFSTREAM_MAX_ERRORS_SHOWN)
                fprintf(err, "%s:%lu: expected %s\n", name, lineno,
                        format == REF_LACKEY
                            ? "a lackey line 'I|L|S|M HEXADDR,SIZE'"
                            : "a page number (decimal or 0x-hex)");
            s->errors++;
            continue;
        }
        r = push(s, va, kind);
        if (r)
            break;
    }
    if (!r && ferror(in))
        r = -(errno ? errno : EIO);
    free(line);
    if (r) {
        refstream_free(s);
        return r;
    }
    if (err && s->errors > REFSTREAM_MAX_ERRORS_SHOWN)
        fprintf(err, "%s: %u bad lines in all, skipped\n", name, s->errors);
    return 0;
}

int refstream_load(struct refstream *s, const char *path, int format, FILE *err)
{
    memset(s, 0, sizeof *s);
    FILE *in = fopen(path, "r");
    if (!in)
        return -errno;
    struct stat st;
    if (fstat(fileno(in), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(in);
        return -EISDIR;
    }
    int r = refstream_read(s, in, path, format, err);
    fclose(in);
    return r;
}

void refstream_free(struct refstream *s)
{
    free(s->va);
    free(s->kind);
    memset(s, 0, sizeof *s);
}
