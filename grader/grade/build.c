/*
 * build.c - a lab's graded programs from a submission's files (see
 * build.h), with the static checks between compiling and linking.
 *
 * Work folder layout: src/ (the taken files), obj/ (objects, preprocessed
 * sources, dependency lists), bin/ (the programs). Every tool runs
 * confined (run.h) as grade's own user: a source can make the compiler
 * read forever (#include "/dev/zero") or print what it read, so the
 * deadline and the output limit hold for it too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fnmatch.h>
#include <glob.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "files.h"
#include "run.h"

#define MAX_ARGS 512

static double compile_timeout = 60;

int tool(const char *const *argv, const char *cwd, char **out)
{
    run_request_t rq = {
        .argv = argv, .cwd = cwd, .as_self = true,
        .lim = { .wall = compile_timeout, .cpu = compile_timeout, .output = 4 << 20,
                 .files = 256, .memory = (size_t)2 << 30, .file_size = (size_t)256 << 20 },
    };
    run_result_t r;
    run_confined(&rq, &r);
    int status = r.how == RAN_EXITED ? r.code : -1;
    if (r.how == RAN_FAILED) {
        free(r.output);
        r.output = strdup(r.error);
    } else if (r.how != RAN_EXITED) {
        char why[256];
        run_describe(&r, &rq.lim, why, sizeof why);
        size_t len = strlen(r.output) + strlen(why) + 8;
        char *o = malloc(len);
        snprintf(o, len, "%s%s\n", r.output, why);
        free(r.output);
        r.output = o;
    }
    *out = r.output;
    r.output = NULL;
    run_result_free(&r);
    return status;
}

/* An argument vector being built. */
typedef struct args {
    const char *v[MAX_ARGS + 1];
    char *owned[MAX_ARGS];
    int n, nowned;
} args_t;

static void arg(args_t *a, const char *s)
{
    if (a->n < MAX_ARGS)
        a->v[a->n++] = s;
    a->v[a->n] = NULL;
}

