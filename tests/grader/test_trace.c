/*
 * test_trace.c - the trace module. The lenient reader: both header
 * conventions, the tolerated layout (CRLF, blank lines, comments), the
 * extensions, sizes at the edge of size_t, and a `test.rep:LINE: ...`
 * message for every malformed line, the reader going on after each. The
 * builder, the writer, and the classic checks on text and in memory
 * (tests/tools/test_tracegen.c holds the classic reader to each rule of
 * tracegen --check).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "grader_test.h"

TestSuite(trace_read, .timeout = SUITE_TIMEOUT);
TestSuite(trace_build, .timeout = SUITE_TIMEOUT);
TestSuite(trace_classic, .timeout = SUITE_TIMEOUT);

/* expect_errors - text has exactly the problems listed in want (the
 * reader's whole output), and leaves nothing behind in the trace. */
static void expect_errors(const char *text, int problems, const char *want)
{
    trace_t t;
    char *errors;
    int n = parse_text(text, &t, &errors);
    cr_expect(eq(int, n, problems));
    cr_expect(eq(str, errors, (char *)want));
    cr_expect(eq(ptr, t.ops, NULL), "a rejected trace holds no ops");
    free(errors);
}

Test(trace_read, classic_header_is_detected)
{
    trace_t t = trace_of("20000 3 2 1\na 0 16\nf 0\n");
    cr_expect(eq(int, t.header, HEADER_CLASSIC));
    cr_expect(eq(sz, t.heap_hint, 20000));
    cr_expect(eq(u32, t.num_ids, 3));
    cr_expect(eq(sz, t.num_ops, 2));
    cr_expect(eq(dbl, t.weight, 1.0));
    trace_free(&t);
}

Test(trace_read, weight_first_header_is_detected)
{
    trace_t t = trace_of("0 3 2 4096\na 0 16\nf 0\n");
    cr_expect(eq(int, t.header, HEADER_WEIGHT_FIRST));
    cr_expect(eq(dbl, t.weight, 0.0));
    cr_expect(eq(u32, t.num_ids, 3));
    cr_expect(eq(sz, t.num_ops, 2));
    cr_expect(eq(sz, t.max_alloc, 4096));
    trace_free(&t);
}

Test(trace_read, header_may_take_one_line_per_number)
{
    trace_t t = trace_of("20000\n1\n2\n1\na 0 16\nf 0\n");
    cr_expect(eq(int, t.header, HEADER_CLASSIC));
    cr_expect(eq(sz, t.heap_hint, 20000));
    cr_expect(eq(sz, t.num_ops, 2));
    cr_expect(eq(u32, t.ops[0].line, 5));
    trace_free(&t);
}

Test(trace_read, ops_keep_their_kind_id_size_and_line)
{
    trace_t t = trace_of("20000 2 4 1\na 0 16\nr 0 32\na 1 7\nf 0\n");
    cr_assert(eq(sz, t.num_ops, 4));
    const trace_op_t want[] = {
        { .kind = OP_ALLOC, .id = 0, .size = 16, .line = 2 },
        { .kind = OP_REALLOC, .id = 0, .size = 32, .line = 3 },
        { .kind = OP_ALLOC, .id = 1, .size = 7, .line = 4 },
        { .kind = OP_FREE, .id = 0, .size = 0, .line = 5 },
    };
    for (size_t i = 0; i < 4; i++) {
        cr_expect(eq(u8, t.ops[i].kind, want[i].kind), "op %zu", i);
        cr_expect(eq(u32, t.ops[i].id, want[i].id), "op %zu", i);
        cr_expect(eq(sz, t.ops[i].size, want[i].size), "op %zu", i);
        cr_expect(eq(u32, t.ops[i].line, want[i].line), "op %zu", i);
    }
    cr_expect(eq(str, (char *)t.name, TEST_TRACE));
    trace_free(&t);
}

