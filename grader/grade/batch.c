/*
 * batch.c - grading a class with worker processes, resumable (batch.h).
 *
 * The parent starts a worker per submission, at most o->jobs at a time,
 * and does nothing else but wait: a worker grades its submission in a
 * process group of its own (so one signal stops it and every run it
 * started), writes the student's files and exits. The parent learns what
 * a worker did from those files alone, which is also how a later run
 * learns what an interrupted one had done.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "batch.h"
#include "files.h"
#include "intake.h"
#include "output.h"
#include "score.h"

/* --- The list of submissions ---------------------------------------- */

static bool taken(const items_t *l, const char *name, const char *key)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i].name, name) || !strcasecmp(l->v[i].key, key))
            return true;
    return false;
}

static char *key_of(const char *name)
{
    char *k = strndup(name, 60);
    if (!k)
        abort();
    for (char *c = k; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '.' && *c != '-' && *c != '_')
            *c = '_';
    if (k[0] == '.')
        k[0] = '_';   /* no hidden files, no "." or ".." */
    return k;
}

void items_add(items_t *l, const char *source, const char *path)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        if (!l->v)
            abort();
    }
    /* The student's name: the file's, without the archive's extension. */
    char *n = strdup(strrchr(path, '/') && strrchr(path, '/')[1] ? strrchr(path, '/') + 1 : path);
    static const char *ext[] = { ".tar.gz", ".tgz", ".tar.xz", ".tar.bz2", ".tar", ".zip" };
    size_t len = strlen(n);
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        size_t e = strlen(ext[i]);
        if (len > e && !strcasecmp(n + len - e, ext[i])) {
            n[len - e] = '\0';
            break;
        }
    }
    while (strlen(n) > 1 && n[strlen(n) - 1] == '/')
        n[strlen(n) - 1] = '\0';
    /* Two submissions of one name (alice.zip, alice.tar.gz), or of names
     * that make one file name (a b, a_b), keep both. */
    char *key = key_of(n), *given = strdup(n);
    for (unsigned k = 2; taken(l, n, key); k++) {
        char *m;
        size_t base = strlen(n);
        if (k > 2)
            base = (size_t)(strrchr(n, '-') - n);   /* n is base-(k-1) */
        if (asprintf(&m, "%.*s-%u", (int)base, n, k) < 0)
            abort();
        free(n);
        free(key);
        n = m;
        key = key_of(n);
    }
    if (strcmp(given, n) != 0)
        fprintf(stderr, "grade: %s: another submission is named %s: this one is %s\n",
                source, given, n);
    free(given);
    l->v[l->n].source = strdup(source);
    l->v[l->n].name = n;
    l->v[l->n++].key = key;
}

void items_free(items_t *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].source);
        free(l->v[i].name);
        free(l->v[i].key);
    }
    free(l->v);
}

/* --- What a result was made from ---------------------------------------- */

/* The files under a path, as lines "path size mtime", for a fingerprint. */
static FILE *walk_out;

