/*
 * test_lecture_map.c - docs/lecture-map.md, the lecture concept by concept
 * with where the kit teaches it and a command that shows it, holds:
 *
 *   - its tables have a Command column; each row is numbered in order, and
 *     its command is one code span (`\|` in it is a |), or the row has none
 *     and says the concept is "not in the kit";
 *   - every command runs, as the map says, from the kit's root with
 *     /bin/sh and BIN set to the bin folder of a build: here the folder of
 *     this test binary, so the commands run this build's programs. A
 *     command fails when it exits non-zero, takes too long, or (a test
 *     program's --filter) runs no test at all. One test per command
 *     (lecture_map::command_runs); its message names the row.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "doc_run.h"
#include "timeouts.h"

#ifndef KIT_ROOT
#define KIT_ROOT "."
#endif

#define MAP "docs/lecture-map.md"

/* A command takes a few seconds at most; this is the most it may take. */
#define COMMAND_SECONDS TIMEOUT(30)

TestSuite(lecture_map, .timeout = TIMEOUT(60));

/* --- The map's rows ------------------------------------------------------ */

struct row {
    int line;               /* in the file */
    char number[16];        /* the # column */
    char concept[160];      /* the concept column, without ** markup */
    char command[1536];     /* the command, `\|` read as |; "" for none */
    bool says_not_in_kit;   /* the row says "not in the kit" */
    char problem[320];      /* what is wrong with the row, "" if nothing */
};

/* cells - the cells of the table line s (length len): the text between
 * each two | that are not escaped (\|), trimmed, into cell[0..]. Returns
 * their number. */
#define CELLS_MAX 8
#define CELL_CAP 2048
static int cells(const char *s, size_t len, char cell[][CELL_CAP])
{
    int n = 0;
    size_t start = 0;
    bool open = false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '|' || (i > 0 && s[i - 1] == '\\'))
            continue;
        if (open && n < CELLS_MAX) {
            size_t a = start, b = i;
            while (a < b && (s[a] == ' ' || s[a] == '\t'))
                a++;
            while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
                b--;
            size_t k = b - a < CELL_CAP - 1 ? b - a : CELL_CAP - 1;
            memcpy(cell[n], s + a, k);
            cell[n][k] = '\0';
            n++;
        }
        open = true;
        start = i + 1;
    }
    return n;
}

static bool is_separator(char cell[][CELL_CAP], int n)
{
    for (int i = 0; i < n; i++)
        if (!cell[i][0] || strspn(cell[i], "-:") != strlen(cell[i]))
            return false;
    return n > 0;
}

/* read_row - the row of table cells cell[0..k) into r. */
static void read_row(struct row *r, char cell[][CELL_CAP], int k, int ncols, int col_number,
                     int col_concept, int col_command)
{
    if (k != ncols) {
        snprintf(r->problem, sizeof r->problem, "%d cells where the header has %d", k, ncols);
        return;
    }
    if (col_number >= 0)
        snprintf(r->number, sizeof r->number, "%s", cell[col_number]);
    /* The concept without its ** markup. */
    size_t j = 0;
    for (const char *c = cell[col_concept]; *c && j + 1 < sizeof r->concept; c++)
        if (*c != '*')
            r->concept[j++] = *c;
    r->concept[j] = '\0';
    for (int i = 0; i < k; i++)
        if (i != col_command && strstr(cell[i], "not in the kit"))
            r->says_not_in_kit = true;
    const char *c = cell[col_command];
    size_t clen = strlen(c);
    if (clen == 0)
        return;     /* no command */
    if (clen < 3 || c[0] != '`' || c[clen - 1] != '`' || memchr(c + 1, '`', clen - 2)) {
        snprintf(r->problem, sizeof r->problem, "its Command cell is not one code span: %.120s",
                 c);
        return;
    }
    /* Inside the backticks, \| is the table's way of writing |. */
    size_t o = 0;
    for (size_t i = 1; i + 1 < clen; i++) {
        if (o + 1 >= sizeof r->command) {
            snprintf(r->problem, sizeof r->problem, "its command is too long");
            r->command[0] = '\0';
            return;
        }
        if (c[i] == '\\' && c[i + 1] == '|')
            i++;
        r->command[o++] = c[i];
    }
    r->command[o] = '\0';
}