static void argf(args_t *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void argf(args_t *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s;
    if (vasprintf(&s, fmt, ap) < 0)
        abort();
    va_end(ap);
    a->owned[a->nowned++] = s;
    arg(a, s);
}

static void args_free(args_t *a)
{
    for (int i = 0; i < a->nowned; i++)
        free(a->owned[i]);
    a->n = a->nowned = 0;
}

static void words_args(args_t *a, const words_t *w)
{
    for (size_t i = 0; i < w->n; i++)
        arg(a, w->v[i]);
}

/* compile_args - the compiler's flags for a submission: its own malloc/
 * first (mminline.h is the student's), then the kit's headers. The
 * compiler runs in the submission's src/, so its messages name the
 * student's files as the student does (malloc/mm.c). */
static void compile_args(args_t *a, const plan_t *p, const submission_t *s)
{
    (void)s;
    arg(a, p->cc);
    words_args(a, &p->cflags);
    arg(a, "-Imalloc");
    for (size_t i = 0; i < p->includes.n; i++)
        argf(a, "-I%s", p->includes.v[i]);
}

/* first_lines - at most max lines of text, for a report line. */
static char *first_lines(const char *text, int max)
{
    const char *e = text;
    for (int i = 0; i < max && *e; i++) {
        e = strchr(e, '\n');
        if (!e) {
            e = text + strlen(text);
            break;
        }
        e++;
    }
    size_t len = (size_t)(e - text);
    while (len && text[len - 1] == '\n')
        len--;
    return strndup(text, len);
}

/* --- the checks of one student source and its object ------------------- */

/* The static checks, each a line of the report: a failure says what and
 * where; a check that found nothing in any of a lab's files says so. */
enum check_kind { CK_INCLUDES, CK_ASM, CK_CALLS, CK_DEFINES, CK_CTORS, CK_DATA, CK_COUNT };

static const char *const check_passed[CK_COUNT] = {
    "includes only the kit's, its own and system headers",
    "no assembly",
    "calls nothing the rules forbid",
    "defines nothing of the C library's or the kit's",
    "no constructors, destructors or sections of a test framework's",
    NULL,   /* the data line gives its figures */
};

static unsigned failed_checks;   /* bits of enum check_kind, for the lab being built */

static void refuse(submission_t *s, enum check_kind k, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void refuse(submission_t *s, enum check_kind k, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text;
    if (vasprintf(&text, fmt, ap) < 0)
        abort();
    va_end(ap);
    lines_add(&s->checks, true, "%s", text);
    free(text);
    failed_checks |= 1u << k;
}

static bool under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return !strncmp(path, dir, n) && (path[n] == '/' || !path[n]);
}

/* check_includes - every file the preprocessed source i came from (its
 * line markers, # N "PATH") is the kit's, the submission's, or a system
 * header. Relative paths are the compiler's, from src/. */
static bool check_includes(submission_t *s, const plan_t *p, const char *file, const char *i,
                           const char *src)
{
    /* A test of the kit's or a hidden one may include files of its own
     * folder; a student's source is in src/, which is allowed anyway. */
    char own[4096] = "";
    if (src[0] == '/') {
        snprintf(own, sizeof own, "%s", src);
        char *slash = strrchr(own, '/');
        if (slash)
            *slash = '\0';
    }
    FILE *f = fopen(i, "r");
    if (!f) {
        refuse(s, CK_INCLUDES, "%s: no preprocessed source from the compiler", file);
        return false;
    }
    char src_dir[4096];
    snprintf(src_dir, sizeof src_dir, "%s/src", s->work);
    bool ok = true;
    char *line = NULL, *seen = strdup("\n");
    size_t cap = 0;
    while (getline(&line, &cap, f) >= 0) {
        if (line[0] != '#' || line[1] != ' ')
            continue;
        char *q = strchr(line, '"'), *r = q ? strrchr(line, '"') : NULL;
        if (!q || r == q || q[1] == '<')
            continue;
        /* The marker's string, its escapes undone. */
        char path[4096];
        size_t n = 0;
        for (char *c = q + 1; c < r && n + 1 < sizeof path; c++) {
            if (*c == '\\' && c + 1 < r)
                c++;
            path[n++] = *c;
        }
        path[n] = '\0';
        char key[4200];
        snprintf(key, sizeof key, "\n%s\n", path);
        if (strstr(seen, key))
            continue;
        size_t sl = strlen(seen);
        char *more = realloc(seen, sl + strlen(path) + 2);
        if (!more)
            abort();
        seen = more;
        snprintf(seen + sl, strlen(path) + 2, "%s\n", path);
        char full[8300], real[4096];
        if (path[0] == '/')
            snprintf(full, sizeof full, "%s", path);
        else
            snprintf(full, sizeof full, "%s/%s", src_dir, path);
        const char *where = realpath(full, real) ? real : full;
        bool fine = under(where, src_dir) || under(where, "/usr/include") ||
                    under(where, "/usr/lib/gcc") || under(where, "/usr/local/include") ||
                    (own[0] && under(where, own));
        for (size_t k = 0; k < p->includes.n && !fine; k++)
            fine = under(where, p->includes.v[k]);
        if (!fine) {
            refuse(s, CK_INCLUDES,
                   "%s includes %s, which is neither the kit's, the submission's nor a "
                   "system header", file, path);
            ok = false;
        }
    }
    free(line);
    free(seen);
    fclose(f);
    return ok;
}

static bool ident_char(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A growing set of names, blank-separated, for check_tu. */
static bool in_set(const char *set, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = set; (p = strstr(p, name)); p += n)
        if (p[-1] == ' ' && p[n] == ' ')
            return true;
    return false;
}

/*
 * check_tu - the preprocessed translation unit i (made with -dD, so it
 * keeps its #define and #undef lines) against what the student's own
 * lines do (lines of a relative path: the submission's files, compiled
 * from src/): no asm keyword, and no macro of the test framework defined
 * again or undefined (a student's mminline.h is included by the public
 * tests after criterion.h: it could make cr_assert assert nothing).
 */
static bool check_tu(submission_t *s, const char *file, const char *i)
{
    FILE *f = fopen(i, "r");
    if (!f) {
        refuse(s, CK_ASM, "%s: no preprocessed source to check", file);
        return false;
    }
    char *line = NULL, *framework = strdup(" ");
    size_t cap = 0, flen = 1;
    bool ours = true, in_framework = false, ok = true;
    char where[512] = "";
    unsigned long lineno = 0;
    while (getline(&line, &cap, f) >= 0 && ok) {
        if (line[0] == '#' && line[1] == ' ') {
            char *q = strchr(line, '"');
            char *r = q ? strrchr(line, '"') : NULL;
            if (q && r && r > q) {
                *r = '\0';
                ours = q[1] != '/' && q[1] != '<';
                in_framework = strstr(q + 1, "/criterion/") != NULL;
                snprintf(where, sizeof where, "%s", q + 1);
                lineno = strtoul(line + 2, NULL, 10);
            }
            continue;
        }
        char name[256];
        bool directive = sscanf(line, "#define %255[A-Za-z0-9_]", name) == 1 ||
                         sscanf(line, "#undef %255[A-Za-z0-9_]", name) == 1;
        if (directive && in_framework && !in_set(framework, name)) {
            char *more = realloc(framework, flen + strlen(name) + 2);
            if (!more)
                abort();
            framework = more;
            flen += (size_t)sprintf(framework + flen, "%s ", name);
        } else if (directive && ours && in_set(framework, name)) {
            refuse(s, CK_DEFINES, "%s:%lu: defines or undefines %s, a macro of the test "
                   "framework's, which the rules forbid", where, lineno, name);
            ok = false;
        }
        if (ours && !directive) {
            for (char *w = line; (w = strstr(w, "asm")); w += 3) {
                /* The keyword is asm, __asm or __asm__: a whole identifier. */
                char *a = w, *z = w + 3;
                while (a > line && a[-1] == '_')
                    a--;
                while (*z == '_')
                    z++;
                if ((a > line && ident_char(a[-1])) || ident_char(*z))
                    continue;
                refuse(s, CK_ASM, "%s:%lu: inline assembly, which the rules forbid", where,
                       lineno);
                ok = false;
                break;
            }
        }
        if (!directive || ours)
            lineno++;
    }
    free(line);
    free(framework);
    fclose(f);
    return ok;
}

/* check_line_directives - no #line in the student's own files: it would
 * make their lines look like a system header's to every check above. */
static bool check_line_directives(submission_t *s, const char *path)
{
    char full[4200];
    snprintf(full, sizeof full, "%s/src/%s", s->work, path);
    char *text = file_read(full, NULL);
    bool ok = true;
    unsigned long n = 1;
    for (const char *l = text; l && *l && ok; n++) {
        const char *p = l + strspn(l, " \t");
        if (*p == '#') {
            p += 1 + strspn(p + 1, " \t");
            if (!strncmp(p, "line", 4) || (*p >= '0' && *p <= '9')) {
                refuse(s, CK_ASM, "%s:%lu: a #line directive, which would hide where its code "
                       "comes from, and which the rules forbid", path, n);
                ok = false;
            }
        }
        l = strchr(l, '\n');
        l = l ? l + 1 : NULL;
    }
    free(text);
    return ok;
}

static bool listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; (p = strstr(p, name)); p += n) {
        bool start = p == list || p[-1] == '\n' || p[-1] == ' ';
        bool end = p[n] == '\n' || p[n] == ' ' || p[n] == '\0';
        if (start && end)
            return true;
    }
    return false;
}

