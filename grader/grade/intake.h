/*
 * intake.h - taking a submission's files: from a directory or an archive
 * (.tar.gz, .tgz, .tar, .zip, read with libarchive), only the paths of
 * handout/STUDENT_FILES, each at most a size limit, with its SHA-256
 * (nettle). Links, absolute paths and paths through ".." are refused;
 * files at the top or all under one top folder are both accepted (students
 * often pack their folder). What is missing comes from the skeleton, and
 * the report says so; what is extra is named and left.
 */
#ifndef INTAKE_H
#define INTAKE_H

#include "grade.h"
#include "plan.h"

typedef struct intake_limits {
    size_t max_file;        /* bytes a taken file may have */
    size_t max_entries;     /* entries of an archive or directory looked at */
    size_t max_total;       /* bytes read from an archive in all */
} intake_limits_t;

/*
 * intake - take s->source's files into s->work/src. Fills s->files,
 * s->lab_taken and s->intake's lines (of the labs being graded, labs[]).
 * 0, or -1 when nothing could be read (the line says why).
 */
int intake(submission_t *s, const plan_t *p, const intake_limits_t *lim,
           const bool labs[LAB_COUNT]);

/* intake_is_archive - whether path names an archive grade reads. */
bool intake_is_archive(const char *path);

/* intake_is_submission - whether the directory dir holds a student-owned
 * file itself (at the top, or under its one top folder). */
bool intake_is_submission(const char *dir, const plan_t *p);

/* sha256_hex - the SHA-256 of n bytes, as 64 hex digits and a NUL. */
void sha256_hex(const void *data, size_t n, char out[65]);

#endif
