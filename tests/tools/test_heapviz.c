/*
 * test_heapviz.c - heapviz as a user runs it, and the walk it reads heaps
 * with.
 *
 * The programs are the ones beside this test binary: heapviz (the
 * reference's mm.c), heapviz-implicit (a student's allocator of CS:APP's
 * style, tests/tools/heapviz/implicit.c, with bugs on purpose: a block
 * for malloc(1000) has no end tag, and more), heapviz-bump (the least
 * allocator of the reference's heap edges, tests/tools/heapviz/bump.c: a
 * block for malloc(16) has no end tag) and heapviz-skeleton (the
 * handout's mm.c, nothing written yet).
 */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "heapviz.h"
#include "timeouts.h"

#ifndef KIT_ROOT
#define KIT_ROOT "."
#endif

TestSuite(heapviz_at, .timeout = TIMEOUT(30));
TestSuite(heapviz_map, .timeout = TIMEOUT(60));
TestSuite(heapviz_cli, .timeout = TIMEOUT(30));
TestSuite(heapviz_walk, .timeout = TIMEOUT(10));

static char dir[] = "/tmp/heapviz-test-XXXXXX";

static void setup(void)
{
    cr_assert(ne(ptr, mkdtemp(dir), NULL), "mkdtemp failed");
}

static void teardown(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect(eq(int, system(cmd), 0), "cannot remove %s", dir);
}

/* The lecture's block: malloc(24) makes a block of 40 bytes. */
static const char lecture_trace[] = "0\n2\n3\n1\n"
                                    "a 0 24\n"   /* line 5 */
                                    "a 1 100\n"  /* line 6 */
                                    "f 0\n";     /* line 7 */

/* write_trace - text as dir/name. */
static void write_trace(const char *name, const char *text)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert(ne(ptr, f, NULL), "cannot create %s", path);
    fputs(text, f);
    fclose(f);
}

typedef struct run {
    int status;    /* the exit status, or 128 + a signal */
    char *out;     /* stdout and stderr as they came */
} run_t;

/*
 * hv - run, in dir, the program prog (found beside this binary) with the
 * arguments args (a shell's words). Its output and exit status.
 */
static run_t hv(const char *prog, const char *args)
{
    char self[400];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    cr_assert(gt(sz, (size_t)(n + 1), 1), "cannot read /proc/self/exe");
    self[n] = '\0';
    char *cmd;
    cr_assert(ge(int, asprintf(&cmd, "cd '%s' && '%s/%s' %s 2>&1", dir, dirname(self), prog, args), 0));
    FILE *p = popen(cmd, "r");
    cr_assert(ne(ptr, p, NULL), "cannot run %s", cmd);
    run_t r = { 0, NULL };
    size_t cap = 0;
    if (getdelim(&r.out, &cap, '\0', p) < 0) {
        free(r.out);
        r.out = strdup("");
    }
    int st = pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    free(cmd);
    return r;
}

/* line_with - the line of text that holds every one of the strings of
 * want (NULL-ended), as a new string; NULL if none. */
static char *line_with(const char *text, const char *const *want)
{
    for (const char *s = text; *s;) {
        const char *e = strchrnul(s, '\n');
        char *line = strndup(s, (size_t)(e - s));
        bool all = true;
        for (const char *const *w = want; *w && all; w++)
            all = strstr(line, *w) != NULL;
        if (all)
            return line;
        free(line);
        s = *e ? e + 1 : e;
    }
    return NULL;
}

/* expect_line - text has a line holding every string of want. */
#define expect_line(text, ...)                                                            \
    do {                                                                                  \
        const char *const want_[] = { __VA_ARGS__, NULL };                                \
        char *l_ = line_with(text, want_);                                                \
        cr_expect(ne(ptr, l_, NULL), "no line with \"%s\"%s%s in:\n%s", want_[0],         \
                  want_[1] ? " and \"" : "", want_[1] ? want_[1] : "", text);             \
        free(l_);                                                                         \
    } while (0)

static char *slurp(const char *name)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *text = NULL;
    size_t n = 0;
    if (getdelim(&text, &n, '\0', f) < 0) {
        free(text);
        text = NULL;
    }
    fclose(f);
    return text;
}

