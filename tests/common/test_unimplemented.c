/*
 * test_unimplemented.c - the skeleton's "not implemented yet": one report,
 * "FILE:LINE: FUNC is not implemented yet" with the student's path; the
 * default prints it and aborts; an installed handler is called instead,
 * with the function, the student's path and the line.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/redirect.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "timeouts.h"
#include "unimplemented.h"

TestSuite(unimplemented, .timeout = TIMEOUT(5));

enum { SKELETON_LINE = __LINE__ + 3 };     /* the line of UNIMPLEMENTED() below */
static void skeleton_function(void)
{
    UNIMPLEMENTED();
}

Test(unimplemented, default_names_the_function_and_aborts, .signal = SIGABRT,
     .init = cr_redirect_stderr)
{
    skeleton_function();
}

Test(unimplemented, default_report_is_file_line_function)
{
    int fd[2];
    cr_assert(eq(int, pipe(fd), 0));
    fflush(NULL);
    pid_t pid = fork();
    cr_assert_geq(pid, 0, "fork failed");
    if (pid == 0) {
        if (dup2(fd[1], STDERR_FILENO) < 0)
            _exit(126);
        skeleton_function();
    }
    close(fd[1]);
    char got[256] = "";
    size_t len = 0;
    ssize_t n;
    while ((n = read(fd[0], got + len, sizeof got - 1 - len)) > 0)
        len += (size_t)n;
    got[len] = '\0';
    close(fd[0]);
    int status;
    cr_assert(eq(int, waitpid(pid, &status, 0), pid));
    char want[256];
    snprintf(want, sizeof want,
             "common/test_unimplemented.c:%d: skeleton_function is not implemented yet\n",
             (int)SKELETON_LINE);
    cr_expect(eq(str, got, want));
    bool aborted = WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
    cr_expect(aborted, "the child ended with status %#x, not SIGABRT", status);
}

static jmp_buf back;
static const char *seen_func, *seen_file;
static int seen_line;

static void catch(const char *func, const char *file, int line)
{
    seen_func = func;
    seen_file = file;
    seen_line = line;
    longjmp(back, 1);
}

Test(unimplemented, handler_gets_the_function_its_student_path_and_line)
{
    cr_assert(eq(ptr, (void *)unimplemented_set_handler(catch), NULL), "no handler at start");
    if (!setjmp(back))
        skeleton_function();
    cr_expect(eq(str, (char *)seen_func, "skeleton_function"));
    cr_expect(eq(str, (char *)seen_file, "common/test_unimplemented.c"));
    cr_expect(eq(int, seen_line, SKELETON_LINE));
    cr_expect(eq(ptr, (void *)unimplemented_set_handler(NULL), (void *)catch),
              "set_handler returns the old handler");
}

Test(unimplemented, student_path_is_the_last_two_components)
{
    cr_expect(eq(str, (char *)unimplemented_path("handout/vm/fault.c"), "vm/fault.c"));
    cr_expect(eq(str, (char *)unimplemented_path("/tmp/b/impl/sub-a-1/vm/fault.c"),
                 "vm/fault.c"));
    cr_expect(eq(str, (char *)unimplemented_path("solution/malloc/mminline.h"),
                 "malloc/mminline.h"));
    cr_expect(eq(str, (char *)unimplemented_path("vm/mmu.c"), "vm/mmu.c"));
    cr_expect(eq(str, (char *)unimplemented_path("mm.c"), "mm.c"));
}

Test(unimplemented, format_is_file_line_function)
{
    char buf[128];
    cr_expect(eq(str, (char *)unimplemented_format(buf, sizeof buf, "tlb_insert",
                                                   "vm/tlb.c", 23),
                 "vm/tlb.c:23: tlb_insert is not implemented yet"));
}
