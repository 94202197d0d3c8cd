/*
 * test_readme.c - the vmsh session shown in README.md ("A vmsh session")
 * is replayed: its commands (the lines "vmsh> CMD" of its fenced block)
 * are run by vmsh from the kit's root, and the output must be the block,
 * exactly. The README cannot drift from the program.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

#include "vmshtest.h"

TestSuite(readme, .timeout = VMSH_TEST_TIMEOUT);

#define SECTION "\n## A vmsh session\n"

Test(readme, the_readme_session_replays_exactly)
{
    char *readme = vt_read_file(KIT_ROOT "/README.md");
    cr_assert_not_null(readme, "no README.md");
    char *section = strstr(readme, SECTION);
    cr_assert_not_null(section, "README.md has no section \"A vmsh session\"");
    char *open = strstr(section, "\n```");
    cr_assert_not_null(open, "the section has no fenced block");
    char *block = strchr(open + 1, '\n');
    cr_assert_not_null(block);
    block++;
    char *close = strstr(block, "\n```");
    cr_assert_not_null(close, "the fenced block is not closed");
    close[1] = '\0';

    char *input = calloc(1, strlen(block) + 1);
    int commands = 0;
    for (char *line = block; *line;) {
        char *nl = strchr(line, '\n');
        if (!strncmp(line, "vmsh> ", 6)) {
            strncat(input, line + 6, (size_t)(nl - line - 6) + 1);
            commands++;
        }
        line = nl + 1;
    }
    cr_assert(gt(int, commands, 0), "the block has no \"vmsh> \" command");
    struct vmsh_run r = vmsh_batch(NULL, input, NULL, true);
    cr_expect(eq(str, r.out, block), "README.md's session and vmsh's output differ");
    cr_expect(eq(int, r.status, 0));
    vmsh_run_free(&r);
    free(input);
    free(readme);
}
