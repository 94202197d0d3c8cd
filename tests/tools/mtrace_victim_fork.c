/*
 * mtrace_victim_fork.c - the parent keeps 10 blocks of 111 bytes and forks.
 * The child allocates and frees 50 blocks of 222 bytes, frees the parent's
 * 10 blocks (which its own log never saw handed out) and exits. The parent
 * waits, frees its blocks, and prints "PARENT-PID CHILD-PID" on stdout.
 * Argument "_exit": the child ends with _exit instead of exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PARENT_BLOCKS 10
#define CHILD_BLOCKS 50

void *volatile sink[CHILD_BLOCKS];

int main(int argc, char **argv)
{
    void *mine[PARENT_BLOCKS];
    for (int i = 0; i < PARENT_BLOCKS; i++)
        mine[i] = malloc(111);
    pid_t child = fork();
    if (child < 0)
        return 1;
    if (child == 0) {
        for (int i = 0; i < CHILD_BLOCKS; i++)
            sink[i] = malloc(222);
        for (int i = 0; i < CHILD_BLOCKS; i++)
            free(sink[i]);
        for (int i = 0; i < PARENT_BLOCKS; i++)
            free(mine[i]);
        if (argc > 1 && strcmp(argv[1], "_exit") == 0)
            _exit(0);
        exit(0);
    }
    int status;
    if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return 1;
    for (int i = 0; i < PARENT_BLOCKS; i++)
        free(mine[i]);
    char line[64];
    int n = snprintf(line, sizeof line, "%ld %ld\n", (long)getpid(), (long)child);
    return write(STDOUT_FILENO, line, (size_t)n) == n ? 0 : 1;
}
