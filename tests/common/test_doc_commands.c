/*
 * test_doc_commands.c - every command README.md and the docs of docs/ show
 * runs as they show it (docs/lecture-map.md's: test_lecture_map.c). The
 * convention, which
 * docs/architecture.md ("Commands in the docs") gives to writers:
 *
 *   - in a code block (indented by 4 spaces or more, or fenced), a line
 *     "$ COMMAND" is a command; the lines under it, up to a blank line or
 *     the next "$ ", are what it prints. A command ending in \ goes on on
 *     the next line. A line of a code block that is not marked so, yet
 *     reads like a command of the kit (make, build/..., mdriver -f...,
 *     vmsh, grade, test_vm, gdb, cd ...: looks_like_command), fails
 *     doc_commands::every_command_is_marked, so no command slips past;
 *     under a command, such a line is taken for output, which fails the
 *     command's test (it does not print it), or under make, whose output
 *     is not compared, fails every_command_is_marked too;
 *   - in a table whose first header cell is "command", each code span of
 *     that column is a command (README.md's "More targets");
 *   - a command's comment saying "exit status N" (or naming a signal,
 *     SIGABRT) gives the status it must end with (the signal that must
 *     kill it), as one that fails on purpose (a skeleton's run) does; any
 *     other must exit 0;
 *   - an output line shown under a command must be a line of what it
 *     prints ("..." alone stands for lines left out; a line ending in
 *     "..." for any line that starts with what comes before);
 *   - DIR and NAME are placeholders, given a value by the table
 *     `placeholders` below; an upper-case word of a command that is not in
 *     the table fails its test.
 *
 * How each is checked, one test per command (doc_commands::command_runs),
 * its message naming the doc's file and line:
 *
 *   - commands run with /bin/sh from the kit's root, in an environment of
 *     their own: BIN and the head of PATH are the bin folder of this test
 *     binary, so a kit program named alone (mdriver, test_vm...) is this
 *     build's; a path build/VARIANT/solution/bin is rewritten to that
 *     folder, and build/VARIANT/handout/bin to the handout build's beside
 *     it (release/handout/bin for a release build), the skeleton's
 *     programs (the test is skipped when that build is not there). The
 *     variant a doc names does not matter: the programs and their flags
 *     are the same in each;
 *   - make runs as `make -n BUILD=SCRATCH/build ...`, a dry run: the target
 *     and the variables must exist and the recipes expand, but nothing is
 *     built (make memcheck takes half an hour); its exit status marker and
 *     its output are not checked;
 *   - `gdb --args PROGRAM ARGS` runs PROGRAM ARGS without gdb: the program
 *     and its flags are checked, not the debugging session, which needs a
 *     person;
 *   - every command has a scratch folder of its own (HOME, and
 *     DOC_SCRATCH), removed afterwards, holding example files: a
 *     submission alice/ (a vm/tlb.c that does not compile: grading it
 *     stops at the build, in a second or two), alice.tar.gz, a class submissions/ (alice/ and
 *     bob.tar.gz), a policy course.ini and hidden material hidden/. grade's
 *     commands run there, since what they read and write are a TA's files;
 *     the others from the kit's root, where none of them writes;
 *   - a command fails when it ends otherwise than it should, takes more
 *     than COMMAND_SECONDS, or (a test program's --filter) runs no test.
 *
 * Not checked: what a program does at a terminal (vmsh's prompt, gdb's
 * session: vmsh's own tests drive its terminal), what the make targets do
 * when they run (their own tests and CI do), the machine-dependent figures
 * of output blocks that follow no command (mdriver's seconds and ratios),
 * and commands written inline in a paragraph.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <ctype.h>
#include <errno.h>
#include <ftw.h>
#include <glob.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "doc_run.h"
#include "timeouts.h"

#ifndef KIT_ROOT
#define KIT_ROOT "."
#endif

/* A command takes a few seconds at most; this is the most it may take. */
#define COMMAND_SECONDS TIMEOUT(30)

TestSuite(doc_commands, .timeout = TIMEOUT(60));

/* The docs whose commands are checked: README.md and every .md file of
 * docs/ but these. */
static const char *const not_here[] = {
    "docs/lecture-map.md",  /* its commands: test_lecture_map.c */
};

/* The placeholders docs may write, and what a command gets for each. */
static const struct {
    const char *word;
    const char *value;
} placeholders[] = {
    { "DIR", "$DOC_SCRATCH/alice" },    /* a submission's (or any) folder */
    { "NAME", "walk" },                 /* a vm scenario */
};