/* --- --at: the heap word by word ---------------------------------------------- */

Test(heapviz_at, shows_the_lecture_s_40_byte_block_of_malloc_24_word_by_word, .init = setup,
     .fini = teardown)
{
    write_trace("t.rep", lecture_trace);
    run_t r = hv("heapviz", "--at 5 t.rep");
    cr_expect(eq(int, r.status, 0), "%s", r.out);
    expect_line(r.out, "heap after line 5 (a 0 24)");
    expect_line(r.out, "allocated, 40 bytes", "ID 0, line 5: 24 bytes requested, 0 of padding");
    expect_line(r.out, "0x0000000000000029", "size word: size 40, allocated");
    expect_line(r.out, "payload [0]");
    expect_line(r.out, "payload [2]");
    expect_line(r.out, "0x0000000000000029", "end tag: size 40, allocated");
    cr_expect(eq(ptr, strstr(r.out, "payload [3]"), NULL), "a 4th payload word:\n%s", r.out);
    free(r.out);
}

Test(heapviz_at, shows_the_40_byte_block_of_a_student_allocator_with_other_heap_edges,
     .init = setup, .fini = teardown)
{
    write_trace("t.rep", lecture_trace);
    run_t r = hv("heapviz-implicit", "--at 5 t.rep");
    cr_expect(eq(int, r.status, 0), "%s", r.out);
    /* its padding word, then its prologue: a block of its own */
    expect_line(r.out, "+0 ", "edge word");
    expect_line(r.out, "block 1: allocated, 16 bytes at +0x8 ", "the allocator's own");
    expect_line(r.out, "block 2: allocated, 40 bytes at +0x18 ", "ID 0, line 5");
    expect_line(r.out, "+0x20 ", "payload [0]");
    expect_line(r.out, "+0x38 ", "0x0000000000000029", "end tag: size 40, allocated");
    free(r.out);
}

Test(heapviz_at, names_the_free_list_links_of_a_free_block, .init = setup, .fini = teardown)
{
    write_trace("t.rep", lecture_trace);
    run_t r = hv("heapviz", "--at 7 t.rep");
    cr_expect(eq(int, r.status, 0), "%s", r.out);
    expect_line(r.out, "heap after line 7 (f 0)");
    expect_line(r.out, "next free: heap+");
    expect_line(r.out, "prev free: heap+");
    expect_line(r.out, "100 bytes requested, 4 of padding");
    expect_line(r.out, "payload [12]: 4 bytes requested, 4 padding");
    free(r.out);
}

Test(heapviz_at, a_line_before_the_first_operation_shows_the_heap_of_mm_init, .init = setup,
     .fini = teardown)
{
    write_trace("t.rep", lecture_trace);
    run_t r = hv("heapviz", "--at 1 t.rep");
    cr_expect(eq(int, r.status, 0), "%s", r.out);
    expect_line(r.out, "heap after mm_init, before the first operation");
    free(r.out);
}

Test(heapviz_at, check_marks_the_word_mm_check_heap_names, .init = setup, .fini = teardown)
{
    write_trace("t.rep", "0\n2\n2\n1\na 0 24\na 1 1000\n");
    run_t r = hv("heapviz-implicit", "--at 6 --check t.rep");
    cr_expect(eq(int, r.status, 1), "%s", r.out);
    expect_line(r.out, "heapviz: mm_check_heap complained (its words are above the heap's)");
    expect_line(r.out, "Error: header does not match footer at 0x");
    /* the block after the 40-byte one: its size word at +0x40 */
    expect_line(r.out, "+0x40 ", "<-- mm_check_heap");
    expect_line(r.out, "the walk stopped at +0x40", "an end tag that differs from its size word");
    char *line = line_with(r.out, (const char *const[]){ "+0x18 ", "<-- mm_check_heap", NULL });
    cr_expect(eq(ptr, line, NULL), "a word marked that the checker did not name: %s", line);
    free(line);
    free(r.out);
}

