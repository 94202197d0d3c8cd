/*
 * check.h - vm_check, the machine's consistency checker.
 *
 * It walks everything and checks what must always hold between two
 * operations:
 *   - the free list: links agree, count is right, a frame is on it iff
 *     marked free, and a free frame holds nothing or a clean page kept for
 *     a second chance;
 *   - tables: every table is reachable from exactly one PML4 (the kernel's
 *     or one live process's), every PML4 shares the kernel half;
 *   - leaves: every present user leaf lies in a region of its process,
 *     grants no more than the region allows, and maps an anonymous or file
 *     frame that is not free; refcounts equal mapping counts and reverse
 *     maps list exactly the entries that map each frame;
 *   - copy-on-write: no entry has both PTE_W and PTE_COW, an entry of a
 *     MAP_PRIVATE region is writable only when it alone maps its frame
 *     (a MAP_SHARED one may write a file page that private regions map
 *     too, not copied yet), and a file frame is writable only through
 *     MAP_SHARED regions;
 *   - swap: every swap entry names a slot, and each slot's count equals its
 *     swap entries plus its caching frame;
 *   - the page cache and the swap cache agree with the frames' identities;
 *   - the TLB: every valid entry translates as the current tables do, with
 *     no more rights, A set on the leaf, D set if the entry is dirty, and
 *     global only for global leaves;
 *   - the clock hands lie in [0, frames), front - back == handspread.
 */
#ifndef VM_CHECK_H
#define VM_CHECK_H

#include <stdio.h>

struct machine;

/* vm_check - the number of problems found (0: consistent); each problem is
 * one line on out ("vm_check: ..."), when out is not NULL, handed to it in
 * one piece: on stderr, one write, so the lines of tests running in
 * parallel do not mix. */
unsigned vm_check(struct machine *m, FILE *out);

#endif