Test(trace_read, crlf_blank_lines_and_comments_are_ignored)
{
    trace_t t = trace_of("# a comment before the header\r\n"
                         "20000 1 2 1   # heap_hint num_ids num_ops weight\r\n"
                         "\r\n"
                         "   \t\r\n"
                         "a 0 16\r\n"
                         "# f 0 would be a double free\r\n"
                         "f 0 # the end\r\n");
    cr_assert(eq(sz, t.num_ops, 2));
    cr_expect(eq(u8, t.ops[0].kind, OP_ALLOC));
    cr_expect(eq(sz, t.ops[0].size, 16));
    cr_expect(eq(u32, t.ops[0].line, 5));
    cr_expect(eq(u8, t.ops[1].kind, OP_FREE));
    cr_expect(eq(u32, t.ops[1].line, 7));
    trace_free(&t);
}

Test(trace_read, last_line_without_newline_is_read)
{
    trace_t t = trace_of("20000 1 2 1\na 0 16\nf 0");
    cr_expect(eq(sz, t.num_ops, 2));
    trace_free(&t);
}

Test(trace_read, free_of_minus_one_is_free_null)
{
    trace_t t = trace_of("20000 1 1 1\nf -1\n");
    cr_assert(eq(sz, t.num_ops, 1));
    cr_expect(eq(u8, t.ops[0].kind, OP_FREE));
    cr_expect(eq(u32, t.ops[0].id, TRACE_NO_ID));
    trace_free(&t);
}

Test(trace_read, realloc_of_a_never_allocated_id_allocates_it)
{
    trace_t t = trace_of("20000 1 2 1\nr 0 24\nf 0\n");
    cr_assert(eq(sz, t.num_ops, 2));
    cr_expect(eq(u8, t.ops[0].kind, OP_REALLOC));
    cr_expect(eq(sz, t.ops[0].size, 24));
    trace_free(&t);
}

Test(trace_read, realloc_to_zero_frees_the_id)
{
    /* After `r 0 0`, ID 0 can be allocated again and not freed twice. */
    trace_t t = trace_of("20000 1 3 1\na 0 16\nr 0 0\na 0 8\n");
    cr_assert(eq(sz, t.num_ops, 3));
    cr_expect(eq(u8, t.ops[1].kind, OP_REALLOC));
    cr_expect(eq(sz, t.ops[1].size, 0));
    trace_free(&t);
    expect_errors("20000 1 3 1\na 0 16\nr 0 0\nf 0\n", 1,
                  "test.rep:4: f 0: ID 0 is not allocated (freed already)\n");
}

Test(trace_read, sizes_up_to_size_max_are_read_exactly)
{
    trace_t t = trace_of("20000 2 4 1\n"
                         "a 0 18446744073709551615\n"
                         "a 1 18446744073709551614\n"
                         "f 0\nf 1\n");
    cr_expect(eq(sz, t.ops[0].size, SIZE_MAX));
    cr_expect(eq(sz, t.ops[1].size, SIZE_MAX - 1));
    trace_free(&t);
}

Test(trace_read, size_above_size_max_is_rejected)
{
    expect_errors("20000 1 1 1\na 0 18446744073709551616\n", 1,
                  "test.rep:2: expected a size in bytes (0 to 18446744073709551615), "
                  "found '18446744073709551616'\n");
}

Test(trace_read, unknown_op_is_rejected)
{
    expect_errors("20000 1 2 1\na 0 16\nm 0 16\nf 0\n", 1,
                  "test.rep:3: unknown operation 'm': expected a, r or f\n");
}

Test(trace_read, missing_field_is_rejected)
{
    expect_errors("20000 1 1 1\na 0\n", 1, "test.rep:2: expected 'a ID SIZE'\n");
    expect_errors("20000 1 1 1\nr 0\n", 1, "test.rep:2: expected 'r ID SIZE'\n");
    expect_errors("20000 1 1 1\nf\n", 1, "test.rep:2: expected 'f ID'\n");
}