Test(heapviz_at, a_broken_first_block_is_where_the_walk_stops_not_skipped, .init = setup,
     .fini = teardown)
{
    /* the first block, at +0x18, has no end tag */
    write_trace("t.rep", "0\n2\n2\n1\na 0 1000\na 1 24\n");
    run_t r = hv("heapviz-implicit", "--at 6 t.rep");
    cr_expect(eq(int, r.status, 0), "%s", r.out);
    expect_line(r.out, "the walk stopped at +0x18: an end tag that differs from its size word");
    expect_line(r.out, "+0x18 ", "size word: size 1016, allocated; its end tag at +0x408 holds 0x0");
    cr_expect(eq(ptr, strstr(r.out, "ID 1"), NULL), "a block above the break was read:\n%s", r.out);
    free(r.out);
}

Test(heapviz_at, a_broken_first_block_is_not_skipped_for_a_chain_above_it, .init = setup,
     .fini = teardown)
{
    /* the first block, 32 bytes at +0x8, has no end tag; the next one's
     * size word, at +0x28, is among the words a chain may start at, and
     * the allocator's mm_init made no block to show where blocks start */
    write_trace("t.rep", "0\n3\n3\n1\na 0 16\na 1 24\na 2 24\n");
    run_t r = hv("heapviz-bump", "--at 7 t.rep");
    cr_expect(eq(int, r.status, 0), "%s", r.out);
    expect_line(r.out, "the walk stopped at +0x8: an end tag that differs from its size word");
    free(r.out);
}

Test(heapviz_at, a_crash_in_mm_check_heap_is_blamed_on_it_after_its_line, .init = setup,
     .fini = teardown)
{
    write_trace("t.rep", "0\n2\n2\n1\na 0 777\na 1 24\n");
    run_t r = hv("heapviz-implicit", "--check --at 5 t.rep");
    cr_expect(eq(int, r.status, 1), "%s", r.out);
    /* killed by SIGSEGV (under the sanitizers, which report the fault
     * themselves, an abort or an exit) */
    expect_line(r.out, "heapviz: t.rep: the allocator", "in mm_check_heap, after line 5 (a 0 777)");
    /* and the heap at that line, without the checker */
    expect_line(r.out, "heap after line 5 (a 0 777)");
    free(r.out);
}

Test(heapviz_at, a_line_past_a_crash_shows_the_heap_after_the_last_operation_done, .init = setup,
     .fini = teardown)
{
    write_trace("t.rep", "0\n3\n3\n1\na 0 24\na 1 666\na 2 8\n");
    run_t r = hv("heapviz-implicit", "--at 7 t.rep");
    cr_expect(eq(int, r.status, 1), "%s", r.out);
    expect_line(r.out, "heapviz: t.rep: the allocator", "at line 6 (a 1 666)");
    expect_line(r.out, "line 7 was not reached; the heap after line 5, the last operation done:");
    expect_line(r.out, "heap after line 5 (a 0 24)");
    free(r.out);
}

Test(heapviz_at, a_reader_that_stops_reading_is_no_failure, .init = setup, .fini = teardown)
{
    /* more words than a pipe holds, and head reads one line */
    char args[700];
    snprintf(args, sizeof args,
             "--at 20000 '%s/traces/malloc/gen-coalesce.rep' 2>err | head -1 >/dev/null; cat err",
             KIT_ROOT);
    run_t r = hv("heapviz", args);
    cr_expect(eq(str, r.out, ""), "heapviz said something of its reader:\n%s", r.out);
    free(r.out);
}

Test(heapviz_at, without_check_marks_nothing, .init = setup, .fini = teardown)
{
    write_trace("t.rep", "0\n2\n2\n1\na 0 24\na 1 1000\n");
    run_t r = hv("heapviz-implicit", "--at 6 t.rep");
    cr_expect(eq(ptr, strstr(r.out, "<-- mm_check_heap"), NULL), "%s", r.out);
    cr_expect(eq(ptr, strstr(r.out, "Error: header"), NULL), "%s", r.out);
    free(r.out);
}

