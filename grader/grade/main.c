/*
 * main.c - grade's command line: which submissions, which labs, where the
 * results go; then each submission through intake, checks and build,
 * runs, score, output (grade.h).
 *
 * Exit status: 0 when every submission was graded (whatever its score), 1
 * when one could not be read at all, 2 for a bad command line or kit.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "build.h"
#include "files.h"
#include "installed.h"
#include "intake.h"
#include "output.h"
#include "parts.h"
#include "plan.h"
#include "runs.h"
#include "score.h"

#ifndef GRADE_PLAN
#define GRADE_PLAN "gradekit/plan.ini"
#endif

static void usage(FILE *out)
{
    fputs("usage: grade [options] SUBMISSION...\n"
          "Grades untrusted submissions of the malloc and vm labs: takes the student's\n"
          "files, checks and builds them, runs every trace, test and scenario in a\n"
          "sandbox, and scores them by the policy. A SUBMISSION is a directory holding\n"
          "the files of handout/STUDENT_FILES, a .tar.gz, .tgz, .tar, .tar.xz, .tar.bz2\n"
          "or .zip of one, or a folder holding one of those per student.\n"
          "\n"
          "  -P FILE        the course's policy, over the kit's (grader/policy.ini)\n"
          "  --hidden DIR   also grade DIR's hidden traces (malloc/*.rep), tests\n"
          "                 (tests/malloc/*.c, tests/vm/*.c) and scenarios (vm/*.vmsh)\n"
          "  --lab LAB      grade only LAB (malloc or vm; repeatable)\n"
          "  --traces DIR   the malloc lab's public traces (default: the kit's)\n"
          "  --json FILE    write results.json (Gradescope); with several submissions,\n"
          "                 FILE is a folder and gets one STUDENT.json each\n"
          "  --csv FILE     write one row per submission\n"
          "  --autolab      end stdout with Autolab's {\"scores\": ...} line\n"
          "  -j, --jobs N   grade N submissions at once (default: the number of cores)\n"
          "  -o, --out DIR  results folder: a report, results.json and CSV row per\n"
          "                 student, summary.csv and summary.md; run again to go on\n"
          "                 after a stop\n"
          "  --force        with --out: grade again who the folder already holds\n"
          "  --work DIR     build and run in DIR (default: a new folder in /tmp)\n"
          "  --keep         keep the work folders\n"
          "  --plan FILE    the kit's build plan (default: the one of this build)\n"
          "  -v             more detail (-vv: every check, also those that passed)\n"
          "  -h, --help     this message\n"
          "docs/grading.md is the TA's guide.\n",
          out);
}

/* same_file - whether a and b (NULL: no file) name one file or folder. */
static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return b && stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* expand - path as submissions: itself, or each of its entries. */
static int expand(const char *path, const plan_t *p, const char *out, items_t *l)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        fprintf(stderr, "grade: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (!intake_is_archive(path)) {
            fprintf(stderr, "grade: %s: neither a folder nor an archive grade reads "
                    "(.tar.gz, .tgz, .tar, .tar.xz, .tar.bz2, .zip)\n", path);
            return -1;
        }
        items_add(l, path, path);
        return 0;
    }
    if (intake_is_submission(path, p)) {
        char real[4096];
        items_add(l, path, realpath(path, real) ? real : path);
        return 0;
    }
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "grade: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0;
    int skipped = 0;
    size_t plen = strlen(path);
    while (plen > 1 && path[plen - 1] == '/')
        plen--;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char full[4096];
        snprintf(full, sizeof full, "%.*s/%s", (int)plen, path, e->d_name);
        if (same_file(full, out))
            continue;   /* the results folder, put inside the class's */
        if (stat(full, &st) < 0 || (!S_ISDIR(st.st_mode) && !intake_is_archive(full))) {
            fprintf(stderr, "grade: %s: neither a folder nor an archive grade reads "
                    "(.tar.gz, .tgz, .tar, .tar.xz, .tar.bz2, .zip): not graded\n", full);
            skipped++;
            continue;
        }
        names = realloc(names, (n + 1) * sizeof *names);
        names[n++] = strdup(full);
    }
    closedir(d);
    if (!n) {
        fprintf(stderr, "grade: %s: neither a submission (none of handout/STUDENT_FILES is "
                "there) nor a folder of submissions\n", path);
        free(names);
        return -1;
    }
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        items_add(l, names[i], names[i]);
        free(names[i]);
    }
    free(names);
    return skipped ? -1 : 0;
}

