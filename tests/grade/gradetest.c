/*
 * gradetest.c - see gradetest.h.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <valgrind/valgrind.h>

#include "files.h"
#include "gradetest.h"

#define HOSTILE KIT_ROOT "/tests/grade/hostile"
#define NOBODY 65534

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *text = NULL;
    size_t len = 0;
    if (getdelim(&text, &len, '\0', f) < 0) {
        free(text);
        text = strdup("");
    }
    fclose(f);
    return text;
}

static void append_file(FILE *out, const char *path, bool drop_lookup_include)
{
    char *text = read_all(path);
    cr_assert_not_null(text, "cannot read %s", path);
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        size_t len = next ? (size_t)(next - line) : strlen(line);
        if (next)
            next++;
        if (drop_lookup_include && !strncmp(line, "#include \"lookup.h\"", 19))
            continue;
        fwrite(line, 1, len, out);
        fputc('\n', out);
    }
    free(text);
}

/* reachable_by_nobody - whether the user nobody can run grade and read
 * the kit (every folder above them searchable by all). */
static bool reachable_by_nobody(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (setgroups(0, NULL) < 0 || setgid(NOBODY) < 0 || setuid(NOBODY) < 0)
            _exit(1);
        _exit(access(GRADE_BIN "/grade", X_OK) == 0 && access(GRADE_PLAN, R_OK) == 0 &&
                      access(KIT_ROOT "/handout/malloc/mm.h", R_OK) == 0
                  ? 0
                  : 1);
    }
    int st;
    return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

void gt_begin(gt_t *g, bool as_user)
{
    memset(g, 0, sizeof *g);
    if (as_user && geteuid() != 0)
        cr_skip_test("grade runs as an ordinary user only when the tests run as root");
    if (as_user && RUNNING_ON_VALGRIND)
        cr_skip_test("under Valgrind, grade's code is checked by the runs as root; as nobody "
                     "it runs the same code");
    if (as_user && !reachable_by_nobody())
        cr_skip_test("the user nobody cannot reach the kit (a folder above " KIT_ROOT
                     " is closed to others): run make check from a folder all can search, "
                     "as .ci/run does");
    g->as_user = as_user;
    snprintf(g->dir, sizeof g->dir, "/tmp/memlabs-gradetest-XXXXXX");
    cr_assert_not_null(mkdtemp(g->dir), "mkdtemp: %s", strerror(errno));
    chmod(g->dir, 0777);
}

void gt_done(gt_t *g)
{
    cJSON_Delete(g->results);
    free(g->out);
    if (g->dir[0])
        dir_remove(g->dir);
    memset(g, 0, sizeof *g);
}

static void mkdirs(const char *path)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *s = strchr(buf + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        mkdir(buf, 0755);
        *s = '/';
    }
    mkdir(buf, 0755);
}

static void copy(const char *from, const char *to)
{
    char *text = read_all(from);
    cr_assert_not_null(text, "cannot read %s", from);
    FILE *f = fopen(to, "w");
    cr_assert_not_null(f, "cannot write %s", to);
    fputs(text, f);
    fclose(f);
    free(text);
}

const char *gt_case(gt_t *g, const char *name)
{
    static char sub[512];
    char dir[600], path[700], casefile[512];
    snprintf(sub, sizeof sub, "%s/subs/%s", g->dir, name);
    snprintf(dir, sizeof dir, "%s/malloc", sub);
    mkdirs(dir);
    snprintf(casefile, sizeof casefile, HOSTILE "/%s.c", name);
    char *text = read_all(casefile);
    cr_assert_not_null(text, "no case %s", casefile);
    bool lookup = strstr(text, "#include \"lookup.h\"") != NULL;
    free(text);
    snprintf(path, sizeof path, "%s/mm.c", dir);
    FILE *out = fopen(path, "w");
    cr_assert_not_null(out);
    append_file(out, HOSTILE "/prelude.h", false);
    if (lookup)
        append_file(out, HOSTILE "/lookup.h", false);
    append_file(out, KIT_ROOT "/solution/malloc/mm.c", false);
    append_file(out, casefile, true);
    append_file(out, HOSTILE "/bridge.h", false);
    fclose(out);
    snprintf(path, sizeof path, "%s/mminline.h", dir);
    copy(KIT_ROOT "/solution/malloc/mminline.h", path);
    return sub;
}

const char *gt_header_case(gt_t *g, const char *name)
{
    const char *sub = gt_case(g, "fake_output");
    static char moved[512];
    char path[700], casefile[512], cmd[1600];
    snprintf(moved, sizeof moved, "%s/subs/%s", g->dir, name);
    snprintf(cmd, sizeof cmd, "mv %s %s", sub, moved);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    snprintf(path, sizeof path, "%s/malloc/mminline.h", moved);
    snprintf(casefile, sizeof casefile, HOSTILE "/%s.c", name);
    FILE *out = fopen(path, "a");
    cr_assert_not_null(out);
    append_file(out, casefile, false);
    fclose(out);
    return moved;
}