Test(heapviz_at, the_skeleton_s_missing_function_is_named_not_a_crash, .init = setup,
     .fini = teardown)
{
    write_trace("t.rep", lecture_trace);
    run_t r = hv("heapviz-skeleton", "--at 5 t.rep");
    cr_expect(eq(int, r.status, 1), "%s", r.out);
    expect_line(r.out, "heapviz: t.rep: malloc/mm.c:", "mm_init is not implemented yet");
    cr_expect(eq(ptr, strstr(r.out, "SIG"), NULL), "%s", r.out);
    free(r.out);
}

/* --- The heap map -------------------------------------------------------------- */

/* map_data - the JSON of dir/name's data script, parsed. */
static cJSON *map_data(const char *name)
{
    char *page = slurp(name);
    cr_assert(ne(ptr, page, NULL), "no %s", name);
    const char *open = "<script type=\"application/json\" id=\"data\">";
    char *s = strstr(page, open);
    cr_assert(ne(ptr, s, NULL), "no data script in %s", name);
    s += strlen(open);
    char *e = strstr(s, "</script>");
    cr_assert(ne(ptr, e, NULL));
    *e = '\0';
    cJSON *d = cJSON_Parse(s);
    cr_assert(ne(ptr, d, NULL), "the data of %s is not JSON", name);
    free(page);
    return d;
}

static double num(const cJSON *d, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(d, key);
    cr_assert(cJSON_IsNumber(v), "no number %s", key);
    return v->valuedouble;
}

Test(heapviz_map, every_block_of_the_trace_is_in_the_map_where_the_allocator_put_it,
     .init = setup, .fini = teardown)
{
    write_trace("t.rep", lecture_trace);
    run_t r = hv("heapviz", "-o map.html t.rep");
    cr_expect(eq(int, r.status, 0), "%s", r.out);
    cJSON *d = map_data("map.html");
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(d, "a");
    cr_assert(eq(int, cJSON_GetArraySize(a), 2 * 6), "two blocks of six numbers");
    /* ID 0: made at op 0, freed at op 2, 40 bytes (5 words), 24 requested,
     * at the offset --at shows */
    run_t at = hv("heapviz", "--at 5 t.rep");
    char want[64];
    snprintf(want, sizeof want, "allocated, 40 bytes at +%#x ",
             8 * cJSON_GetArrayItem(a, 2)->valueint);
    expect_line(at.out, want);
    cr_expect(eq(int, cJSON_GetArrayItem(a, 0)->valueint, 0));
    cr_expect(eq(int, cJSON_GetArrayItem(a, 1)->valueint, 2));
    cr_expect(eq(int, cJSON_GetArrayItem(a, 3)->valueint, 5));
    cr_expect(eq(int, cJSON_GetArrayItem(a, 4)->valueint, 24));
    cr_expect(eq(int, cJSON_GetArrayItem(a, 5)->valueint, 0));
    cr_expect(eq(dbl, num(d, "peakLive"), 124.0));
    cr_expect(eq(dbl, num(d, "done"), 3.0));
    cJSON_Delete(d);
    free(at.out);
    free(r.out);
}

Test(heapviz_map, a_free_block_freed_by_the_trace_is_in_the_map, .init = setup, .fini = teardown)
{
    write_trace("t.rep", lecture_trace);
    run_t r = hv("heapviz-implicit", "-o map.html t.rep");
    cr_expect(eq(int, r.status, 0), "%s", r.out);
    cJSON *d = map_data("map.html");
    /* after f 0 (op 2) the 40-byte block at +24 is free: the implicit
     * allocator has the block above it allocated, so it stays 40 bytes */
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(d, "f");
    int n = cJSON_GetArraySize(f), found = 0;
    for (int i = 0, start = 0; i < n; i += 4) {
        start += cJSON_GetArrayItem(f, i)->valueint;
        if (start == 2 && cJSON_GetArrayItem(f, i + 2)->valueint == 3 &&
            cJSON_GetArrayItem(f, i + 3)->valueint == 5)
            found++;
    }
    cr_expect(eq(int, found, 1), "no free block of 40 bytes at +24 from op 2");
    cJSON_Delete(d);
    free(r.out);
}

