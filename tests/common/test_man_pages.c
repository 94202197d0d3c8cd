/*
 * test_man_pages.c - the manual pages of grade, mdriver, vmsh, tracegen,
 * mtrace and heapviz (mk/man.mk), held to the programs they describe. For
 * each program:
 *
 *   - every option its usage lists (PROG --help; mtrace -h) has its entry
 *     in the page: an option of the usage's option list is the tag of a
 *     paragraph of the page, an option of the synopsis alone is in the
 *     page's SYNOPSIS;
 *   - the page lists no option the usage lacks: no paragraph tag, no word
 *     of the SYNOPSIS and no bold word anywhere in the page is an option
 *     the usage does not name;
 *   - groff formats the page without a warning.
 *
 * The programs are the ones beside this test binary, in the bin folder of
 * a build; the pages are in the man/man1 folder of the same build.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <ctype.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "timeouts.h"

TestSuite(man_pages, .timeout = TIMEOUT(30));

/* --- Sets of options ------------------------------------------------------ */

#define OPTIONS_MAX 128

typedef struct options {
    char *name[OPTIONS_MAX];
    int n;
} options_t;

static bool options_has(const options_t *s, const char *opt)
{
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->name[i], opt))
            return true;
    return false;
}

static void options_add(options_t *s, const char *opt, size_t len)
{
    char *copy = strndup(opt, len);
    cr_assert(ne(ptr, copy, NULL));
    if (options_has(s, copy)) {
        free(copy);
        return;
    }
    cr_assert(lt(int, s->n, OPTIONS_MAX), "more than %d options", OPTIONS_MAX);
    s->name[s->n++] = copy;
}

static void options_free(options_t *s)
{
    for (int i = 0; i < s->n; i++)
        free(s->name[i]);
    s->n = 0;
}

/* options_in - add to s every option named in text: a word that starts
 * after a blank or one of ([{|,=" and is a dash and a letter (-j, -vv) or
 * two dashes and a letter (--jobs, --no-fork). A lone - or --, x86-64 and
 * mtrace-rep are no options. */
static void options_in(options_t *s, const char *text)
{
    for (const char *p = text; *p; p++) {
        if (*p != '-' || (p > text && !strchr(" \t\n([{|,=\"'", p[-1])))
            continue;
        const char *q = p + (p[1] == '-' ? 2 : 1);
        if (!isalpha((unsigned char)*q))
            continue;
        bool is_long = q - p == 2;
        while (isalnum((unsigned char)*q) || (is_long && *q == '-'))
            q++;
        while (is_long && q[-1] == '-')
            q--;
        options_add(s, p, (size_t)(q - p));
        p = q - 1;
    }
}

/* --- The programs and their usage ----------------------------------------- */

/* build_path - the path of name in the build folder (the folder of this
 * test binary's bin folder), malloc'd. */
static char *build_path(const char *name)
{
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    cr_assert(gt(sz, (size_t)(n + 1), 1), "cannot read /proc/self/exe");
    self[n] = '\0';
    char *path;
    cr_assert(ge(int, asprintf(&path, "%s/%s", dirname(dirname(self)), name), 0));
    return path;
}

/* run - argv (argv[0] a path, or a name on PATH), its standard output (and
 * standard error with both) into *out, malloc'd; its exit status, or -1
 * when it did not exit. */
