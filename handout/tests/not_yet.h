/*
 * not_yet.h - a missing student function fails the test that reached it,
 * as a failure, not a crash: "malloc/mm.c:28: mm_init is not implemented
 * yet", at that function's file and line (cr_assert_fail would name a line
 * of this file). Works in a test's body and in its suite's .init fixture,
 * where an abort would read "crashed during its setup or teardown".
 *
 * Install it in the fixture: unimplemented_set_handler(not_yet). A fixture
 * that itself calls the student's code runs that part through
 * not_yet_setup: Criterion counts a test aborted in its fixture as a crash
 * "during its setup or teardown", so there the failure is sent and the
 * fixture ends early instead; the test then fails at the first missing
 * function its body reaches.
 */
#ifndef NOT_YET_H
#define NOT_YET_H

#include <criterion/criterion.h>
#include <setjmp.h>

#include "unimplemented.h"

/* not_yet_report - send the failure "FILE:LINE: FUNC is not implemented yet". */
static void not_yet_report(const char *func, const char *file, int line)
{
    char msg[256];
    struct criterion_assert_stats failure = {
        .message = unimplemented_format(msg, sizeof msg, func, file, line),
        .passed = false,
        .line = (unsigned)line,
        .file = file,
    };
    criterion_send_assert(&failure);
}

static void not_yet(const char *func, const char *file, int line)
{
    not_yet_report(func, file, line);
    criterion_abort_test();
}

static jmp_buf not_yet_setup_jmp;

static void not_yet_in_setup(const char *func, const char *file, int line)
{
    not_yet_report(func, file, line);
    longjmp(not_yet_setup_jmp, 1);
}

/* not_yet_setup - run a fixture's part f; a missing function it calls is
 * reported and ends f. Afterwards not_yet handles missing functions. */
static inline void not_yet_setup(void (*f)(void))
{
    unimplemented_set_handler(not_yet_in_setup);
    if (!setjmp(not_yet_setup_jmp))
        f();
    unimplemented_set_handler(not_yet);
}

#endif