Test(heapviz_map, the_page_is_well_formed_xml, .init = setup, .fini = teardown)
{
    write_trace("t.rep", "0\n3\n3\n1\na 0 24\na 1 8\na 2 4000\n");
    run_t r = hv("heapviz", "-o map.html t.rep");
    cr_expect(eq(int, r.status, 0), "%s", r.out);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "xmllint --noout '%s/map.html'", dir);
    cr_expect(eq(int, system(cmd), 0), "xmllint found %s/map.html not well-formed", dir);
    free(r.out);
}

Test(heapviz_map, a_trace_s_name_with_markup_is_escaped, .init = setup, .fini = teardown)
{
    write_trace("a<b>&c.rep", lecture_trace);
    run_t r = hv("heapviz", "-o map.html 'a<b>&c.rep'");
    cr_expect(eq(int, r.status, 0), "%s", r.out);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "xmllint --noout '%s/map.html'", dir);
    cr_expect(eq(int, system(cmd), 0), "not well-formed with a name of markup");
    free(r.out);
}

Test(heapviz_map, the_same_trace_makes_the_same_bytes, .init = setup, .fini = teardown)
{
    write_trace("t.rep", lecture_trace);
    run_t r1 = hv("heapviz", "-o one.html t.rep"), r2 = hv("heapviz", "-o two.html t.rep");
    char *one = slurp("one.html"), *two = slurp("two.html");
    cr_assert(ne(ptr, one, NULL));
    cr_assert(ne(ptr, two, NULL));
    cr_expect(eq(str, one, two));
    free(one);
    free(two);
    free(r1.out);
    free(r2.out);
}

Test(heapviz_map, the_default_page_is_the_trace_s_name_in_the_current_folder, .init = setup,
     .fini = teardown)
{
    write_trace("small.rep", lecture_trace);
    run_t r = hv("heapviz", "small.rep");
    cr_expect(eq(int, r.status, 0), "%s", r.out);
    expect_line(r.out, "heapviz: wrote small.html (", "KB): 3 of 3 operations; blocks drawn: 2 allocated");
    char *page = slurp("small.html");
    cr_expect(ne(ptr, page, NULL), "no small.html");
    free(page);
    free(r.out);
}

Test(heapviz_map, a_heap_the_walk_cannot_read_is_said_on_the_page, .init = setup, .fini = teardown)
{
    write_trace("t.rep", "0\n2\n2\n1\na 0 24\na 1 1000\n");
    run_t r = hv("heapviz-implicit", "-o map.html --check t.rep");
    cr_expect(eq(int, r.status, 1), "%s", r.out);
    expect_line(r.out, "heapviz: mm_check_heap complained after 1 of 2 operations, first after line 6:");
    cJSON *d = map_data("map.html");
    cr_expect(eq(dbl, num(d, "unparsed"), 1.0));
    cr_expect(eq(dbl, num(d, "firstUnparsed"), 1.0));
    cr_expect(eq(dbl, num(d, "checkCount"), 1.0), "mm_check_heap complained once");
    char *page = slurp("map.html");
    cr_expect(ne(ptr, strstr(page, "could not be read as blocks"), NULL));
    cr_expect(ne(ptr, strstr(page, "mm_check_heap complained after 1 of the 2 operations"), NULL));
    free(page);
    cJSON_Delete(d);
    free(r.out);
}

Test(heapviz_map, the_skeleton_s_map_says_where_the_replay_stopped, .init = setup, .fini = teardown)
{
    write_trace("t.rep", lecture_trace);
    run_t r = hv("heapviz-skeleton", "-o map.html t.rep");
    cr_expect(eq(int, r.status, 1), "%s", r.out);
    expect_line(r.out, "mm_init is not implemented yet");
    char *page = slurp("map.html");
    cr_assert(ne(ptr, page, NULL), "no page written");
    cr_expect(ne(ptr, strstr(page, "The replay stopped: malloc/mm.c:"), NULL), "%s", page);
    free(page);
    free(r.out);
}