Test(trace_read, extra_field_is_rejected)
{
    expect_errors("20000 1 2 1\na 0 16\nf 0 16\n", 1, "test.rep:3: expected 'f ID'\n");
    expect_errors("20000 1 1 1\na 0 16 32\n", 1, "test.rep:2: expected 'a ID SIZE'\n");
}

Test(trace_read, non_numeric_id_is_rejected)
{
    expect_errors("20000 1 1 1\na x 16\n", 1,
                  "test.rep:2: expected an ID (a number), found 'x'\n");
    expect_errors("20000 1 1 1\nf x\n", 1,
                  "test.rep:2: expected an ID (a number or -1), found 'x'\n");
}

Test(trace_read, minus_one_is_an_id_only_for_free)
{
    expect_errors("20000 1 1 1\na -1 16\n", 1,
                  "test.rep:2: expected an ID (a number), found '-1'\n");
}

Test(trace_read, non_numeric_size_is_rejected)
{
    expect_errors("20000 3 3 1\na 0 16k\na 1 -16\na 2 0x10\n", 3,
                  "test.rep:2: expected a size in bytes (0 to 18446744073709551615), found '16k'\n"
                  "test.rep:3: expected a size in bytes (0 to 18446744073709551615), found '-16'\n"
                  "test.rep:4: expected a size in bytes (0 to 18446744073709551615), found '0x10'\n");
}

Test(trace_read, id_beyond_the_header_is_rejected)
{
    expect_errors("20000 2 1 1\na 2 16\n", 1, "test.rep:2: ID 2 is outside the header's 0..1\n");
}

Test(trace_read, free_of_an_unallocated_id_is_rejected)
{
    expect_errors("20000 2 2 1\na 0 16\nf 1\n", 1, "test.rep:3: f 1: ID 1 is not allocated\n");
}

Test(trace_read, double_free_is_rejected)
{
    expect_errors("20000 1 3 1\na 0 16\nf 0\nf 0\n", 1,
                  "test.rep:4: f 0: ID 0 is not allocated (freed already)\n");
}

Test(trace_read, allocation_of_a_live_id_is_rejected)
{
    expect_errors("20000 1 3 1\na 0 16\na 0 32\nf 0\n", 1,
                  "test.rep:3: a 0: ID 0 is still allocated (line 2)\n");
}

Test(trace_read, realloc_to_zero_of_an_unallocated_id_is_rejected)
{
    expect_errors("20000 1 1 1\nr 0 0\n", 1,
                  "test.rep:2: r 0 0: ID 0 is not allocated, nothing to free\n");
}

Test(trace_read, a_high_id_takes_memory_for_the_ids_used_not_for_every_id_below)
{
    /* A table of every ID up to 2^24 - 1 would be 256 MiB, for a trace of
     * three lines. A low ID first, so that what reading costs the first
     * time (under Valgrind, its translations) is not counted. */
    trace_t t = trace_of("0 16777216 2 1\na 1 16\nf 1\n");
    trace_free(&t);
    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    t = trace_of("0 16777216 2 1\na 16777215 16\nf 16777215\n");
    getrusage(RUSAGE_SELF, &after);
    long grown = after.ru_maxrss - before.ru_maxrss;
    cr_expect(lt(long, grown, 64 << 10), "reading made the peak %ld KiB higher", grown);
    cr_expect(eq(u32, t.ops[0].id, 16777215));
    trace_free(&t);
}

Test(trace_read, many_scattered_ids_keep_their_own_lives)
{
    /* A thousand IDs far apart, freed in the reverse order: every free
     * finds its ID live, and a second round of frees finds each freed. */
    static char text[65536];
    size_t n = 0;
    n += (size_t)snprintf(text + n, sizeof text - n, "0 268435456 2000 1\n");
    for (unsigned i = 0; i < 1000; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "a %u %u\n", i * 268435u, i + 1);
    for (unsigned i = 1000; i-- > 0;)
        n += (size_t)snprintf(text + n, sizeof text - n, "f %u\n", i * 268435u);
    trace_t t = trace_of(text);
    cr_expect(eq(sz, t.num_ops, 2000));
    trace_free(&t);
    snprintf(text + n, sizeof text - n, "f %u\n", 999 * 268435u);
    char *errors;
    cr_expect(eq(int, parse_text(text, &t, &errors), 1));
    cr_expect(eq(str, errors, "test.rep:2002: f 268166565: ID 268166565 is not allocated "
                              "(freed already)\n"));
    free(errors);
}

