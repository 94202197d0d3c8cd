/*
 * transcript.h - comparing a scenario's transcript with its golden one,
 * line by line, as the scenario tests and grade both do.
 */
#ifndef TRANSCRIPT_H
#define TRANSCRIPT_H

#include <stddef.h>

/*
 * transcript_diff - the number (from 1) of the first line where want and
 * got differ, or 0 when they are the same; the two lines into lw and lg (n
 * bytes each), "(end of output)" where one ended.
 */
int transcript_diff(const char *want, const char *got, char *lw, char *lg, size_t n);

#endif