Test(heapviz_map, a_broken_first_block_is_said_on_the_page, .init = setup, .fini = teardown)
{
    write_trace("t.rep", "0\n2\n2\n1\na 0 1000\na 1 24\n");
    run_t r = hv("heapviz-implicit", "-o map.html t.rep");
    cr_expect(eq(int, r.status, 0), "%s", r.out);
    cJSON *d = map_data("map.html");
    cr_expect(eq(dbl, num(d, "unparsed"), 2.0), "both operations left a heap the walk cannot read");
    cr_expect(eq(dbl, num(d, "firstUnparsed"), 0.0));
    const cJSON *u = cJSON_GetObjectItemCaseSensitive(d, "u");
    cr_expect(eq(int, cJSON_GetArraySize(u), 2), "one range of operations");
    cJSON_Delete(d);
    free(r.out);
}

Test(heapviz_map, a_replay_past_its_timeout_is_stopped_and_named, .init = setup, .fini = teardown)
{
    /* first fit over an implicit list: 100 000 blocks take it minutes */
    enum { N = 100000 };
    char path[600];
    snprintf(path, sizeof path, "%s/long.rep", dir);
    FILE *f = fopen(path, "w");
    cr_assert(ne(ptr, f, NULL));
    fprintf(f, "0\n%d\n%d\n1\n", N, N);
    for (int i = 0; i < N; i++)
        fprintf(f, "a %d 100\n", i);
    fclose(f);
    run_t r = hv("heapviz-implicit", "--timeout 1 -o map.html long.rep");
    cr_expect(eq(int, r.status, 1), "%s", r.out);
    expect_line(r.out, "the replay took more than 1 seconds at line ");
    cJSON *d = map_data("map.html");
    cr_expect(gt(dbl, num(d, "done"), 0.0), "the map has what ran");
    cJSON_Delete(d);
    free(r.out);
}

Test(heapviz_map, a_null_from_mm_malloc_stops_the_replay_at_its_line, .init = setup,
     .fini = teardown)
{
    write_trace("t.rep", "0\n2\n2\n1\na 0 24\na 1 2147483647\n");
    run_t r = hv("heapviz", "-o map.html t.rep");
    cr_expect(eq(int, r.status, 1), "%s", r.out);
    expect_line(r.out, "line 6: a 1 2147483647: mm_malloc returned NULL");
    free(r.out);
}

/* --- The command line ------------------------------------------------------------ */

Test(heapviz_cli, a_bad_trace_line_is_named_and_no_page_is_written, .init = setup,
     .fini = teardown)
{
    write_trace("t.rep", "0\n1\n1\n1\nq 0 24\n");
    run_t r = hv("heapviz", "t.rep");
    cr_expect(eq(int, r.status, 2), "%s", r.out);
    expect_line(r.out, "t.rep:5:");
    char *page = slurp("t.html");
    cr_expect(eq(ptr, page, NULL), "a page was written");
    free(page);
    free(r.out);
}

Test(heapviz_cli, a_folder_is_not_a_trace, .init = setup, .fini = teardown)
{
    run_t r = hv("heapviz", ".");
    cr_expect(eq(int, r.status, 2));
    expect_line(r.out, "heapviz: . is a folder; heapviz draws one trace");
    free(r.out);
}

Test(heapviz_cli, at_needs_a_line_number, .init = setup, .fini = teardown)
{
    run_t r = hv("heapviz", "--at zero t.rep");
    cr_expect(eq(int, r.status, 2));
    expect_line(r.out, "--at zero: expected a line number");
    free(r.out);
}

Test(heapviz_cli, at_and_an_output_file_are_refused_together, .init = setup, .fini = teardown)
{
    write_trace("t.rep", lecture_trace);
    run_t r = hv("heapviz", "--at 5 -o x.html t.rep");
    cr_expect(eq(int, r.status, 2));
    expect_line(r.out, "--at prints words");
    free(r.out);
}

Test(heapviz_cli, an_output_file_that_cannot_be_written_is_named, .init = setup, .fini = teardown)
{
    write_trace("t.rep", lecture_trace);
    run_t r = hv("heapviz", "-o no/such/folder/x.html t.rep");
    cr_expect(eq(int, r.status, 2));
    expect_line(r.out, "cannot write no/such/folder/x.html");
    free(r.out);
}