static int walk_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
    (void)f;
    if (flag == FTW_F)
        fprintf(walk_out, "%s %lld %lld.%09ld\n", path, (long long)st->st_size,
                (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
    return 0;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* describe - the files under path, one sorted line each, into out. */
static void describe(FILE *out, const char *path)
{
    char *text = NULL;
    size_t len = 0;
    walk_out = open_memstream(&text, &len);
    nftw(path, walk_one, 16, FTW_PHYS);
    fclose(walk_out);
    char **lines = NULL;
    size_t n = 0;
    for (char *l = strtok(text, "\n"); l; l = strtok(NULL, "\n")) {
        lines = realloc(lines, (n + 1) * sizeof *lines);
        if (!lines)
            abort();
        lines[n++] = l;
    }
    qsort(lines, n, sizeof *lines, by_string);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s\n", lines[i]);
    free(lines);
    free(text);
}

/*
 * fingerprint - what a result depends on, hashed: the submission's files
 * (names, sizes and times), the policy files' and the traces' and hidden
 * material's, and the labs graded. A later run keeps a result only when
 * its fingerprint is the same.
 */
static char *fingerprint(const item_t *it, const plan_t *p, const options_t *o)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fprintf(f, "labs %d %d\n", o->labs[LAB_MALLOC], o->labs[LAB_VM]);
    describe(f, it->source);
    describe(f, p->policy);
    if (o->policy_path)
        describe(f, o->policy_path);
    describe(f, o->traces ? o->traces : p->traces);
    if (o->hidden)
        describe(f, o->hidden);
    fclose(f);
    char hex[65];
    sha256_hex(text, len, hex);
    free(text);
    return strdup(hex);
}

/* --- One student's result, as its files say --------------------------- */

typedef struct result {
    bool done;          /* KEY.json is there */
    bool resumed;       /* ... and was there before this run */
    bool unreadable;
    bool problem;       /* unreadable, a lab that did not build, or stopped */
    char *fingerprint;  /* what it was made from (extra_data.fingerprint) */
    double score, max;
    char **failures;    /* "check: verdict" and the first problem line */
    size_t nfailures;
    /* while a worker grades it */
    pid_t pid;
    double start;
    bool printed;
} result_t;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *path_of(const char *dir, const char *key, const char *ext)
{
    char *p;
    if (asprintf(&p, "%s/%s.%s", dir, key, ext) < 0)
        abort();
    return p;
}

static void add_failure(result_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_failure(result_t *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *f;
    if (vasprintf(&f, fmt, ap) < 0)
        abort();
    va_end(ap);
    for (size_t i = 0; i < r->nfailures; i++)
        if (!strcmp(r->failures[i], f)) {
            free(f);   /* each failure once per student */
            return;
        }
    r->failures = realloc(r->failures, (r->nfailures + 1) * sizeof *r->failures);
    if (!r->failures)
        abort();
    r->failures[r->nfailures++] = f;
}

/* every_same - whether every check of the kind the first kind bytes of
 * name name (its first word, or up to its /) has verdict v, and there are
 * at least two. */
static bool every_same(const cJSON *checks, const char *name, size_t kind, const char *v)
{
    const cJSON *c;
    unsigned n = 0;
    cJSON_ArrayForEach(c, checks) {
        const char *other = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "name"));
        const char *w = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "verdict"));
        if (!other || strncmp(other, name, kind) != 0 || (name[kind - 1] != '/' && other[kind] != ' '))
            continue;
        if (!w || strcmp(w, v) != 0)
            return false;
        n++;
    }
    return n >= 2;
}

static void result_clear(result_t *r)
{
    for (size_t i = 0; i < r->nfailures; i++)
        free(r->failures[i]);
    free(r->failures);
    free(r->fingerprint);
    *r = (result_t){ 0 };
}

/* result_read - r from dir/KEY.json; false when there is none (or it is
 * not one grade wrote: a half-written file is never there, see batch.h). */
static bool result_read(result_t *r, const char *dir, const char *key)
{
    char *path = path_of(dir, key, "json");
    char *text = file_read(path, NULL);
    free(path);
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    free(text);
    cJSON *extra = cJSON_GetObjectItemCaseSensitive(doc, "extra_data");
    cJSON *score = cJSON_GetObjectItemCaseSensitive(doc, "score");
    cJSON *max = cJSON_GetObjectItemCaseSensitive(extra, "max_score");
    if (!cJSON_IsNumber(score) || !cJSON_IsNumber(max)) {
        cJSON_Delete(doc);
        return false;
    }
    result_clear(r);
    r->done = true;
    r->score = score->valuedouble;
    r->max = max->valuedouble;
    r->unreadable = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(extra, "unreadable"));
    const char *fp = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(extra, "fingerprint"));
    r->fingerprint = fp ? strdup(fp) : NULL;
    const char *problem = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(extra, "problem"));
    r->problem = r->unreadable || (problem && *problem);
    if (problem && *problem)
        add_failure(r, "%s", problem);
    cJSON *c;
    const cJSON *checks = cJSON_GetObjectItemCaseSensitive(extra, "checks");
    cJSON_ArrayForEach(c, checks) {
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "name"));
        const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "verdict"));
        if (!name || !v || !strcmp(v, "ok"))
            continue;
        /* A kind of check (traces, scenarios, a suite's tests) that failed
         * whole, all with one verdict, is one failure: "every trace:
         * crash", "every test mm_5_check_heap/: timeout". */
        size_t kind = strchr(name, '/') ? (size_t)(strchr(name, '/') - name) + 1
                                        : strcspn(name, " ");
        if (every_same(checks, name, kind, v)) {
            add_failure(r, "every %.*s: %s", (int)kind, name, v);
        } else {
            add_failure(r, "%s: %s", name, v);
        }
    }
    cJSON_Delete(doc);
    return true;
}

