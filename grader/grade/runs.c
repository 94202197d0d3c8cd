/*
 * runs.c - the graded runs of a submission (see runs.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <glob.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <valgrind/valgrind.h>

#include "files.h"
#include "report.h"
#include "run.h"
#include "runs.h"
#include "sandbox.h"
#include "transcript.h"

/* --- small helpers ------------------------------------------------------ */

static char *xstrdup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        abort();
    return d;
}

static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s;
    if (vasprintf(&s, fmt, ap) < 0)
        abort();
    va_end(ap);
    return s;
}

/* list - the files of dir whose names end in suffix, sorted (glob sorts). */
static void list(const char *dir, const char *suffix, glob_t *g)
{
    char pat[4096];
    snprintf(pat, sizeof pat, "%s/*%s", dir, suffix);
    memset(g, 0, sizeof *g);
    glob(pat, 0, NULL, g);
}

static char *stem(const char *path, const char *suffix)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    size_t len = strlen(base), sl = strlen(suffix);
    if (len > sl && !strcmp(base + len - sl, suffix))
        len -= sl;
    return strndup(base, len);
}

/* copy_tree - the regular files of from (and its subfolders) into to,
 * but those named *skip (NULL: none). */
static void copy_tree(const char *from, const char *to, int depth, const char *skip)
{
    DIR *d = opendir(from);
    if (!d)
        return;
    dir_make(to);
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char a[4096], b[4096];
        snprintf(a, sizeof a, "%s/%s", from, e->d_name);
        snprintf(b, sizeof b, "%s/%s", to, e->d_name);
        struct stat st;
        if (lstat(a, &st) < 0)
            continue;
        size_t len = strlen(e->d_name), sl = skip ? strlen(skip) : 0;
        if (skip && len > sl && !strcmp(e->d_name + len - sl, skip))
            continue;
        if (S_ISDIR(st.st_mode) && depth < 3)
            copy_tree(a, b, depth + 1, skip);
        else if (S_ISREG(st.st_mode))
            file_copy(a, b);
    }
    closedir(d);
}

static limits_t limits(const grade_policy_t *gp, double wall)
{
    return (limits_t){ .wall = wall, .cpu = wall, .memory = gp->memory, .output = gp->output,
                       .file_size = 1 << 20, .files = 64, .processes = gp->processes };
}

/* empty_dir - a fresh, empty working folder for a run. */
static char *empty_dir(const submission_t *s, const char *name)
{
    char *d = xasprintf("%s/run/%s", s->work, name);
    dir_make(d);
    return d;
}

/* verdict_of_run - what a run that left no usable result ended as. */
static verdict_t verdict_of_run(const run_result_t *r, int *syscall_nr)
{
    *syscall_nr = -1;
    switch (r->how) {
    case RAN_TIMEOUT:
        return V_TIMEOUT;
    case RAN_OUTPUT:
        return V_OUTPUT;
    case RAN_SIGNALED:
        if (r->code == SIGSYS) {   /* the sandbox's; the report names the call */
            *syscall_nr = sandbox_parse_report(r->output);
            return V_FORBIDDEN;
        }
        if (r->code == SIGXCPU)
            return V_TIMEOUT;
        return V_CRASH;
    case RAN_EXITED:
        return V_EXIT;
    default:
        return V_NOT_RUN;
    }
}

static void set_check(check_t *c, verdict_t v, const char *message)
{
    c->v = v;
    free(c->message);
    c->message = v == V_OK || !message ? NULL : xstrdup(message);
}

/* describe_run - the message of a check that ended with its run. */
static char *describe_run(const run_result_t *r, const limits_t *lim, verdict_t v, int nr,
                          const char *what)
{
    char why[512], name[SANDBOX_NAME_MAX];
    if (v == V_FORBIDDEN) {
        sandbox_syscall_name(nr, name, sizeof name);
        return xasprintf("%s made the system call %s, which the sandbox refuses", what, name);
    }
    return xasprintf("%s: %s", what, run_describe(r, lim, why, sizeof why));
}

/* with_output - message, then the last lines the run printed (the
 * skeleton's "not implemented yet", an assertion): malloc'd. */
