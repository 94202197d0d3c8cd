/*
 * files.h - the few file operations every stage of grade needs.
 */
#ifndef FILES_H
#define FILES_H

#include <stddef.h>

/* file_read - the whole file, NUL-terminated (malloc'd), its length in
 * *len when len is not NULL; NULL when it cannot be read. */
char *file_read(const char *path, size_t *len);

/* file_write - len bytes as the file path (made or replaced). 0 or -1. */
int file_write(const char *path, const char *data, size_t len);

/* file_replace - file_write to path.tmp, then renamed to path: a reader
 * sees the old file or the whole new one, never half. 0 or -1. */
int file_replace(const char *path, const char *data, size_t len);

/* file_copy - the file from as to. 0 or -1. */
int file_copy(const char *from, const char *to);

/* dir_make - path and every folder above it that is missing (mkdir -p). */
void dir_make(const char *path);

/* dir_remove - path and everything under it (rm -r; links not followed). */
void dir_remove(const char *path);

#endif
