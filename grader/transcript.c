/*
 * transcript.c - the first difference of two transcripts (see transcript.h).
 */
#include <stdio.h>
#include <string.h>

#include "transcript.h"

int transcript_diff(const char *a, const char *b, char *la, char *lb, size_t n)
{
    int line = 1;
    for (;;) {
        size_t ea = strcspn(a, "\n"), eb = strcspn(b, "\n");
        if (ea != eb || strncmp(a, b, ea) != 0 || (!a[ea]) != (!b[eb])) {
            snprintf(la, n, "%.*s%s", (int)ea, a, a[ea] || ea ? "" : "(end of output)");
            snprintf(lb, n, "%.*s%s", (int)eb, b, b[eb] || eb ? "" : "(end of output)");
            return line;
        }
        if (!a[ea])
            return 0;
        a += ea + 1;
        b += eb + 1;
        line++;
    }
}
