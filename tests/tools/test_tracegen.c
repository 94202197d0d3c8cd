/*
 * test_tracegen.c - tracegen's library: patterns are deterministic and
 * produce valid traces of the requested shape, the classic check that
 * tracegen --check runs catches each kind of broken trace, the command line
 * refuses bad values.
 *
 * Traces are rendered to memory with trace_write and read back through
 * trace_read_classic with TG_RULES, exactly as the tool does.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

#include "tracegen.h"

/* --- Helpers ------------------------------------------------------------ */

/* build - the trace of pattern name with its defaults, changed by the
 * "--param value" pairs in overrides (NULL-ended). */
static void build(trace_t *t, const char *name, uint64_t seed, size_t ops,
                  const char *const *overrides)
{
    const struct tg_pattern *p = tg_pattern_find(name);
    cr_assert(ne(ptr, (void *)p, NULL), "pattern %s exists", name);
    double param[TG_MAX_PARAMS];
    tg_param_defaults(p, param);
    for (size_t i = 0; overrides && overrides[i]; i += 2) {
        size_t k = 0;
        while (k < tg_param_count(p) && strcmp(p->params[k].name, overrides[i] + 2) != 0)
            k++;
        cr_assert(lt(sz, k, tg_param_count(p)), "%s has %s", name, overrides[i]);
        param[k] = strtod(overrides[i + 1], NULL);
    }
    cr_assert(eq(int, tg_generate(t, p, param, seed, ops), 0));
}

/* render - the text of pattern name's trace, malloc'ed. */
static char *render(const char *name, uint64_t seed, size_t ops)
{
    trace_t t;
    build(&t, name, seed, ops, NULL);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    cr_assert(eq(int, trace_write(&t, f), 0));
    fclose(f);
    trace_free(&t);
    return text;
}

/* check_trace - the classic check of tracegen on text, the trace read into
 * *t when t is not NULL (free it with trace_free); its messages in
 * *messages (malloc'ed, may be NULL when not wanted). Returns the number of
 * problems. */
static size_t check_trace(const char *text, trace_t *t, trace_stats_t *st, char **messages)
{
    char *msg = NULL;
    size_t msglen = 0;
    FILE *err = open_memstream(&msg, &msglen);
    FILE *in = fmemopen((void *)text, strlen(text), "r");
    cr_assert(ne(ptr, (void *)in, NULL));
    trace_t back;
    int problems = trace_read_classic(in, "t.rep", TG_RULES, &back, err, st);
    fclose(in);
    fclose(err);
    if (t)
        *t = back;
    else
        trace_free(&back);
    if (messages)
        *messages = msg;
    else
        free(msg);
    return (size_t)problems;
}

/* check_text - check_trace without the trace. */
static size_t check_text(const char *text, trace_stats_t *st, char **messages)
{
    return check_trace(text, NULL, st, messages);
}

/* expect_rejected - text has exactly one problem, reported with want. */
static void expect_rejected(const char *text, const char *want)
{
    char *msg;
    size_t problems = check_text(text, NULL, &msg);
    cr_expect(eq(sz, problems, 1), "problems in:\n%s", text);
    cr_expect(ne(ptr, strstr(msg, want), NULL), "message '%s' contains '%s'", msg, want);
    free(msg);
}

/* --- Every pattern ------------------------------------------------------- */

static void same_seed_same_bytes(const char *name)
{
    char *a = render(name, 42, 5000), *b = render(name, 42, 5000);
    cr_assert(eq(str, a, b), "%s twice with seed 42", name);
    free(a);
    free(b);
}

static void other_seed_other_trace(const char *name)
{
    char *a = render(name, 1, 5000), *b = render(name, 2, 5000);
    cr_assert(ne(str, a, b), "%s with seeds 1 and 2", name);
    free(a);
    free(b);
}

static void output_is_valid(const char *name)
{
    char *text = render(name, 7, 20000), *msg;
    trace_t t;
    trace_stats_t st;
    cr_assert(eq(sz, check_trace(text, &t, &st, &msg), 0), "%s: %s", name, msg);
    cr_expect(eq(sz, t.num_ops, st.ops));
    cr_expect(eq(sz, t.num_ids, st.ids));
    cr_expect(eq(u64, t.heap_hint, st.peak_bytes), "heap_hint is the peak of live bytes");
    cr_expect(eq(dbl, t.weight, 1));
    cr_expect(eq(sz, st.allocs, st.frees), "balanced");
    cr_expect(le(u64, st.peak_bytes, 64 << 20), "defaults stay under 64 MB live");
    trace_free(&t);
    free(text);
    free(msg);
}

