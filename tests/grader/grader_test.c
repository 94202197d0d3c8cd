/*
 * grader_test.c - the helpers of grader_test.h.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grader_test.h"

int parse_text(const char *text, trace_t *t, char **errors)
{
    size_t n;
    FILE *err = open_memstream(errors, &n);
    cr_assert(ne(ptr, err, NULL), "open_memstream failed");
    FILE *in = fmemopen((void *)text, strlen(text), "r");
    cr_assert(ne(ptr, in, NULL), "fmemopen failed");
    int problems = trace_read_stream(in, TEST_TRACE, t, err);
    fclose(in);
    fclose(err);
    return problems;
}

trace_t trace_of(const char *text)
{
    trace_t t;
    char *errors;
    int problems = parse_text(text, &t, &errors);
    cr_assert(eq(int, problems, 0), "the test's trace does not parse:\n%s", errors);
    free(errors);
    return t;
}

run_config_t test_config(const allocator_t *a)
{
    return (run_config_t){
        .who = { a, NULL, NULL },
        .replay = { .seed = 1, .max_heap = TEST_MAX_HEAP },
        .timeout = TIMEOUT(5),
        .min_cpu = 0.01,
        .rounds = 1,
        .timing = false,
    };
}

trace_report_t replay_text(const run_config_t *cfg, const char *text)
{
    trace_t t = trace_of(text);
    trace_report_t rep;
    run_trace(cfg, &t, &rep);
    trace_free(&t);
    return rep;
}

int contains(const char *s, const char *part)
{
    return strstr(s, part) != NULL;
}

void temp_dir(char *dir, size_t n)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, n, "%s/grader-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    cr_assert(ne(ptr, mkdtemp(dir), NULL), "cannot make a directory %s", dir);
}

void write_file(const char *dir, const char *name, const char *text, char *path, size_t n)
{
    snprintf(path, n, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert(ne(ptr, f, NULL), "cannot create %s", path);
    fputs(text, f);
    cr_assert(eq(int, fclose(f), 0), "cannot write %s", path);
}

char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert(ne(ptr, f, NULL), "cannot open %s", path);
    char *text = NULL;
    size_t n = 0;
    FILE *out = open_memstream(&text, &n);
    char buf[4096];
    for (size_t got; (got = fread(buf, 1, sizeof buf, f)) > 0;)
        fwrite(buf, 1, got, out);
    fclose(f);
    fclose(out);
    return text;
}

void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    char path[4096];
    for (struct dirent *e; (e = readdir(d));) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    }
    closedir(d);
    rmdir(dir);
}
