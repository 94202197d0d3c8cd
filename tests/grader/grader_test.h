/*
 * grader_test.h - what the grader's tests share: traces made from strings,
 * the messages a reader prints, and replays in a child under a short
 * deadline.
 *
 * A trace in a test is a string, one op per line, so its line numbers can
 * be read off the source: the header is line 1, the first op line 2.
 */
#ifndef GRADER_TEST_H
#define GRADER_TEST_H

#include <stdio.h>

#include "replay.h"
#include "runner.h"
#include "trace.h"
#include "timeouts.h"

/* Every suite's deadline. One value for all: Criterion 2.4's runner leaks a
 * little memory (which make asan reports) when suites' timeouts differ. */
#define SUITE_TIMEOUT TIMEOUT(10)

/* The name a trace made from a string has in messages. */
#define TEST_TRACE "test.rep"

/* The heap a replay in a test may use. */
#define TEST_MAX_HEAP ((size_t)1 << 20)

/*
 * parse_text - read text as the trace TEST_TRACE into *t; returns the
 * number of problems, and in *errors (malloc'd, the caller frees) what the
 * reader printed.
 */
int parse_text(const char *text, trace_t *t, char **errors);

/* trace_of - text as a trace; the test fails if it does not parse. */
trace_t trace_of(const char *text);

/* test_config - a run of a alone: checks only, no timing, seed 1, a
 * deadline of a few seconds. */
run_config_t test_config(const allocator_t *a);

/* replay_text - run_trace of the trace text under cfg. */
trace_report_t replay_text(const run_config_t *cfg, const char *text);

/* temp_dir - make a fresh, empty directory for a test's files; its path
 * goes to dir (n bytes). */
void temp_dir(char *dir, size_t n);

/* write_file - create dir/name holding text; its path goes to path. */
void write_file(const char *dir, const char *name, const char *text, char *path, size_t n);

/* read_file - the whole of path, malloc'd (the caller frees). */
char *read_file(const char *path);

/* remove_dir - delete dir and the files in it (no subdirectories). */
void remove_dir(const char *dir);

/* contains - whether s contains part (for messages whose middle is
 * unknowable, like an absolute address). */
int contains(const char *s, const char *part);

#endif
