/*
 * test_panic.c - a broken invariant is a panic that names it, never a
 * silent corruption: the framework's functions check what they are given.
 */
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmtest.h"

TestSuite(panic, .init = vt_setup, .fini = vt_teardown, .timeout = VT_TIMEOUT);

static jmp_buf jump;
static char message[256];

static void caught(const char *msg)
{
    snprintf(message, sizeof message, "%s", msg);
    longjmp(jump, 1);
}

#define EXPECT_PANIC(stmt, word)                                             \
    do {                                                                     \
        vm_panic_set_handler(caught);                                        \
        message[0] = '\0';                                                   \
        if (setjmp(jump) == 0) {                                             \
            stmt;                                                            \
            cr_assert_fail("no panic from %s", #stmt);                       \
        }                                                                    \
        cr_assert(strstr(message, word) != NULL, "panic '%s' lacks '%s'",    \
                  message, word);                                            \
    } while (0)

struct fix {
    struct machine *m;
    struct proc *p;
    vaddr_t va;
    frame_t f;      /* the anonymous page at va */
};

static struct fix setup(void)
{
    struct vm_config c = vt_config();
    struct fix x;
    x.m = vt_boot(&c);
    x.p = vt_run(x.m);
    x.va = vt_anon(x.m, x.p, 0, 4);
    vt_write8(x.m, x.va, 1);
    x.f = vt_frame(x.m, x.p, x.va);
    return x;
}

Test(panic, frame_functions_refuse_frames_in_the_wrong_state)
{
    struct fix x = setup();
    EXPECT_PANIC(frame_free(x.m, x.f), "still mapped");
    EXPECT_PANIC(frame_evict(x.m, x.f), "unmapped, clean");
    EXPECT_PANIC(frame_reclaim(x.m, x.f), "holds no page");
    EXPECT_PANIC(rmap_add(x.m, 0, x.p, x.va), "table frame");
    EXPECT_PANIC(rmap_add(x.m, x.m->free.head, x.p, x.va), "a free frame");
    EXPECT_PANIC(rmap_remove(x.m, x.f, x.p, x.va + PAGE_SIZE), "not mapped by pid 1");
}

Test(panic, freeing_dirty_pages_is_refused)
{
    struct fix x = setup();
    int id = vt_file(x.m, "f", PAGE_SIZE, 0);
    vaddr_t a = vt_mmap(x.m, x.p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, id, 0);
    vt_write8(x.m, a, 1);
    frame_t f = vt_frame(x.m, x.p, a);
    *pt_lookup(x.m, x.p, a) = 0;
    rmap_remove(x.m, f, x.p, a);
    x.m->frame[f].dirty = true;
    EXPECT_PANIC(frame_free(x.m, f), "dirty file page");
}

Test(panic, swap_functions_refuse_bad_slots)
{
    struct fix x = setup();
    EXPECT_PANIC(swap_dup(x.m, 5), "not in use");
    EXPECT_PANIC(swap_put(x.m, 1000), "out of range");
    EXPECT_PANIC(swap_assign(x.m, 0), "not an anonymous page");
    EXPECT_PANIC(swap_forget(x.m, x.f), "out of range");
}

Test(panic, disk_transfers_refuse_frames_without_their_identity)
{
    struct fix x = setup();
    EXPECT_PANIC(disk_write_file(x.m, x.f), "holds no file page");
    EXPECT_PANIC(disk_write_swap(x.m, x.f), "with a slot");
    EXPECT_PANIC(disk_read_swap(x.m, 0, x.f), "not in use");
    EXPECT_PANIC(disk_read_file(x.m, 3, 0, x.f), "has no page");
    EXPECT_PANIC(disk_file_ref(x.m, 3), "no file");
    EXPECT_PANIC(disk_file_unref(x.m, 3), "not mapped");
    int id = vt_file(x.m, "f", PAGE_SIZE, 0);
    frame_t g = frame_alloc(x.m, FRAME_FILE);
    disk_read_file(x.m, id, 0, g);
    EXPECT_PANIC(pagecache_insert(x.m, g, id, 0), "already in frame");
    EXPECT_PANIC(pagecache_insert(x.m, g, id, 7), "has no page");
}

Test(panic, freeing_tables_with_pages_still_mapped_is_refused)
{
    struct fix x = setup();
    EXPECT_PANIC(pt_free_user(x.m, x.p), "still maps");
}

/* The default handler's message is what the test expects: it is read
 * from a child's stderr, so that make check shows nothing that looks like
 * a failure. */
Test(panic, default_panic_aborts_with_the_message)
{
    int fd[2];
    cr_assert_eq(pipe(fd), 0, "pipe failed");
    fflush(NULL);
    pid_t pid = fork();
    cr_assert_geq(pid, 0, "fork failed");
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], STDERR_FILENO);
        vm_panic_set_handler(NULL);
        vm_panic("%s", "deliberate: the test of the default handler expects this abort");
    }
    close(fd[1]);
    char out[512];
    size_t n = 0;
    ssize_t got;
    while (n < sizeof out - 1 && (got = read(fd[0], out + n, sizeof out - 1 - n)) > 0)
        n += (size_t)got;
    out[n] = '\0';
    close(fd[0]);
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid, "waitpid failed");
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
              "the default panic did not abort (wait status %#x)", status);
    cr_assert_str_eq(out, "vm panic: deliberate: the test of the default handler expects "
                     "this abort\n", "the default panic printed '%s', not its message", out);
}

Test(panic, a_provoked_panic_prints_nothing_to_the_run)
{
    char self[4096], cmd[4400], out[8192];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    cr_assert_gt(len, 0, "cannot read /proc/self/exe");
    self[len] = '\0';
    /* Not this runner's environment: Criterion's worker processes are
     * told apart by variables a nested runner would inherit. */
    snprintf(cmd, sizeof cmd, "env -i PATH=/usr/bin:/bin '%s' --short-filename "
             "--filter 'panic/default_panic_aborts_with_the_message' 2>&1", self);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p, "popen failed");
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    pclose(p);
    cr_assert_not_null(strstr(out, "Passing: 1 "), "the test of the default panic did not "
                       "pass:\n%s", out);
    cr_assert_null(strstr(out, "vm panic"), "the run shows the panic its test expects, "
                   "as if something had failed:\n%s", out);
}