static int run(char *const argv[], bool both, char **out)
{
    int fd[2];
    cr_assert(eq(int, pipe(fd), 0));
    pid_t pid = fork();
    cr_assert(ge(int, pid, 0), "fork failed");
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(fd[1], 1);
        dup2(both ? fd[1] : null, 2);
        close(fd[0]);
        setenv("LC_ALL", "C.UTF-8", 1);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(fd[1]);
    FILE *f = fdopen(fd[0], "r");
    cr_assert(ne(ptr, f, NULL));
    *out = NULL;
    size_t cap = 0;
    if (getdelim(out, &cap, '\0', f) < 0) {
        free(*out);
        *out = strdup("");
    }
    fclose(f);
    int status;
    cr_assert(eq(int, waitpid(pid, &status, 0), pid));
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The usage of program name, as its help option prints it. */
typedef struct usage {
    char *text;
    options_t listed;       /* the options of the option list */
    options_t synopsis;     /* the options of the synopsis */
    options_t named;        /* every option the text names, anywhere */
} usage_t;

static const char *help_option(const char *name)
{
    return strcmp(name, "mtrace") ? "--help" : "-h";
}

static usage_t usage_of(const char *name)
{
    usage_t u = { 0 };
    char bin[256];
    snprintf(bin, sizeof bin, "bin/%s", name);
    char *prog = build_path(bin);
    int status = run((char *const[]){ prog, (char *)help_option(name), NULL }, false, &u.text);
    cr_assert(eq(int, status, 0), "%s %s: exit status %d", prog, help_option(name), status);
    free(prog);
    options_in(&u.named, u.text);

    /* The synopsis: "usage: NAME ...", then lines of NAME under it. */
    char first[64], more[64];
    snprintf(first, sizeof first, "usage: %s", name);
    snprintf(more, sizeof more, "       %s ", name);
    cr_assert(eq(int, strncmp(u.text, first, strlen(first)), 0),
              "%s's usage does not start with '%s':\n%s", name, first, u.text);
    bool in_synopsis = true;
    for (char *line = u.text; *line;) {
        char *end = strchrnul(line, '\n');
        char *copy = strndup(line, (size_t)(end - line));
        cr_assert(ne(ptr, copy, NULL));
        if (line == u.text || (in_synopsis && !strncmp(line, more, strlen(more)))) {
            options_in(&u.synopsis, copy);
        } else {
            in_synopsis = false;
            /* An option line: 1 to 10 blanks, a dash; its options end where
             * its description starts, after two blanks or more. */
            size_t blanks = strspn(copy, " ");
            if (blanks >= 1 && blanks <= 10 && copy[blanks] == '-') {
                char *gap = strstr(copy + blanks, "  ");
                if (gap)
                    *gap = '\0';
                options_in(&u.listed, copy);
            }
        }
        free(copy);
        line = *end ? end + 1 : end;
    }
    return u;
}

static void usage_free(usage_t *u)
{
    free(u->text);
    options_free(&u->listed);
    options_free(&u->synopsis);
    options_free(&u->named);
}

/* --- The pages ------------------------------------------------------------ */

/* What a page lists: the options of its paragraph tags (.TP), of its
 * SYNOPSIS, and of its bold words. */
typedef struct page {
    char *path;
    options_t tags, synopsis, bold;
} page_t;

/* text_of - the roff text s as it reads (\- a dash, other escapes
 * dropped), appended to all; its bold characters to bold, every other
 * character a blank there. font: 'B' bold or 'R' roman at the start. */
static void text_of(const char *s, char font, char *all, char *bold, size_t cap)
{
    size_t na = strlen(all), nb = strlen(bold);
    for (const char *p = s; *p && na + 2 < cap && nb + 2 < cap;) {
        char c = 0;
        if (*p == '\\' && p[1]) {
            switch (p[1]) {
            case 'f':   /* \fB \fI \fR \fP \f(CW \f[B] */
                if (p[2] == '(') {
                    font = p[3] == 'B' ? 'B' : 'R';
                    p += p[3] && p[4] ? 5 : strlen(p);
                } else if (p[2] == '[') {
                    font = p[3] == 'B' ? 'B' : 'R';
                    const char *close = strchr(p, ']');
                    p = close ? close + 1 : p + strlen(p);
                } else {
                    font = p[2] == 'B' ? 'B' : 'R';
                    p += p[2] ? 3 : 2;
                }
                continue;
            case '-':
            case 'e':
                c = p[1] == '-' ? '-' : '\\';
                p += 2;
                break;
            case '(':   /* \(aq, \(em...: a character of its own */
                c = ' ';
                p += p[2] && p[3] ? 4 : strlen(p);
                break;
            case ' ':
                c = ' ';
                p += 2;
                break;
            default:    /* \& \, \/ \| \^ \%: nothing to read */
                p += 2;
                continue;
            }
        } else {
            c = *p++;
        }
        all[na++] = c;
        bold[nb++] = font == 'B' ? c : ' ';
    }
    all[na] = bold[nb] = '\0';
}

/* macro_text - the text of a macro line (.B, .BR, .IR...: each argument
 * in its font), into all and bold; other macros give none. */
static void macro_text(const char *line, char *all, char *bold, size_t cap)
{
    char name[8] = "";
    size_t len = strcspn(line + 1, " \t");
    if (len >= sizeof name)
        return;
    memcpy(name, line + 1, len);
    const char *fonts;  /* the font of the 1st, 2nd... argument, in turn */
    if (!strcmp(name, "B") || !strcmp(name, "SB"))
        fonts = "B";
    else if (!strcmp(name, "BR") || !strcmp(name, "BI"))
        fonts = "BR";
    else if (!strcmp(name, "RB") || !strcmp(name, "IB"))
        fonts = "RB";
    else if (!strcmp(name, "I") || !strcmp(name, "IR") || !strcmp(name, "RI") ||
             !strcmp(name, "SM"))
        fonts = "R";
    else
        return;
    const char *p = line + 1 + len;
    for (int k = 0;; k++) {
        p += strspn(p, " \t");
        if (!*p)
            break;
        char arg[1024];
        size_t n = 0;
        if (*p == '"') {
            for (p++; *p && *p != '"' && n + 1 < sizeof arg; p++)
                arg[n++] = *p;
            if (*p == '"')
                p++;
        } else {
            while (*p && *p != ' ' && *p != '\t' && n + 1 < sizeof arg)
                arg[n++] = *p++;
        }
        arg[n] = '\0';
        text_of(arg, fonts[k % strlen(fonts)], all, bold, cap);
        /* Arguments are written together: a blank between them in bold
         * alone, so that each bold argument is a word of its own. */
        size_t nb = strlen(bold);
        if (nb + 2 < cap) {
            bold[nb] = ' ';
            bold[nb + 1] = '\0';
        }
    }
}

static page_t page_of(const char *name)
{
    page_t pg = { 0 };
    char rel[256];
    snprintf(rel, sizeof rel, "man/man1/%s.1", name);
    pg.path = build_path(rel);
    FILE *f = fopen(pg.path, "r");
    cr_assert(ne(ptr, f, NULL), "no page %s (make man makes it)", pg.path);
    char *line = NULL;
    size_t cap = 0;
    bool tag_next = false, in_synopsis = false;
    enum { TEXT = 8192 };
    char *all = malloc(TEXT), *bold = malloc(TEXT);
    cr_assert(all && bold);
    while (getline(&line, &cap, f) >= 0) {
        line[strcspn(line, "\n")] = '\0';
        if (!strncmp(line, ".\\\"", 3) || !strncmp(line, "'\\\"", 3))
            continue;   /* a comment */
        all[0] = bold[0] = '\0';
        if (line[0] == '.' || line[0] == '\'') {
            if (!strncmp(line, ".SH", 3)) {
                in_synopsis = strstr(line, "SYNOPSIS") != NULL;
                tag_next = false;
                continue;
            }
            if (!strcmp(line, ".TP")) {
                tag_next = true;
                continue;
            }
            macro_text(line, all, bold, TEXT);
            if (!all[0])
                continue;   /* a macro without text (.PP, .RS...) */
        } else {
            text_of(line, 'R', all, bold, TEXT);
        }
        if (tag_next)
            options_in(&pg.tags, all);
        if (in_synopsis)
            options_in(&pg.synopsis, all);
        options_in(&pg.bold, bold);
        tag_next = false;
    }
    free(line);
    free(all);
    free(bold);
    fclose(f);
    return pg;
}

static void page_free(page_t *pg)
{
    free(pg->path);
    options_free(&pg->tags);
    options_free(&pg->synopsis);
    options_free(&pg->bold);
}

/* --- The checks ----------------------------------------------------------- */

static void every_option_is_in_the_page(const char *name)
{
    usage_t u = usage_of(name);
    page_t pg = page_of(name);
    cr_assert(gt(int, u.listed.n, 0), "%s's usage lists no option:\n%s", name, u.text);
    for (int i = 0; i < u.listed.n; i++)
        cr_expect(options_has(&pg.tags, u.listed.name[i]),
                  "%s %s lists %s, and %s has no paragraph for it", name, help_option(name),
                  u.listed.name[i], pg.path);
    for (int i = 0; i < u.synopsis.n; i++)
        cr_expect(options_has(&pg.synopsis, u.synopsis.name[i]) ||
                      options_has(&pg.tags, u.synopsis.name[i]),
                  "%s's synopsis has %s, and %s has it neither in its SYNOPSIS nor in a "
                  "paragraph", name, u.synopsis.name[i], pg.path);
    usage_free(&u);
    page_free(&pg);
}

static void page_lists_no_option_the_program_lacks(const char *name)
{
    usage_t u = usage_of(name);
    page_t pg = page_of(name);
    cr_assert(gt(int, pg.tags.n, 0), "%s lists no option", pg.path);
    const struct {
        const options_t *set;
        const char *where;
    } parts[] = { { &pg.tags, "a paragraph's tag" }, { &pg.synopsis, "its SYNOPSIS" },
                  { &pg.bold, "bold" } };
    for (size_t k = 0; k < sizeof parts / sizeof *parts; k++)
        for (int i = 0; i < parts[k].set->n; i++)
            cr_expect(options_has(&u.named, parts[k].set->name[i]),
                      "%s has %s (%s), which %s %s does not name", pg.path,
                      parts[k].set->name[i], parts[k].where, name, help_option(name));
    usage_free(&u);
    page_free(&pg);
}

static void page_renders_without_warnings(const char *name)
{
    page_t pg = page_of(name);
    char *out;
    int status = run((char *const[]){ "groff", "-man", "-ww", "-z", "-Tutf8", pg.path, NULL },
                     true, &out);
    cr_expect(eq(int, status, 0), "groff %s: exit status %d", pg.path, status);
    cr_expect(eq(str, out, ""), "groff -man -ww %s:\n%s", pg.path, out);
    free(out);
    page_free(&pg);
}

#define PAGE_TESTS(prog)                                                \
    Test(man_pages, every_option_of_##prog##_is_in_its_page)            \
    {                                                                   \
        every_option_is_in_the_page(#prog);                             \
    }                                                                   \
    Test(man_pages, the_page_of_##prog##_lists_no_option_##prog##_lacks) \
    {                                                                   \
        page_lists_no_option_the_program_lacks(#prog);                  \
    }                                                                   \
    Test(man_pages, the_page_of_##prog##_renders_without_warnings)      \
    {                                                                   \
        page_renders_without_warnings(#prog);                           \
    }

PAGE_TESTS(grade)
PAGE_TESTS(mdriver)
PAGE_TESTS(vmsh)
PAGE_TESTS(tracegen)
PAGE_TESTS(mtrace)
PAGE_TESTS(heapviz)
