/*
 * hostfile.c - opening the host's files, directly or from copies read in
 * advance (see hostfile.h).
 *
 * Copies are keyed by their path made canonical without asking the file
 * system (which the sandbox forbids): relative to the working directory,
 * "." dropped, "dir/.." folded, so "include/x" and "./include/x" and
 * "../vm/include/x" (from vm/) name one file.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostfile.h"

typedef struct copy {
    char *key;
    char *bytes;
    size_t len;
} copy_t;

static copy_t *copies;
static size_t ncopies, total;
static bool sealed;
static char cwd[PATH_MAX];

/* canonical - path as a key: absolute, components "." and ".." folded. */
static void canonical(const char *path, char *out, size_t n)
{
    char joined[2 * PATH_MAX];
    if (path[0] == '/')
        snprintf(joined, sizeof joined, "%s", path);
    else
        snprintf(joined, sizeof joined, "%s/%s", cwd, path);
    size_t len = 0;
    out[0] = '\0';
    for (char *save = NULL, *part = strtok_r(joined, "/", &save); part;
         part = strtok_r(NULL, "/", &save)) {
        if (!strcmp(part, "."))
            continue;
        if (!strcmp(part, "..")) {
            char *slash = strrchr(out, '/');
            len = slash ? (size_t)(slash - out) : 0;
            out[len] = '\0';
            continue;
        }
        int w = snprintf(out + len, n - len, "/%s", part);
        if (w < 0 || (size_t)w >= n - len)
            break;
        len += (size_t)w;
    }
    if (!len)
        snprintf(out, n, "/");
}

static int add_copy(const char *path, char *err, size_t n)
{
    if (ncopies == HOSTFILE_MAX_FILES) {
        snprintf(err, n, "more than %d files to read in advance", HOSTFILE_MAX_FILES);
        return -1;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, n, "%s: %s", path, strerror(errno));
        return -1;
    }
    char *bytes = NULL;
    size_t len = 0, cap = 0;
    char buf[65536];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        if (total + len + got > HOSTFILE_MAX_BYTES) {
            snprintf(err, n, "more than %zu MiB to read in advance", HOSTFILE_MAX_BYTES >> 20);
            free(bytes);
            fclose(f);
            return -1;
        }
        if (len + got > cap) {
            cap = 2 * (len + got);
            char *b = realloc(bytes, cap);
            if (!b) {
                snprintf(err, n, "out of memory");
                free(bytes);
                fclose(f);
                return -1;
            }
            bytes = b;
        }
        memcpy(bytes + len, buf, got);
        len += got;
    }
    fclose(f);
    char key[PATH_MAX];
    canonical(path, key, sizeof key);
    copy_t *c = realloc(copies, (ncopies + 1) * sizeof *copies);
    if (!c) {
        free(bytes);
        snprintf(err, n, "out of memory");
        return -1;
    }
    copies = c;
    copies[ncopies++] = (copy_t){ strdup(key), bytes, len };
    total += len;
    return 0;
}

static int walk(const char *dir, char *err, size_t n)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, n, "%s: %s", dir, strerror(errno));
        return -1;
    }
    int r = 0;
    for (struct dirent *e; r == 0 && (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) < 0)
            continue;
        if (S_ISDIR(st.st_mode))
            r = walk(path, err, n);
        else if (S_ISREG(st.st_mode))
            r = add_copy(path, err, n);
    }
    closedir(d);
    return r;
}

int hostfile_preload(const char *root, char *err, size_t n)
{
    if (!getcwd(cwd, sizeof cwd)) {
        snprintf(err, n, "cannot tell the working directory: %s", strerror(errno));
        return -1;
    }
    if (walk(root, err, n) < 0)
        return -1;
    sealed = true;
    return 0;
}

FILE *hostfile_open(const char *path)
{
    if (!sealed)
        return fopen(path, "r");
    char key[PATH_MAX];
    canonical(path, key, sizeof key);
    for (size_t i = 0; i < ncopies; i++)
        if (!strcmp(copies[i].key, key))
            return fmemopen(copies[i].len ? copies[i].bytes : (char *)"", copies[i].len, "r");
    errno = ENOENT;
    return NULL;
}

void hostfile_free(void)
{
    for (size_t i = 0; i < ncopies; i++) {
        free(copies[i].key);
        free(copies[i].bytes);
    }
    free(copies);
    copies = NULL;
    ncopies = total = 0;
    sealed = false;
}
