/*
 * timeouts.h - test deadlines that stretch under slow runners.
 *
 * Every suite has a deadline so a looping skeleton fails instead of hanging
 * the run. Under Valgrind (make memcheck) code runs tens of times slower,
 * under AddressSanitizer (make asan) a few times; those builds define
 * TEST_TIMEOUT_SCALE so the same deadlines still hold.
 */
#ifndef TIMEOUTS_H
#define TIMEOUTS_H

#ifndef TEST_TIMEOUT_SCALE
#define TEST_TIMEOUT_SCALE 1
#endif

/* TIMEOUT - seconds for a suite's .timeout, scaled for the build. */
#define TIMEOUT(seconds) ((seconds) * TEST_TIMEOUT_SCALE)

#endif