static char *read_text(const char *path)
{
    char *text = file_read(path, NULL);
    return text ? text : strdup("");
}

/* check_object - the checks of one student object (see docs/grading.md). */
/* The prefixes of what the grader's own programs define, which no
 * student code has any business calling: the test framework's, the test
 * hook's and the sandbox's (a student's mm_check_heap calling
 * criterion_skip_test would skip its own tests). */
static const char *const kit_prefixes[] = { "criterion_", "cr_", "bxf_", "nng_", "__wrap_",
                                            "__real_", "channel_", "sandbox_", "__gcov" };

static bool has_kit_prefix(const char *name)
{
    for (size_t i = 0; i < sizeof kit_prefixes / sizeof kit_prefixes[0]; i++)
        if (!strncmp(name, kit_prefixes[i], strlen(kit_prefixes[i])))
            return true;
    return false;
}

/* section_allowed - whether a section named name (and not a constructor's)
 * is one C code of the labs makes: code, data, debug and bookkeeping. */
static bool section_allowed(const char *name)
{
    static const char *const ok[] = {
        ".text", ".rodata", ".data", ".bss", ".tdata", ".tbss", ".eh_frame", ".comment",
        ".note.GNU-stack", ".note.gnu.property", ".debug_", ".group", ".symtab", ".strtab",
        ".shstrtab",
    };
    if (!*name)
        return true;
    if (!strncmp(name, ".rela", 5) && name[5] == '.')
        name += 5;   /* a relocation section is what its section is */
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (!strncmp(name, ok[i], strlen(ok[i])))
            return true;
    return false;
}