/* grade_one - every stage for one submission. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void grade_one(submission_t *s, const plan_t *p, const grade_policy_t *gp,
                      const options_t *o)
{
    double start = now();
    intake_limits_t lim = { .max_file = gp->max_file, .max_entries = 5000,
                            .max_total = (size_t)256 << 20 };
    bool taken = intake(s, p, &lim, o->labs) == 0;
    s->unreadable = !taken;
    for (int lab = 0; lab < LAB_COUNT; lab++) {
        if (!o->labs[lab])
            continue;
        if (taken && s->lab_taken[lab]) {
            char hidden[4096];
            snprintf(hidden, sizeof hidden, "%s/tests/%s", o->hidden ? o->hidden : "",
                     lab_name[lab]);
            struct stat st;
            bool has_hidden = o->hidden && stat(hidden, &st) == 0 && S_ISDIR(st.st_mode);
            build_lab(s, p, gp, (enum lab)lab, has_hidden ? hidden : NULL);
        }
    }
    s->build_wall = now() - start;
    if (o->labs[LAB_MALLOC]) {
        runs_traces(s, p, gp, o);
        runs_tests(s, p, gp, LAB_MALLOC, o);
    }
    if (o->labs[LAB_VM]) {
        runs_tests(s, p, gp, LAB_VM, o);
        runs_scenarios(s, p, gp, o);
    }
    s->wall = now() - start;
    score(s, gp, o);
}

int main(int argc, char **argv)
{
    enum { OPT_HIDDEN = 1000, OPT_LAB, OPT_JSON, OPT_CSV, OPT_AUTOLAB, OPT_WORK, OPT_KEEP,
           OPT_PLAN, OPT_TRACES, OPT_FORCE };
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "hidden", required_argument, NULL, OPT_HIDDEN },
        { "lab", required_argument, NULL, OPT_LAB },
        { "json", required_argument, NULL, OPT_JSON },
        { "csv", required_argument, NULL, OPT_CSV },
        { "autolab", no_argument, NULL, OPT_AUTOLAB },
        { "work", required_argument, NULL, OPT_WORK },
        { "keep", no_argument, NULL, OPT_KEEP },
        { "plan", required_argument, NULL, OPT_PLAN },
        { "traces", required_argument, NULL, OPT_TRACES },
        { "jobs", required_argument, NULL, 'j' },
        { "out", required_argument, NULL, 'o' },
        { "force", no_argument, NULL, OPT_FORCE },
        { 0 },
    };
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    /* Installed (mk/install.mk), grade's kit is beside it; else the build's. */
    static char installed[4096];
    options_t o = { .plan_path = installed_path("share/memlabs/kit/gradekit/plan.ini", installed,
                                                sizeof installed) == 0
                                     ? installed
                                     : GRADE_PLAN,
                    .jobs = cores > 0 ? (int)cores : 1 };
    argv[0] = "grade";   /* getopt's messages name the program so */
    bool lab_given = false;
    int c;
    while ((c = getopt_long(argc, argv, "P:j:o:vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'P':
            o.policy_path = optarg;
            break;
        case 'v':
            o.verbose++;
            break;
        case 'j': {
            char *end;
            long j = strtol(optarg, &end, 10);
            if (*end || j < 1 || j > 256) {
                fprintf(stderr, "grade: -j %s: expected a number of submissions at once, "
                        "1 to 256\n", optarg);
                return 2;
            }
            o.jobs = (int)j;
            break;
        }
        case 'o':
            o.out = optarg;
            break;
        case OPT_FORCE:
            o.force = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case OPT_HIDDEN:
            o.hidden = optarg;
            break;
        case OPT_LAB:
            if (!strcmp(optarg, "malloc"))
                o.labs[LAB_MALLOC] = true;
            else if (!strcmp(optarg, "vm"))
                o.labs[LAB_VM] = true;
            else {
                fprintf(stderr, "grade: --lab %s: expected malloc or vm\n", optarg);
                return 2;
            }
            lab_given = true;
            break;
        case OPT_JSON:
            o.json_path = optarg;
            break;
        case OPT_CSV:
            o.csv_path = optarg;
            break;
        case OPT_AUTOLAB:
            o.autolab = true;
            break;
        case OPT_WORK:
            o.work = optarg;
            break;
        case OPT_KEEP:
            o.keep = true;
            break;
        case OPT_PLAN:
            o.plan_path = optarg;
            break;
        case OPT_TRACES:
            o.traces = optarg;
            break;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (!lab_given)
        o.labs[LAB_MALLOC] = o.labs[LAB_VM] = true;
    if (optind == argc) {
        fprintf(stderr, "grade: no submission given\n");
        usage(stderr);
        return 2;
    }
    const char *nc = getenv("NO_COLOR");
    o.color = isatty(STDOUT_FILENO) && !(nc && *nc);

    plan_t plan;
    if (plan_load(o.plan_path, &plan, stderr) < 0)
        return 2;
    grade_policy_t gp;
    if (grade_policy_load(&gp, plan.policy, o.policy_path, stderr) != 0) {
        grade_policy_free(&gp);
        plan_free(&plan);
        return 2;
    }
    items_t items = { 0 };
    int status = 0;
    for (int i = optind; i < argc; i++)
        if (expand(argv[i], &plan, o.out, &items) < 0)
            status = 1;
    if (o.autolab && items.n != 1) {
        fprintf(stderr, "grade: --autolab grades one submission (Autolab runs one per job)\n");
        status = 2;
    }
    struct stat st;
    /* --json names a file, or a folder (made if need be) to get one
     * STUDENT.json each: with several submissions, or a name ending in /. */
    bool json_dir = o.json_dir = o.json_path &&
                    (items.n > 1 || o.json_path[strlen(o.json_path) - 1] == '/' ||
                     (stat(o.json_path, &st) == 0 && S_ISDIR(st.st_mode)));
    if (json_dir && status != 2) {
        mkdir(o.json_path, 0755);
        if (stat(o.json_path, &st) < 0 || !S_ISDIR(st.st_mode)) {
            fprintf(stderr, "grade: --json %s: with %zu submissions, a folder is needed, and "
                    "this cannot be one\n", o.json_path, items.n);
            status = 2;
        }
    }
    char work[4096];
    if (status != 2) {
        if (o.work) {
            snprintf(work, sizeof work, "%s", o.work);
            mkdir(work, 0755);
        } else {
            snprintf(work, sizeof work, "/tmp/grade-XXXXXX");
            if (!mkdtemp(work)) {
                perror("grade: a work folder in /tmp");
                status = 2;
            }
        }
        /* The runs are nobody's when grade is root: it must get to them. */
        chmod(work, 0755);
    }
    /* Processes a run leaves behind, orphaned, come back to grade; a run
     * that dies before it has read its input is an EPIPE, not grade's end. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    signal(SIGPIPE, SIG_IGN);
    if (status != 2) {
        runs_calibrate(&plan, &gp, &o);
        int r = batch_grade(&items, grade_one, &plan, &gp, &o, work);
        if (r > status)
            status = r;
    }
    if (status != 2 && !o.keep && !o.work)
        dir_remove(work);
    items_free(&items);
    grade_policy_free(&gp);
    plan_free(&plan);
    return status;
}