Test(trace_read, wrong_op_count_names_the_header_line)
{
    expect_errors("20000 1 3 1\na 0 16\nf 0\n", 1,
                  "test.rep:1: the header says 3 operations, the file has 2\n");
    expect_errors("20000\n1\n1\n1\na 0 16\nf 0\n", 1,
                  "test.rep:3: the header says 1 operations, the file has 2\n");
}

Test(trace_read, truncated_header_is_rejected)
{
    expect_errors("20000 1\n\n", 1, "test.rep:2: the file ends before the four header numbers\n");
}

Test(trace_read, empty_file_is_rejected)
{
    expect_errors("", 1, "test.rep:1: the file is empty; a trace starts with four header numbers\n");
}

Test(trace_read, non_numeric_header_is_rejected)
{
    expect_errors("20000 1 two 1\na 0 16\nf 0\n", 1,
                  "test.rep:1: header: expected a number, found 'two' "
                  "(a trace starts with four numbers)\n");
}

Test(trace_read, header_of_five_numbers_is_rejected)
{
    expect_errors("20000 1 2 1 7\na 0 16\nf 0\n", 1, "test.rep:1: header: more than four numbers\n");
}

Test(trace_read, reader_goes_on_after_an_error)
{
    expect_errors("20000 3 6 1\n"
                  "a 0 16\n"
                  "a 0 16\n"        /* live already */
                  "a 1 8\n"
                  "x 1\n"           /* unknown */
                  "f 1\n"
                  "f 2\n",          /* never allocated */
                  3,
                  "test.rep:3: a 0: ID 0 is still allocated (line 2)\n"
                  "test.rep:5: unknown operation 'x': expected a, r or f\n"
                  "test.rep:7: f 2: ID 2 is not allocated\n");
}

Test(trace_read, at_most_trace_max_errors_are_shown)
{
    char text[1024] = "20000 1 15 1\n";
    for (int i = 0; i < TRACE_MAX_ERRORS + 5; i++)
        strcat(text, "f 0\n");
    trace_t t;
    char *errors;
    int n = parse_text(text, &t, &errors);
    cr_expect(eq(int, n, TRACE_MAX_ERRORS + 5));
    int lines = 0;
    for (const char *p = errors; (p = strstr(p, "test.rep:")); p++)
        lines++;
    cr_expect(eq(int, lines, TRACE_MAX_ERRORS + 1), "%s", errors);
    char last[128];
    snprintf(last, sizeof last, "test.rep:%d: f 0: ID 0 is not allocated\n"
             "test.rep: 5 more problems not shown\n", TRACE_MAX_ERRORS + 1);
    cr_expect(contains(errors, last), "the output ends:\n%s\nit is:\n%s", last, errors);
    free(errors);
}

Test(trace_read, missing_file_is_one_problem)
{
    trace_t t;
    size_t n;
    char *errors;
    FILE *err = open_memstream(&errors, &n);
    int problems = trace_read("/nonexistent/missing.rep", &t, err);
    fclose(err);
    cr_expect(eq(int, problems, 1));
    cr_expect(eq(str, errors, "/nonexistent/missing.rep: cannot open: No such file or directory\n"));
    free(errors);
}

