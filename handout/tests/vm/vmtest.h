/*
 * vmtest.h - what the vm lab's tests share: machines that are freed
 * whatever happens, a missing student function or a kernel panic reported
 * as a test failure (not a crash), and short checked forms of the calls
 * tests make all the time.
 *
 * Every suite uses .init = vt_setup and .fini = vt_teardown.
 */
#ifndef VMTEST_H
#define VMTEST_H

#include <criterion/criterion.h>
#include <inttypes.h>
#include <string.h>

#include "timeouts.h"
#include "vm.h"

/* Per-test limit: a looping student function fails its test, not the run. */
#define VT_TIMEOUT TIMEOUT(10.0)

void vt_setup(void);
void vt_teardown(void);

/* vt_config - the tests' default machine: 32 frames, TLB 4 x 2, one-handed
 * clock, watermarks 4 and 6, 32 swap slots, handspread 4, log off. */
struct vm_config vt_config(void);

/* vt_boot - a machine (freed by vt_teardown); fails the test if NULL. */
struct machine *vt_boot(const struct vm_config *c);

/* vt_tlb - an empty TLB of sets x ways (freed by vt_teardown). */
struct tlb *vt_tlb(unsigned sets, unsigned ways);

/* vt_run - spawn a process and make it run. */
struct proc *vt_run(struct machine *m);

/* vt_mmap - vm_mmap that must succeed; returns the address. */
vaddr_t vt_mmap(struct machine *m, struct proc *p, vaddr_t addr, uint64_t len,
                int prot, int flags, int file, uint64_t offset);

/* vt_anon - a private anonymous read-write region of npages at addr
 * (MAP_FIXED when addr is not 0). */
vaddr_t vt_anon(struct machine *m, struct proc *p, vaddr_t addr, unsigned npages);

/* vt_file - a read-write file of size bytes whose byte i is fill + i. */
int vt_file(struct machine *m, const char *name, uint64_t size, uint8_t fill);

/* vt_map_page - map va of p to a new anonymous frame with leaf flags, the
 * way the fault handler would (frame_alloc, rmap_add), without faulting:
 * for part A's tests, which must not need part B. Returns the frame. */
frame_t vt_map_page(struct machine *m, struct proc *p, vaddr_t va, pte_t flags);

/* vt_write8, vt_read8 - one user-mode byte through vm_write / vm_read,
 * which must succeed. */
void vt_write8(struct machine *m, vaddr_t va, uint8_t value);
uint8_t vt_read8(struct machine *m, vaddr_t va);

/* vt_touch - one user-mode reference; returns vm_access's result. */
int vt_touch(struct machine *m, vaddr_t va, enum access acc);

/* vt_leaf - p's leaf entry for va (0 when there is none). */
pte_t vt_leaf(struct machine *m, struct proc *p, vaddr_t va);

/* vt_frame - the frame p's leaf for va maps (NO_FRAME if not present). */
frame_t vt_frame(struct machine *m, struct proc *p, vaddr_t va);

/* vt_fault_text, vt_entry_text, vt_error_text - a translation, an entry
 * found at level (0 for a page's leaf) and a page-fault error code in the
 * words vmsh uses: "a page fault (#PF), error 0x6 (W U)", "no fault
 * (physical address 0x7123)", "0x8000000000007067: P W U A D NX -> page
 * 0x7000 (4K)", "0x6 (W U)". For messages: each call has a buffer of its
 * own (the last VT_TEXTS calls' stay valid), so a message may use several. */
#define VT_TEXTS 8
const char *vt_fault_text(struct translation t);
const char *vt_entry_text(pte_t e, int level);
const char *vt_error_text(uint32_t error);

/* vt_problems - what vm_check(m) finds, a line per problem ("" when
 * nothing); how many in *n. */
const char *vt_problems(struct machine *m, unsigned *n);

/* VT_CHECK - vm_check(m) finds nothing; the message lists what it found. */
#define VT_CHECK(m)                                                          \
    do {                                                                     \
        unsigned vt_n_;                                                      \
        const char *vt_p_ = vt_problems((m), &vt_n_);                        \
        cr_assert_eq(vt_n_, 0, "vm_check found %u problem(s) in the "        \
                     "machine, expected none:\n%s", vt_n_, vt_p_);           \
    } while (0)

/* VT_OK - call, which returns 0 or a negative errno, succeeded. */
#define VT_OK(call, what)                                                    \
    do {                                                                     \
        int vt_r_ = (call);                                                  \
        cr_assert_eq(vt_r_, 0, "%s failed with %d (%s), expected 0 "         \
                     "(success)", (what), vt_r_, strerror(-vt_r_));          \
    } while (0)

/* VT_NAMED - values equal, both printed by name (name: proc_state_name,
 * kill_reason_name, frame_use_name...). */
#define VT_NAMED(actual, expected, name, what)                               \
    do {                                                                     \
        int vt_a_ = (int)(actual), vt_e_ = (int)(expected);                  \
        cr_assert_eq(vt_a_, vt_e_, "%s: got %s, expected %s", (what),        \
                     name(vt_a_), name(vt_e_));                              \
    } while (0)

/* VT_STOP - the walk record w says the walk stopped for why. */
#define VT_STOP(w, why)                                                      \
    cr_assert_eq((w).stop, (why), "the walk record says the walk ended "     \
                 "with '%s', expected '%s'", walk_stop_text((w).stop),       \
                 walk_stop_text(why))

/* VT_NO_FAULT - translation t succeeded; VT_PAGE_FAULT - t is a page
 * fault with exactly error. */
#define VT_NO_FAULT(t, what)                                                 \
    do {                                                                     \
        struct translation vt_t_ = (t);                                      \
        cr_assert_eq(vt_t_.fault, FAULT_NONE, "%s: got %s, expected no "     \
                     "fault", (what), vt_fault_text(vt_t_));                 \
    } while (0)
#define VT_PAGE_FAULT(t, error, what)                                        \
    do {                                                                     \
        struct translation vt_t_ = (t);                                      \
        struct translation vt_w_ = { .fault = FAULT_PAGE, .error = (error) };\
        cr_assert(vt_t_.fault == FAULT_PAGE && vt_t_.error == vt_w_.error,   \
                  "%s: got %s, expected %s", (what), vt_fault_text(vt_t_),   \
                  vt_fault_text(vt_w_));                                     \
    } while (0)

/* VT_EQ - integers equal, both printed in hex and decimal. */
#define VT_EQ(actual, expected, what)                                        \
    do {                                                                     \
        uint64_t vt_a_ = (uint64_t)(actual), vt_e_ = (uint64_t)(expected);   \
        cr_assert_eq(vt_a_, vt_e_, "%s: got %#" PRIx64 " (%" PRIu64 "), "    \
                     "expected %#" PRIx64 " (%" PRIu64 ")", (what), vt_a_,   \
                     vt_a_, vt_e_, vt_e_);                                   \
    } while (0)

#endif