/* check_calls - what the object calls (nm -u). */
static bool check_calls(submission_t *s, const plan_t *p, enum lab lab, const char *file,
                        const char *obj)
{
    char *out = NULL;
    char *forbidden = read_text(p->forbidden);
    /* Strip the file's comments: only names remain, blank-separated. */
    for (char *c = forbidden; (c = strchr(c, '#'));)
        while (*c && *c != '\n')
            *c++ = ' ';
    bool ok = true;
    const char *nm_u[] = { "nm", "-u", obj, NULL };
    if (tool(nm_u, s->work, &out) != 0) {
        refuse(s, CK_CALLS, "%s: its calls could not be listed (nm failed)", file);
        ok = false;
    } else {
        for (char *save = NULL, *line = strtok_r(out, "\n", &save); line;
             line = strtok_r(NULL, "\n", &save)) {
            char *name = strrchr(line, ' ');
            name = name ? name + 1 : line;
            char *at = strchr(name, '@');
            if (at)
                *at = '\0';
            if (listed(forbidden, name)) {
                refuse(s, CK_CALLS, "%s calls %s, which the rules forbid", file, name);
                ok = false;
            } else if (has_kit_prefix(name)) {
                refuse(s, CK_CALLS, "%s calls %s, a function of the test framework or the "
                       "grader, which the rules forbid", file, name);
                ok = false;
            } else if (p->lab_calls[lab].n && !words_has(&p->lab_calls[lab], name) &&
                       !words_has(&p->lab_api[lab], name)) {
                refuse(s, CK_CALLS,
                       "%s calls %s: the %s lab's code may call only the machine's "
                       "functions and the C library's string functions", file, name,
                       lab_name[lab]);
                ok = false;
            }
        }
    }
    free(out);
    free(forbidden);
    return ok;
}

/* check_definitions - what the object defines (nm --defined-only). */
static bool check_definitions(submission_t *s, const plan_t *p, enum lab lab, const char *file,
                              const char *obj)
{
    char *out = NULL;
    char *reserved = read_text(p->reserved);
    bool ok = true;
    const char *nm_d[] = { "nm", "--defined-only", obj, NULL };
    if (tool(nm_d, s->work, &out) != 0) {
        refuse(s, CK_DEFINES, "%s: its definitions could not be listed (nm failed)", file);
        ok = false;
    } else {
        for (char *save = NULL, *line = strtok_r(out, "\n", &save); line;
             line = strtok_r(NULL, "\n", &save)) {
            char *name = strrchr(line, ' ');
            char type = name && name > line + 1 ? name[-1] : '?';
            name = name ? name + 1 : line;
            if (type == 'i' || type == 'I') {
                /* An IFUNC's resolver runs while the program loads, before
                 * main: outside any graded call, outside the sandbox. */
                refuse(s, CK_DEFINES, "%s defines %s as an indirect function, whose resolver "
                       "runs before the driver does, which the rules forbid", file, name);
                ok = false;
                continue;
            }
            bool global = type >= 'A' && type <= 'Z';
            if (!global || words_has(&p->lab_api[lab], name))
                continue;
            if (!strncmp(name, "mem_", 4) || listed(reserved, name) || has_kit_prefix(name)) {
                refuse(s, CK_DEFINES,
                       "%s defines %s, which would stand in for the C library's or the "
                       "kit's", file, name);
                ok = false;
            }
        }
    }
    free(out);
    free(reserved);
    return ok;
}