/* --- A worker ----------------------------------------------------------- */

static int put(const char *dir, const char *key, const char *ext, const char *text, size_t len)
{
    char *path = path_of(dir, key, ext);
    int r = file_replace(path, text, len);
    if (r < 0)
        fprintf(stderr, "grade: %s: %s\n", path, strerror(errno));
    free(path);
    return r;
}

/* write_result - the student's files in dir, KEY.json last. */
static int write_result(const submission_t *s, const char *key, const options_t *o,
                        const char *dir)
{
    options_t plain = *o;
    plain.color = false;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    output_report(f, s, &plain);
    fclose(f);
    int r = put(dir, key, "txt", text, len);
    free(text);
    f = open_memstream(&text, &len);
    output_csv_header(f, s);
    output_csv_row(f, s);
    fclose(f);
    r |= put(dir, key, "csv", text, len);
    free(text);
    if (o->autolab) {
        f = open_memstream(&text, &len);
        output_autolab(f, s);
        fclose(f);
        r |= put(dir, key, "autolab", text, len);
        free(text);
    }
    if (o->json_path) {
        char path[4096];
        if (o->json_dir)
            snprintf(path, sizeof path, "%s/%s.json", o->json_path, s->name);
        else
            snprintf(path, sizeof path, "%s", o->json_path);
        if (output_gradescope(path, s) < 0) {
            fprintf(stderr, "grade: %s: %s\n", path, strerror(errno));
            r = -1;
        }
    }
    char *path = path_of(dir, key, "json");
    if (output_gradescope(path, s) < 0) {
        fprintf(stderr, "grade: %s: %s\n", path, strerror(errno));
        r = -1;
    }
    free(path);
    return r;
}

static char *work_of(const char *work, size_t i, const char *key)
{
    char *w;
    if (asprintf(&w, "%s/%03zu-%s", work, i + 1, key) < 0)
        abort();
    return w;
}

/* worker - grade item i in this process (a child) and exit: 0 graded,
 * 1 unreadable, 3 its files could not be written. */
static void __attribute__((noreturn))
worker(const items_t *items, size_t i, grade_fn *grade, const plan_t *p,
       const grade_policy_t *gp, const options_t *o, const char *work, const char *dir)
{
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* What a run leaves behind comes back to this worker, which ends
     * with its submission. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    submission_t s = { 0 };
    s.name = strdup(items->v[i].name);
    s.source = strdup(items->v[i].source);
    s.work = work_of(work, i, items->v[i].key);
    s.fingerprint = fingerprint(&items->v[i], p, o);
    dir_remove(s.work);
    mkdir(s.work, 0755);
    grade(&s, p, gp, o);
    int status = write_result(&s, items->v[i].key, o, dir) < 0 ? 3 : s.unreadable;
    if (!o->keep)
        dir_remove(s.work);
    submission_free(&s);
    fflush(NULL);
    /* _exit: the parent's atexit handlers are the parent's. A coverage
     * build writes this worker's counters first, as exit would have. */
#ifdef KIT_COVERAGE
    extern void __gcov_dump(void);
    __gcov_dump();
#endif
    _exit(status);
}

/* stopped - the result of a submission whose grading outlived the
 * submission deadline: score 0, and why. */
static void stopped(const items_t *items, size_t i, const plan_t *p, const grade_policy_t *gp,
                    const options_t *o, const char *dir, double seconds)
{
    submission_t s = { 0 };
    s.name = strdup(items->v[i].name);
    s.source = strdup(items->v[i].source);
    lines_add(&s.intake, true,
              "grading stopped after %.0f s ([sandbox] submission_timeout = %g): "
              "not graded, scored 0", seconds, gp->submission_timeout);
    s.fingerprint = fingerprint(&items->v[i], p, o);
    score(&s, gp, o);
    s.wall = seconds;
    write_result(&s, items->v[i].key, o, dir);
    submission_free(&s);
}

/* --- What the TA sees ---------------------------------------------------- */