/* parse - the rows of every table of the map that has a Command column,
 * into *out (malloc'd); their number, or -1 with err set. */
static int parse(const char *text, struct row **out, char *err, size_t errcap)
{
    static char cell[CELLS_MAX][CELL_CAP];
    struct row *rows = NULL;
    int n = 0, cap = 0, line = 0;
    int col_number = -1, col_concept = -1, col_command = -1, ncols = 0;
    enum { OUTSIDE, HEADER, ROWS, OTHER_TABLE } state = OUTSIDE;
    *out = NULL;
    for (const char *p = text; *p;) {
        const char *end = strchrnul(p, '\n');
        size_t len = (size_t)(end - p);
        line++;
        if (len == 0 || p[0] != '|') {
            state = OUTSIDE;
        } else if (state == OUTSIDE) {
            /* A table's header: its rows are read if it has a Command column. */
            int k = cells(p, len, cell);
            col_number = col_concept = col_command = -1;
            for (int i = 0; i < k; i++) {
                if (!strcmp(cell[i], "Command"))
                    col_command = i;
                else if (!strcmp(cell[i], "#"))
                    col_number = i;
                else if (col_concept < 0)
                    col_concept = i;
            }
            ncols = k;
            state = col_command >= 0 && col_concept >= 0 ? HEADER : OTHER_TABLE;
        } else if (state == HEADER) {
            if (!is_separator(cell, cells(p, len, cell))) {
                snprintf(err, errcap, MAP ":%d: the line under a table's header is not |---|",
                         line);
                free(rows);
                return -1;
            }
            state = ROWS;
        } else if (state == ROWS) {
            if (n == cap) {
                cap = cap ? 2 * cap : 64;
                struct row *more = realloc(rows, (size_t)cap * sizeof *rows);
                if (!more) {
                    snprintf(err, errcap, "out of memory");
                    free(rows);
                    return -1;
                }
                rows = more;
            }
            struct row *r = &rows[n++];
            memset(r, 0, sizeof *r);
            r->line = line;
            read_row(r, cell, cells(p, len, cell), ncols, col_number, col_concept,
                     col_command);
        }
        p = *end ? end + 1 : end;
    }
    if (n == 0) {
        snprintf(err, errcap, MAP " has no table with a Command column, or no row in one");
        free(rows);
        return -1;
    }
    *out = rows;
    return n;
}

/* --- Running a command --------------------------------------------------- */

/* bin_dir - the folder of this test binary: the bin folder of its build. */
static void bin_dir(char *dir, size_t cap)
{
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    cr_assert(n > 0, "cannot read /proc/self/exe");
    self[n] = '\0';
    snprintf(dir, cap, "%s", dirname(self));
}

/* --- The tests ----------------------------------------------------------- */

/* map_rows - the map's rows into *rows (free it); their number. Fails the
 * test when the map cannot be read or has no row. */
static int map_rows(struct row **rows)
{
    char *text = doc_read_file(KIT_ROOT "/" MAP);
    cr_assert(text != NULL, "cannot read %s/%s", KIT_ROOT, MAP);
    char err[300];
    int n = parse(text, rows, err, sizeof err);
    free(text);
    cr_assert(n > 0, "%s", err);
    return n;
}

Test(lecture_map, rows_are_numbered_in_order_and_well_formed)
{
    struct row *rows;
    int n = map_rows(&rows);
    for (int i = 0; i < n; i++) {
        char want[16];
        snprintf(want, sizeof want, "%d", i + 1);
        cr_expect(!strcmp(rows[i].number, want), "%s:%d: row numbered '%s', expected %s", MAP,
                  rows[i].line, rows[i].number, want);
        cr_expect(!rows[i].problem[0], "%s:%d (row %s): %s", MAP, rows[i].line, rows[i].number,
                  rows[i].problem);
    }
    free(rows);
}