/* The example files of a scratch folder (see the header). */
static const char fixtures[] =
    "mkdir -p alice/vm hidden/malloc submissions &&\n"
    "echo 'this is not C' > alice/vm/tlb.c &&\n"
    "tar czf alice.tar.gz alice &&\n"
    "cp -r alice submissions/ && cp alice.tar.gz submissions/bob.tar.gz &&\n"
    "printf '[perfidx]\\nutil_weight = 0.5\\n' > course.ini &&\n"
    "cp \"$DOC_KIT/traces/malloc/gen-tiny.rep\" hidden/malloc/hidden-tiny.rep\n";

/* --- The commands of the docs -------------------------------------------- */

struct command {
    char file[64];          /* the doc, from the kit's root */
    int line;               /* where the command is */
    bool marked;            /* false: a code line that reads like an unmarked command */
    char text[1024];        /* the command as shown (without "$ ") */
    char output[4096];      /* the lines shown under it, block indentation removed */
    int want_status;        /* the exit status it must end with */
    int want_signal;        /* or the signal that must kill it (0: none) */
    char problem[256];      /* what is wrong with it as written, "" if nothing */
};

struct commands {
    struct command *v;
    int n, cap;
};

/* add - a new, zeroed command of file at line. */
static struct command *add(struct commands *c, const char *file, int line)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 64;
        c->v = realloc(c->v, (size_t)c->cap * sizeof *c->v);
        cr_assert(c->v != NULL, "out of memory");
    }
    struct command *k = &c->v[c->n++];
    memset(k, 0, sizeof *k);
    snprintf(k->file, sizeof k->file, "%s", file);
    k->line = line;
    return k;
}

/* append - s (length len) at the end of the string buf of size cap; false
 * when it does not fit. */
static bool append(char *buf, size_t cap, const char *s, size_t len)
{
    size_t have = strlen(buf);
    if (have + len + 1 > cap)
        return false;
    memcpy(buf + have, s, len);
    buf[have + len] = '\0';
    return true;
}

/* comment_start - where the shell comment of command s begins (a # at the
 * start of a word, outside quotes), or NULL. */
static const char *comment_start(const char *s)
{
    char quote = 0;
    for (const char *p = s; *p; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
            else if (quote == '"' && *p == '\\' && p[1])
                p++;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '\\' && p[1]) {
            p++;
        } else if (*p == '#' && (p == s || isspace((unsigned char)p[-1]))) {
            return p;
        }
    }
    return NULL;
}

/* signal_number - the number of SIGxxx named at s, 0 if none known. */
static int signal_number(const char *s)
{
    static const struct {
        const char *name;
        int number;
    } sigs[] = { { "SIGABRT", SIGABRT }, { "SIGSEGV", SIGSEGV }, { "SIGKILL", SIGKILL },
                 { "SIGTERM", SIGTERM }, { "SIGINT", SIGINT },   { "SIGBUS", SIGBUS },
                 { "SIGFPE", SIGFPE },   { "SIGSYS", SIGSYS } };
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        if (!strncmp(s, sigs[i].name, strlen(sigs[i].name)))
            return sigs[i].number;
    return 0;
}

/* read_marker - the ending the comment of k's command asks for: "exit
 * status N", or a signal's name (SIGABRT) for a command that dies of it. */
static void read_marker(struct command *k)
{
    const char *c = comment_start(k->text);
    if (!c)
        return;
    const char *s = strstr(c, "exit status ");
    if (s) {
        if (!isdigit((unsigned char)s[12]))
            snprintf(k->problem, sizeof k->problem, "\"exit status\" without a number");
        else
            k->want_status = atoi(s + 12);
    }
    for (s = strstr(c, "SIG"); s && !isupper((unsigned char)s[3]); s = strstr(s + 3, "SIG"))
        ;
    if (s && !(k->want_signal = signal_number(s)))
        snprintf(k->problem, sizeof k->problem, "%.20s: a signal the test does not know", s);
}

/* first_word - the first word of s into w (size cap), after any
 * VARIABLE=value assignments. */