Test(trace_read, op_text_reads_as_in_a_trace)
{
    char buf[64];
    trace_op_t a = { .kind = OP_ALLOC, .id = 12, .size = 448 };
    trace_op_t r = { .kind = OP_REALLOC, .id = 3, .size = 0 };
    trace_op_t f = { .kind = OP_FREE, .id = 7 };
    trace_op_t none = { .kind = OP_FREE, .id = TRACE_NO_ID };
    cr_expect(eq(str, (char *)trace_op_text(&a, buf, sizeof buf), "a 12 448"));
    cr_expect(eq(str, (char *)trace_op_text(&r, buf, sizeof buf), "r 3 0"));
    cr_expect(eq(str, (char *)trace_op_text(&f, buf, sizeof buf), "f 7"));
    cr_expect(eq(str, (char *)trace_op_text(&none, buf, sizeof buf), "f -1"));
}

Test(trace_read, header_problem_is_counted_once)
{
    trace_t t;
    char *errors;
    int problems = parse_text("20000 300000000 0 1\n", &t, &errors);
    cr_expect(eq(int, problems, 1), "printed:\n%s", errors);
    free(errors);
}

/* --- The builder and the writer --------------------------------------------- */

/* written - t as trace_write writes it, malloc'ed. */
static char *written(const trace_t *t)
{
    char *text = NULL;
    size_t n;
    FILE *out = open_memstream(&text, &n);
    cr_assert(eq(int, trace_write(t, out), 0), "trace_write refused the trace");
    fclose(out);
    return text;
}

Test(trace_build, ids_are_handed_out_in_order_of_allocation)
{
    trace_t t;
    trace_init(&t);
    cr_expect(eq(u32, trace_add_alloc(&t, 8), 0));
    cr_expect(eq(u32, trace_add_alloc(&t, 8), 1));
    trace_add_free(&t, 0);
    cr_expect(eq(u32, trace_add_alloc(&t, 8), 2), "a freed ID is not handed out again");
    cr_expect(eq(u32, t.num_ids, 3));
    trace_free(&t);
}

Test(trace_build, ops_carry_the_lines_the_writer_gives_them)
{
    trace_t t;
    trace_init(&t);
    uint32_t a = trace_add_alloc(&t, 8);
    trace_add_realloc(&t, a, 16);
    trace_add_free(&t, a);
    for (size_t i = 0; i < t.num_ops; i++)
        cr_expect(eq(u32, t.ops[i].line, TRACE_HEADER_LINES + 1 + i), "op %zu", i);
    trace_free(&t);
}

Test(trace_build, live_ids_are_known_until_their_free)
{
    trace_t t;
    trace_init(&t);
    uint32_t a = trace_add_alloc(&t, 0);
    cr_expect(trace_live(&t, a), "an ID of size 0 is live");
    cr_expect(not(trace_live(&t, a + 1)), "an ID never handed out is not live");
    cr_expect(eq(sz, t.life.nlive, 1));
    trace_add_free(&t, a);
    cr_expect(not(trace_live(&t, a)));
    cr_expect(eq(sz, t.life.nlive, 0));
    trace_free(&t);
}

Test(trace_build, close_frees_the_live_ids_in_id_order)
{
    trace_t t;
    trace_init(&t);
    trace_add_alloc(&t, 1);
    uint32_t b = trace_add_alloc(&t, 2);
    trace_add_alloc(&t, 3);
    trace_add_free(&t, b);
    cr_expect(eq(sz, trace_close(&t), 2));
    char *text = written(&t);
    cr_expect(eq(str, text, "6\n3\n6\n1\na 0 1\na 1 2\na 2 3\nf 1\nf 0\nf 2\n"));
    free(text);
    trace_free(&t);
}

