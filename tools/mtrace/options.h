/*
 * options.h - the options mtrace and mtrace-rep share, with one meaning each:
 *   -l          list the recorded processes on stderr
 *   -n MAXOPS   keep the first MAXOPS operations (then the closing frees)
 *   -p PID      convert the log of process PID
 *   -x PROGRAM  convert the log of a process running PROGRAM (argv[0]'s
 *               last component)
 *   -o FILE     write the trace to FILE
 */
#ifndef OPTIONS_H
#define OPTIONS_H

#include "convert.h"

#define OPTIONS_COMMON "ln:p:x:o:"

/*
 * options_take - apply option opt (with its argument arg) to req. 1 when
 * opt is one of the shared options, 0 when it is not, -1 when its argument
 * is bad (after a message on stderr naming the program me).
 */
int options_take(struct convert_request *req, int opt, const char *arg, const char *me);

#endif