static void first_word(const char *s, char *w, size_t cap)
{
    for (;;) {
        size_t n = strcspn(s, " \t");
        const char *eq = memchr(s, '=', n);
        if (eq && eq > s && isupper((unsigned char)s[0])) {
            s += n;
            s += strspn(s, " \t");
            continue;
        }
        snprintf(w, cap, "%.*s", (int)(n < cap ? n : cap - 1), s);
        return;
    }
}

/* is_program - whether command text starts with the program name (alone,
 * or as the last part of a path). */
static bool is_program(const char *text, const char *name)
{
    char w[256];
    first_word(text, w, sizeof w);
    const char *slash = strrchr(w, '/');
    return !strcmp(slash ? slash + 1 : w, name);
}

/* looks_like_command - whether the code line s reads like a command of the
 * kit: a program the docs run (make, gdb, tracegen...), a path to a
 * build's programs, $BIN, text piped into a program, or a program of the
 * kit alone or followed by an argument (an option, a path, KEY=VALUE: not
 * a word, as in mdriver's "mdriver for these files: ..."). */
static bool looks_like_command(const char *s)
{
    static const char *const programs[] = {
        "make", "gdb", "valgrind", "tracegen", "cd", "man", "sudo", "apt", "apt-get", "git",
        "tar", "diff", "cc", "gcc", "clang", "lcov", "sh", "env",
    };
    static const char *const kit[] = { "mdriver", "vmsh", "vmsh-stuck", "grade", "mtrace",
                                       "vmbench" };
    char w[256];
    first_word(s, w, sizeof w);
    for (size_t i = 0; i < sizeof programs / sizeof *programs; i++)
        if (!strcmp(w, programs[i]))
            return true;
    if (!strncmp(w, "build/", 6) || !strncmp(w, "./", 2) || !strncmp(w, "../", 3) ||
        !strncmp(w, "$BIN", 4))
        return true;
    bool program = !strncmp(w, "test_", 5) || !strncmp(w, "fuzz_", 5);
    for (size_t i = 0; i < sizeof kit / sizeof *kit; i++)
        program |= !strcmp(w, kit[i]);
    if (program) {
        const char *arg = strstr(s, w) + strlen(w);
        arg += strspn(arg, " \t");
        size_t n = strcspn(arg, " \t");
        return n == 0 || arg[0] == '-' || arg[0] == '<' || arg[0] == '>' ||
               memchr(arg, '/', n) || memchr(arg, '=', n) || memchr(arg, '.', n);
    }
    return (!strcmp(w, "echo") || !strcmp(w, "printf") || !strcmp(w, "cat")) &&
           strchr(s, '|');
}

/* table_row - the command-column cell of table line s (length len) whose
 * header's first cell is "command": each code span in it is a command. */
static void table_row(struct commands *c, const char *file, int line, const char *s,
                      size_t len)
{
    const char *p = memchr(s + 1, '|', len - 1);
    const char *end = p ? p : s + len;
    for (const char *q = s + 1; q < end;) {
        const char *open = memchr(q, '`', (size_t)(end - q));
        if (!open)
            break;
        const char *close = memchr(open + 1, '`', (size_t)(end - open - 1));
        if (!close)
            break;
        struct command *k = add(c, file, line);
        k->marked = true;
        snprintf(k->text, sizeof k->text, "%.*s", (int)(close - open - 1), open + 1);
        q = close + 1;
    }
}

/* blank - whether the line s (length len) has nothing but blanks. */
static bool blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!isspace((unsigned char)s[i]))
            return false;
    return true;
}

/* scan_doc - the commands of doc file (its text), and the code lines that
 * read like unmarked commands, into c. */
