/*
 * test_intake.c - taking a submission's files: from a directory or an
 * archive (.tar.gz, .tgz, .tar, .zip), each student-owned file at the top
 * or under one top folder is copied into work/src with its SHA-256; what
 * is missing, refused (a link, an absolute path, a path through "..", a
 * file over the size limit) or unreadable comes from the skeleton and the
 * report says so; extra files are named and never written; an archive that
 * cannot be read is an error. And the helpers grade picks its inputs with:
 * intake_is_archive, intake_is_submission, sha256_hex.
 *
 * Each test has a fresh folder: sub/ (a submission as a directory),
 * archives beside it, and work/ (the submission's work folder).
 */
#define _GNU_SOURCE
#include <archive.h>
#include <archive_entry.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "intake.h"
#include "plan.h"
#include "timeouts.h"

#ifndef GRADE_PLAN
#define GRADE_PLAN KIT_ROOT "/build/release/solution/gradekit/plan.ini"
#endif

static plan_t plan;
static char root[4096], sub[4200], work[4200];
static submission_t s;
static intake_limits_t lim;

static const char mm_text[] = "/* a student's allocator */\nint mm_init(void) { return 0; }\n";

static void intake_setup(void)
{
    cr_assert(eq(int, plan_load(GRADE_PLAN, &plan, stderr), 0), "cannot load %s", GRADE_PLAN);
    const char *tmp = getenv("TMPDIR");
    snprintf(root, sizeof root, "%s/intake-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    cr_assert(ne(ptr, mkdtemp(root), NULL), "cannot make a directory %s", root);
    snprintf(sub, sizeof sub, "%s/sub", root);
    snprintf(work, sizeof work, "%s/work", root);
    cr_assert(eq(int, mkdir(sub, 0755), 0));
    cr_assert(eq(int, mkdir(work, 0755), 0));
    lim = (intake_limits_t){ .max_file = 256 << 10, .max_entries = 5000,
                             .max_total = (size_t)256 << 20 };
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

static void intake_teardown(void)
{
    submission_free(&s);
    plan_free(&plan);
    if (root[0])
        nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(intake, .init = intake_setup, .fini = intake_teardown, .timeout = TIMEOUT(10));

/* --- making submissions --------------------------------------------------- */

/* make_parents - the directories above path. */
static void make_parents(const char *path)
{
    char dir[8192];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *p = strchr(dir + 1, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        mkdir(dir, 0755);
        *p = '/';
    }
}

/* put - base/rel holding len bytes of data. */
static void put(const char *base, const char *rel, const char *data, size_t len)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", base, rel);
    make_parents(path);
    FILE *f = fopen(path, "wb");
    cr_assert(ne(ptr, f, NULL), "cannot write %s", path);
    cr_assert(eq(sz, fwrite(data, 1, len, f), len));
    cr_assert(eq(int, fclose(f), 0));
}

/* put_text - sub/rel holding text. */
static void put_text(const char *rel, const char *text)
{
    put(sub, rel, text, strlen(text));
}

/* filled - n bytes of a C comment, malloc'd. */
static char *filled(size_t n)
{
    char *b = malloc(n + 1);
    cr_assert(ne(ptr, b, NULL));
    memset(b, ' ', n);
    if (n >= 4) {
        memcpy(b, "/*", 2);
        memcpy(b + n - 2, "*/", 2);
    }
    b[n] = '\0';
    return b;
}

/* One entry of an archive made by a test. */
typedef struct ent {
    const char *path;
    enum { A_FILE, A_DIR, A_SYMLINK, A_HARDLINK } kind;
    const char *data;       /* a file's bytes; a link's target */
    size_t len;             /* a file's length; 0: strlen(data) */
} ent_t;

/*
 * make_archive - root/name made with libarchive from n entries, in the
 * format its name says (.zip, .tar, else gzip'd tar); its path to path.
 */
static void make_archive(const char *name, const ent_t *e, size_t n, char *path, size_t pn)
{
    snprintf(path, pn, "%s/%s", root, name);
    struct archive *a = archive_write_new();
    size_t len = strlen(name);
    if (len > 4 && !strcmp(name + len - 4, ".zip"))
        archive_write_set_format_zip(a);
    else {
        archive_write_set_format_pax_restricted(a);
        if (!(len > 4 && !strcmp(name + len - 4, ".tar")))
            archive_write_add_filter_gzip(a);
    }
    cr_assert(eq(int, archive_write_open_filename(a, path), ARCHIVE_OK), "%s",
              archive_error_string(a));
    for (size_t i = 0; i < n; i++) {
        struct archive_entry *ae = archive_entry_new();
        archive_entry_set_pathname(ae, e[i].path);
        size_t dlen = e[i].kind == A_FILE ? (e[i].len ? e[i].len : strlen(e[i].data)) : 0;
        switch (e[i].kind) {
        case A_FILE:
            archive_entry_set_filetype(ae, AE_IFREG);
            archive_entry_set_perm(ae, 0644);
            archive_entry_set_size(ae, (la_int64_t)dlen);
            break;
        case A_DIR:
            archive_entry_set_filetype(ae, AE_IFDIR);
            archive_entry_set_perm(ae, 0755);
            break;
        case A_SYMLINK:
            archive_entry_set_filetype(ae, AE_IFLNK);
            archive_entry_set_perm(ae, 0777);
            archive_entry_set_symlink(ae, e[i].data);
            break;
        case A_HARDLINK:
            archive_entry_set_filetype(ae, AE_IFREG);
            archive_entry_set_perm(ae, 0644);
            archive_entry_set_hardlink(ae, e[i].data);
            archive_entry_set_size(ae, 0);
            break;
        }
        cr_assert(eq(int, archive_write_header(a, ae), ARCHIVE_OK), "%s: %s", e[i].path,
                  archive_error_string(a));
        if (dlen)
            cr_assert(eq(i64, (int64_t)archive_write_data(a, e[i].data, dlen), (int64_t)dlen));
        archive_entry_free(ae);
    }
    cr_assert(eq(int, archive_write_close(a), ARCHIVE_OK));
    archive_write_free(a);
}

/* shell - run command (made from fmt) with sh; the test fails unless it
 * succeeds. */
static void shell(const char *fmt, const char *arg1, const char *arg2)
{
    char cmd[16384];
    snprintf(cmd, sizeof cmd, fmt, arg1, arg2);
    cr_assert(eq(int, system(cmd), 0), "%s", cmd);
}

/* --- taking them ---------------------------------------------------------- */

/* take - intake of source into work/, with lim. */
static int take(const char *source)
{
    s.name = strdup("student");
    s.source = strdup(source);
    s.work = strdup(work);
    static const bool both[LAB_COUNT] = { true, true };
    return intake(&s, &plan, &lim, both);
}

/* taken - the record of student path sf (the test fails if there is none). */
static const file_taken_t *taken(const char *sf)
{
    for (size_t i = 0; i < s.nfiles; i++)
        if (s.files && !strcmp(s.files[i].path, sf))
            return &s.files[i];
    cr_fatal("intake has no record of %s", sf);
    return NULL;
}

/* line_with - the first intake line containing part, or NULL. */
static const note_t *line_with(const char *part)
{
    for (size_t i = 0; i < s.intake.n; i++)
        if (strstr(s.intake.v[i].text, part))
            return &s.intake.v[i];
    return NULL;
}

/* all_lines - the intake's lines, one string (for messages; static). */
static const char *all_lines(void)
{
    static char buf[8192];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < s.intake.n && len < sizeof buf; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "\n  %s%s",
                                s.intake.v[i].bad ? "(bad) " : "", s.intake.v[i].text);
    return buf;
}

/* slurp - the whole of path (malloc'd, terminated; its length to *len),
 * or NULL when it cannot be read. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0;
    FILE *m = open_memstream(&buf, &cap);
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, got, m);
    fclose(f);
    fclose(m);
    *len = cap;
    return buf;
}

/* in_work - work/src/sf's bytes, or NULL. */
static char *in_work(const char *sf, size_t *len)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/src/%s", work, sf);
    return slurp(path, len);
}