const char *gt_vm_case(gt_t *g, const char *name, const char *file, const char *fn)
{
    static char sub[512];
    static const char *files[] = { "mmu.c", "tlb.c", "fault.c", "clock.c", "pageout.c",
                                    "mmap.c", "cow.c", "fork.c" };
    char dir[600], path[700], from[512];
    snprintf(sub, sizeof sub, "%s/subs/%s", g->dir, name);
    snprintf(dir, sizeof dir, "%s/vm", sub);
    mkdirs(dir);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        snprintf(from, sizeof from, KIT_ROOT "/solution/vm/%s", files[i]);
        copy(from, path);
    }
    snprintf(path, sizeof path, "%s/%s", sub, file);
    snprintf(from, sizeof from, KIT_ROOT "/solution/%s", file);
    FILE *out = fopen(path, "w");
    cr_assert_not_null(out);
    char casefile[512];
    snprintf(casefile, sizeof casefile, HOSTILE "/%s.c", name);
    char *text = read_all(casefile);
    cr_assert_not_null(text, "no case %s", casefile);
    bool lookup = strstr(text, "#include \"lookup.h\"") != NULL;
    free(text);
    if (lookup)
        append_file(out, HOSTILE "/lookup.h", false);
    if (fn)
        fprintf(out, "#define %s honest_%s\n", fn, fn);
    append_file(out, from, false);
    append_file(out, casefile, true);
    fclose(out);
    return sub;
}

pid_t gt_spawn(const gt_t *g, const char *const *argv, const char *out)
{
    fflush(NULL);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        dup2(fd, 1);
        dup2(fd, 2);
        if (g->as_user && (setgroups(0, NULL) < 0 || setgid(NOBODY) < 0 || setuid(NOBODY) < 0))
            _exit(126);
        /* A coverage build's counters are root's files: nobody's go aside. */
        if (g->as_user)
            setenv("GCOV_PREFIX", g->dir, 1);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    return pid;
}

static void grade_va(gt_t *g, const char *submission, const char *student, const char *policy,
                     va_list ap)
{
    char json[512], out[512], work[512], pol[512], result[700];
    if (student) {
        snprintf(json, sizeof json, "%s/json", g->dir);
        mkdir(json, 0777);
        chmod(json, 0777);   /* past the umask: grade may run as nobody */
        snprintf(result, sizeof result, "%s/%s.json", json, student);
    } else {
        snprintf(json, sizeof json, "%s/results.json", g->dir);
        snprintf(result, sizeof result, "%s", json);
    }
    snprintf(out, sizeof out, "%s/grade.out", g->dir);
    snprintf(work, sizeof work, "%s/work", g->dir);
    snprintf(pol, sizeof pol, KIT_ROOT "/tests/grade/%s", policy ? policy : "policy.ini");
    remove(result);
    const char *argv[64] = { GRADE_BIN "/grade", "--json", json, "--work", work, "-P", pol,
                             "--traces", KIT_ROOT "/tests/grade/traces" };
    int n = 9;
    for (const char *a; (a = va_arg(ap, const char *)) && n < 62;)
        argv[n++] = a;
    argv[n++] = submission;
    argv[n] = NULL;
    pid_t pid = gt_spawn(g, argv, out);
    int st;
    waitpid(pid, &st, 0);
    g->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    free(g->out);
    g->out = read_all(out);
    cJSON_Delete(g->results);
    char *text = read_all(result);
    g->results = text ? cJSON_Parse(text) : NULL;
    free(text);
    cr_assert_not_null(g->results, "grade wrote no %s (exit %d):\n%s", result, g->status,
                       g->out ? g->out : "");
}

void gt_grade(gt_t *g, const char *submission, const char *policy, ...)
{
    va_list ap;
    va_start(ap, policy);
    grade_va(g, submission, NULL, policy, ap);
    va_end(ap);
}

void gt_grade_class(gt_t *g, const char *student, const char *policy, ...)
{
    char folder[512];
    snprintf(folder, sizeof folder, "%s/subs", g->dir);
    va_list ap;
    va_start(ap, policy);
    grade_va(g, folder, student, policy, ap);
    va_end(ap);
}

static const cJSON *extra(const gt_t *g, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(g->results, "extra_data"), key);
}

static const cJSON *check_named(const gt_t *g, const char *name)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, extra(g, "checks"))
    {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(c, "name");
        if (cJSON_IsString(n) && !strcmp(n->valuestring, name))
            return c;
    }
    return NULL;
}

const char *gt_verdict(const gt_t *g, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(check_named(g, name), "verdict");
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

const char *gt_message(const gt_t *g, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(check_named(g, name), "message");
    return cJSON_IsString(v) ? v->valuestring : "";
}

bool gt_line(const gt_t *g, const char *stage, const char *text)
{
    const cJSON *l;
    cJSON_ArrayForEach(l, extra(g, stage))
    {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(l, "text");
        if (cJSON_IsString(t) && strstr(t->valuestring, text))
            return true;
    }
    return false;
}

double gt_part(const gt_t *g, const char *id)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(extra(g, "parts"), id);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

double gt_score(const gt_t *g)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(g->results, "score");
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

int gt_count(const gt_t *g, const char *verdict)
{
    int n = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, extra(g, "checks"))
    {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, "verdict");
        n += cJSON_IsString(v) && !strcmp(v->valuestring, verdict);
    }
    return n;
}