/* print_report - dir/KEY.txt on stdout (with colour on a terminal). */
static void print_report(const char *dir, const char *key, const options_t *o, bool first)
{
    char *path = path_of(dir, key, "txt");
    char *text = file_read(path, NULL);
    free(path);
    if (!text)
        return;
    if (!first)
        fputc('\n', stdout);
    if (!o->color) {
        fputs(text, stdout);
    } else {
        for (char *line = text, *end; *line; line = end) {
            end = line + strcspn(line, "\n");
            if (*end)
                end++;
            int n = (int)(end - line);
            if (!strncmp(line, "== ", 3) || !strncmp(line, "Score: ", 7)) {
                printf("\033[1m%.*s\033[0m%s", n - (end[-1] == '\n'), line,
                       end[-1] == '\n' ? "\n" : "");
                continue;
            }
            for (char *c = line; c < end; c++) {
                if (!strncmp(c, "✓", 3) || !strncmp(c, "✗", 3)) {
                    printf("%s%.3s\033[0m", c[2] == '\x93' ? "\033[32m" : "\033[31m", c);
                    c += 2;
                } else {
                    fputc(*c, stdout);
                }
            }
        }
    }
    if (o->autolab) {
        path = path_of(dir, key, "autolab");
        char *line = file_read(path, NULL);
        free(path);
        if (line)
            fputs(line, stdout);
        free(line);
    }
    free(text);
    fflush(stdout);
}

static void progress(const items_t *items, const result_t *r, size_t done, size_t failed,
                     double spent, size_t graded_here, unsigned jobs, bool tty)
{
    /* Redrawn when a student is done, else once a second. */
    static double drawn;
    static size_t drawn_done = SIZE_MAX;
    if (!tty || (done == drawn_done && now() - drawn < 1))
        return;
    drawn = now();
    drawn_done = done;
    size_t left = items->n - done;
    fprintf(stderr, "\r\033[Kgrade: %zu/%zu graded, %zu failed", done, items->n, failed);
    if (graded_here && left) {
        double eta = spent / graded_here * (double)left / jobs;
        if (eta >= 90)
            fprintf(stderr, ", about %.0f min left", ceil(eta / 60));
        else
            fprintf(stderr, ", about %.0f s left", ceil(eta));
    }
    const char *sep = " (grading ";
    for (size_t i = 0; i < items->n; i++)
        if (r[i].pid > 0) {
            fprintf(stderr, "%s%s", sep, items->v[i].name);
            sep = ", ";
        }
    if (strcmp(sep, " (grading ") != 0)
        fputc(')', stderr);
    fflush(stderr);
}

/* --- The class summary --------------------------------------------------- */

typedef struct count {
    const char *what;
    unsigned n;
} count_t;

static int by_count(const void *a, const void *b)
{
    const count_t *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    return strcmp(x->what, y->what);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* summary - summary.md's text (malloc'd), over the students graded. */
