/*
 * explain.h - words for what the hardware did: names of levels, accesses,
 * error codes and entries, for vmsh and for test messages.
 */
#ifndef VM_EXPLAIN_H
#define VM_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>

#include "mmu.h"
#include "pte.h"

/* level_name - "PML4", "PDPT", "PD", "PT". */
const char *level_name(int level);

/* access_name - "read", "write", "exec"; mode_name - "user", "kernel". */
const char *access_name(enum access acc);
const char *mode_name(enum mode mode);

/* walk_stop_text - why a walk stopped, as a phrase ("U/S clear: user
 * access to a supervisor page"). */
const char *walk_stop_text(enum walk_stop stop);

/* fault_text - what a translation gave, as vmsh says it: "a page fault
 * (#PF), error 0x6 (W U)", "a general-protection fault (#GP)" or "no
 * fault (physical address 0x7123)", into buf. */
const char *fault_text(struct translation t, char *buf, size_t n);

/* pf_error_text - "0x7 (P W U)": the code and its set bits, into buf. */
const char *pf_error_text(uint32_t error, char *buf, size_t n);

/* pte_text - entry e, found at level, as "0x...: P W U A D -> 0x5000 (4K)"
 * or "swap slot 3" or "0 (empty)", into buf. */
const char *pte_text(pte_t e, int level, char *buf, size_t n);

/* pte_text_arch - pte_text for an entry of arch's tables (enum arch): an
 * IA-32 entry is 32 bits wide, and its level-1 leaf is a 4 MiB page. */
const char *pte_text_arch(int arch, pte_t e, int level, char *buf, size_t n);

/* page_size_name - "4K", "2M", "1G" (x86-64) or "4K", "4M" (IA-32) for a
 * page at level; "?" past them. */
const char *page_size_name(int arch, int level);

/* pte_flags_text - the set flag names of e ("P W U A D PS G NX COW"). */
const char *pte_flags_text(pte_t e, char *buf, size_t n);

#endif
