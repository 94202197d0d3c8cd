/*
 * plan.h - how grade builds a submission's graded programs: the plan the
 * kit's build wrote (mk/grade.mk), read with inih.
 *
 * For each lab, its student-owned files and the names they define (the
 * API: everything else a student object defines is made local before
 * linking, so it can stand in for nothing of the framework's or the C
 * library's); for the vm lab, also every name its code may call (the
 * machine's functions and the C library's string functions). For each program, the framework objects it links, the
 * sources compiled again per submission, and its libraries.
 */
#ifndef PLAN_H
#define PLAN_H

#include <stdio.h>

#include "grade.h"

typedef struct words {
    char **v;
    size_t n;
} words_t;

typedef struct program {
    char *name;             /* "mdriver", "test_malloc", "test_vm", "vmsh" */
    enum lab lab;
    words_t objects, compile, tests, libs, ldflags;   /* tests: the public tests' objects */
    char *kit;              /* the kit's own build of the program (its test list), or NULL */
} program_t;

typedef struct plan {
    char *root;             /* the kit's source tree */
    char *cc;
    words_t cflags, includes, student_files;
    char *forbidden, *reserved, *skeleton, *traces, *scenarios, *refs, *policy;
    words_t lab_files[LAB_COUNT], lab_api[LAB_COUNT];
    words_t lab_calls[LAB_COUNT];   /* when not empty: all a lab's code may call */
    program_t programs[8];
    size_t nprograms;
} plan_t;

/* plan_load - read path into *p. 0, or -1 with the problems on err. */
int plan_load(const char *path, plan_t *p, FILE *err);
void plan_free(plan_t *p);

/* plan_lab_of - the lab a student path belongs to ("vm/tlb.c": LAB_VM). */
enum lab plan_lab_of(const plan_t *p, const char *student_path);

/* words_has - whether w holds s. */
bool words_has(const words_t *w, const char *s);

/* words_split - split s at blanks into *w (appending). */
void words_split(words_t *w, const char *s);
void words_free(words_t *w);

extern const char *const lab_name[LAB_COUNT];   /* "malloc", "vm" */

#endif
