/*
 * intake.c - a submission's files, from a directory or an archive (see
 * intake.h).
 *
 * Both sources are first listed as entries (path, kind, size, and the
 * bytes of those that may be student-owned files); then one decision takes
 * the student-owned paths, at the top or under a single top folder. Only
 * what is taken is ever written, and only to s->work/src.
 */
#define _GNU_SOURCE
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "intake.h"

typedef struct entry {
    char *path;
    enum { E_FILE, E_DIR, E_LINK, E_OTHER } kind;
    size_t size;
    char *data;             /* read when the path may be a student file and not too big */
    bool read;
} entry_t;

typedef struct listing {
    entry_t *v;
    size_t n, cap;
    size_t total;           /* bytes read */
    bool truncated;         /* more entries than max_entries */
} listing_t;

void sha256_hex(const void *data, size_t n, char out[65])
{
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, n, data);
    sha256_digest(&ctx, sizeof digest, digest);
    for (size_t i = 0; i < sizeof digest; i++)
        snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

bool intake_is_archive(const char *path)
{
    static const char *ext[] = { ".tar.gz", ".tgz", ".tar", ".zip", ".tar.xz", ".tar.bz2" };
    size_t len = strlen(path);
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        size_t e = strlen(ext[i]);
        if (len > e && !strcasecmp(path + len - e, ext[i]))
            return true;
    }
    return false;
}

/* wanted - whether path (as listed) could be a student file: a student
 * path, or one under a single top folder. */
static bool wanted(const char *path, const plan_t *p)
{
    for (size_t i = 0; i < p->student_files.n; i++) {
        const char *sf = p->student_files.v[i];
        size_t lp = strlen(path), ls = strlen(sf);
        if (!strcmp(path, sf))
            return true;
        if (lp > ls + 1 && !strcmp(path + lp - ls, sf) && path[lp - ls - 1] == '/' &&
            memchr(path, '/', lp - ls - 1) == NULL)
            return true;
    }
    return false;
}

/* unsafe - why a listed path may not be taken, or NULL. */
static const char *unsafe(const char *path)
{
    if (path[0] == '/')
        return "an absolute path";
    const char *p = path;
    while (*p) {
        size_t len = strcspn(p, "/");
        if (len == 2 && p[0] == '.' && p[1] == '.')
            return "a path through ..";
        p += len;
        p += *p == '/';
    }
    return NULL;
}

static entry_t *add_entry(listing_t *l, const char *path)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 32;
        entry_t *v = realloc(l->v, l->cap * sizeof *v);
        if (!v)
            abort();
        l->v = v;
    }
    entry_t *e = &l->v[l->n++];
    memset(e, 0, sizeof *e);
    /* Archives write directories as "dir/" and paths as "./x": one form. */
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    e->path = strdup(path);
    size_t len = strlen(e->path);
    while (len > 1 && e->path[len - 1] == '/')
        e->path[--len] = '\0';
    return e;
}

static void listing_free(listing_t *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].path);
        free(l->v[i].data);
    }
    free(l->v);
}

/* --- an archive --------------------------------------------------------- */

