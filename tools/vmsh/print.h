/*
 * print.h - how vmsh shows the machine: page-table trees (text and
 * Graphviz), the TLB, frames and the free list, regions, files, swap,
 * processes, counters, the clock, hex dumps and translations.
 *
 * Everything prints to stdout, in a fixed order (by address, frame, slot,
 * pid), with addresses in hex: the same machine always prints the same.
 * Printing reads the machine and never changes it.
 */
#ifndef VMSH_PRINT_H
#define VMSH_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmsh.h"

/* print_hexdump - n bytes of buf, 16 a line, each line labelled with its
 * address (base + offset) and followed by its printable characters. */
void print_hexdump(uint64_t base, const uint8_t *buf, size_t n);

/* print_pt - the tree of p's tables (p NULL: the kernel's), one line per
 * nonzero entry; a process's kernel half is one line. */
void print_pt(struct vmsh *sh, struct proc *p);

/* print_pt_dot - the same tree as a Graphviz digraph. */
void print_pt_dot(struct vmsh *sh, struct proc *p);

void print_tlb(struct machine *m);
void print_frames(struct vmsh *sh, bool all);
void print_vmas(struct machine *m, struct proc *p);
void print_files(struct machine *m);
void print_swap(struct machine *m);
void print_ps(struct machine *m);
void print_clock(struct machine *m);

/* print_stats - the counters minus base, and the derived figures; levels
 * is the walk's (4, or 2 on IA-32), for the cost of a translation without
 * a TLB. */
void print_stats(const struct stats *now, const struct stats *base, int levels);

/* print_walk - what one translation of va did (w as mmu_translate filled
 * it, t its result); tlb_level is tlb_page_level before it, for a TLB hit
 * whose rights refused the access (the MMU then drops the entry). */
void print_walk(struct machine *m, vaddr_t va, const struct walk *w,
                const struct translation *t, int tlb_level);

/* tlb_page_level - the level of the page of the TLB entry that translates
 * va (0: 4 KiB), -1 when none. Scanned, not looked up: no stamp moves. */
int tlb_page_level(struct machine *m, vaddr_t va);

/* free_list_text - the free list head to tail, runs of consecutive frames
 * as "A-B": "10-63 7 8 9". Into buf (truncated with "..."). */
const char *free_list_text(struct machine *m, char *buf, size_t n);

/* hands_text - "clock1: hand at frame 7" or "clock2: front at frame 20,
 * back at frame 4 (handspread 16)". */
const char *hands_text(struct machine *m, char *buf, size_t n);

#endif