static void scan_doc(struct commands *c, const char *file, const char *text)
{
    bool fenced = false, command_table = false;
    int cur = -1;               /* the command whose output lines follow */
    size_t cur_indent = 0;
    int line = 0;
    for (const char *p = text; *p;) {
        const char *end = strchrnul(p, '\n');
        size_t len = (size_t)(end - p);
        line++;
        size_t indent = strspn(p, " ");
        const char *s = p + indent;
        size_t slen = len - indent;
        if (slen >= 3 && !strncmp(s, "```", 3)) {
            fenced = !fenced;
            cur = -1;
        } else if (blank(p, len) || (!fenced && indent < 4)) {
            cur = -1;
            /* A table: its header says whether its first column holds commands. */
            if (len > 0 && p[0] == '|') {
                if (!command_table)
                    command_table = !strncasecmp(p, "| command |", 11);
                else if (!(len > 3 && p[1] == '-'))
                    table_row(c, file, line, p, len);
            } else {
                command_table = false;
            }
        } else if (slen >= 2 && s[0] == '$' && s[1] == ' ') {
            struct command *k = add(c, file, line);
            k->marked = true;
            cur = c->n - 1;
            cur_indent = indent;
            if (!append(k->text, sizeof k->text, s + 2, slen - 2))
                snprintf(k->problem, sizeof k->problem, "the command is too long");
        } else if (cur >= 0 && indent >= cur_indent) {
            /* An output line. A command's own output is compared with what
             * it prints, which a command left unmarked there would not be;
             * make's is not (a dry run), so there a command must be marked. */
            if (is_program(c->v[cur].text, "make") && looks_like_command(s))
                snprintf(add(c, file, line)->text, sizeof c->v->text, "%.*s", (int)slen, s);
            struct command *k = &c->v[cur];
            size_t tl = strlen(k->text);
            bool ok;
            if (!k->output[0] && tl > 0 && k->text[tl - 1] == '\\') {
                k->text[tl - 1] = ' ';      /* the command goes on */
                ok = append(k->text, sizeof k->text, s, slen);
            } else {
                ok = append(k->output, sizeof k->output, p + cur_indent, len - cur_indent) &&
                     append(k->output, sizeof k->output, "\n", 1);
            }
            if (!ok)
                snprintf(k->problem, sizeof k->problem, "the command or its output is too "
                         "long for the test");
        } else if (looks_like_command(s)) {
            struct command *k = add(c, file, line);
            snprintf(k->text, sizeof k->text, "%.*s", (int)slen, s);
        }
        p = *end ? end + 1 : end;
    }
    for (int i = 0; i < c->n; i++)
        if (c->v[i].marked && !strcmp(c->v[i].file, file) && !c->v[i].problem[0])
            read_marker(&c->v[i]);
}

/* doc_commands - the commands of every doc checked here, in order, into
 * *out (free it); their number (marked or not). On a doc that cannot be
 * read, err says so. */
static int doc_commands(struct command **out, char *err, size_t errcap)
{
    struct commands c = { 0 };
    glob_t g;
    err[0] = '\0';
    int r = glob(KIT_ROOT "/docs/*.md", 0, NULL, &g);
    size_t ndocs = r == 0 ? g.gl_pathc : 0;
    for (size_t i = 0; i <= ndocs; i++) {
        char file[64];
        if (i == 0)
            snprintf(file, sizeof file, "README.md");
        else
            snprintf(file, sizeof file, "docs/%s", basename(g.gl_pathv[i - 1]));
        bool skip = false;
        for (size_t j = 0; j < sizeof not_here / sizeof *not_here; j++)
            skip |= !strcmp(file, not_here[j]);
        if (skip)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", KIT_ROOT, file);
        char *text = doc_read_file(path);
        if (!text) {
            snprintf(err, errcap, "cannot read %.200s", path);
            continue;
        }
        scan_doc(&c, file, text);
        free(text);
    }
    if (r == 0)
        globfree(&g);
    else
        snprintf(err, errcap, "no docs/*.md in %s", KIT_ROOT);
    *out = c.v;
    return c.n;
}

/* --- Making the command to run ------------------------------------------- */

/* bin_dir - the folder of this test binary: the bin folder of its build. */
static void bin_dir(char *dir, size_t cap)
{
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    cr_assert(n > 0, "cannot read /proc/self/exe");
    self[n] = '\0';
    snprintf(dir, cap, "%s", dirname(self));
}

/* handout_dir - the bin folder of the handout build beside bin
 * (BUILD/VARIANT/solution/bin -> BUILD/VARIANT/handout/bin). */
static void handout_dir(const char *bin, char *dir, size_t cap)
{
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", bin);
    char *impl = dirname(copy);             /* BUILD/VARIANT/solution */
    snprintf(dir, cap, "%s/handout/bin", dirname(impl));
}

/* is_variant - whether s (length n) names a build variant. */
static bool is_variant(const char *s, size_t n)
{
    static const char *const variants[] = { "release", "debug", "asan", "coverage",
                                            "memcheck" };
    for (size_t i = 0; i < sizeof variants / sizeof *variants; i++)
        if (strlen(variants[i]) == n && !strncmp(s, variants[i], n))
            return true;
    return false;
}

/* build_path - at s, "build/VARIANT/IMPL/bin" (maybe after ../s): its
 * length and IMPL (start, length) when it is one, else 0. */