Test(heapviz_cli, help_names_every_option)
{
    char saved[sizeof dir];
    memcpy(saved, dir, sizeof dir);
    strcpy(dir, "/");
    run_t r = hv("heapviz", "--help");
    memcpy(dir, saved, sizeof dir);
    cr_expect(eq(int, r.status, 0));
    for (const char *const *o = (const char *const[]){ "-o FILE", "--at LINE", "--check", "--timeout",
                                                      NULL };
         *o; o++)
        cr_expect(ne(ptr, strstr(r.out, *o), NULL), "no %s in:\n%s", *o, r.out);
    free(r.out);
}

/* --- The walk ---------------------------------------------------------------------- */

/* The reference's heap of one 40-byte block: its edge words, a size 0
 * allocated end tag below and size word above. */
Test(heapviz_walk, finds_the_chain_after_the_reference_s_edge_word)
{
    uint64_t w[] = { 1, 41, 0, 0, 0, 41, 1 };
    walk_t wk = { 0 };
    cr_expect(walk_heap(w, 7, SIZE_MAX, SIZE_MAX, &wk));
    cr_expect(eq(sz, wk.first, 1));
    cr_expect(eq(sz, wk.n, 1));
    cr_expect(eq(sz, wk.block[0].off, 8));
    cr_expect(eq(sz, wk.block[0].size, 40));
    cr_expect(wk.block[0].allocated);
    cr_expect(eq(int, wk.end, WALK_END_ZERO));
    walk_free(&wk);
}

Test(heapviz_walk, takes_a_prologue_block_for_a_block)
{
    uint64_t w[] = { 0, 17, 17, 40, 0, 0, 0, 40, 1 };
    walk_t wk = { 0 };
    cr_expect(walk_heap(w, 9, SIZE_MAX, SIZE_MAX, &wk));
    cr_expect(eq(sz, wk.first, 1));
    cr_expect(eq(sz, wk.n, 2));
    cr_expect(not(wk.block[1].allocated));
    walk_free(&wk);
}

Test(heapviz_walk, stops_at_an_end_tag_that_differs)
{
    uint64_t w[] = { 1, 41, 0, 0, 0, 40, 1 };
    walk_t wk = { 0 };
    cr_expect(not(walk_heap(w, 7, 1, SIZE_MAX, &wk)));
    cr_expect(eq(int, wk.end, WALK_END_TAG));
    cr_expect(eq(sz, wk.stop, 1));
    walk_free(&wk);
}

Test(heapviz_walk, stops_at_a_block_past_the_heap_s_end)
{
    uint64_t w[] = { 1, 33, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
    w[1] = 4096 | 1;
    walk_t wk = { 0 };
    cr_expect(not(walk_heap(w, 12, 1, SIZE_MAX, &wk)));
    cr_expect(eq(int, wk.end, WALK_END_PAST));
    walk_free(&wk);
}

Test(heapviz_walk, stops_at_a_size_no_block_can_have)
{
    uint64_t w[] = { 1, 9, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
    walk_t wk = { 0 };
    cr_expect(not(walk_heap(w, 12, 1, SIZE_MAX, &wk)));
    cr_expect(eq(int, wk.end, WALK_END_SMALL));
    walk_free(&wk);
}

Test(heapviz_walk, a_heap_of_edge_words_alone_is_read_with_no_block)
{
    uint64_t w[] = { 1, 1 };
    walk_t wk = { 0 };
    cr_expect(walk_heap(w, 2, SIZE_MAX, SIZE_MAX, &wk));
    cr_expect(eq(sz, wk.n, 0));
    walk_free(&wk);
}

Test(heapviz_walk, a_broken_first_block_below_a_known_block_is_not_skipped)
{
    /* a prologue end tag, a block of 40 whose end tag is 0, then a block
     * of 32 that a search from word 6 would take for the first */
    uint64_t w[] = { 1, 41, 0, 0, 0, 0, 33, 0, 0, 33, 1 };
    walk_t wk = { 0 };
    cr_expect(not(walk_heap(w, 11, SIZE_MAX, 1, &wk)));
    cr_expect(eq(sz, wk.first, 1));
    cr_expect(eq(int, wk.end, WALK_END_TAG));
    walk_free(&wk);
}