static int list_archive(const char *file, const plan_t *p, const intake_limits_t *lim,
                        listing_t *l, char *err, size_t n)
{
    struct archive *a = archive_read_new();
    /* The compressions libarchive reads itself (never an outside program). */
    archive_read_support_filter_gzip(a);
    archive_read_support_filter_bzip2(a);
    archive_read_support_filter_xz(a);
    archive_read_support_format_tar(a);
    archive_read_support_format_zip(a);
    archive_read_support_format_gnutar(a);
    if (archive_read_open_filename(a, file, 65536) != ARCHIVE_OK) {
        snprintf(err, n, "cannot read the archive: %s", archive_error_string(a));
        archive_read_free(a);
        return -1;
    }
    struct archive_entry *ae;
    int r;
    while ((r = archive_read_next_header(a, &ae)) == ARCHIVE_OK) {
        if (l->n == lim->max_entries) {
            l->truncated = true;
            break;
        }
        /* Entries skipped are still unpacked to get past them: a bomb of
         * one is bounded by the bytes read in all. */
        if ((size_t)archive_filter_bytes(a, 0) > lim->max_total) {
            l->truncated = true;
            break;
        }
        const char *path = archive_entry_pathname(ae);
        entry_t *e = add_entry(l, path ? path : "");
        mode_t type = archive_entry_filetype(ae);
        if (archive_entry_hardlink(ae) || archive_entry_symlink(ae) || type == AE_IFLNK)
            e->kind = E_LINK;
        else if (type == AE_IFDIR)
            e->kind = E_DIR;
        else if (type == AE_IFREG)
            e->kind = E_FILE;
        else
            e->kind = E_OTHER;
        e->size = archive_entry_size_is_set(ae) ? (size_t)archive_entry_size(ae) : 0;
        if (e->kind != E_FILE || !wanted(e->path, p) || unsafe(e->path))
            continue;
        /* Past the archive's byte limit, nothing more is read (or taken). */
        if (l->total >= lim->max_total)
            continue;
        /* Read at most one byte past the limit: enough to know it is too big. */
        size_t cap = lim->max_file + 1, len = 0;
        char *buf = malloc(cap + 1);
        if (!buf)
            abort();
        la_ssize_t got;
        while (len < cap && l->total < lim->max_total &&
               (got = archive_read_data(a, buf + len, cap - len)) > 0) {
            len += (size_t)got;
            l->total += (size_t)got;
        }
        buf[len] = '\0';
        e->data = buf;
        e->size = len;
        e->read = true;
    }
    if (r != ARCHIVE_OK && r != ARCHIVE_EOF && !l->truncated) {
        snprintf(err, n, "the archive is damaged after %zu entries: %s", l->n,
                 archive_error_string(a));
        archive_read_free(a);
        return -1;
    }
    archive_read_free(a);
    return 0;
}

/* --- a directory -------------------------------------------------------- */

static int read_file(const char *path, entry_t *e, size_t max)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t cap = max + 1, len = 0;
    char *buf = malloc(cap + 1);
    if (!buf)
        abort();
    ssize_t got;
    while (len < cap && (got = read(fd, buf + len, cap - len)) > 0)
        len += (size_t)got;
    close(fd);
    buf[len] = '\0';
    e->data = buf;
    e->size = len;
    e->read = true;
    return 0;
}

static void list_dir(const char *root, const char *rel, int depth, const plan_t *p,
                     const intake_limits_t *lim, listing_t *l)
{
    char dir[8192 + 8];
    snprintf(dir, sizeof dir, "%s%s%s", root, *rel ? "/" : "", rel);
    DIR *d = opendir(dir);
    if (!d)
        return;
    for (struct dirent *de; (de = readdir(d));) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (l->n == lim->max_entries) {
            l->truncated = true;
            break;
        }
        char path[4096], full[8192 + 8];
        if (snprintf(path, sizeof path, "%s%s%s", rel, *rel ? "/" : "", de->d_name) >=
            (int)sizeof path)
            continue;
        snprintf(full, sizeof full, "%s/%s", root, path);
        struct stat st;
        if (lstat(full, &st) < 0)
            continue;
        entry_t *e = add_entry(l, path);
        e->size = (size_t)st.st_size;
        if (S_ISLNK(st.st_mode))
            e->kind = E_LINK;
        else if (S_ISDIR(st.st_mode)) {
            e->kind = E_DIR;
            if (depth < 4)
                list_dir(root, path, depth + 1, p, lim, l);
        } else if (S_ISREG(st.st_mode)) {
            e->kind = E_FILE;
            if (wanted(path, p))
                read_file(full, e, lim->max_file);
        } else
            e->kind = E_OTHER;
    }
    closedir(d);
}