static size_t build_path(const char *s, const char **impl, size_t *impl_len)
{
    const char *p = s;
    while (!strncmp(p, "../", 3))
        p += 3;
    if (strncmp(p, "build/", 6))
        return 0;
    p += 6;
    size_t v = strcspn(p, "/ \t");
    if (p[v] != '/' || !is_variant(p, v))
        return 0;
    p += v + 1;
    *impl = p;
    *impl_len = strcspn(p, "/ \t");
    p += *impl_len;
    if (strncmp(p, "/bin", 4) || (p[4] && p[4] != '/' && !isspace((unsigned char)p[4])))
        return 0;
    return (size_t)(p + 4 - s);
}

/* word_start - whether a path or placeholder may start at s[i]. */
static bool word_start(const char *s, size_t i)
{
    return i == 0 || strchr(" \t='\"(|;&", s[i - 1]);
}

/* rewrite - the command text with its build paths and placeholders
 * replaced, into out (size cap). Returns false with why in problem (size
 * pcap); *handout says that it runs the handout build's programs. */
static bool rewrite(const char *text, const char *bin, const char *handout, char *out,
                    size_t cap, bool *uses_handout, char *problem, size_t pcap)
{
    const char *comment = comment_start(text);
    size_t n = comment ? (size_t)(comment - text) : strlen(text);
    *uses_handout = false;
    out[0] = '\0';
    for (size_t i = 0; i < n;) {
        const char *impl;
        size_t impl_len, len;
        if (word_start(text, i) && (len = build_path(text + i, &impl, &impl_len)) > 0) {
            const char *to = NULL;
            if (impl_len == 8 && !strncmp(impl, "solution", 8))
                to = bin;
            else if (impl_len == 7 && !strncmp(impl, "handout", 7))
                to = handout, *uses_handout = true;
            if (!to) {
                snprintf(problem, pcap, "%.*s: only the solution's and the handout's builds "
                         "are known to the test", (int)len, text + i);
                return false;
            }
            if (!append(out, cap, to, strlen(to)))
                goto too_long;
            i += len;
            continue;
        }
        if (isupper((unsigned char)text[i]) && word_start(text, i)) {
            size_t w = strspn(text + i, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
            char next = text[i + w];
            if (w >= 2 && next != '=' && !islower((unsigned char)next)) {
                size_t k = 0;
                while (k < sizeof placeholders / sizeof *placeholders &&
                       (strlen(placeholders[k].word) != w ||
                        strncmp(placeholders[k].word, text + i, w)))
                    k++;
                if (k == sizeof placeholders / sizeof *placeholders) {
                    snprintf(problem, pcap, "%.*s is a placeholder the test has no value for "
                             "(the table placeholders in %s)", (int)w, text + i, __FILE__);
                    return false;
                }
                if (!append(out, cap, placeholders[k].value, strlen(placeholders[k].value)))
                    goto too_long;
                i += w;
                if (!strncmp(text + i, "...", 3))
                    i += 3;     /* DIR...: more of the same */
                continue;
            }
        }
        if (!append(out, cap, text + i, 1))
            goto too_long;
        i++;
    }
    for (size_t o = strlen(out); o > 0 && isspace((unsigned char)out[o - 1]); o--)
        out[o - 1] = '\0';
    return true;
too_long:
    snprintf(problem, pcap, "the command is too long for the test");
    return false;
}


/* script - the shell script that runs command k (rewritten as cmd) in its
 * scratch folder's set-up; malloc'd. */
static char *script(const struct command *k, const char *cmd)
{
    char *s;
    cr_assert(asprintf(&s,
            "make() { command make -n BUILD=\"$DOC_SCRATCH/build\" \"$@\"; }\n"
            "gdb() { if [ \"$1\" = --args ]; then shift; fi; \"$@\"; }\n"
            "(cd \"$DOC_SCRATCH\" && %s) || { echo 'cannot make the example files'; "
            "exit 125; }\n"
            "%s"
            "%s\n",
            fixtures, is_program(k->text, "grade") ? "cd \"$DOC_SCRATCH\" || exit 125\n" : "",
            cmd) > 0);
    return s;
}

/* --- Running a command --------------------------------------------------- */

/* run - the script (doc_run) with BIN, PATH with bin first, HOME and
 * DOC_SCRATCH the scratch folder, DOC_KIT the kit's root. */
static int run(const char *script, const char *bin, const char *scratch, char **out,
               bool *timed_out)
{
    char *env[6];
    cr_assert(asprintf(&env[0], "BIN=%s", bin) > 0);
    cr_assert(asprintf(&env[1], "PATH=%s:/usr/local/bin:/usr/bin:/bin", bin) > 0);
    cr_assert(asprintf(&env[2], "HOME=%s", scratch) > 0);
    cr_assert(asprintf(&env[3], "DOC_SCRATCH=%s", scratch) > 0);
    cr_assert(asprintf(&env[4], "DOC_KIT=%s", KIT_ROOT) > 0);
    env[5] = NULL;
    int status = doc_run(script, (const char *const *)env, COMMAND_SECONDS, out, timed_out);
    for (int i = 0; i < 5; i++)
        free(env[i]);
    return status;
}

/* remove_entry - nftw's step of remove_tree: one file or (emptied) folder. */
static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st, (void)type, (void)ftw;
    remove(path);
    return 0;
}