static char *summary(const items_t *items, const result_t *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    size_t graded = 0, resumed = 0, problems = 0, nfail = 0;
    double *scores = calloc(items->n + 1, sizeof *scores), max = 0;
    count_t *fails = NULL;
    for (size_t i = 0; i < items->n; i++) {
        if (!r[i].done)
            continue;
        scores[graded++] = r[i].max > 0 ? 100 * r[i].score / r[i].max : 0;
        resumed += r[i].resumed;
        problems += r[i].problem;
        if (r[i].max > max)
            max = r[i].max;
        /* each failure once per student */
        for (size_t k = 0; k < r[i].nfailures; k++) {
            bool seen = false;
            for (size_t j = 0; j < k && !seen; j++)
                seen = !strcmp(r[i].failures[j], r[i].failures[k]);
            if (seen)
                continue;
            size_t j = 0;
            while (j < nfail && strcmp(fails[j].what, r[i].failures[k]) != 0)
                j++;
            if (j == nfail) {
                fails = realloc(fails, (nfail + 1) * sizeof *fails);
                if (!fails)
                    abort();
                fails[nfail++] = (count_t){ r[i].failures[k], 0 };
            }
            fails[j].n++;
        }
    }
    fprintf(f, "# Grades: %zu of %zu submissions graded\n\n", graded, items->n);
    if (resumed)
        fprintf(f, "%zu of them in an earlier run (their results were kept). ", resumed);
    fprintf(f, "%zu with a problem (not readable, not built, or stopped)%s.\n", problems,
            problems ? ": named below" : "");
    if (graded) {
        qsort(scores, graded, sizeof *scores, by_value);
        double sum = 0;
        for (size_t i = 0; i < graded; i++)
            sum += scores[i];
        double median = graded % 2 ? scores[graded / 2]
                                   : (scores[graded / 2 - 1] + scores[graded / 2]) / 2;
        fprintf(f, "\nScores in %% of the maximum (%g points): mean %.1f, median %.1f, "
                "lowest %.1f, highest %.1f.\n\n", max, sum / graded, median, scores[0],
                scores[graded - 1]);
        fprintf(f, "| score | submissions | |\n|---|---:|---|\n");
        for (int b = 10; b >= 0; b--) {
            unsigned n = 0;
            for (size_t i = 0; i < graded; i++) {
                int bucket = scores[i] >= 100 - 1e-9 ? 10 : (int)(scores[i] / 10);
                n += bucket == b;
            }
            char bar[64] = "";
            unsigned w = graded ? (unsigned)((n * 40 + graded - 1) / graded) : 0;
            for (unsigned k = 0; k < w && k < sizeof bar - 1; k++)
                bar[k] = '#';
            if (b == 10)
                fprintf(f, "| 100 %% | %u | %s |\n", n, bar);
            else
                fprintf(f, "| %d-%d %% | %u | %s |\n", b * 10, b * 10 + 9, n, bar);
        }
    }
    fprintf(f, "\n## Most common failures\n\n");
    if (!nfail) {
        fprintf(f, "None.\n");
    } else {
        qsort(fails, nfail, sizeof *fails, by_count);
        fprintf(f, "| failure | submissions |\n|---|---:|\n");
        for (size_t j = 0; j < nfail && j < 20; j++) {
            fputs("| ", f);
            for (const char *c = fails[j].what; *c; c++)
                fputs(*c == '|' ? "\\|" : (char[]){ *c, 0 }, f);
            fprintf(f, " | %u |\n", fails[j].n);
        }
        if (nfail > 20)
            fprintf(f, "\nand %zu more, each in %u submissions or fewer.\n", nfail - 20,
                    fails[20].n);
    }
    if (problems) {
        fprintf(f, "\n## Submissions with a problem (%zu)\n\n", problems);
        for (size_t i = 0; i < items->n; i++)
            if (r[i].done && r[i].problem)
                fprintf(f, "- %s: %s\n", items->v[i].name,
                        r[i].nfailures ? r[i].failures[0] : "could not be read");
    }
    size_t missing = items->n - graded;
    if (missing) {
        fprintf(f, "\n## Not graded (%zu): run grade again to go on\n\n", missing);
        for (size_t i = 0; i < items->n; i++)
            if (!r[i].done)
                fprintf(f, "- %s (%s)\n", items->v[i].name, items->v[i].source);
    }
    fclose(f);
    free(scores);
    free(fails);
    return text;
}

/* write_csv - every graded student's row, in the order of the list. */
static int write_csv(const char *path, const items_t *items, const result_t *r,
                     const char *dir)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    bool header = false;
    for (size_t i = 0; i < items->n; i++) {
        if (!r[i].done)
            continue;
        char *p = path_of(dir, items->v[i].key, "csv");
        char *rows = file_read(p, NULL);
        free(p);
        if (!rows)
            continue;
        char *row = strchr(rows, '\n');
        if (!header && row)
            fwrite(rows, 1, (size_t)(row - rows) + 1, f);
        header = true;
        if (row)
            fputs(row + 1, f);
        free(rows);
    }
    fclose(f);
    int rc = file_replace(path, text, len);
    if (rc < 0)
        fprintf(stderr, "grade: %s: %s\n", path, strerror(errno));
    free(text);
    return rc;
}

/* the_class - items and every other student whose results dir holds, into
 * *all (items first, then the others in name order); their results (r's
 * own copied: only the others' are the caller's to clear). */
