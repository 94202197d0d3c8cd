/*
 * installed.h - where an installed program finds the kit's data.
 *
 * make install (mk/install.mk) puts the programs in PREFIX/bin, the traces
 * and grade's kit in PREFIX/share/memlabs and libmtrace.so in
 * PREFIX/lib/memlabs: each relative to the program itself, so a program
 * run from any directory finds them, and a program run from the build
 * tree (where there is no ../share/memlabs) uses the kit's own paths.
 */
#ifndef INSTALLED_H
#define INSTALLED_H

#include <stddef.h>

/* installed_path - PROGRAM_DIR/../rel into buf when that exists; 0, or -1
 * (buf then holds nothing useful). */
int installed_path(const char *rel, char *buf, size_t n);

#endif