/* remove_tree - the scratch folder and all in it. */
static void remove_tree(const char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* has_line - whether out has the line want (length n; trailing blanks of
 * either ignored), or with prefix, a line starting with it. */
static bool has_line(const char *out, const char *want, size_t n, bool prefix)
{
    while (n > 0 && isspace((unsigned char)want[n - 1]))
        n--;
    for (const char *l = out; *l;) {
        const char *end = strchrnul(l, '\n');
        size_t len = (size_t)(end - l);
        while (len > 0 && isspace((unsigned char)l[len - 1]))
            len--;
        if ((prefix ? len >= n : len == n) && !strncmp(l, want, n))
            return true;
        l = *end ? end + 1 : end;
    }
    return false;
}

/* missing_line - the first output line k shows that out does not have,
 * into line (size cap); false when it has them all. */
static bool missing_line(const struct command *k, const char *out, char *line, size_t cap)
{
    for (const char *l = k->output; *l;) {
        const char *end = strchrnul(l, '\n');
        size_t len = (size_t)(end - l);
        bool prefix = len >= 3 && !strncmp(end - 3, "...", 3);
        size_t n = prefix ? len - 3 : len;
        if (!(len == 3 && prefix) && !has_line(out, l, n, prefix)) {
            snprintf(line, cap, "%.*s", (int)len, l);
            return true;
        }
        l = *end ? end + 1 : end;
    }
    return false;
}

/* ended_as_wanted - whether status is the ending k asks for; how it ended,
 * into how (size cap). A signal may reach us as the shell's 128 + N. */
static bool ended_as_wanted(const struct command *k, int status, bool make, char *how,
                            size_t cap)
{
    if (WIFEXITED(status))
        snprintf(how, cap, "exited with status %d", WEXITSTATUS(status));
    else
        snprintf(how, cap, "was killed by signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    if (make || !k->want_signal)
        return WIFEXITED(status) && WEXITSTATUS(status) == (make ? 0 : k->want_status);
    return (WIFSIGNALED(status) && WTERMSIG(status) == k->want_signal) ||
           (WIFEXITED(status) && WEXITSTATUS(status) == 128 + k->want_signal);
}

/* --- The tests ----------------------------------------------------------- */

/* all_commands - every command and unmarked command-like line of the docs
 * into *cmds (free it); their number. Fails the test when a doc cannot
 * be read. */
static int all_commands(struct command **cmds)
{
    char err[300];
    int n = doc_commands(cmds, err, sizeof err);
    if (err[0])
        free(*cmds);
    cr_assert(!err[0], "%s", err);
    return n;
}

Test(doc_commands, every_command_is_marked)
{
    struct command *cmds;
    int n = all_commands(&cmds);
    for (int i = 0; i < n; i++)
        cr_expect(cmds[i].marked, "%s:%d: `%s` reads like a command but is not marked as one: "
                  "write it as \"$ COMMAND\" (docs/architecture.md, \"Commands in the docs\"), "
                  "so that make check runs it", cmds[i].file, cmds[i].line, cmds[i].text);
    free(cmds);
}

Test(doc_commands, commands_are_well_formed)
{
    struct command *cmds;
    int n = all_commands(&cmds);
    int marked = 0;
    for (int i = 0; i < n; i++) {
        if (!cmds[i].marked)
            continue;
        marked++;
        cr_expect(!cmds[i].problem[0], "%s:%d: `%s`: %s", cmds[i].file, cmds[i].line,
                  cmds[i].text, cmds[i].problem);
        cr_expect(cmds[i].text[0], "%s:%d: a \"$ \" with no command", cmds[i].file,
                  cmds[i].line);
    }
    cr_expect(marked > 0, "no command found in README.md and docs/*.md");
    free(cmds);
}

/* One parameter per marked command. When the docs cannot be read, one
 * parameter that says why (the tests above say it too). */
static void free_params(struct criterion_test_params *crp)
{
    cr_free(crp->params);
}

ParameterizedTestParameters(doc_commands, command_runs)
{
    char err[300];
    struct command *cmds = NULL;
    int n = doc_commands(&cmds, err, sizeof err);
    size_t count = 0;
    for (int i = 0; i < n; i++)
        count += cmds[i].marked;
    struct command *params = cr_malloc((count ? count : 1) * sizeof *params);
    if (count == 0) {
        memset(params, 0, sizeof *params);
        snprintf(params->problem, sizeof params->problem, "%.200s",
                 err[0] ? err : "no command found in README.md and docs/*.md");
        count = 1;
    } else {
        size_t k = 0;
        for (int i = 0; i < n; i++)
            if (cmds[i].marked)
                params[k++] = cmds[i];
    }
    free(cmds);
    return cr_make_param_array(struct command, params, count, free_params);
}

ParameterizedTest(struct command *k, doc_commands, command_runs)
{
    cr_assert(k->text[0] && !k->problem[0], "%s:%d: %s", k->file, k->line, k->problem);
    char bin[4096], handout[4096], cmd[4096], problem[512];
    bin_dir(bin, sizeof bin);
    handout_dir(bin, handout, sizeof handout);
    bool uses_handout;
    cr_assert(rewrite(k->text, bin, handout, cmd, sizeof cmd, &uses_handout, problem,
                      sizeof problem), "%s:%d: `%s`: %s", k->file, k->line, k->text, problem);
    if (uses_handout && access(handout, X_OK) != 0)
        cr_skip_test("%s:%d runs the skeleton's programs, and %s is not built here "
                     "(make IMPL=handout build makes it)", k->file, k->line, handout);

    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/doc-command-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    cr_assert(mkdtemp(tmpl) != NULL, "mkdtemp %s: %s", tmpl, strerror(errno));
    char *sh = script(k, cmd);
    char *out;
    bool timed_out;
    int status = run(sh, bin, tmpl, &out, &timed_out);
    remove_tree(tmpl);
    free(sh);

    /* What the messages need, taken before out is freed (a failed
     * assertion ends the test: nothing after it would free it). */
    bool make = is_program(k->text, "make");
    char how[64], line[4096], shown[6016];
    snprintf(shown, sizeof shown, "%s%s", doc_tail(out) == out ? "" : "...\n", doc_tail(out));
    bool ended = ended_as_wanted(k, status, make, how, sizeof how);
    bool no_test = strstr(out, "Synthesis: Tested: 0 ") != NULL;
    bool missing = !make && missing_line(k, out, line, sizeof line);
    free(out);
    if (timed_out)
        cr_assert_fail("%s:%d:\n  %s\ntook more than %d s; its output:\n%s", k->file, k->line,
                       k->text, COMMAND_SECONDS, shown);
    else if (!ended)
        cr_assert_fail("%s:%d:\n  %s\n%s, where the doc says it %s (run as: %s; BIN=%s, in %s); "
                       "its output:\n%s", k->file, k->line, k->text, how,
                       make ? "is a make target (a dry run exits 0)"
                       : k->want_signal ? "is killed by a signal (SIGxxx)"
                       : k->want_status ? "fails (\"exit status\")" : "succeeds (exit status 0)",
                       cmd, bin, KIT_ROOT, shown);
    else if (no_test)
        cr_assert_fail("%s:%d:\n  %s\nran no test: its --filter matches none; its output:\n%s",
                       k->file, k->line, k->text, shown);
    else if (missing)
        cr_assert_fail("%s:%d:\n  %s\ndoes not print the line the doc shows under it:\n  %s\n%s"
                       "its output:\n%s", k->file, k->line, k->text, line,
                       looks_like_command(line + strspn(line, " "))
                       ? "(if that line is a command, write it as \"$ COMMAND\")\n" : "",
                       shown);
}