static char *with_output(const char *message, const char *output)
{
    size_t len = strlen(output);
    while (len && output[len - 1] == '\n')
        len--;
    if (!len)
        return xstrdup(message);
    size_t start = len, lines = 0;
    while (start > 0 && lines < 3) {
        start--;
        if (output[start] == '\n' && start + 1 < len)
            lines++;
    }
    if (output[start] == '\n')
        start++;
    if (len - start > 400)
        start = len - 400;
    return xasprintf("%s\n  it printed: %.*s", message, (int)(len - start), output + start);
}

/* --- the malloc lab's traces -------------------------------------------- */

static verdict_t verdict_of_mdriver(const char *status)
{
    static const struct { const char *s; verdict_t v; } map[] = {
        { "ok", V_OK },           { "invalid", V_WRONG }, { "crash", V_CRASH },
        { "timeout", V_TIMEOUT }, { "exit", V_EXIT },     { "forbidden", V_FORBIDDEN },
        { "oom", V_OOM },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (status && !strcmp(status, map[i].s))
            return map[i].v;
    return V_NOT_RUN;
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* trace_row - a row for mdriver's summary from one trace's JSON result. */
static void trace_row(const cJSON *t, row_t *row)
{
    const char *status = str(t, "status");
    row->parsed = !status || strcmp(status, "parse") != 0;
    row->weight = num(t, "weight");
    row->ops = (size_t)num(t, "ops");
    row->r.status = verdict_of_mdriver(status) == V_OK ? RUN_OK : RUN_INVALID;
    row->r.checked.peak_live = (size_t)num(t, "peak_live");
    row->r.checked.peak_layout = (size_t)num(t, "peak_layout");
    row->r.checked.heap_size = (size_t)num(t, "heap_size");
    const cJSON *secs = cJSON_GetObjectItemCaseSensitive(t, "secs");
    row->r.secs[WHO_STUDENT] = num(secs, "student");
    row->r.secs[WHO_REFERENCE] = num(secs, "reference");
}

/* The reference's checked replay of each trace, in seconds (runs_calibrate). */
typedef struct ref_time {
    char *path;
    double secs;
} ref_time_t;
static ref_time_t *ref_times;
static size_t nref_times;

void runs_calibrate(const plan_t *p, const grade_policy_t *gp, const options_t *o)
{
    const char *kit = NULL;
    for (size_t i = 0; i < p->nprograms; i++)
        if (!strcmp(p->programs[i].name, "mdriver"))
            kit = p->programs[i].kit;
    if (!kit || !o->labs[LAB_MALLOC])
        return;
    glob_t pub, hid = { 0 };
    list(o->traces ? o->traces : p->traces, ".rep", &pub);
    if (o->hidden) {
        char *h = xasprintf("%s/malloc", o->hidden);
        list(h, ".rep", &hid);
        free(h);
    }
    size_t n = pub.gl_pathc + hid.gl_pathc;
    const char **argv = calloc(2 * n + 8, sizeof *argv);
    size_t k = 0;
    argv[k++] = kit;
    argv[k++] = "--no-timing";
    if (o->policy_path) {
        argv[k++] = "-P";
        argv[k++] = o->policy_path;
    }
    for (size_t i = 0; i < n; i++) {
        argv[k++] = "-f";
        argv[k++] = i < pub.gl_pathc ? pub.gl_pathv[i] : hid.gl_pathv[i - pub.gl_pathc];
    }
    /* The kit's own program on the kit's traces: the sandbox's limits,
     * but the time of every trace's deadline. */
    run_request_t rq = { .argv = argv, .cwd = ".", .as_self = true,
                         .lim = limits(gp, gp->mdriver.timeout * (double)(n + 1)) };
    run_result_t r;
    run_confined(&rq, &r);
    cJSON *doc = r.records == 1 ? cJSON_Parse(r.payload) : NULL;
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(doc, "traces"))
    {
        const char *path = str(t, "path");
        double secs = num(t, "check_secs");
        if (!path || !(secs > 0))
            continue;
        ref_times = realloc(ref_times, (nref_times + 1) * sizeof *ref_times);
        if (!ref_times)
            abort();
        ref_times[nref_times++] = (ref_time_t){ xstrdup(path), secs };
    }
    if (nref_times < n)
        fprintf(stderr, "grade: the reference's replay of %zu of %zu traces could not be "
                "timed (%s): those traces have the policy's timeout, %g s\n", n - nref_times, n,
                r.how == RAN_FAILED ? r.error : "see the kit's mdriver", gp->mdriver.timeout);
    cJSON_Delete(doc);
    run_result_free(&r);
    free(argv);
    globfree(&pub);
    globfree(&hid);
}

/* deadline - the seconds a replay of the trace at path may take; how
 * they were found into why. */
static double deadline(const grade_policy_t *gp, const char *path, char *why, size_t n)
{
    double d = gp->mdriver.timeout;
    snprintf(why, n, "the deadline is the policy's timeout, %g s", d);
    for (size_t i = 0; i < nref_times; i++)
        if (!strcmp(ref_times[i].path, path)) {
            double derived = gp->deadline_multiple * ref_times[i].secs;
            d = derived < gp->deadline_floor ? gp->deadline_floor : derived;
            if (d > gp->mdriver.timeout)
                d = gp->mdriver.timeout;
            snprintf(why, n, "the deadline, %.3g s, is %g times the reference's replay of "
                     "this trace (%.3g s), at least %g s, at most %g s", d,
                     gp->deadline_multiple, ref_times[i].secs, gp->deadline_floor,
                     gp->mdriver.timeout);
            break;
        }
    return d;
}

/* one_trace - mdriver on one trace; the verdict into c, the row into row. */
static void one_trace(submission_t *s, const grade_policy_t *gp, const options_t *o,
                      const char *path, check_t *c, row_t *row, const char *dir)
{
    size_t len;
    char *bytes = file_read(path, &len);
    if (!bytes) {
        set_check(c, V_NOT_RUN, "the trace cannot be read");
        return;
    }
    char bin[4096];
    snprintf(bin, sizeof bin, "%s/bin/mdriver", s->work);
    const policy_t *pol = &gp->mdriver;
    const char *argv[12] = { bin, "-f", "-", "--name", c->key, NULL };
    int n = 5;
    char policy_copy[4096];
    if (o->policy_path) {
        snprintf(policy_copy, sizeof policy_copy, "%s/policy.ini", dir);
        file_copy(o->policy_path, policy_copy);
        argv[n++] = "-P";
        argv[n++] = "policy.ini";
        argv[n] = NULL;
    }
    char secs[32], why[256];
    double d = deadline(gp, path, why, sizeof why);
    snprintf(secs, sizeof secs, "%.3f", d);
    argv[n++] = "--deadline";
    argv[n++] = secs;
    argv[n] = NULL;
    /* mdriver's children: one check, then a calibration and the rounds for
     * the student and the reference, each with that deadline. */
    double wall = d * (2 + 2.0 * (pol->rounds + 1)) + 10;
    run_request_t rq = { .argv = argv, .cwd = dir, .input = bytes, .input_len = len,
                         .lim = limits(gp, wall) };
    run_result_t r;
    run_confined(&rq, &r);
    free(bytes);
    s->cpu += r.cpu;
    /* mdriver sends one record, as it ends, and then exits (0 or 1). */
    cJSON *doc = r.records == 1 && !r.forged && r.how == RAN_EXITED && r.code <= 1
                     ? cJSON_Parse(r.payload)
                     : NULL;
    const cJSON *traces = cJSON_GetObjectItemCaseSensitive(doc, "traces");
    const cJSON *t = cJSON_GetArrayItem(traces, 0);
    if (t) {
        trace_row(t, row);
        verdict_t v = verdict_of_mdriver(str(t, "status"));
        const char *msg = str(t, "message");
        char *text = NULL;
        if (c->hidden && v != V_OK)
            text = v == V_FORBIDDEN && str(t, "syscall")
                       ? xasprintf("the system call %s", str(t, "syscall"))
                       : NULL;
        else if (msg && v == V_TIMEOUT && strstr(msg, "still running after")) {
            char *m = xasprintf("%s (%s)", msg, why);
            text = with_output(m, r.output);
            free(m);
        } else if (msg)
            text = with_output(msg, r.output);
        set_check(c, v, text);
        free(text);
    } else {
        int nr;
        verdict_t v = r.forged ? V_WRONG : verdict_of_run(&r, &nr);
        char *text = r.forged ? xstrdup("mdriver's results were tampered with")
                              : describe_run(&r, &rq.lim, v, nr, "mdriver");
        set_check(c, v, c->hidden ? NULL : text);
        free(text);
        row->parsed = true;
        row->weight = 1;
        row->r.status = RUN_INVALID;
    }
    cJSON_Delete(doc);
    run_result_free(&r);
}

static void add_traces(submission_t *s, const grade_policy_t *gp, const char *dir, bool hidden,
                       glob_t *g)
{
    list(dir, ".rep", g);
    unsigned k = 0;
    for (size_t i = 0; i < g->gl_pathc; i++) {
        check_t *c = submission_add_check(s);
        c->kind = CHECK_TRACE;
        c->lab = LAB_MALLOC;
        c->hidden = hidden;
        char *st = stem(g->gl_pathv[i], ".rep");
        if (hidden) {
            c->name = xasprintf("hidden trace %u", ++k);
            c->key = st;
        } else {
            c->name = xasprintf("trace %s", st);
            c->key = st;
        }
        c->v = V_NOT_RUN;
        c->part = part_of(gp, c);
    }
}

void runs_traces(submission_t *s, const plan_t *p, const grade_policy_t *gp, const options_t *o)
{
    if (!s->lab_taken[LAB_MALLOC])
        return;   /* not submitted: intake said so; nothing to list */
    glob_t pub, hid = { 0 };
    size_t first = s->nchecks;
    add_traces(s, gp, o->traces ? o->traces : p->traces, false, &pub);
    char hdir[4096] = "";
    if (o->hidden) {
        snprintf(hdir, sizeof hdir, "%s/malloc", o->hidden);
        add_traces(s, gp, hdir, true, &hid);
    }
    size_t n = s->nchecks - first;
    row_t *rows = calloc(n ? n : 1, sizeof *rows);
    char *dir = empty_dir(s, "malloc");
    for (size_t i = 0; i < n; i++) {
        check_t *c = &s->checks_run[first + i];
        const char *path = i < pub.gl_pathc ? pub.gl_pathv[i] : hid.gl_pathv[i - pub.gl_pathc];
        rows[i].name = c->key;
        rows[i].path = c->key;
        if (!s->lab_built[LAB_MALLOC])
            continue;
        one_trace(s, gp, o, path, c, &rows[i], dir);
    }
    free(dir);
    if (s->lab_built[LAB_MALLOC] && n) {
        run_params_t rp = { .timing = true, .reference = true, .policy = &gp->mdriver };
        summary_t sum = summarize(rows, (unsigned)n, &rp);
        s->util = sum.util;
        s->util_of_bound = sum.util_of_bound;
        s->thru_ratio = sum.ratio;
        s->perfidx = sum.perfidx;
        s->perf_known = true;
    }
    free(rows);
    globfree(&pub);
    globfree(&hid);
}

/* --- test programs ------------------------------------------------------ */

static check_t *test_check(submission_t *s, const grade_policy_t *gp, enum lab lab,
                           const char *name, bool hidden)
{
    for (size_t i = 0; i < s->nchecks; i++)
        if (s->checks_run[i].kind == CHECK_TEST && s->checks_run[i].hidden == hidden &&
            !strcmp(s->checks_run[i].key, name))
            return &s->checks_run[i];
    unsigned hidden_tests = 0;
    for (size_t i = 0; i < s->nchecks; i++)
        hidden_tests += s->checks_run[i].kind == CHECK_TEST && s->checks_run[i].hidden;
    check_t *c = submission_add_check(s);
    c->kind = CHECK_TEST;
    c->lab = lab;
    c->hidden = hidden;
    c->key = xstrdup(name);
    /* A hidden test is known by its number: its name may say what it tests. */
    c->name = hidden ? xasprintf("hidden test %u", hidden_tests + 1)
                     : xasprintf("test %s", name);
    c->v = V_NOT_RUN;
    c->part = part_of(gp, c);
    return c;
}

static bool test_done(const submission_t *s, const char *name, bool hidden)
{
    for (size_t i = 0; i < s->nchecks; i++)
        if (s->checks_run[i].kind == CHECK_TEST && s->checks_run[i].hidden == hidden &&
            !strcmp(s->checks_run[i].key, name) && s->checks_run[i].v != V_NOT_RUN)
            return true;
    return false;
}

/* program_run - one run of a test program with a filter; each test it
 * reported gets its verdict. *complete when the run reached its end; the
 * test running when it did not is given the run's verdict. */
static void program_run(submission_t *s, const grade_policy_t *gp, enum lab lab,
                        const char *bin, const char *filter, bool hidden, const char *dir,
                        bool alone, bool *complete)
{
    /* Each test's own deadline: the policy's, not its suite's (the
     * reference's tests take milliseconds; a looping one costs this). */
    char each[32];
    snprintf(each, sizeof each, "%g", gp->test_deadline * (RUNNING_ON_VALGRIND ? 40 : 1));
    const char *argv[] = { bin, "--jobs", "1", "--timeout", each, "--filter", filter,
                           "--short-filename", NULL };
    run_request_t rq = { .argv = argv, .cwd = dir, .lim = limits(gp, gp->test_timeout) };
    run_result_t r;
    run_confined(&rq, &r);
    s->cpu += r.cpu;
    *complete = false;
    char *running = NULL;
    const char *end = r.payload;
    const char *stop = r.payload + r.payload_len;
    while (end < stop) {
        const char *next = NULL;
        cJSON *rec = cJSON_ParseWithLengthOpts(end, (size_t)(stop - end), &next, false);
        if (!rec)
            break;
        end = next;
        const char *start = str(rec, "start"), *test = str(rec, "test");
        if (start) {
            free(running);
            running = xstrdup(start);
        } else if (test) {
            check_t *c = test_check(s, gp, lab, test, hidden);
            const char *status = str(rec, "status");
            static const struct { const char *s; verdict_t v; } map[] = {
                { "ok", V_OK },         { "wrong", V_WRONG },         { "crash", V_CRASH },
                { "timeout", V_TIMEOUT }, { "forbidden", V_FORBIDDEN }, { "exit", V_EXIT },
                /* No public test skips itself: a skip comes from a call the rules forbid. */
                { "skipped", V_WRONG },
            };
            verdict_t v = V_WRONG;
            for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
                if (status && !strcmp(status, map[i].s))
                    v = map[i].v;
            const char *msg = status && !strcmp(status, "skipped") ? "the test was skipped"
                                                                   : str(rec, "message");
            const char *call = str(rec, "syscall");
            char *text = hidden ? (v == V_FORBIDDEN && call ? xasprintf("the system call %s", call)
                                                            : NULL)
                                : xstrdup(msg);
            set_check(c, v, text);
            free(text);
            if (running && !strcmp(running, test)) {
                free(running);
                running = NULL;
            }
        } else if (cJSON_GetObjectItemCaseSensitive(rec, "end")) {
            *complete = true;
        }
        cJSON_Delete(rec);
    }
    if (r.forged) {
        *complete = false;
    }
    if (!*complete && running && !alone) {
        /* The run's end is not this test's doing for sure: it runs alone. */
    } else if (!*complete && running) {
        int nr;
        verdict_t v = r.forged ? V_WRONG : verdict_of_run(&r, &nr);
        check_t *c = test_check(s, gp, lab, running, hidden);
        char *text = r.forged ? xstrdup("the test program's results were tampered with")
                              : describe_run(&r, &rq.lim, v, nr, "the test program");
        set_check(c, v, hidden ? NULL : text);
        free(text);
    } else if (!*complete && r.how == RAN_FAILED) {
        check_t *c = test_check(s, gp, lab, filter, hidden);
        set_check(c, V_NOT_RUN, r.error);
        *complete = true;   /* nothing more can be learned by running it again */
    }
    free(running);
    run_result_free(&r);
}

/* program_tests - the tests of a program matching pattern (--list); a
 * trusted program (the kit's) runs as grade's user. */
static void program_tests(const char *bin, const char *pattern, const char *dir,
                          const grade_policy_t *gp, bool trusted, char ***out, size_t *n)
{
    const char *argv[] = { bin, "--list", NULL };
    run_request_t rq = { .argv = argv, .cwd = dir, .lim = limits(gp, 30), .as_self = trusted };
    run_result_t r;
    run_confined(&rq, &r);
    *out = NULL;
    *n = 0;
    /* "suite: N tests" then "├── name" / "└── name" lines. */
    char suite[256] = "";
    for (char *save = NULL, *line = strtok_r(r.output, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        char *colon = strstr(line, ": ");
        if (colon && line[0] != ' ' && (unsigned char)line[0] < 0x80 && strstr(colon, "test")) {
            snprintf(suite, sizeof suite, "%.*s", (int)(colon - line), line);
            continue;
        }
        char *sp = strstr(line, "── ");
        if (!sp || !suite[0])
            continue;
        char *name = xasprintf("%s/%s", suite, sp + strlen("── "));
        if (fnmatch(pattern, name, 0) == 0) {
            *out = realloc(*out, (*n + 1) * sizeof **out);
            (*out)[(*n)++] = name;
        } else {
            free(name);
        }
    }
    run_result_free(&r);
}

/* run_program - every test of the lab's parts in program (the submission's
 * build of it); kit, when not NULL, is the kit's own build, whose tests are
 * the ones expected: one the submission's build lacks (a header of the
 * student's could make tests vanish) is not run, and counts as failed. */
static void run_program(submission_t *s, const grade_policy_t *gp, enum lab lab,
                        const char *program, const char *kit, bool hidden)
{
    char bin[4096];
    snprintf(bin, sizeof bin, "%s/bin/%s", s->work, program);
    if (access(bin, X_OK) != 0)
        return;
    const char *patterns[32];
    size_t np = parts_test_patterns(gp, lab, patterns, 32);
    char *dir = empty_dir(s, program);
    for (size_t i = 0; i < np; i++) {
        bool complete;
        program_run(s, gp, lab, bin, patterns[i], hidden, dir, false, &complete);
        char **names;
        size_t n;
        if (!complete) {
            /* The run ended early: every test of the pattern not yet run, alone. */
            program_tests(bin, patterns[i], dir, gp, false, &names, &n);
            for (size_t k = 0; k < n; k++) {
                if (!test_done(s, names[k], hidden))
                    program_run(s, gp, lab, bin, names[k], hidden, dir, true, &complete);
                free(names[k]);
            }
            free(names);
        }
        if (!kit)
            continue;
        program_tests(kit, patterns[i], dir, gp, true, &names, &n);
        for (size_t k = 0; k < n; k++) {
            if (!test_done(s, names[k], hidden)) {
                check_t *c = test_check(s, gp, lab, names[k], hidden);
                set_check(c, V_NOT_RUN, "the program built with the submission's files does "
                          "not have this test");
            }
            free(names[k]);
        }
        free(names);
    }
    free(dir);
}

void runs_tests(submission_t *s, const plan_t *p, const grade_policy_t *gp, enum lab lab,
                const options_t *o)
{
    if (!s->lab_built[lab])
        return;
    for (size_t i = 0; i < p->nprograms; i++) {
        const program_t *g = &p->programs[i];
        if (g->lab == lab && !strncmp(g->name, "test_", 5))
            run_program(s, gp, lab, g->name, g->kit, false);
    }
    if (o->hidden) {
        char name[64];
        snprintf(name, sizeof name, "hidden_%s", lab_name[lab]);
        run_program(s, gp, lab, name, NULL, true);
    }
}

/* --- scenarios ---------------------------------------------------------- */

static void one_scenario(submission_t *s, const grade_policy_t *gp, const char *dir,
                         const char *golden_path, check_t *c)
{
    char bin[4096], script[512];
    snprintf(bin, sizeof bin, "%s/bin/vmsh", s->work);
    snprintf(script, sizeof script, "%s.vmsh", c->key);
    char *golden = file_read(golden_path, NULL);
    if (!golden) {
        set_check(c, V_NOT_RUN, "no golden transcript");
        return;
    }
    const char *argv[] = { bin, "--preload", "..", "-f", script, NULL };
    run_request_t rq = { .argv = argv, .cwd = dir, .lim = limits(gp, gp->scenario_timeout) };
    run_result_t r;
    run_confined(&rq, &r);
    s->cpu += r.cpu;
    char want[512], got[512];
    int line = transcript_diff(golden, r.payload, want, got, sizeof want);
    if (r.forged) {
        set_check(c, V_WRONG, "vmsh's transcript was tampered with");
    } else if (r.how == RAN_EXITED && r.code == 0 && line == 0) {
        set_check(c, V_OK, NULL);
    } else if (r.how == RAN_EXITED && r.code == 0) {
        char *text = c->hidden ? NULL
                               : xasprintf("the transcript differs from %s.out at line %d:\n"
                                           "  expected: %s\n  got:      %s",
                                           c->key, line, want, got);
        set_check(c, V_WRONG, text);
        free(text);
    } else {
        int nr;
        verdict_t v = verdict_of_run(&r, &nr);
        char *text = describe_run(&r, &rq.lim, v, nr, "vmsh");
        if (!c->hidden && line) {
            char *more = xasprintf("%s (the transcript agreed up to line %d)", text, line - 1);
            free(text);
            text = more;
        }
        set_check(c, v, c->hidden && v != V_FORBIDDEN ? NULL : text);
        free(text);
    }
    free(golden);
    run_result_free(&r);
}

/* scenario_folder - root/vm with the scenarios' files, and root/refs. */
static char *scenario_folder(submission_t *s, const char *name, const char *from,
                             const char *refs)
{
    char *root = empty_dir(s, name);
    char *vm = xasprintf("%s/vm", root);
    char *r = xasprintf("%s/refs", root);
    /* The scripts and what they read, never the transcripts to be matched. */
    copy_tree(from, vm, 0, ".out");
    if (refs)
        copy_tree(refs, r, 0, NULL);
    free(root);
    free(r);
    return vm;
}

static void add_scenarios(submission_t *s, const grade_policy_t *gp, const char *from,
                          const char *refs, bool hidden, const char *folder)
{
    glob_t g;
    list(from, ".vmsh", &g);
    char *dir = NULL;
    unsigned k = 0;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        check_t probe = { .kind = CHECK_SCENARIO, .lab = LAB_VM,
                          .key = stem(g.gl_pathv[i], ".vmsh") };
        int part = part_of(gp, &probe);
        if (part < 0) {
            free(probe.key);
            continue;   /* counted by no part: not run */
        }
        check_t *c = submission_add_check(s);
        *c = probe;
        c->hidden = hidden;
        c->part = part;
        c->name = hidden ? xasprintf("hidden scenario %u", ++k) : xasprintf("scenario %s", c->key);
        c->v = V_NOT_RUN;
        if (!s->lab_built[LAB_VM])
            continue;
        if (!dir)
            dir = scenario_folder(s, folder, from, refs);
        char golden[4096];
        snprintf(golden, sizeof golden, "%s/%s.out", from, c->key);
        one_scenario(s, gp, dir, golden, c);
    }
    free(dir);
    globfree(&g);
}

void runs_scenarios(submission_t *s, const plan_t *p, const grade_policy_t *gp,
                    const options_t *o)
{
    if (!s->lab_taken[LAB_VM])
        return;
    add_scenarios(s, gp, p->scenarios, p->refs, false, "scenarios");
    if (o->hidden) {
        char hdir[4096];
        snprintf(hdir, sizeof hdir, "%s/vm", o->hidden);
        add_scenarios(s, gp, hdir, p->refs, true, "hidden-scenarios");
    }
}