Test(trace_build, what_the_writer_writes_the_lenient_reader_reads_back)
{
    trace_t t;
    trace_init(&t);
    uint32_t a = trace_add_alloc(&t, 100), b = trace_add_alloc(&t, 0);
    trace_add_realloc(&t, a, 300);
    trace_add_free(&t, b);
    trace_close(&t);
    char *text = written(&t);
    trace_t back = trace_of(text);
    cr_expect(eq(int, back.header, HEADER_CLASSIC));
    cr_expect(eq(sz, back.heap_hint, 300));
    cr_expect(eq(u32, back.num_ids, 2));
    cr_assert(eq(sz, back.num_ops, t.num_ops));
    for (size_t i = 0; i < t.num_ops; i++) {
        cr_expect(eq(u8, back.ops[i].kind, t.ops[i].kind), "op %zu", i);
        cr_expect(eq(u32, back.ops[i].id, t.ops[i].id), "op %zu", i);
        cr_expect(eq(sz, back.ops[i].size, t.ops[i].size), "op %zu", i);
        cr_expect(eq(u32, back.ops[i].line, t.ops[i].line), "op %zu", i);
    }
    trace_free(&back);
    free(text);
    trace_free(&t);
}

/* --- The classic checks ------------------------------------------------------ */

/* classic_text - trace_read_classic of text as TEST_TRACE under rules;
 * what it printed in *errors (malloc'ed). */
static int classic_text(const char *text, unsigned rules, trace_t *t, trace_stats_t *st,
                        char **errors)
{
    size_t n;
    FILE *err = open_memstream(errors, &n);
    FILE *in = fmemopen((void *)text, strlen(text), "r");
    cr_assert(ne(ptr, in, NULL), "fmemopen failed");
    int problems = trace_read_classic(in, TEST_TRACE, rules, t, err, st);
    fclose(in);
    fclose(err);
    return problems;
}

/* check_text - trace_check_classic under rules of text read leniently;
 * what it printed in *errors (malloc'ed). */
static int check_text(const char *text, unsigned rules, char **errors)
{
    trace_t t = trace_of(text);
    size_t n;
    FILE *err = open_memstream(errors, &n);
    int problems = trace_check_classic(&t, rules, err, NULL);
    fclose(err);
    trace_free(&t);
    return problems;
}

Test(trace_classic, reader_fills_the_trace_and_counts_the_body)
{
    trace_t t;
    trace_stats_t st;
    char *errors;
    int n = classic_text("900\n2\n5\n1\na 0 100\na 1 500\nr 0 400\nf 1\nf 0\n", 0, &t, &st,
                         &errors);
    cr_assert(eq(int, n, 0), "%s", errors);
    cr_expect(eq(int, t.header, HEADER_CLASSIC));
    cr_expect(eq(sz, t.heap_hint, 900));
    cr_expect(eq(u32, t.num_ids, 2));
    cr_expect(eq(sz, t.num_ops, 5));
    cr_expect(eq(dbl, t.weight, 1.0));
    cr_expect(eq(str, (char *)t.name, TEST_TRACE));
    cr_expect(eq(u32, t.ops[2].line, 7));
    cr_expect(eq(sz, st.ops, 5));
    cr_expect(eq(sz, st.allocs, 2));
    cr_expect(eq(sz, st.reallocs, 1));
    cr_expect(eq(sz, st.frees, 2));
    cr_expect(eq(sz, st.ids, 2));
    cr_expect(eq(u64, st.peak_bytes, 900));
    cr_expect(eq(u64, st.max_size, 500));
    trace_free(&t);
    free(errors);
}

Test(trace_classic, rejected_trace_holds_nothing)
{
    trace_t t;
    char *errors;
    int n = classic_text("8\n1\n1\n1\na 0 8\n", 0, &t, NULL, &errors);
    cr_expect(eq(int, n, 1), "%s", errors);
    cr_expect(eq(ptr, t.ops, NULL));
    cr_expect(eq(ptr, t.path, NULL));
    free(errors);
}

Test(trace_classic, reader_refuses_a_header_on_one_line)
{
    trace_t t;
    char *errors;
    int n = classic_text("20000 1 2 1\na 0 16\nf 0\n", 0, &t, NULL, &errors);
    cr_expect(ge(int, n, 1));
    cr_expect(contains(errors, "test.rep:1: expected heap_hint, an unsigned integer alone "
                               "on the line\n"), "%s", errors);
    free(errors);
}