static result_t *the_class(const items_t *items, const result_t *r, const char *dir,
                           items_t *all)
{
    for (size_t i = 0; i < items->n; i++) {
        items_add(all, items->v[i].source, items->v[i].name);
        free(all->v[i].key);
        all->v[i].key = strdup(items->v[i].key);
    }
    glob_t g = { 0 };
    char pat[4096];
    snprintf(pat, sizeof pat, "%s/*.json", dir);
    glob(pat, 0, NULL, &g);
    result_t *ra = calloc(items->n + g.gl_pathc + 1, sizeof *ra);
    memcpy(ra, r, items->n * sizeof *r);
    for (size_t k = 0; k < g.gl_pathc; k++) {
        const char *base = strrchr(g.gl_pathv[k], '/') + 1;
        char *key = strndup(base, strlen(base) - 5);
        bool known = false;
        for (size_t i = 0; i < all->n && !known; i++)
            known = !strcmp(all->v[i].key, key);
        result_t got = { 0 };
        if (!known && result_read(&got, dir, key)) {
            items_add(all, "(graded before)", key);
            free(all->v[all->n - 1].key);
            all->v[all->n - 1].key = key;
            key = NULL;
            ra[all->n - 1] = got;
        }
        free(key);
    }
    globfree(&g);
    return ra;
}

/* --- The loop ------------------------------------------------------------- */

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    interrupted = sig;
}

