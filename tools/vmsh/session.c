/*
 * session.c - the machine a session drives, and how a command that the
 * machine cannot finish is stopped without stopping vmsh.
 *
 * Student functions in a skeleton call UNIMPLEMENTED(), and a broken
 * invariant calls vm_panic(); both let a program install a handler that
 * must not return. vmsh's handlers siglongjmp back to session_guard, which
 * reports what happened and rebuilds the machine from its configuration,
 * because the interrupted call may have left it half-changed (machine.h).
 * At a terminal, Ctrl-C stops a command that does not stop by itself the
 * same way, from a signal handler (session_interrupt). Those handler APIs
 * carry no context, so where to jump is file-static: the innermost guard's
 * sigjmp_buf, saved with the signal mask so that a jump out of a signal
 * handler leaves the mask as the command found it.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "unimplemented.h"
#include "vmsh.h"

static sigjmp_buf *volatile recover;    /* the innermost session_guard, or NULL */
static char stopped[320];               /* why the command was stopped */
static volatile sig_atomic_t interrupting;  /* the jump comes from session_interrupt */

static void on_unimplemented(const char *func, const char *file, int line)
{
    if (!recover)
        return;     /* outside a command: the default report and abort */
    unimplemented_format(stopped, sizeof stopped, func, file, line);
    siglongjmp(*recover, 1);
}

static void on_panic(const char *msg)
{
    if (!recover)
        return;
    snprintf(stopped, sizeof stopped, "vm panic: %s", msg);
    siglongjmp(*recover, 1);
}

void session_interrupt(void)
{
    sigjmp_buf *to = recover;
    if (!to)
        return;
    interrupting = 1;
    siglongjmp(*to, 1);
}

/* Events are printed as they happen, under the command that caused them. */
static void print_event(void *ctx, const char *line)
{
    (void)ctx;
    puts(line);
}

static struct machine *boot(const struct vm_config *c)
{
    struct machine *m = machine_new(c);
    if (m) {
        m->log.sink = print_event;
        m->log.sink_ctx = NULL;
    }
    return m;
}

int session_init(struct vmsh *sh, const struct vm_config *c, uint64_t seed)
{
    memset(sh, 0, sizeof *sh);
    char why[160];
    if (vm_config_check(c, why, sizeof why)) {
        fprintf(stderr, "vmsh: bad configuration: %s\n", why);
        return -1;
    }
    sh->cfg = *c;
    sh->seed = seed;
    sh->rng = rng_seed(seed);
    sh->m = boot(c);
    if (!sh->m) {
        fprintf(stderr, "vmsh: cannot boot the machine: out of memory\n");
        return -1;
    }
    unimplemented_set_handler(on_unimplemented);
    vm_panic_set_handler(on_panic);
    return 0;
}

void session_free(struct vmsh *sh)
{
    machine_free(sh->m);
    sh->m = NULL;
    for (size_t i = 0; i < sizeof sh->temp / sizeof sh->temp[0]; i++) {
        free(sh->temp[i]);
        sh->temp[i] = NULL;
    }
    unimplemented_set_handler(NULL);
    vm_panic_set_handler(NULL);
}

int session_reboot(struct vmsh *sh, const struct vm_config *c)
{
    struct machine *m = boot(c);
    if (!m)
        return sh_error(sh, "cannot boot the machine: out of memory");
    machine_free(sh->m);
    sh->m = m;
    sh->cfg = *c;
    sh->rng = rng_seed(sh->seed);
    memset(&sh->base, 0, sizeof sh->base);
    sh->hand_made = false;
    return 0;
}

/* Frees the temporary allocations from slot mark up. */
static void free_temps(struct vmsh *sh, size_t mark)
{
    for (size_t i = mark; i < sizeof sh->temp / sizeof sh->temp[0]; i++) {
        free(sh->temp[i]);
        sh->temp[i] = NULL;
    }
}

static size_t temps_used(const struct vmsh *sh)
{
    size_t n = 0;
    while (n < sizeof sh->temp / sizeof sh->temp[0] && sh->temp[n])
        n++;
    return n;
}

void *session_temp(struct vmsh *sh, size_t n)
{
    size_t i = temps_used(sh);
    void *p = calloc(1, n ? n : 1);
    if (i == sizeof sh->temp / sizeof sh->temp[0] || !p) {
        fprintf(stderr, "vmsh: out of memory\n");
        exit(1);
    }
    sh->temp[i] = p;
    return p;
}

/* Calls fn with recover pointing here; a jump back means the command was
 * stopped: report it and rebuild the machine. (A forced Ctrl-C that lands
 * after fn has returned but before recover is restored stops a command
 * that had finished: its output is whole, the machine rebuilt all the
 * same.) */
static __attribute__((noinline)) int guarded(struct vmsh *sh,
                                             int (*fn)(struct vmsh *, void *),
                                             void *arg)
{
    sigjmp_buf here;
    sigjmp_buf *const outer = recover;
    recover = &here;
    if (sigsetjmp(here, 1)) {
        recover = outer;
        if (interrupting) {
            interrupting = 0;
            snprintf(stopped, sizeof stopped, "interrupted");
        }
        sh_error(sh, "%s; the machine is rebuilt from its configuration "
                 "(processes, files and statistics start over)", stopped);
        struct machine *m = boot(&sh->cfg);
        if (!m) {
            fprintf(stderr, "vmsh: cannot boot the machine: out of memory\n");
            exit(1);
        }
        machine_free(sh->m);
        sh->m = m;
        memset(&sh->base, 0, sizeof sh->base);
        return -1;
    }
    int r = fn(sh, arg);
    recover = outer;
    return r;
}

int session_guard(struct vmsh *sh, int (*fn)(struct vmsh *, void *), void *arg)
{
    size_t mark = temps_used(sh);
    int r = guarded(sh, fn, arg);
    free_temps(sh, mark);
    return r;
}

const char *session_params(const struct vmsh *sh, char *buf, size_t n)
{
    char text[256];
    snprintf(buf, n, "# vmsh %s", config_text(&sh->cfg, sh->seed, text, sizeof text));
    return buf;
}

int sh_error(struct vmsh *sh, const char *fmt, ...)
{
    fflush(stdout);
    if (sh->src && sh->src->name)
        fprintf(stderr, "%s:%lu: ", sh->src->name, sh->src->line);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    sh->errors++;
    if (sh->stop_on_error)
        sh->quit = true;
    return -1;
}

const char *sh_path(const struct vmsh *sh, const char *path, char *buf, size_t n)
{
    if (path[0] != '/' && sh->src && sh->src->dir)
        snprintf(buf, n, "%s/%s", sh->src->dir, path);
    else
        snprintf(buf, n, "%s", path);
    return buf;
}
