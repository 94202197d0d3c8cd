/*
 * mtrace.c - mtrace: run a command under libmtrace.so and turn the
 * allocations of one of its processes into a .rep trace. See README.md.
 *
 * The logs go to a fresh directory (a temporary one, removed afterwards, or
 * the one given with -k, kept); libmtrace.so is found beside this program.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "convert.h"
#include "installed.h"
#include "mtlog.h"
#include "options.h"

#define LIB_NAME "libmtrace.so"
#define LOG_NAME "mtrace"      /* logs are DIR/mtrace.PID */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: mtrace [-l] [-n MAXOPS] [-p PID] [-x PROGRAM] [-k DIR] -o OUT.rep -- COMMAND [ARG...]\n"
            "Runs COMMAND with " LIB_NAME " preloaded and writes the allocations of one\n"
            "of its processes (by default the one with the most records) to OUT.rep.\n"
            "  -o OUT.rep  write the trace to OUT.rep (required)\n"
            "  -l          list the processes\n"
            "  -n MAXOPS   keep the first MAXOPS operations\n"
            "  -p PID      the process PID\n"
            "  -x PROGRAM  a process running PROGRAM\n"
            "  -k DIR      keep the logs in DIR (created; must hold no logs yet)\n"
            "  -h          this help\n");
}

/* lib_path - LIB_NAME in the directory of this executable, into buf. */
static int lib_path(char *buf, size_t cap)
{
    ssize_t n = readlink("/proc/self/exe", buf, cap - 1);
    if (n < 0) {
        fprintf(stderr, "mtrace: cannot find my own path: %s\n", strerror(errno));
        return -1;
    }
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash || (size_t)(slash - buf) + sizeof "/" LIB_NAME > cap) {
        fprintf(stderr, "mtrace: unexpected path of my own: %s\n", buf);
        return -1;
    }
    strcpy(slash, "/" LIB_NAME);
    /* Installed, it is in PREFIX/lib/memlabs. */
    char installed[4096];
    if (access(buf, R_OK) != 0 &&
        installed_path("lib/memlabs/" LIB_NAME, installed, sizeof installed) == 0 &&
        strlen(installed) < cap)
        strcpy(buf, installed);
    if (access(buf, R_OK) != 0) {
        fprintf(stderr, "mtrace: %s: cannot read: %s (build it with make)\n", buf, strerror(errno));
        return -1;
    }
    return 0;
}

static int is_log(const struct dirent *d)
{
    return strncmp(d->d_name, LOG_NAME ".", sizeof LOG_NAME) == 0;
}

/* log_dir - a fresh directory for the logs: keep (created if missing, and
 * holding no logs), or a new temporary one. Its absolute path goes to buf. */
static int log_dir(const char *keep, char *buf, size_t cap)
{
    if (keep) {
        if (mkdir(keep, 0755) != 0 && errno != EEXIST) {
            fprintf(stderr, "mtrace: -k %s: cannot create: %s\n", keep, strerror(errno));
            return -1;
        }
        if (!realpath(keep, buf)) {
            fprintf(stderr, "mtrace: -k %s: %s\n", keep, strerror(errno));
            return -1;
        }
        struct dirent **names;
        int n = scandir(buf, &names, is_log, alphasort);
        if (n < 0) {
            fprintf(stderr, "mtrace: -k %s: cannot read: %s\n", keep, strerror(errno));
            return -1;
        }
        for (int i = 0; i < n; i++)
            free(names[i]);
        free(names);
        if (n > 0) {
            fprintf(stderr, "mtrace: -k %s: expected a directory without logs\n", keep);
            return -1;
        }
        return 0;
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(buf, cap, "%s/mtrace.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(buf)) {
        fprintf(stderr, "mtrace: %s: cannot create: %s\n", buf, strerror(errno));
        return -1;
    }
    return 0;
}

/* run - COMMAND with the recorder preloaded; its wait status, -1 if it
 * could not be started or waited for. Interrupts go to the command alone, as with
 * system(3), so the recording is converted even when it is stopped. */
static int run(char **cmd, const char *lib, const char *prefix)
{
    struct sigaction ignore = { .sa_handler = SIG_IGN }, old_int, old_quit;
    sigaction(SIGINT, &ignore, &old_int);
    sigaction(SIGQUIT, &ignore, &old_quit);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "mtrace: fork: %s\n", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGQUIT, &old_quit, NULL);
        const char *old = getenv("LD_PRELOAD");
        char *preload;
        if (asprintf(&preload, "%s%s%s", lib, old && *old ? ":" : "", old ? old : "") < 0
            || setenv("LD_PRELOAD", preload, 1) != 0 || setenv(MTLOG_ENV, prefix, 1) != 0) {
            fprintf(stderr, "mtrace: out of memory\n");
            _exit(127);
        }
        execvp(cmd[0], cmd);
        fprintf(stderr, "mtrace: %s: cannot run: %s\n", cmd[0], strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "mtrace: waitpid: %s\n", strerror(errno));
            status = -1;
            break;
        }
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    return status;
}

