/*
 * installed.c - paths relative to the running program (see installed.h).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "installed.h"

int installed_path(const char *rel, char *buf, size_t n)
{
    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len < 0)
        return -1;
    self[len] = '\0';
    char *slash = strrchr(self, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    int w = snprintf(buf, n, "%s/../%s", self, rel);
    if (w < 0 || (size_t)w >= n)
        return -1;
    return access(buf, F_OK) == 0 ? 0 : -1;
}