/* expect_taken - sf was taken holding exactly data: its SHA-256 recorded,
 * its bytes in work/src. */
static void expect_taken(const char *sf, const char *data, size_t len)
{
    const file_taken_t *f = taken(sf);
    char want[65];
    sha256_hex(data, len, want);
    cr_expect(eq(int, f->from_skeleton, false), "%s came from the skeleton:%s", sf, all_lines());
    cr_expect(eq(str, (char *)f->sha256, want), "sha256 of %s", sf);
    size_t got_len = 0;
    char *got = in_work(sf, &got_len);
    cr_expect(ne(ptr, got, NULL), "%s is not in work/src", sf);
    if (got) {
        cr_expect(eq(sz, got_len, len), "bytes of work/src/%s", sf);
        cr_expect(eq(int, got_len == len ? memcmp(got, data, len) : 1, 0),
                  "work/src/%s is not what was submitted", sf);
    }
    free(got);
}

/* expect_skeleton - sf is the skeleton's: recorded so, copied to work/src. */
static void expect_skeleton(const char *sf)
{
    const file_taken_t *f = taken(sf);
    cr_expect(eq(int, f->from_skeleton, true), "%s was taken:%s", sf, all_lines());
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", plan.skeleton, sf);
    size_t want_len = 0, got_len = 0;
    char *want = slurp(path, &want_len), *got = in_work(sf, &got_len);
    cr_assert(ne(ptr, want, NULL), "cannot read %s", path);
    cr_expect(ne(ptr, got, NULL), "%s is not in work/src", sf);
    if (got)
        cr_expect(eq(int, got_len == want_len ? memcmp(got, want, want_len) : 1, 0),
                  "work/src/%s (%zu bytes) is not the skeleton's (%zu bytes)", sf, got_len,
                  want_len);
    free(want);
    free(got);
}