/* convert_dir - convert the logs in dir; removes them unless keep. */
static int convert_dir(const char *dir, struct convert_request *req, bool keep)
{
    struct dirent **names;
    int n = scandir(dir, &names, is_log, alphasort);
    if (n < 0) {
        fprintf(stderr, "mtrace: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    char **paths = calloc((size_t)n + 1, sizeof *paths);
    int rc = paths ? 0 : -1;
    for (int i = 0; i < n && rc == 0; i++)
        if (asprintf(&paths[i], "%s/%s", dir, names[i]->d_name) < 0) {
            paths[i] = NULL;
            rc = -1;
        }
    if (rc < 0)
        fprintf(stderr, "mtrace: out of memory\n");
    else if (n == 0) {
        fprintf(stderr, "mtrace: the command left no log in %s (did it allocate at all, "
                "or is it statically linked or setuid?)\n", dir);
        rc = -1;
    } else {
        req->paths = paths;
        req->npaths = (size_t)n;
        rc = convert_logs(req);
    }
    for (int i = 0; i < n; i++) {
        if (paths && paths[i] && !keep)
            unlink(paths[i]);
        if (paths)
            free(paths[i]);
        free(names[i]);
    }
    free(names);
    free(paths);
    if (!keep && rmdir(dir) != 0)
        fprintf(stderr, "mtrace: %s: cannot remove: %s\n", dir, strerror(errno));
    return rc;
}

int main(int argc, char **argv)
{
    struct convert_request req = { .pid = -1 };
    const char *keep = NULL;
    int opt;
    while ((opt = getopt(argc, argv, "+" OPTIONS_COMMON "k:h")) != -1) {
        if (opt == 'h') {
            usage(stdout);
            return 0;
        }
        if (opt == 'k') {
            keep = optarg;
            continue;
        }
        int taken = options_take(&req, opt, optarg, "mtrace");
        if (taken < 0)
            return 2;
        if (taken == 0) {
            usage(stderr);
            return 2;
        }
    }
    if (!req.out || optind == argc) {
        fprintf(stderr, "mtrace: expected %s\n", req.out ? "a COMMAND after --" : "-o OUT.rep");
        usage(stderr);
        return 2;
    }
    char lib[PATH_MAX], dir[PATH_MAX], prefix[PATH_MAX + sizeof LOG_NAME + 1];
    if (lib_path(lib, sizeof lib) < 0 || log_dir(keep, dir, sizeof dir) < 0)
        return 1;
    snprintf(prefix, sizeof prefix, "%s/" LOG_NAME, dir);
    fprintf(stderr, "# mtrace: lib=%s logs=%s.PID command=%s%s\n", lib, prefix, argv[optind],
            argc - optind > 1 ? " ..." : "");
    int status = run(argv + optind, lib, prefix);
    if (convert_dir(dir, &req, keep != NULL) < 0 || status == -1)
        return 1;
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        fprintf(stderr, "mtrace: %s exited with status %d (the trace is written)\n",
                argv[optind], WEXITSTATUS(status));
        return WEXITSTATUS(status);
    }
    if (WIFSIGNALED(status)) {
        fprintf(stderr, "mtrace: %s was killed by signal %d (the trace is written)\n",
                argv[optind], WTERMSIG(status));
        return 128 + WTERMSIG(status);
    }
    return 0;
}