int batch_grade(const items_t *items, grade_fn *grade, const plan_t *p,
                const grade_policy_t *gp, const options_t *o, const char *work)
{
    char *dir;
    if (o->out) {
        dir = strdup(o->out);
        dir_make(dir);
    } else if (asprintf(&dir, "%s/results", work) < 0) {
        abort();
    } else {
        dir_make(dir);
    }
    struct stat st;
    if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode) || access(dir, W_OK) < 0) {
        fprintf(stderr, "grade: %s: cannot hold the results: %s\n", dir,
                strerror(errno ? errno : ENOTDIR));
        free(dir);
        return 2;
    }
    result_t *r = calloc(items->n + 1, sizeof *r);
    size_t done = 0, failed = 0, changed = 0;
    /* A result is kept when it was made from what would be graded now:
     * the same files, policy, traces, hidden material and labs. With
     * --force none is kept (each is replaced when its student is graded). */
    for (size_t i = 0; o->out && !o->force && i < items->n; i++) {
        if (!result_read(&r[i], dir, items->v[i].key))
            continue;
        char *now_fp = fingerprint(&items->v[i], p, o);
        bool same = r[i].fingerprint && !strcmp(r[i].fingerprint, now_fp);
        free(now_fp);
        if (!same) {
            result_clear(&r[i]);
            changed++;
            continue;
        }
        r[i].resumed = true;
        done++;
        failed += r[i].problem;
    }
    if (done)
        fprintf(stderr, "grade: %zu of %zu already graded in %s (--force grades them again)\n",
                done, items->n, dir);
    if (changed)
        fprintf(stderr, "grade: %zu graded in %s before from other files, another policy or "
                "other labs: graded again\n", changed, dir);
    unsigned jobs = o->jobs > 0 ? (unsigned)o->jobs : 1;
    bool tty = o->out && isatty(STDERR_FILENO);
    struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    interrupted = 0;
    size_t next = 0, running = 0, printed = 0, graded_here = 0;
    double spent = 0, started = now();
    int status = 0;
    bool first_report = true;
    for (;;) {
        /* Reports in the order of the list, each as soon as it can be. */
        while (!o->out && printed < items->n && (r[printed].done || r[printed].printed)) {
            if (r[printed].done)
                print_report(dir, items->v[printed].key, o, first_report);
            first_report = false;
            printed++;
        }
        while (!interrupted && running < jobs && next < items->n) {
            if (r[next].done) {
                next++;
                continue;
            }
            fflush(NULL);
            pid_t pid = fork();
            if (pid == 0)
                worker(items, next, grade, p, gp, o, work, dir);
            if (pid < 0) {
                fprintf(stderr, "grade: cannot start a worker: %s\n", strerror(errno));
                if (!running) {
                    status = 1;
                    break;
                }
                break;
            }
            setpgid(pid, pid);
            r[next].pid = pid;
            r[next].start = now();
            running++;
            next++;
        }
        progress(items, r, done, failed, spent, graded_here, jobs, tty);
        if (!running && (next >= items->n || interrupted || status))
            break;
        if (interrupted) {
            for (size_t i = 0; i < items->n; i++)
                if (r[i].pid > 0) {
                    kill(-r[i].pid, SIGKILL);
                    kill(r[i].pid, SIGKILL);
                }
        }
        int ws;
        pid_t pid = waitpid(-1, &ws, WNOHANG);
        if (pid == 0 || (pid < 0 && errno == EINTR)) {
            /* Nothing ended: the deadlines, then a short sleep. */
            for (size_t i = 0; i < items->n; i++)
                if (r[i].pid > 0 && now() - r[i].start > gp->submission_timeout) {
                    kill(-r[i].pid, SIGKILL);
                    kill(r[i].pid, SIGKILL);
                }
            struct timespec nap = { 0, 50 * 1000 * 1000 };
            nanosleep(&nap, NULL);
            continue;
        }
        if (pid < 0)
            break;   /* no children at all */
        size_t i = 0;
        while (i < items->n && r[i].pid != pid)
            i++;
        if (i == items->n)
            continue;   /* an orphan of a run, reaped */
        double took = now() - r[i].start;
        r[i].pid = 0;
        running--;
        if (interrupted) {
            char *w = work_of(work, i, items->v[i].key);
            dir_remove(w);
            free(w);
            continue;
        }
        bool over = WIFSIGNALED(ws) && took > gp->submission_timeout;
        if (over) {
            char *w = work_of(work, i, items->v[i].key);
            if (!o->keep)
                dir_remove(w);
            free(w);
            stopped(items, i, p, gp, o, dir, took);
        }
        if (result_read(&r[i], dir, items->v[i].key)) {
            done++;
            graded_here++;
            spent += took;
            failed += r[i].problem;
            if (r[i].unreadable)
                status = status ? status : 1;
            if (o->out && !tty)
                fprintf(stderr, "grade: [%zu/%zu] %s: %.1f/%g in %.1f s%s\n", done, items->n,
                        items->v[i].name, r[i].score, r[i].max, took,
                        over ? " (stopped: over the submission deadline)" : "");
        } else {
            r[i].printed = true;   /* nothing to print; the list goes on */
            failed++;
            status = 1;
            char how[64];
            if (WIFSIGNALED(ws))
                snprintf(how, sizeof how, "was killed by %s", strsignal(WTERMSIG(ws)));
            else
                snprintf(how, sizeof how, "ended with status %d", WEXITSTATUS(ws));
            fprintf(stderr, "%sgrade: %s: not graded: its worker %s (run grade again to retry)\n",
                    tty ? "\r\033[K" : "", items->v[i].name, how);
        }
    }
    if (tty)
        fputs("\r\033[K", stderr);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (interrupted) {
        fprintf(stderr, "grade: interrupted: %zu of %zu graded%s%s; run the same command%s "
                "again to go on\n", done, items->n, o->out ? " and kept in " : "",
                o->out ? o->out : "", o->force ? " without --force" : "");
        status = 130;
    }
    if (o->csv_path && write_csv(o->csv_path, items, r, dir) < 0 && status != 130)
        status = 1;
    if (o->out && status != 130) {
        /* The class is every student the folder holds: those of this run
         * and those graded there before (one student regraded alone still
         * leaves the class's summary whole). */
        items_t all = { 0 };
        result_t *ra = the_class(items, r, dir, &all);
        char *path;
        if (asprintf(&path, "%s/summary.csv", dir) < 0)
            abort();
        if (write_csv(path, &all, ra, dir) < 0)
            status = 1;
        free(path);
        char *md = summary(&all, ra);
        for (size_t i = items->n; i < all.n; i++)
            result_clear(&ra[i]);
        free(ra);
        items_free(&all);
        if (asprintf(&path, "%s/summary.md", dir) < 0)
            abort();
        if (file_replace(path, md, strlen(md)) < 0) {
            fprintf(stderr, "grade: %s: %s\n", path, strerror(errno));
            status = 1;
        }
        free(path);
        fputs(md, stdout);
        free(md);
        fprintf(stdout, "\nResults: %s/ (a report, results.json and CSV row per student; "
                "summary.csv, summary.md). %.0f s.\n", dir, now() - started);
    }
    for (size_t i = 0; i < items->n; i++)
        result_clear(&r[i]);
    free(r);
    free(dir);
    return status;
}