Test(trace_classic, sizes_any_allows_malloc_of_zero_and_sizes_beyond_an_int)
{
    const char *text = "4294967296\n2\n4\n1\na 0 0\na 1 4294967296\nf 0\nf 1\n";
    trace_t t;
    char *errors;
    int n = classic_text(text, TRACE_SIZES_ANY, &t, NULL, &errors);
    cr_expect(eq(int, n, 0), "%s", errors);
    trace_free(&t);
    free(errors);
    n = classic_text(text, 0, &t, NULL, &errors);
    cr_expect(eq(int, n, 2));
    cr_expect(eq(str, errors,
                 "test.rep:5: expected a SIZE from 1 to 2147483647, not 0\n"
                 "test.rep:6: expected a SIZE from 1 to 2147483647, not 4294967296\n"));
    free(errors);
}

Test(trace_classic, check_of_a_built_trace_names_it_and_its_lines)
{
    trace_t t;
    trace_init(&t);
    trace_add_alloc(&t, 8);
    trace_add_alloc(&t, 0);
    trace_add_free(&t, 0);
    char *errors;
    size_t n;
    FILE *err = open_memstream(&errors, &n);
    int problems = trace_check_classic(&t, 0, err, NULL);
    fclose(err);
    cr_expect(eq(int, problems, 2));
    cr_expect(eq(str, errors,
                 "(built trace):6: expected a SIZE from 1 to 2147483647, not 0\n"
                 "(built trace):6: expected id 1 to be freed by the end of the trace\n"));
    free(errors);
    trace_close(&t);
    cr_expect(eq(int, trace_check_classic(&t, TRACE_SIZES_ANY, NULL, NULL), 0));
    trace_free(&t);
}

Test(trace_classic, check_names_each_extension_of_a_lenient_trace)
{
    char *errors;
    int n = check_text("20000 2 4 1\na 0 16\nf -1\nr 1 8\nf 0\n", 0, &errors);
    cr_expect(eq(int, n, 3));
    cr_expect(eq(str, errors,
                 "test.rep:3: expected an id, not -1 ('f -1' is an extension)\n"
                 "test.rep:4: expected an id below 1, the number of 'a' lines "
                 "(ids run from 0 without gaps), not 1\n"
                 "test.rep:2: expected every id below num_ids (2) to be allocated: "
                 "1 are not, the first is 1\n"));
    free(errors);
}

Test(trace_classic, check_refuses_realloc_to_zero_under_any_rules)
{
    char *errors;
    int n = check_text("20000 1 3 1\na 0 16\nr 0 0\na 0 8\n", TRACE_SIZES_ANY, &errors);
    cr_expect(ge(int, n, 1));
    cr_expect(contains(errors, "test.rep:3: expected a SIZE from 1 in 'r ID SIZE' "
                               "('r ID 0' is an extension)\n"), "%s", errors);
    free(errors);
}

Test(trace_classic, check_refuses_the_weight_first_header)
{
    char *errors;
    int n = check_text("1 1 2 4096\na 0 16\nf 0\n", 0, &errors);
    cr_expect(eq(int, n, 1));
    cr_expect(eq(str, errors,
                 "test.rep:1: expected the classic header (heap_hint num_ids num_ops weight)\n"));
    free(errors);
}

Test(trace_classic, at_most_trace_classic_max_errors_are_shown)
{
    char text[1024] = "8\n1\n2\n1\na 0 8\n";
    for (int i = 0; i < TRACE_CLASSIC_MAX_ERRORS + 5; i++)
        strcat(text, "x\n");
    strcat(text, "f 0\n");
    trace_t t;
    char *errors;
    int n = classic_text(text, 0, &t, NULL, &errors);
    cr_expect(eq(int, n, TRACE_CLASSIC_MAX_ERRORS + 5));
    cr_expect(contains(errors, "test.rep: 5 more problems not shown\n"), "%s", errors);
    free(errors);
}
