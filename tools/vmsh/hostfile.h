/*
 * hostfile.h - the files of the host that vmsh reads: scripts (-f,
 * source) and reference streams (replay).
 *
 * Normally a file is opened when a command asks for it. When grade runs
 * vmsh, vmsh enters the sandbox before the first command (sandbox.h) and
 * can open nothing from then on: grade gives it a directory holding
 * exactly the files the scenario may read, hostfile_preload reads them
 * all first, and from then on hostfile_open serves them from memory, by
 * the same relative paths the commands use.
 */
#ifndef VMSH_HOSTFILE_H
#define VMSH_HOSTFILE_H

#include <stdio.h>

/*
 * hostfile_preload - read every regular file below root (a directory,
 * relative to the working directory or absolute) into memory, and serve
 * every later hostfile_open from there. At most HOSTFILE_MAX_FILES files
 * of HOSTFILE_MAX_BYTES in all. 0, or -1 with the reason in err (n bytes).
 */
int hostfile_preload(const char *root, char *err, size_t n);

#define HOSTFILE_MAX_FILES 256
#define HOSTFILE_MAX_BYTES ((size_t)64 << 20)

/* hostfile_open - path for reading: fopen, or after hostfile_preload a
 * stream over its copy (NULL with errno ENOENT when it was not there). */
FILE *hostfile_open(const char *path);

/* hostfile_free - forget the preloaded files. */
void hostfile_free(void);

#endif