bool intake_is_submission(const char *dir, const plan_t *p)
{
    intake_limits_t lim = { .max_file = 0, .max_entries = 2000, .max_total = 0 };
    listing_t l = { 0 };
    list_dir(dir, "", 0, p, &lim, &l);
    /* A student file at the top; or one folder at the top, with student
     * files in it, and beside it no other folder nor archive (a class of
     * one student's folder and another's archive is a class). */
    bool top = false, in_folder = false;
    unsigned folders = 0, archives = 0;
    for (size_t i = 0; i < l.n; i++) {
        const entry_t *e = &l.v[i];
        bool at_top = !strchr(e->path, '/');
        if (at_top && e->path[0] != '.' && e->kind == E_DIR)
            folders++;
        if (at_top && e->kind == E_FILE && intake_is_archive(e->path))
            archives++;
        if (e->kind == E_FILE && wanted(e->path, p)) {
            if (words_has(&p->student_files, e->path))
                top = true;
            else
                in_folder = true;
        }
    }
    listing_free(&l);
    return top || (in_folder && folders == 1 && archives == 0);
}

/* --- the decision ------------------------------------------------------- */

/* top_folder - "" when a student file is at the top; else "X/" when some
 * are under one top folder X; NULL when there are none. Into buf. */
static const char *top_folder(const listing_t *l, const plan_t *p, char *buf, size_t n)
{
    const char *found = NULL;
    size_t flen = 0;
    for (size_t i = 0; i < l->n; i++) {
        const entry_t *e = &l->v[i];
        if (e->kind == E_DIR)
            continue;
        /* Links and the like count too: refused, they must be named. */
        if (words_has(&p->student_files, e->path))
            return "";
        if (wanted(e->path, p) && !found) {
            found = e->path;
            flen = strcspn(found, "/") + 1;
        }
    }
    if (!found)
        return NULL;
    snprintf(buf, n, "%.*s", (int)flen, found);
    return buf;
}

/* write_taken - a taken file into work/src/PATH. */
static int write_taken(const char *work, const char *path, const char *data, size_t len)
{
    char full[8192], dir[8192];
    snprintf(full, sizeof full, "%s/src/%s", work, path);
    snprintf(dir, sizeof dir, "%s", full);
    *strrchr(dir, '/') = '\0';
    dir_make(dir);
    return file_write(full, data, len);
}