/* expect_refused - of an archive holding only malloc/mm.c in some refused
 * form: intake succeeds, the skeleton's mm.c is used, the lab is not taken. */
static void expect_refused(const char *archive)
{
    cr_assert(eq(int, take(archive), 0), "%s", all_lines());
    expect_skeleton("malloc/mm.c");
    cr_expect(eq(int, s.lab_taken[LAB_MALLOC], false));
}

static const ent_t mm_entry = { "malloc/mm.c", A_FILE, mm_text, 0 };

/* --- sha256_hex ---------------------------------------------------------- */

Test(intake, sha256_of_abc_is_the_standard_vector)
{
    char out[65];
    sha256_hex("abc", 3, out);
    cr_expect(eq(str, out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
}

Test(intake, sha256_of_nothing_is_the_standard_vector)
{
    char out[65];
    sha256_hex("", 0, out);
    cr_expect(eq(str, out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}

/* --- a directory --------------------------------------------------------- */

Test(intake, a_file_at_the_top_of_a_directory_is_taken_with_its_sha256)
{
    put_text("malloc/mm.c", mm_text);
    cr_assert(eq(int, take(sub), 0), "%s", all_lines());
    expect_taken("malloc/mm.c", mm_text, strlen(mm_text));
}

Test(intake, the_report_names_a_taken_file_and_its_sha256)
{
    put_text("malloc/mm.c", mm_text);
    cr_assert(eq(int, take(sub), 0));
    char want[65];
    sha256_hex(mm_text, strlen(mm_text), want);
    const note_t *l = line_with("took malloc/mm.c");
    cr_assert(ne(ptr, (void *)l, NULL), "%s", all_lines());
    cr_expect(ne(ptr, strstr(l->text, want), NULL), "[%s] lacks %s", l->text, want);
    cr_expect(eq(int, l->bad, false));
}

Test(intake, every_student_file_has_a_record_in_plan_order)
{
    put_text("malloc/mm.c", mm_text);
    cr_assert(eq(int, take(sub), 0));
    cr_assert(eq(sz, s.nfiles, plan.student_files.n));
    for (size_t i = 0; i < s.nfiles; i++)
        cr_expect(eq(str, s.files[i].path, plan.student_files.v[i]));
}

Test(intake, the_files_a_directory_lacks_come_from_the_skeleton)
{
    put_text("malloc/mm.c", mm_text);
    cr_assert(eq(int, take(sub), 0));
    expect_skeleton("malloc/mminline.h");
    for (size_t i = 0; i < plan.lab_files[LAB_VM].n; i++)
        expect_skeleton(plan.lab_files[LAB_VM].v[i]);
}

/* A lab half there is likely to fail: the missing file is a failure. */
Test(intake, a_missing_file_of_a_submitted_lab_is_a_failure_in_the_report)
{
    put_text("malloc/mm.c", mm_text);
    cr_assert(eq(int, take(sub), 0));
    const note_t *l = line_with("malloc/mminline.h is missing");
    cr_assert(ne(ptr, (void *)l, NULL), "%s", all_lines());
    cr_expect(eq(int, l->bad, true));
}

/* A lab none of whose files is there is one line, not a line per file. */
Test(intake, a_lab_none_of_whose_files_is_there_is_not_submitted)
{
    put_text("malloc/mm.c", mm_text);
    cr_assert(eq(int, take(sub), 0));
    const note_t *l = line_with("vm: not submitted");
    cr_assert(ne(ptr, (void *)l, NULL), "%s", all_lines());
    cr_expect(eq(int, l->bad, false));
    cr_expect(eq(ptr, (void *)line_with("vm/tlb.c"), NULL), "%s", all_lines());
}

Test(intake, a_student_file_at_the_wrong_path_is_pointed_at)
{
    put_text("mm.c", mm_text);
    put_text("malloc/mminline.h", "/* inline */\n");
    cr_assert(eq(int, take(sub), 0));
    const note_t *l = line_with("found mm.c, not taken: a student's mm.c belongs at malloc/mm.c");
    cr_assert(ne(ptr, (void *)l, NULL), "%s", all_lines());
    cr_expect(eq(int, l->bad, true));
}

Test(intake, an_empty_archive_is_named)
{
    char path[8192];
    make_archive("s.tar.gz", NULL, 0, path, sizeof path);
    take(path);
    cr_expect(ne(ptr, (void *)line_with("the archive holds no files"), NULL), "%s", all_lines());
}

Test(intake, only_a_lab_with_a_file_of_the_students_is_taken)
{
    put_text("malloc/mm.c", mm_text);
    cr_assert(eq(int, take(sub), 0));
    cr_expect(eq(int, s.lab_taken[LAB_MALLOC], true));
    cr_expect(eq(int, s.lab_taken[LAB_VM], false));
}

Test(intake, files_under_one_top_folder_are_taken)
{
    put_text("handin/malloc/mm.c", mm_text);
    put_text("handin/vm/tlb.c", "int tlb;\n");
    cr_assert(eq(int, take(sub), 0), "%s", all_lines());
    expect_taken("malloc/mm.c", mm_text, strlen(mm_text));
    expect_taken("vm/tlb.c", "int tlb;\n", 9);
    cr_expect(eq(int, s.lab_taken[LAB_VM], true));
}

Test(intake, a_file_two_folders_down_is_not_taken)
{
    put_text("a/b/malloc/mm.c", mm_text);
    cr_assert(eq(int, take(sub), 0));
    expect_skeleton("malloc/mm.c");
}

Test(intake, an_extra_file_is_named_in_the_report)
{
    put_text("malloc/mm.c", mm_text);
    put_text("notes.txt", "my notes\n");
    cr_assert(eq(int, take(sub), 0));
    const note_t *l = line_with("notes.txt");
    cr_assert(ne(ptr, (void *)l, NULL), "%s", all_lines());
    cr_expect(ne(ptr, strstr(l->text, "not taken"), NULL), "[%s]", l->text);
}

Test(intake, an_extra_file_is_not_written_to_work_src)
{
    put_text("malloc/mm.c", mm_text);
    put_text("notes.txt", "my notes\n");
    put_text("malloc/helper.c", "int helper;\n");
    cr_assert(eq(int, take(sub), 0));
    size_t len;
    char *got = in_work("notes.txt", &len);
    cr_expect(eq(ptr, got, NULL), "work/src/notes.txt was written");
    free(got);
    got = in_work("malloc/helper.c", &len);
    cr_expect(eq(ptr, got, NULL), "work/src/malloc/helper.c was written");
    free(got);
}

Test(intake, a_file_over_the_size_limit_is_not_taken)
{
    lim.max_file = 1024;
    char *big = filled(2000);
    put_text("malloc/mm.c", big);
    cr_assert(eq(int, take(sub), 0));
    expect_skeleton("malloc/mm.c");
    cr_expect(eq(int, s.lab_taken[LAB_MALLOC], false));
    free(big);
}

Test(intake, the_report_says_a_file_is_over_the_limit)
{
    lim.max_file = 1024;
    char *big = filled(2000);
    put_text("malloc/mm.c", big);
    cr_assert(eq(int, take(sub), 0));
    const note_t *l = line_with("larger than the limit");
    cr_assert(ne(ptr, (void *)l, NULL), "%s", all_lines());
    cr_expect(ne(ptr, strstr(l->text, "malloc/mm.c"), NULL), "[%s]", l->text);
    free(big);
}

Test(intake, a_file_of_exactly_the_size_limit_is_taken)
{
    lim.max_file = 1024;
    char *edge = filled(1024);
    put_text("malloc/mm.c", edge);
    cr_assert(eq(int, take(sub), 0));
    expect_taken("malloc/mm.c", edge, 1024);
    free(edge);
}

Test(intake, a_symlink_in_a_directory_is_refused)
{
    put(root, "elsewhere.c", mm_text, strlen(mm_text));
    char target[8192], link[8192];
    snprintf(target, sizeof target, "%s/elsewhere.c", root);
    snprintf(link, sizeof link, "%s/malloc/mm.c", sub);
    make_parents(link);
    cr_assert(eq(int, symlink(target, link), 0), "symlink: %s", strerror(errno));
    cr_assert(eq(int, take(sub), 0));
    expect_skeleton("malloc/mm.c");
    cr_expect(eq(int, s.lab_taken[LAB_MALLOC], false));
}

Test(intake, a_symlinked_folder_in_a_directory_is_not_followed)
{
    put(root, "elsewhere/mm.c", mm_text, strlen(mm_text));
    char target[8192], link[8192];
    snprintf(target, sizeof target, "%s/elsewhere", root);
    snprintf(link, sizeof link, "%s/malloc", sub);
    cr_assert(eq(int, symlink(target, link), 0), "symlink: %s", strerror(errno));
    cr_assert(eq(int, take(sub), 0));
    expect_skeleton("malloc/mm.c");
}

Test(intake, a_missing_source_is_an_error)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/nothing-here", root);
    cr_expect(eq(int, take(path), -1));
    cr_expect(eq(sz, s.intake.n, (size_t)1));
    cr_expect(eq(int, s.intake.n ? s.intake.v[0].bad : false, true));
}

Test(intake, more_entries_than_the_limit_are_reported)
{
    lim.max_entries = 3;
    put_text("malloc/mm.c", mm_text);
    for (int i = 0; i < 5; i++) {
        char name[32];
        snprintf(name, sizeof name, "extra%d.txt", i);
        put_text(name, "x\n");
    }
    cr_assert(eq(int, take(sub), 0));
    cr_expect(ne(ptr, (void *)line_with("more than 3 entries"), NULL), "%s", all_lines());
}

/* --- archives ------------------------------------------------------------ */

Test(intake, a_tar_gz_with_mm_c_is_taken)
{
    char path[8192];
    make_archive("s.tar.gz", &mm_entry, 1, path, sizeof path);
    cr_assert(eq(int, take(path), 0), "%s", all_lines());
    expect_taken("malloc/mm.c", mm_text, strlen(mm_text));
    cr_expect(eq(int, s.lab_taken[LAB_MALLOC], true));
}

Test(intake, a_tgz_with_mm_c_is_taken)
{
    char path[8192];
    make_archive("s.tgz", &mm_entry, 1, path, sizeof path);
    cr_assert(eq(int, take(path), 0), "%s", all_lines());
    expect_taken("malloc/mm.c", mm_text, strlen(mm_text));
}

Test(intake, a_plain_tar_with_mm_c_is_taken)
{
    char path[8192];
    make_archive("s.tar", &mm_entry, 1, path, sizeof path);
    cr_assert(eq(int, take(path), 0), "%s", all_lines());
    expect_taken("malloc/mm.c", mm_text, strlen(mm_text));
}

Test(intake, a_zip_with_mm_c_is_taken)
{
    char path[8192];
    make_archive("s.zip", &mm_entry, 1, path, sizeof path);
    cr_assert(eq(int, take(path), 0), "%s", all_lines());
    expect_taken("malloc/mm.c", mm_text, strlen(mm_text));
    cr_expect(eq(int, s.lab_taken[LAB_MALLOC], true));
}

Test(intake, an_archive_of_one_top_folder_is_taken)
{
    const ent_t e[] = {
        { "handin/", A_DIR, NULL, 0 },
        { "handin/malloc/", A_DIR, NULL, 0 },
        { "handin/malloc/mm.c", A_FILE, mm_text, 0 },
    };
    char path[8192];
    make_archive("s.tar.gz", e, 3, path, sizeof path);
    cr_assert(eq(int, take(path), 0), "%s", all_lines());
    expect_taken("malloc/mm.c", mm_text, strlen(mm_text));
}

Test(intake, archive_paths_starting_with_dot_slash_are_taken)
{
    const ent_t e[] = { { "./malloc/mm.c", A_FILE, mm_text, 0 } };
    char path[8192];
    make_archive("s.tar.gz", e, 1, path, sizeof path);
    cr_assert(eq(int, take(path), 0), "%s", all_lines());
    expect_taken("malloc/mm.c", mm_text, strlen(mm_text));
}

Test(intake, a_tar_gz_made_by_tar_is_taken)
{
    put_text("malloc/mm.c", mm_text);
    char path[8192];
    snprintf(path, sizeof path, "%s/s.tar.gz", root);
    shell("tar -C '%s' -czf '%s' malloc", sub, path);
    cr_assert(eq(int, take(path), 0), "%s", all_lines());
    expect_taken("malloc/mm.c", mm_text, strlen(mm_text));
}

Test(intake, a_zip_made_by_zip_is_taken)
{
    put_text("handin/malloc/mm.c", mm_text);
    char path[8192];
    snprintf(path, sizeof path, "%s/s.zip", root);
    shell("cd '%s' && zip -qr '%s' handin", sub, path);
    cr_assert(eq(int, take(path), 0), "%s", all_lines());
    expect_taken("malloc/mm.c", mm_text, strlen(mm_text));
}

Test(intake, an_archive_entry_with_an_absolute_path_is_refused)
{
    const ent_t e[] = { { "/malloc/mm.c", A_FILE, mm_text, 0 } };
    char path[8192];
    make_archive("s.tar.gz", e, 1, path, sizeof path);
    expect_refused(path);
}

Test(intake, an_archive_entry_through_dot_dot_is_refused)
{
    const ent_t e[] = { { "../malloc/mm.c", A_FILE, mm_text, 0 } };
    char path[8192];
    make_archive("s.tar.gz", e, 1, path, sizeof path);
    expect_refused(path);
}

Test(intake, the_report_says_an_entry_goes_through_dot_dot)
{
    const ent_t e[] = { { "../malloc/mm.c", A_FILE, mm_text, 0 } };
    char path[8192];
    make_archive("s.tar.gz", e, 1, path, sizeof path);
    cr_assert(eq(int, take(path), 0));
    cr_expect(ne(ptr, (void *)line_with("a path through .."), NULL), "%s", all_lines());
}

Test(intake, an_archive_entry_through_dot_dot_inside_is_refused)
{
    const ent_t e[] = { { "malloc/../malloc/mm.c", A_FILE, mm_text, 0 } };
    char path[8192];
    make_archive("s.tar.gz", e, 1, path, sizeof path);
    expect_refused(path);
}

Test(intake, a_symlink_entry_is_refused)
{
    const ent_t e[] = { { "malloc/mm.c", A_SYMLINK, "/etc/passwd", 0 } };
    char path[8192];
    make_archive("s.tar.gz", e, 1, path, sizeof path);
    expect_refused(path);
}

Test(intake, a_symlink_entry_in_a_zip_is_refused)
{
    const ent_t e[] = { { "malloc/mm.c", A_SYMLINK, "/etc/passwd", 0 } };
    char path[8192];
    make_archive("s.zip", e, 1, path, sizeof path);
    expect_refused(path);
}

Test(intake, a_hardlink_entry_is_refused)
{
    const ent_t e[] = {
        { "other.c", A_FILE, mm_text, 0 },
        { "malloc/mm.c", A_HARDLINK, "other.c", 0 },
    };
    char path[8192];
    make_archive("s.tar.gz", e, 2, path, sizeof path);
    expect_refused(path);
}

Test(intake, a_symlink_entry_beside_a_taken_file_is_named_as_a_link)
{
    const ent_t e[] = {
        { "vm/tlb.c", A_FILE, "int tlb;\n", 0 },
        { "malloc/mm.c", A_SYMLINK, "/etc/passwd", 0 },
    };
    char path[8192];
    make_archive("s.tar.gz", e, 2, path, sizeof path);
    cr_assert(eq(int, take(path), 0));
    cr_expect(ne(ptr, (void *)line_with("malloc/mm.c is a link"), NULL), "%s", all_lines());
}

/* A refused entry is named as refused even when it is the only student
 * file: the TA must not be told the student sent no mm.c. */
Test(intake, a_lone_symlink_entry_is_named_as_a_link)
{
    const ent_t e[] = { { "malloc/mm.c", A_SYMLINK, "/etc/passwd", 0 } };
    char path[8192];
    make_archive("s.tar.gz", e, 1, path, sizeof path);
    cr_assert(eq(int, take(path), 0));
    cr_expect(ne(ptr, (void *)line_with("malloc/mm.c is a link"), NULL), "%s", all_lines());
}

Test(intake, an_archive_file_over_the_size_limit_is_not_taken)
{
    lim.max_file = 1024;
    char *big = filled(2000);
    const ent_t e[] = { { "malloc/mm.c", A_FILE, big, 2000 } };
    char path[8192];
    make_archive("s.tar.gz", e, 1, path, sizeof path);
    expect_refused(path);
    cr_expect(ne(ptr, (void *)line_with("larger than the limit"), NULL), "%s", all_lines());
    free(big);
}

/* A student file listed after the archive's byte limit is reached is not
 * read, and so not taken (as an empty file, say): the skeleton's is used. */
Test(intake, a_file_past_the_archives_byte_limit_is_not_taken_empty)
{
    lim.max_total = 100;
    char *first = filled(200);
    const ent_t e[] = {
        { "malloc/mm.c", A_FILE, first, 200 },
        { "malloc/mminline.h", A_FILE, "/* inline */\n", 0 },
    };
    char path[8192];
    make_archive("s.tar.gz", e, 2, path, sizeof path);
    take(path);
    const file_taken_t *f = taken("malloc/mminline.h");
    char empty[65];
    sha256_hex("", 0, empty);
    cr_expect(ne(str, (char *)f->sha256, empty), "mminline.h taken empty:%s", all_lines());
    free(first);
}

/* A file whose reading reaches max_total is not taken cut there: either
 * whole or not at all. */
Test(intake, a_file_cut_by_the_archives_byte_limit_is_not_taken)
{
    size_t n = 200000;
    lim.max_file = 1 << 20;
    lim.max_total = 50000;
    char *big = filled(n);
    const ent_t e[] = { { "malloc/mm.c", A_FILE, big, n } };
    char path[8192];
    make_archive("s.tar", e, 1, path, sizeof path);
    take(path);
    const file_taken_t *f = taken("malloc/mm.c");
    char whole[65];
    sha256_hex(big, n, whole);
    cr_expect(eq(int, f->from_skeleton || !strcmp(f->sha256, whole), true),
              "a cut mm.c was taken:%s", all_lines());
    free(big);
}

Test(intake, a_damaged_archive_is_an_error)
{
    char junk[4096];
    unsigned v = 12345;
    for (size_t i = 0; i < sizeof junk; i++) {
        v = v * 1103515245u + 12345u;
        junk[i] = (char)(v >> 16);
    }
    put(root, "x.tar.gz", junk, sizeof junk);
    char path[8192];
    snprintf(path, sizeof path, "%s/x.tar.gz", root);
    cr_expect(eq(int, take(path), -1));
}

Test(intake, the_report_says_a_damaged_archive_cannot_be_read)
{
    char junk[4096];
    unsigned v = 12345;
    for (size_t i = 0; i < sizeof junk; i++) {
        v = v * 1103515245u + 12345u;
        junk[i] = (char)(v >> 16);
    }
    put(root, "x.tar.gz", junk, sizeof junk);
    char path[8192];
    snprintf(path, sizeof path, "%s/x.tar.gz", root);
    take(path);
    const note_t *l = line_with(path);
    cr_assert(ne(ptr, (void *)l, NULL), "%s", all_lines());
    cr_expect(eq(int, l->bad, true));
    cr_expect(ne(ptr, strstr(l->text, "cannot read the archive"), NULL), "[%s]", l->text);
}

Test(intake, a_cut_archive_is_an_error)
{
    char *big = filled(100000);
    const ent_t e[] = {
        { "malloc/mm.c", A_FILE, big, 100000 },
        { "vm/tlb.c", A_FILE, big, 100000 },
    };
    char path[8192];
    make_archive("s.tar", e, 2, path, sizeof path);
    cr_assert(eq(int, truncate(path, 150000), 0));
    cr_expect(eq(int, take(path), -1), "%s", all_lines());
    free(big);
}

/* --- choosing inputs ----------------------------------------------------- */

Test(intake, archives_are_known_by_their_names)
{
    cr_expect(eq(int, intake_is_archive("a/s.tar.gz"), true));
    cr_expect(eq(int, intake_is_archive("s.tgz"), true));
    cr_expect(eq(int, intake_is_archive("s.zip"), true));
    cr_expect(eq(int, intake_is_archive("s.tar"), true));
    cr_expect(eq(int, intake_is_archive("S.ZIP"), true));
}

Test(intake, other_names_are_not_archives)
{
    cr_expect(eq(int, intake_is_archive("mm.c"), false));
    cr_expect(eq(int, intake_is_archive("s.gz"), false));
    cr_expect(eq(int, intake_is_archive("handin"), false));
}

Test(intake, a_directory_holding_mm_c_is_a_submission)
{
    put_text("malloc/mm.c", mm_text);
    cr_expect(eq(int, intake_is_submission(sub, &plan), true));
}

Test(intake, a_directory_holding_mm_c_under_one_folder_is_a_submission)
{
    put_text("handin/malloc/mm.c", mm_text);
    cr_expect(eq(int, intake_is_submission(sub, &plan), true));
}

Test(intake, an_empty_directory_is_not_a_submission)
{
    cr_expect(eq(int, intake_is_submission(sub, &plan), false));
}

Test(intake, a_directory_of_other_files_is_not_a_submission)
{
    put_text("README", "hello\n");
    put_text("malloc/notes.txt", "x\n");
    cr_expect(eq(int, intake_is_submission(sub, &plan), false));
}