/* check_sections - only the sections C code of the lab makes: no
 * constructors, no sections of a test framework (a Criterion test or
 * report hook is a pointer in a section of its own), code only in .text;
 * the writable ones (by their flags, whatever their names) add to *data.
 * The names of the code sections go to text (for check_instructions). */
static bool check_sections(submission_t *s, const char *file, const char *obj, size_t *data,
                           words_t *text)
{
    char *out = NULL;
    bool ok = true;
    const char *readelf[] = { "readelf", "-SW", obj, NULL };
    if (tool(readelf, s->work, &out) != 0) {
        refuse(s, CK_CTORS, "%s: its sections could not be listed (readelf failed)", file);
        free(out);
        return false;
    }
    for (char *save = NULL, *line = strtok_r(out, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        char *br = strchr(line, ']');
        if (!br || !strchr(line, '['))
            continue;
        char name[256], type[64], flags[32] = "";
        unsigned long addr, off, size, es;
        int n = sscanf(br + 1, " %255s %63s %lx %lx %lx %lx %31s", name, type, &addr, &off,
                       &size, &es, flags);
        /* Section 0 has no name: its type, NULL, reads as the name. */
        if (n < 6 || (!strcmp(name, "NULL") && type[0] >= '0' && type[0] <= '9'))
            continue;
        if (flags[0] >= '0' && flags[0] <= '9')
            flags[0] = '\0';   /* no flags: that was the link column */
        if (!strncmp(name, ".init_array", 11) || !strncmp(name, ".fini_array", 11) ||
            !strncmp(name, ".preinit_array", 14) || !strncmp(name, ".ctors", 6) ||
            !strncmp(name, ".dtors", 6) || !strcmp(name, ".init") || !strcmp(name, ".fini")) {
            refuse(s, CK_CTORS,
                   "%s has %s: a %s, which runs outside the graded calls and which the rules "
                   "forbid", file, name,
                   strstr(name, "fini") || strstr(name, "dtors") ? "destructor" : "constructor");
            ok = false;
        } else if (!section_allowed(name)) {
            refuse(s, CK_CTORS, "%s has a section %s, which C code of the lab has no use for "
                   "(a test framework's, or code placed out of sight)", file, name);
            ok = false;
        } else if (strchr(flags, 'X') && strncmp(name, ".text", 5)) {
            refuse(s, CK_CTORS, "%s has code in a section %s: code belongs in .text", file,
                   name);
            ok = false;
        }
        if (strchr(flags, 'W') && strchr(flags, 'A'))
            *data += size;
        if (!strncmp(name, ".text", 5))
            words_split(text, name);
    }
    free(out);
    return ok;
}

/* check_instructions - no system-call instruction in a code section: C
 * does not make one, so it is machine code put there by hand (as data
 * placed in .text, say). Every byte of them is disassembled. */
static bool check_instructions(submission_t *s, const char *file, const char *obj,
                               const words_t *text)
{
    if (!text->n)
        return true;
    args_t a = { 0 };
    arg(&a, "objdump");
    arg(&a, "-D");
    arg(&a, "--no-show-raw-insn");
    for (size_t i = 0; i < text->n; i++) {
        arg(&a, "-j");
        arg(&a, text->v[i]);
    }
    arg(&a, obj);
    char *out = NULL;
    bool ok = true;
    if (tool(a.v, s->work, &out) != 0) {
        refuse(s, CK_ASM, "%s: its code could not be read (objdump failed)", file);
        ok = false;
    } else {
        for (char *save = NULL, *line = strtok_r(out, "\n", &save); line && ok;
             line = strtok_r(NULL, "\n", &save)) {
            char *tab = strrchr(line, '\t');
            const char *insn = tab ? tab + 1 : "";
            if (!strncmp(insn, "syscall", 7) || !strncmp(insn, "sysenter", 8) ||
                !strncmp(insn, "int    $0x80", 12)) {
                refuse(s, CK_ASM,
                       "%s holds a system call instruction (%s), which C does not make: "
                       "machine code the rules forbid", file, insn);
                ok = false;
            }
        }
    }
    args_free(&a);
    free(out);
    return ok;
}

/* check_object - the checks of one student object (see docs/grading.md). */
static bool check_object(submission_t *s, const plan_t *p, enum lab lab, const char *file,
                         const char *obj, size_t *data)
{
    words_t text = { 0 };
    bool ok = check_calls(s, p, lab, file, obj);
    ok = check_definitions(s, p, lab, file, obj) && ok;
    ok = check_sections(s, file, obj, data, &text) && ok;
    ok = check_instructions(s, file, obj, &text) && ok;
    words_free(&text);
    return ok;
}

/* --- compiling and linking ---------------------------------------------- */

/* compile_failed - the report's line for a compiler that said no (its
 * first lines, unless out is NULL: a hidden source's); frees out; false. */
static bool compile_failed(submission_t *s, const char *shown, char *out)
{
    if (!out) {
        lines_add(&s->build, true, "%s does not compile with the submission's files", shown);
        return false;
    }
    char *head = first_lines(out, 12);
    lines_add(&s->build, true, "%s does not compile:\n%s", shown, head);
    free(head);
    free(out);
    return false;
}

/* compile - preprocess, check the includes and the assembly, compile; the
 * object's path into obj (n bytes). check: also the static checks. */
/*
 * compile - src (relative: a student file; absolute: a test of the kit's
 * or a hidden one, which includes the student's header) into an object in
 * objdir, its path into obj (n bytes). The includes and the translation
 * unit are checked first (check_includes, check_tu); a failure of a hidden
 * source shows none of the compiler's output.
 */
static bool compile(submission_t *s, const plan_t *p, const char *src, const char *shown,
                    const char *objdir, bool hidden, char *obj, size_t n)
{
    const char *base = strrchr(src, '/') ? strrchr(src, '/') + 1 : src;
    char i_path[4096], cwd[4096];
    snprintf(obj, n, "%s/%.*s.o", objdir, (int)(strlen(base) - 2), base);
    snprintf(i_path, sizeof i_path, "%s/%.*s.i", objdir, (int)(strlen(base) - 2), base);
    snprintf(cwd, sizeof cwd, "%s/src", s->work);
    dir_make(objdir);
    args_t a = { 0 };
    char *out = NULL;
    compile_args(&a, p, s);
    arg(&a, "-E");
    arg(&a, "-dD");
    arg(&a, "-o");
    arg(&a, i_path);
    arg(&a, src);
    int st = tool(a.v, cwd, &out);
    args_free(&a);
    if (st == 0 && !check_includes(s, p, shown, i_path, src)) {
        free(out);
        return false;   /* nothing of the compiler's output: it may show what it read */
    }
    if (st != 0)
        return compile_failed(s, shown, hidden ? NULL : out);
    free(out);
    if (!check_tu(s, shown, i_path))
        return false;
    /* What is compiled is what was checked: the preprocessed file (its
     * line markers name the student's file in every message). */
    compile_args(&a, p, s);
    arg(&a, "-c");
    arg(&a, "-o");
    arg(&a, obj);
    arg(&a, i_path);
    st = tool(a.v, cwd, &out);
    args_free(&a);
    if (st != 0)
        return compile_failed(s, shown, hidden ? NULL : out);
    unsigned warnings = 0;
    for (const char *w = out; (w = strstr(w, "warning:")); w++)
        warnings++;
    if (warnings)
        lines_add(&s->build, false, "%s: %u compiler warning%s (not counted against it)", shown,
                  warnings, warnings == 1 ? "" : "s");
    free(out);
    return true;
}

/* join - the lab's student objects as one, every name but the API local. */
static bool join(submission_t *s, const plan_t *p, enum lab lab, char objs[][4096], size_t n,
                 char *joined, size_t jn)
{
    char api[4096], joined_raw[4096];
    snprintf(api, sizeof api, "%s/obj/%s.api", s->work, lab_name[lab]);
    snprintf(joined_raw, sizeof joined_raw, "%s/obj/%s-student-all.o", s->work, lab_name[lab]);
    snprintf(joined, jn, "%s/obj/%s-student.o", s->work, lab_name[lab]);
    FILE *f = fopen(api, "w");
    if (!f)
        return false;
    for (size_t i = 0; i < p->lab_api[lab].n; i++)
        fprintf(f, "%s\n", p->lab_api[lab].v[i]);
    fclose(f);
    args_t a = { 0 };
    char *out = NULL;
    arg(&a, "ld");
    arg(&a, "-r");
    arg(&a, "-o");
    arg(&a, joined_raw);
    for (size_t i = 0; i < n; i++)
        arg(&a, objs[i]);
    int st = tool(a.v, s->work, &out);
    args_free(&a);
    if (st == 0) {
        free(out);
        arg(&a, "objcopy");
        argf(&a, "--keep-global-symbols=%s", api);
        arg(&a, joined_raw);
        arg(&a, joined);
        st = tool(a.v, s->work, &out);
        args_free(&a);
    }
    if (st != 0) {
        char *head = first_lines(out, 8);
        lines_add(&s->build, true, "%s: the objects do not join:\n%s", lab_name[lab], head);
        free(head);
    }
    free(out);
    return st == 0;
}

/* counted - whether the public test source path has a test that one of
 * the patterns ("suite/test" globs) counts; a source none counts is not
 * compiled (its tests would not be run). */
static bool counted(const char *path, const char **patterns, size_t np)
{
    char *text = read_text(path);
    bool any = text == NULL;   /* unreadable: the compiler says why */
    for (const char *l = text; l && !any; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        char suite[128], test[128], name[260];
        if (sscanf(l, "Test(%127[A-Za-z0-9_], %127[A-Za-z0-9_]", suite, test) != 2)
            continue;
        snprintf(name, sizeof name, "%s/%s", suite, test);
        for (size_t i = 0; i < np && !any; i++)
            any = fnmatch(patterns[i], name, 0) == 0;
    }
    free(text);
    return any;
}

static bool link_program(submission_t *s, const plan_t *p, const grade_policy_t *gp,
                         const program_t *g, const char *student_obj, const char *extra_src_dir,
                         const char *name)
{
    char objdir[4096], bin[4096];
    snprintf(objdir, sizeof objdir, "%s/obj/%s", s->work, name);
    snprintf(bin, sizeof bin, "%s/bin/%s", s->work, name);
    dir_make(objdir);
    char bindir[4096];
    snprintf(bindir, sizeof bindir, "%s/bin", s->work);
    dir_make(bindir);
    /* The sources compiled for this submission: the program's own, and
     * the hidden tests when asked. */
    /* The sources compiled for this submission: the program's own, or
     * the hidden tests (a path may hold blanks: glob's list is kept). */
    glob_t gl = { 0 };
    char **srcs = g->compile.v;
    size_t nsrcs = g->compile.n;
    if (extra_src_dir) {
        char pat[4096];
        snprintf(pat, sizeof pat, "%s/*.c", extra_src_dir);
        if (glob(pat, 0, NULL, &gl) == 0) {
            srcs = gl.gl_pathv;
            nsrcs = gl.gl_pathc;
        } else {
            nsrcs = 0;
        }
    }
    char (*objs)[4096] = calloc(nsrcs ? nsrcs : 1, sizeof *objs);
    size_t nobj = 0;
    bool ok = true;
    const char *patterns[64];
    size_t np = parts_test_patterns(gp, g->lab, patterns, 64);
    for (size_t i = 0; i < nsrcs && ok; i++) {
        const char *shown = extra_src_dir ? "a hidden test" : srcs[i];
        if (!extra_src_dir && !counted(srcs[i], patterns, np))
            continue;
        ok = compile(s, p, srcs[i], shown, objdir, extra_src_dir != NULL, objs[nobj],
                     sizeof objs[nobj]);
        nobj++;
    }
    globfree(&gl);
    if (!ok) {
        free(objs);
        return false;
    }
    args_t a = { 0 };
    char *out = NULL;
    arg(&a, p->cc);
    arg(&a, "-o");
    arg(&a, bin);
    for (size_t i = 0; i < nobj; i++)
        arg(&a, objs[i]);
    arg(&a, student_obj);
    /* A program of hidden tests has the framework and helpers of the public
     * one, not its tests. */
    if (!extra_src_dir)
        words_args(&a, &g->tests);
    words_args(&a, &g->objects);
    words_args(&a, &g->ldflags);
    words_args(&a, &g->libs);
    int st = tool(a.v, s->work, &out);
    args_free(&a);
    free(objs);
    if (st != 0) {
        char *head = first_lines(out, 10);
        lines_add(&s->build, true, "%s does not link:\n%s", name, head);
        free(head);
    }
    free(out);
    return st == 0;
}

void build_lab(submission_t *s, const plan_t *p, const grade_policy_t *gp, enum lab lab,
               const char *hidden_tests)
{
    compile_timeout = gp->compile_timeout;
    const words_t *files = &p->lab_files[lab];
    char objs[16][4096];
    size_t nobj = 0;
    bool ok = true;
    size_t data = 0;
    char objdir[4096];
    snprintf(objdir, sizeof objdir, "%s/obj/student/%s", s->work, lab_name[lab]);
    failed_checks = 0;
    bool all_compiled = true;
    for (size_t i = 0; i < files->n; i++)
        if (!check_line_directives(s, files->v[i]))
            ok = false;
    for (size_t i = 0; i < files->n && nobj < 16; i++) {
        const char *f = files->v[i];
        size_t len = strlen(f);
        if (len < 2 || strcmp(f + len - 2, ".c"))
            continue;
        /* Relative: the compiler runs in src/, and names it as the student does. */
        if (!compile(s, p, f, f, objdir, false, objs[nobj], sizeof objs[nobj])) {
            ok = false;
            all_compiled = false;
            continue;
        }
        if (!check_object(s, p, lab, f, objs[nobj], &data))
            ok = false;
        nobj++;
    }
    if (data > gp->data_budget[lab]) {
        refuse(s, CK_DATA,
               "%s: %zu bytes of writable global data, over the budget of %zu (the rules: "
               "no global arrays or structures)", lab_name[lab], data, gp->data_budget[lab]);
        ok = false;
    }
    for (int k = 0; k < CK_COUNT; k++) {
        if (failed_checks & (1u << k))
            continue;
        if (!all_compiled && k > CK_INCLUDES) {
            lines_add(&s->checks, true, "%s: the objects' checks were not made: a file was "
                      "not compiled", lab_name[lab]);
            break;
        }
        if (k == CK_DATA)
            lines_add(&s->checks, false, "%s: %zu of %zu bytes of writable global data",
                      lab_name[lab], data, gp->data_budget[lab]);
        else
            lines_add(&s->checks, false, "%s: %s", lab_name[lab], check_passed[k]);
    }
    if (!ok) {
        lines_add(&s->build, true, "%s: not built (see above)", lab_name[lab]);
        return;
    }
    char joined[4096];
    if (!join(s, p, lab, objs, nobj, joined, sizeof joined))
        return;
    bool built = true;
    for (size_t i = 0; i < p->nprograms; i++) {
        const program_t *g = &p->programs[i];
        if (g->lab != lab)
            continue;
        /* A test program no part counts is not built: nothing would run it. */
        const char *pat[1];
        if (!strncmp(g->name, "test_", 5) && parts_test_patterns(gp, lab, pat, 1) == 0)
            continue;
        built = link_program(s, p, gp, g, joined, NULL, g->name) && built;
        if (hidden_tests && strncmp(g->name, "test_", 5) == 0) {
            char name[64];
            snprintf(name, sizeof name, "hidden_%s", lab_name[lab]);
            program_t h = *g;
            h.compile = (words_t){ 0 };
            built = link_program(s, p, gp, &h, joined, hidden_tests, name) && built;
        }
    }
    if (built)
        lines_add(&s->build, false, "%s: built", lab_name[lab]);
    s->lab_built[lab] = built;
}
