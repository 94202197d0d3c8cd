/*
 * files.c - reading, writing and copying whole files; folders (see files.h).
 */
#define _GNU_SOURCE
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "files.h"

char *file_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&buf, &n);
    char chunk[65536];
    size_t got;
    while (m && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, got, m);
    fclose(f);
    if (!m)
        return NULL;
    fclose(m);
    if (len)
        *len = n;
    return buf;
}

int file_write(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = fwrite(data, 1, len, f);
    return fclose(f) == 0 && w == len ? 0 : -1;
}

int file_replace(const char *path, const char *data, size_t len)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (file_write(tmp, data, len) < 0 || rename(tmp, path) < 0) {
        remove(tmp);
        return -1;
    }
    return 0;
}

int file_copy(const char *from, const char *to)
{
    size_t len;
    char *data = file_read(from, &len);
    if (!data)
        return -1;
    int r = file_write(to, data, len);
    free(data);
    return r;
}

void dir_make(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *s = strchr(buf + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        mkdir(buf, 0755);
        *s = '/';
    }
    mkdir(buf, 0755);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
    (void)st;
    (void)flag;
    (void)f;
    remove(path);
    return 0;
}

void dir_remove(const char *path)
{
    nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