int intake(submission_t *s, const plan_t *p, const intake_limits_t *lim,
           const bool labs[LAB_COUNT])
{
    listing_t l = { 0 };
    char err[512];
    struct stat st;
    if (stat(s->source, &st) < 0) {
        lines_add(&s->intake, true, "%s: %s", s->source, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode))
        list_dir(s->source, "", 0, p, lim, &l);
    else if (list_archive(s->source, p, lim, &l, err, sizeof err) < 0) {
        lines_add(&s->intake, true, "%s: %s", s->source, err);
        listing_free(&l);
        return -1;
    }
    if (l.truncated)
        lines_add(&s->intake, true, "more than %zu entries or %zu MiB: only the first were "
                  "looked at", lim->max_entries, lim->max_total >> 20);
    char buf[512];
    const char *top = top_folder(&l, p, buf, sizeof buf);
    size_t toplen = top ? strlen(top) : 0;

    if (l.n == 0)
        lines_add(&s->intake, true, "%s holds no files", S_ISDIR(st.st_mode) ? "the folder"
                                                                            : "the archive");
    s->files = calloc(p->student_files.n, sizeof *s->files);
    s->nfiles = p->student_files.n;
    bool *used = calloc(l.n ? l.n : 1, sizeof *used);
    const entry_t **found = calloc(p->student_files.n, sizeof *found);
    bool present[LAB_COUNT] = { false };
    for (size_t k = 0; k < p->student_files.n; k++) {
        const char *sf = p->student_files.v[k];
        for (size_t i = 0; i < l.n && top; i++)
            if (!strncmp(l.v[i].path, top, toplen) && !strcmp(l.v[i].path + toplen, sf)) {
                found[k] = &l.v[i];
                used[i] = true;
            }
        if (found[k])
            present[plan_lab_of(p, sf)] = true;
    }
    for (int lab = 0; lab < LAB_COUNT; lab++)
        if (!present[lab] && labs[lab])
            lines_add(&s->intake, false, "%s: not submitted (none of its files is there): the "
                      "lab is not graded", lab_name[lab]);
    for (size_t k = 0; k < p->student_files.n; k++) {
        const char *sf = p->student_files.v[k];
        file_taken_t *f = &s->files[k];
        f->path = strdup(sf);
        const entry_t *e = found[k];
        enum lab lab = plan_lab_of(p, sf);
        const char *why = NULL;
        bool too_big = false;
        if (e && unsafe(e->path))
            why = unsafe(e->path);
        else if (e && e->kind == E_LINK)
            why = "a link";
        else if (e && e->kind != E_FILE)
            why = "not a regular file";
        else if (e && !e->read)
            why = "past the archive's limit of bytes read";
        else if (e && e->size > lim->max_file)
            why = "larger than the limit", too_big = true;
        if (e && !why) {
            sha256_hex(e->data, e->size, f->sha256);
            if (write_taken(s->work, sf, e->data, e->size) < 0) {
                lines_add(&s->intake, true, "%s: cannot write %s/src/%s: %s", sf, s->work, sf,
                          strerror(errno));
                continue;
            }
            s->lab_taken[lab] = true;
            lines_add(&s->intake, false, "took %s (%zu bytes, sha256 %s)", sf, e->size,
                      f->sha256);
            continue;
        }
        if (why && too_big)
            lines_add(&s->intake, true, "%s%s is %s (%zu KiB): not taken", top ? top : "", sf,
                      why, lim->max_file >> 10);
        else if (why)
            lines_add(&s->intake, true, "%s%s is %s: not taken", top ? top : "", sf, why);
        /* The skeleton's file stands in. */
        char skel[4096];
        snprintf(skel, sizeof skel, "%s/%s", p->skeleton, sf);
        size_t len;
        char *data = file_read(skel, &len);
        if (!data || write_taken(s->work, sf, data, len) < 0)
            lines_add(&s->intake, true, "%s: cannot copy the skeleton's %s", sf, skel);
        else if (present[lab] && labs[lab])
            lines_add(&s->intake, !why, "%s%s: the skeleton's is used", sf,
                      why ? "" : " is missing");
        free(data);
        f->from_skeleton = true;
    }
    /* A student file at another path: say where it belongs. */
    for (size_t i = 0; i < l.n; i++) {
        const entry_t *e = &l.v[i];
        if (used[i] || e->kind != E_FILE)
            continue;
        const char *base = strrchr(e->path, '/') ? strrchr(e->path, '/') + 1 : e->path;
        for (size_t k = 0; k < p->student_files.n; k++) {
            const char *sf = p->student_files.v[k];
            const char *sbase = strrchr(sf, '/') ? strrchr(sf, '/') + 1 : sf;
            if (!found[k] && !strcmp(base, sbase)) {
                lines_add(&s->intake, true, "found %s, not taken: a student's %s belongs at "
                          "%s%s", e->path, sbase, top ? top : "", sf);
                break;
            }
        }
    }
    /* What else was there. */
    size_t extra = 0;
    char names[1024] = "";
    size_t nlen = 0;
    for (size_t i = 0; i < l.n; i++) {
        const entry_t *e = &l.v[i];
        if (used[i] || e->kind == E_DIR)
            continue;
        extra++;
        if (nlen + strlen(e->path) + 3 < sizeof names - 16)
            nlen += (size_t)snprintf(names + nlen, sizeof names - nlen, "%s%s", nlen ? ", " : "",
                                     e->path);
        else if (nlen && names[nlen - 1] != '.')
            nlen += (size_t)snprintf(names + nlen, sizeof names - nlen, ", ...");
    }
    if (extra)
        lines_add(&s->intake, false, "%zu other file%s not taken (only handout/STUDENT_FILES "
                  "are): %s", extra, extra == 1 ? "" : "s", names);
    free(found);
    free(used);
    listing_free(&l);
    return 0;
}