static void length_is_near_n(const char *name)
{
    trace_t t;
    build(&t, name, 3, 20000, NULL);
    cr_expect(le(sz, t.num_ops, 20000));
    cr_expect(ge(sz, t.num_ops, 18000), "within one step of -n for %s", name);
    cr_expect(eq(sz, t.life.nlive, 0));
    trace_free(&t);
}

static void tiny_n_still_valid(const char *name)
{
    for (size_t n = 1; n <= 40; n += 13) {
        char *text = render(name, 5, n), *msg;
        trace_stats_t st;
        cr_expect(eq(sz, check_text(text, &st, &msg), 0), "%s -n %zu: %s", name, n, msg);
        cr_expect(le(sz, st.ops, n));
        free(text);
        free(msg);
    }
}

#define PATTERN_TESTS(NAME)                                                   \
    Test(NAME, same_seed_gives_identical_bytes) { same_seed_same_bytes(#NAME); } \
    Test(NAME, different_seeds_give_different_traces) { other_seed_other_trace(#NAME); } \
    Test(NAME, output_passes_the_classic_check) { output_is_valid(#NAME); }       \
    Test(NAME, length_is_at_most_n_and_within_a_step) { length_is_near_n(#NAME); } \
    Test(NAME, very_short_traces_are_valid) { tiny_n_still_valid(#NAME); }

PATTERN_TESTS(binary)
PATTERN_TESTS(coalesce)
PATTERN_TESTS(random)
PATTERN_TESTS(realloc)
PATTERN_TESTS(pareto)
PATTERN_TESTS(bimodal)
PATTERN_TESTS(tiny)
PATTERN_TESTS(huge)
PATTERN_TESTS(fenced)

Test(patterns, every_pattern_has_tests_above)
{
    size_t n = 0;
    for (const struct tg_pattern *p = tg_patterns; p->name; p++)
        n++;
    cr_assert(eq(sz, n, 9), "a new pattern needs a PATTERN_TESTS line");
}

Test(patterns, defaults_are_in_range_and_accepted)
{
    for (const struct tg_pattern *p = tg_patterns; p->name; p++) {
        double param[TG_MAX_PARAMS];
        tg_param_defaults(p, param);
        for (size_t i = 0; i < tg_param_count(p); i++) {
            const struct tg_param *q = &p->params[i];
            cr_expect(ge(dbl, q->def, q->min), "%s --%s", p->name, q->name);
            cr_expect(le(dbl, q->def, q->max), "%s --%s", p->name, q->name);
        }
        const char *why = p->check ? p->check(param) : NULL;
        cr_expect(eq(ptr, (void *)why, NULL), "%s defaults: %s", p->name, why);
    }
}

/* --- What each pattern makes --------------------------------------------- */

Test(binary, alternates_then_frees_large_then_allocates_larger)
{
    trace_t t;
    build(&t, "binary", 1, 60, NULL);    /* 10 pairs */
    cr_assert(eq(sz, t.num_ops, 60));
    for (size_t i = 0; i < 20; i++) {
        cr_expect(eq(chr, t.ops[i].kind, OP_ALLOC));
        cr_expect(eq(sz, t.ops[i].size, i % 2 ? 448 : 64), "op %zu", i);
    }
    for (size_t i = 20; i < 30; i++) {
        cr_expect(eq(chr, t.ops[i].kind, OP_FREE));
        cr_expect(eq(u32, t.ops[i].id % 2, 1), "only large blocks are freed");
    }
    for (size_t i = 30; i < 40; i++)
        cr_expect(eq(sz, t.ops[i].size, 512), "then blocks 64 bytes larger");
    trace_free(&t);
}

Test(coalesce, large_request_is_the_sum_of_a_run)
{
    static const char *const o[] = { "--run", "4", "--runs", "2", NULL };
    trace_t t;
    build(&t, "coalesce", 9, 30, o);
    /* Round one: run 0 (4 blocks), fence, run 1, fence; 8 frees; 2 large. */
    size_t run_total[2] = { 0, 0 };
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 9)
            run_total[i / 5] += t.ops[i].size;
    cr_assert(eq(chr, t.ops[18].kind, OP_ALLOC));
    cr_assert(eq(chr, t.ops[19].kind, OP_ALLOC));
    size_t a = t.ops[18].size, b = t.ops[19].size;
    bool matches = (a == run_total[0] && b == run_total[1]) ||
                   (a == run_total[1] && b == run_total[0]);
    cr_expect(matches, "large %zu, %zu; runs %zu, %zu", a, b, run_total[0], run_total[1]);
    trace_free(&t);
}

Test(coalesce, frees_odd_positions_before_even_ones)
{
    static const char *const o[] = { "--run", "4", "--runs", "1", NULL };
    trace_t t;
    build(&t, "coalesce", 9, 12, o);
    /* ids 0..3 the run, 4 the fence; frees 1, 3 then 0, 2. */
    cr_assert(ge(sz, t.num_ops, 9));
    cr_expect(eq(u32, t.ops[5].id, 1));
    cr_expect(eq(u32, t.ops[6].id, 3));
    cr_expect(eq(u32, t.ops[7].id, 0));
    cr_expect(eq(u32, t.ops[8].id, 2));
    trace_free(&t);
}

Test(random, sizes_stay_within_min_and_max)
{
    static const char *const o[] = { "--min", "100", "--max", "200", NULL };
    trace_t t;
    build(&t, "random", 4, 10000, o);
    size_t reallocs = 0;
    for (size_t i = 0; i < t.num_ops; i++) {
        if (t.ops[i].kind == OP_FREE)
            continue;
        reallocs += t.ops[i].kind == OP_REALLOC;
        cr_assert(ge(sz, t.ops[i].size, 100));
        cr_assert(le(sz, t.ops[i].size, 200));
    }
    cr_expect(gt(sz, reallocs, 1000), "about 20%% of 10000 are reallocs");
    trace_free(&t);
}

Test(realloc, buffers_only_grow)
{
    trace_t t;
    build(&t, "realloc", 4, 20000, NULL);
    size_t *size = calloc(t.num_ids, sizeof *size);
    size_t reallocs = 0;
    for (size_t i = 0; i < t.num_ops; i++) {
        const trace_op_t *op = &t.ops[i];
        if (op->kind == OP_REALLOC) {
            cr_assert(gt(sz, op->size, size[op->id]), "op %zu", i);
            reallocs++;
        }
        size[op->id] = op->size;
    }
    cr_expect(gt(sz, reallocs, 5000));
    free(size);
    trace_free(&t);
}

/* Every growth is followed by a small block; the block before it is freed
 * only after that, so it cannot take the new one's place. */
Test(fenced, every_growth_is_fenced_before_the_last_fence_goes)
{
    trace_t t;
    build(&t, "fenced", 4, 2000, NULL);
    size_t growths = 0;
    for (size_t i = 0; i + 2 < t.num_ops; i++) {
        if (t.ops[i].kind != OP_REALLOC)
            continue;
        growths++;
        cr_assert(eq(int, t.ops[i + 1].kind, OP_ALLOC), "op %zu", i + 1);
        if (growths > 1 && i + 2 < t.num_ops - 2)
            cr_assert(eq(int, t.ops[i + 2].kind, OP_FREE), "op %zu", i + 2);
    }
    cr_expect(gt(sz, growths, 500));
    trace_free(&t);
}

Test(fenced, two_buffers_grow_in_turn)
{
    static const char *const o[] = { "--buffers", "2", NULL };
    trace_t t;
    build(&t, "fenced", 4, 2000, o);
    uint32_t last = TRACE_NO_ID;
    for (size_t i = 0; i < t.num_ops; i++)
        if (t.ops[i].kind == OP_REALLOC) {
            cr_assert(ne(u32, t.ops[i].id, last), "op %zu grows the same buffer twice", i);
            last = t.ops[i].id;
        }
    trace_free(&t);
}

Test(tiny, pct_100_gives_only_sizes_1_to_16)
{
    static const char *const o[] = { "--pct", "100", NULL };
    trace_t t;
    build(&t, "tiny", 4, 10000, o);
    for (size_t i = 0; i < t.num_ops; i++) {
        if (t.ops[i].kind == OP_ALLOC) {
            cr_assert(ge(sz, t.ops[i].size, 1));
            cr_assert(le(sz, t.ops[i].size, 16));
        }
    }
    trace_free(&t);
}

Test(tiny, most_blocks_are_tiny_by_default)
{
    trace_t t;
    build(&t, "tiny", 4, 20000, NULL);
    size_t tiny = 0, all = 0;
    for (size_t i = 0; i < t.num_ops; i++) {
        if (t.ops[i].kind == OP_ALLOC) {
            all++;
            tiny += t.ops[i].size <= 16;
        }
    }
    cr_expect(gt(sz, tiny * 100, all * 85), "%zu of %zu tiny", tiny, all);
    trace_free(&t);
}

Test(huge, at_most_count_huge_blocks_live)
{
    static const char *const o[] = { "--count", "3", "--permille", "20", NULL };
    trace_t t;
    build(&t, "huge", 4, 20000, o);
    bool *huge = calloc(t.num_ids, sizeof *huge);
    size_t live = 0, most = 0, seen = 0;
    for (size_t i = 0; i < t.num_ops; i++) {
        const trace_op_t *op = &t.ops[i];
        if (op->kind == OP_ALLOC && op->size >= 256 * 1024) {
            cr_assert(le(sz, op->size, 4 * 1024 * 1024));
            huge[op->id] = true;
            seen++;
            if (++live > most)
                most = live;
        } else if (op->kind == OP_FREE && huge[op->id]) {
            live--;
        }
    }
    cr_expect(eq(sz, most, 3));
    cr_expect(gt(sz, seen, 10), "huge blocks come and go");
    free(huge);
    trace_free(&t);
}

Test(pareto, small_sizes_outnumber_large_ones)
{
    trace_t t;
    build(&t, "pareto", 4, 20000, NULL);
    size_t below_64 = 0, above_1024 = 0;
    for (size_t i = 0; i < t.num_ops; i++) {
        if (t.ops[i].kind != OP_ALLOC)
            continue;
        cr_assert(ge(sz, t.ops[i].size, 32));
        below_64 += t.ops[i].size < 64;
        above_1024 += t.ops[i].size > 1024;
    }
    /* alpha 1: P(< 2 min) = 1/2, P(> 32 min) = 1/32. */
    cr_expect(gt(sz, below_64, 10 * above_1024), "%zu small, %zu large", below_64, above_1024);
    cr_expect(gt(sz, above_1024, 0));
    trace_free(&t);
}

Test(bimodal, sizes_fall_in_the_two_modes)
{
    trace_t t;
    build(&t, "bimodal", 4, 20000, NULL);
    size_t small = 0, large = 0;
    for (size_t i = 0; i < t.num_ops; i++) {
        size_t s = t.ops[i].size;
        if (t.ops[i].kind != OP_ALLOC)
            continue;
        if (s >= 48 && s <= 80)
            small++;
        else if (s >= 3072 && s <= 5120)
            large++;
        else
            cr_assert(false, "size %zu is in neither mode", s);
    }
    cr_expect(gt(sz, small, 3 * large), "80%% small: %zu small, %zu large", small, large);
    trace_free(&t);
}

/* --- The trace in memory ------------------------------------------------- */

Test(trace, room_counts_the_frees_still_owed)
{
    trace_t t;
    trace_init(&t);
    cr_expect(eq(sz, tg_room(&t, 10), 10));
    uint32_t a = trace_add_alloc(&t, 8);
    cr_expect(eq(sz, tg_room(&t, 10), 8), "an 'a' costs itself and its 'f'");
    trace_add_realloc(&t, a, 16);
    cr_expect(eq(sz, tg_room(&t, 10), 7));
    trace_add_free(&t, a);
    cr_expect(eq(sz, tg_room(&t, 10), 7), "its 'f' was already counted");
    trace_free(&t);
}

Test(trace, peak_is_the_most_live_bytes)
{
    trace_t t;
    trace_init(&t);
    uint32_t a = trace_add_alloc(&t, 100), b = trace_add_alloc(&t, 50);
    trace_add_free(&t, a);
    trace_add_realloc(&t, b, 120);
    cr_expect(eq(u64, t.life.peak_bytes, 150));
    trace_add_realloc(&t, b, 200);
    cr_expect(eq(u64, t.life.peak_bytes, 200));
    trace_close(&t);
    cr_expect(eq(u64, t.life.live_bytes, 0));
    cr_expect(eq(sz, t.life.nlive, 0));
    cr_expect(eq(sz, t.heap_hint, 200), "the heap hint written is the peak");
    trace_free(&t);
}

Test(trace, writer_refuses_an_unbalanced_trace)
{
    trace_t t;
    trace_init(&t);
    trace_add_alloc(&t, 10);
    FILE *f = fopen("/dev/null", "w");
    cr_expect(eq(int, trace_write(&t, f), -1));
    fclose(f);
    trace_free(&t);
}

Test(trace, writer_uses_the_classic_header)
{
    trace_t t;
    trace_init(&t);
    uint32_t a = trace_add_alloc(&t, 10), b = trace_add_alloc(&t, 30);
    trace_add_realloc(&t, a, 5);
    trace_add_free(&t, b);
    trace_add_free(&t, a);
    char *text = NULL;
    size_t len;
    FILE *f = open_memstream(&text, &len);
    cr_assert(eq(int, trace_write(&t, f), 0));
    fclose(f);
    cr_expect(eq(str, text, "40\n2\n5\n1\na 0 10\na 1 30\nr 0 5\nf 1\nf 0\n"));
    free(text);
    trace_free(&t);
}

/* --- The classic check (tracegen --check) ------------------------------- */

Test(check, accepts_a_small_valid_trace)
{
    trace_stats_t st;
    char *msg;
    size_t problems = check_text("40\n2\n5\n1\na 0 10\na 1 30\nr 0 5\nf 1\nf 0\n", &st, &msg);
    cr_expect(eq(sz, problems, 0), "%s", msg);
    cr_expect(eq(u64, st.peak_bytes, 40));
    cr_expect(eq(u64, st.max_size, 30));
    cr_expect(eq(sz, st.reallocs, 1));
    free(msg);
}

Test(check, rejects_a_block_never_freed)
{
    expect_rejected("10\n1\n1\n1\na 0 10\n",
                    "t.rep:5: expected id 0 to be freed by the end of the trace");
}

Test(check, rejects_num_ops_that_differs_from_the_body)
{
    expect_rejected("10\n1\n3\n1\na 0 10\nf 0\n",
                    "t.rep:3: expected num_ops to be the number of operations, 2, not 3");
}

Test(check, rejects_num_ids_larger_than_the_ids_used)
{
    expect_rejected("10\n2\n2\n1\na 0 10\nf 0\n", "t.rep:2: expected every id below num_ids");
}

Test(check, rejects_an_id_at_or_above_num_ids)
{
    char *msg;
    size_t problems = check_text("10\n1\n4\n1\na 0 10\na 1 5\nf 1\nf 0\n", NULL, &msg);
    cr_expect(ge(sz, problems, 1));
    cr_expect(ne(ptr, strstr(msg, "t.rep:6: expected an id below num_ids (1), not 1"), NULL),
              "%s", msg);
    free(msg);
}

Test(check, rejects_a_double_free)
{
    expect_rejected("10\n1\n3\n1\na 0 10\nf 0\nf 0\n",
                    "t.rep:7: expected a live id: 0 is already freed");
}

Test(check, rejects_a_free_before_the_allocation)
{
    char *msg;
    size_t problems = check_text("10\n1\n2\n1\nf 0\na 0 10\n", NULL, &msg);
    cr_expect(ge(sz, problems, 1));
    cr_expect(ne(ptr, strstr(msg, "t.rep:5: expected a live id: 0 is not allocated yet"), NULL),
              "%s", msg);
    free(msg);
}

Test(check, rejects_a_realloc_after_the_free)
{
    expect_rejected("10\n1\n3\n1\na 0 10\nf 0\nr 0 20\n",
                    "t.rep:7: expected a live id: 0 is already freed");
}

Test(check, rejects_an_id_allocated_twice)
{
    char *msg;
    size_t problems = check_text("10\n1\n3\n1\na 0 10\nf 0\na 0 10\n", NULL, &msg);
    cr_expect(ge(sz, problems, 1));
    cr_expect(ne(ptr, strstr(msg, "t.rep:7: expected a new id: 0 was allocated at line 5"), NULL),
              "%s", msg);
    free(msg);
}

Test(check, rejects_size_zero)
{
    expect_rejected("10\n1\n2\n1\na 0 0\nf 0\n", "t.rep:5: expected a SIZE from 1 to");
}

Test(check, rejects_a_size_beyond_an_int)
{
    expect_rejected("10\n1\n2\n1\na 0 2147483648\nf 0\n", "t.rep:5: expected a SIZE from 1 to");
}

Test(check, rejects_a_comment_line)
{
    expect_rejected("10\n1\n2\n1\n# hello\na 0 10\nf 0\n", "t.rep:5: expected 'a ID SIZE'");
}

Test(check, rejects_a_blank_line)
{
    expect_rejected("10\n1\n2\n1\na 0 10\n\nf 0\n", "t.rep:6: expected 'a ID SIZE'");
}

Test(check, rejects_the_free_null_extension)
{
    expect_rejected("10\n1\n2\n1\na 0 10\nf 0\nf -1\n", "t.rep:7: expected an id from 0");
}

Test(check, rejects_an_unknown_operation)
{
    expect_rejected("10\n1\n2\n1\na 0 10\nx 0\nf 0\n", "t.rep:6: expected 'a ID SIZE'");
}

Test(check, rejects_words_after_an_operation)
{
    expect_rejected("10\n1\n2\n1\na 0 10 7\nf 0\n",
                    "t.rep:5: expected the line to end after 'a ID SIZE'");
}

Test(check, rejects_carriage_returns)
{
    expect_rejected("10\n1\n2\n1\na 0 10\r\nf 0\n", "t.rep:5: expected the line to end in a bare");
}

Test(check, rejects_a_short_header)
{
    char *msg;
    size_t problems = check_text("10\n1\n", NULL, &msg);
    cr_expect(ge(sz, problems, 1));
    cr_expect(ne(ptr, strstr(msg, "t.rep:3: expected 4 header lines"), NULL), "%s", msg);
    free(msg);
}

Test(check, rejects_a_header_field_that_is_not_a_number)
{
    expect_rejected("10\n1\ntwo\n1\na 0 10\nf 0\n", "t.rep:3: expected num_ops");
}

Test(check, counts_every_problem_and_goes_on)
{
    trace_stats_t st;
    char *msg;
    size_t problems = check_text("10\n2\n5\n1\na 0 0\na 1 10\nf 1\nf 1\nf 0\n", &st, &msg);
    cr_expect(eq(sz, problems, 2), "%s", msg);
    cr_expect(ne(ptr, strstr(msg, "t.rep:5: expected a SIZE"), NULL), "%s", msg);
    cr_expect(ne(ptr, strstr(msg, "t.rep:8: expected a live id: 1 is already freed"), NULL),
              "%s", msg);
    cr_expect(eq(sz, st.ops, 5), "a bad line still counts as its operation");
    free(msg);
}

Test(check, accepts_every_generated_trace_written_by_trace_write)
{
    /* The writer and the check agree on the format for a long trace. */
    char *text = render("random", 11, 50000), *msg;
    cr_expect(eq(sz, check_text(text, NULL, &msg), 0), "%s", msg);
    free(text);
    free(msg);
}

/* --- The command line ---------------------------------------------------- */

/* parse - tg_parse_args on the words of line (space-separated, at most 16);
 * its messages in *messages when not NULL. */
static int parse(const char *line, struct tg_options *o, char **messages)
{
    static char buf[512];
    char *argv[17];
    int argc = 0;
    strncpy(buf, line, sizeof buf - 1);
    for (char *w = strtok(buf, " "); w && argc < 16; w = strtok(NULL, " "))
        argv[argc++] = w;
    argv[argc] = NULL;
    char *msg = NULL;
    size_t len;
    FILE *err = open_memstream(&msg, &len);
    int rc = tg_parse_args(argc, argv, o, err);
    fclose(err);
    if (messages)
        *messages = msg;
    else
        free(msg);
    return rc;
}

/* expect_refused - line is refused with a message that contains want. */
static void expect_refused(const char *line, const char *want)
{
    struct tg_options o;
    char *msg;
    cr_expect(eq(int, parse(line, &o, &msg), -1), "'%s' is refused", line);
    cr_expect(ne(ptr, strstr(msg, want), NULL), "message '%s' contains '%s'", msg, want);
    cr_expect(ne(ptr, strstr(msg, "usage: tracegen"), NULL), "with the usage");
    free(msg);
}

Test(options, reads_pattern_seed_length_and_output)
{
    struct tg_options o;
    cr_assert(eq(int, parse("tracegen binary -s 7 -n 1200 -o x.rep", &o, NULL), 0));
    cr_expect(eq(int, o.mode, TG_GENERATE));
    cr_expect(eq(str, (char *)o.pattern->name, "binary"));
    cr_expect(eq(u64, o.seed, 7));
    cr_expect(eq(sz, o.ops, 1200));
    cr_expect(eq(str, (char *)o.output, "x.rep"));
}

Test(options, defaults_when_only_the_pattern_is_given)
{
    struct tg_options o;
    cr_assert(eq(int, parse("tracegen tiny", &o, NULL), 0));
    cr_expect(eq(u64, o.seed, TG_DEFAULT_SEED));
    cr_expect(eq(sz, o.ops, TG_DEFAULT_OPS));
    cr_expect(eq(ptr, (void *)o.output, NULL));
    cr_expect(eq(dbl, o.param[1], 16), "--max of tiny");
}

Test(options, reads_pattern_parameters_in_both_forms)
{
    struct tg_options o;
    cr_assert(eq(int, parse("tracegen binary --small 32 --large=300 --jitter 12.5", &o, NULL), 0));
    cr_expect(eq(dbl, o.param[0], 32));
    cr_expect(eq(dbl, o.param[1], 300));
    cr_expect(eq(dbl, o.param[3], 12.5));
}

Test(options, reads_attached_short_values_and_hex_seeds)
{
    struct tg_options o;
    cr_assert(eq(int, parse("tracegen random -s0x10 -n500", &o, NULL), 0));
    cr_expect(eq(u64, o.seed, 16));
    cr_expect(eq(sz, o.ops, 500));
}

Test(options, list_check_and_help_modes)
{
    struct tg_options o;
    cr_expect(eq(int, parse("tracegen --list", &o, NULL), 0));
    cr_expect(eq(int, o.mode, TG_LIST));
    cr_expect(eq(int, parse("tracegen --check a.rep b.rep", &o, NULL), 0));
    cr_expect(eq(int, o.mode, TG_CHECK));
    cr_expect(eq(int, o.nfiles, 2));
    cr_expect(eq(int, parse("tracegen -h", &o, NULL), 0));
    cr_expect(eq(int, o.mode, TG_HELP));
}

Test(options, refuses_no_arguments)
{
    expect_refused("tracegen", "expected a pattern name");
}

Test(options, refuses_an_unknown_pattern)
{
    expect_refused("tracegen nosuch", "nosuch: no such pattern");
}

Test(options, refuses_an_option_before_the_pattern)
{
    expect_refused("tracegen -s 3 binary", "-s: expected a pattern name first");
}

Test(options, refuses_a_parameter_of_another_pattern)
{
    expect_refused("tracegen binary --live 10", "pattern binary has no parameter --live");
}

Test(options, refuses_a_seed_that_is_not_a_number)
{
    expect_refused("tracegen binary -s seven", "-s: expected a seed from 0 to");
}

Test(options, refuses_a_negative_seed)
{
    expect_refused("tracegen binary -s -1", "-s: expected a seed");
}

Test(options, refuses_a_seed_too_large_for_64_bits)
{
    expect_refused("tracegen binary -s 18446744073709551616", "-s: expected a seed");
}

Test(options, refuses_zero_operations)
{
    expect_refused("tracegen binary -n 0", "-n: expected a number of operations from 1 to");
}

Test(options, refuses_too_many_operations)
{
    expect_refused("tracegen binary -n 5000001", "-n: expected a number of operations");
}

Test(options, refuses_trailing_junk_in_a_number)
{
    expect_refused("tracegen binary -n 12x", "-n: expected a number of operations");
}

Test(options, refuses_a_missing_value)
{
    expect_refused("tracegen binary -n", "not '(nothing)'");
}

Test(options, refuses_a_parameter_out_of_range)
{
    expect_refused("tracegen binary --small 0", "--small: expected an integer from 1 to 1048576, not '0'");
}

Test(options, refuses_a_fraction_for_an_integer_parameter)
{
    expect_refused("tracegen binary --small 2.5", "--small: expected an integer");
}

Test(options, refuses_nan_for_a_decimal_parameter)
{
    expect_refused("tracegen binary --jitter nan", "--jitter: expected a number from 0 to 90");
}

Test(options, refuses_parameters_that_do_not_go_together)
{
    expect_refused("tracegen random --min 500 --max 100", "random: --min must not exceed --max");
}

Test(options, refuses_a_stray_word)
{
    expect_refused("tracegen binary extra", "extra: expected -s SEED, -n OPS, -o FILE");
}

Test(options, refuses_check_without_files)
{
    expect_refused("tracegen --check", "--check: expected one or more trace files");
}
