/*
 * output.h - what grade writes, all from one scored submission: the
 * terminal report (ending "Score: X/Y"), results.json in Gradescope's
 * autograder schema (cJSON), the Autolab line, and a CSV row.
 */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <stdio.h>

#include "grade.h"

void output_report(FILE *out, const submission_t *s, const options_t *o);

/* output_gradescope - results.json at path. 0, or -1 (errno). */
int output_gradescope(const char *path, const submission_t *s);

/* output_autolab - {"scores": {...}, "scoreboard": [...]} and a newline. */
void output_autolab(FILE *out, const submission_t *s);

/* output_csv_header, output_csv_row - the class's table. */
void output_csv_header(FILE *out, const submission_t *s);
void output_csv_row(FILE *out, const submission_t *s);

/* output_problem - the first failure of the intake, checks and build, its
 * first line, in buf: why a zero is one ("" when there is none). */
const char *output_problem(const submission_t *s, char *buf, size_t n);

#endif