Test(lecture_map, a_row_without_a_command_says_the_concept_is_not_in_the_kit)
{
    struct row *rows;
    int n = map_rows(&rows);
    int commands = 0;
    for (int i = 0; i < n; i++) {
        if (rows[i].command[0])
            commands++;
        else if (!rows[i].problem[0])
            cr_expect(rows[i].says_not_in_kit,
                      "%s:%d (row %s, %s) has no command and does not say \"not in the kit\"",
                      MAP, rows[i].line, rows[i].number, rows[i].concept);
    }
    cr_expect(commands > 0, "%s has no command", MAP);
    free(rows);
}

Test(lecture_map, commands_run_the_programs_of_bin)
{
    struct row *rows;
    int n = map_rows(&rows);
    for (int i = 0; i < n; i++)
        cr_expect(!strstr(rows[i].command, "build/"),
                  "%s:%d (row %s): `%s` names a build folder; write $BIN/PROGRAM, so that "
                  "the command runs the programs of the build being checked",
                  MAP, rows[i].line, rows[i].number, rows[i].command);
    free(rows);
}

/* One parameter per command. When the map cannot be read, one parameter
 * that says why (the tests above say it too). */
static void free_params(struct criterion_test_params *crp)
{
    cr_free(crp->params);
}

ParameterizedTestParameters(lecture_map, command_runs)
{
    char err[300] = "";
    struct row *rows = NULL;
    int n = -1;
    char *text = doc_read_file(KIT_ROOT "/" MAP);
    if (text)
        n = parse(text, &rows, err, sizeof err);
    else
        snprintf(err, sizeof err, "cannot read %s/%s", KIT_ROOT, MAP);
    size_t count = 0;
    for (int i = 0; i < n; i++)
        if (rows[i].command[0])
            count++;
    struct row *params = cr_malloc((count ? count : 1) * sizeof *params);
    if (count == 0) {
        memset(params, 0, sizeof *params);
        snprintf(params->problem, sizeof params->problem, "%s",
                 err[0] ? err : MAP " has no command");
        count = 1;
    } else {
        size_t k = 0;
        for (int i = 0; i < n; i++)
            if (rows[i].command[0])
                params[k++] = rows[i];
    }
    free(rows);
    free(text);
    return cr_make_param_array(struct row, params, count, free_params);
}

ParameterizedTest(struct row *row, lecture_map, command_runs)
{
    cr_assert(row->command[0], "%s", row->problem);
    char bin[4096];
    bin_dir(bin, sizeof bin);
    char *out;
    bool timed_out;
    char *bin_var, *home;
    cr_assert(asprintf(&bin_var, "BIN=%s", bin) > 0);
    cr_assert(asprintf(&home, "HOME=%s", getenv("HOME") ? getenv("HOME") : "/") > 0);
    const char *const env[] = { bin_var, "PATH=/usr/local/bin:/usr/bin:/bin", home, NULL };
    int status = doc_run(row->command, env, COMMAND_SECONDS, &out, &timed_out);
    free(bin_var);
    free(home);
    const char *shown = doc_tail(out);
    const char *cut = shown == out ? "" : "...\n";
    char how[64];
    if (WIFEXITED(status))
        snprintf(how, sizeof how, "exited with status %d", WEXITSTATUS(status));
    else
        snprintf(how, sizeof how, "was killed by signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    if (timed_out)
        cr_assert_fail("%s:%d, row %s (%s):\n  %s\ntook more than %d s; its output:\n%s%s", MAP,
                row->line, row->number, row->concept, row->command, COMMAND_SECONDS, cut, shown);
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        cr_assert_fail("%s:%d, row %s (%s):\n  %s\n%s (BIN=%s, in %s); its output:\n%s%s", MAP,
                row->line, row->number, row->concept, row->command, how, bin, KIT_ROOT, cut,
                shown);
    else if (strstr(out, "Synthesis: Tested: 0 "))
        cr_assert_fail("%s:%d, row %s (%s):\n  %s\nran no test: its --filter matches none; its "
                "output:\n%s%s", MAP, row->line, row->number, row->concept, row->command, cut,
                shown);
    free(out);
}
