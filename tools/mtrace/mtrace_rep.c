/*
 * mtrace_rep.c - mtrace-rep: convert the logs of a recording (libmtrace.so's
 * PREFIX.PID files) into one balanced .rep trace. See README.md.
 */
#include <stdio.h>
#include <unistd.h>

#include "convert.h"
#include "options.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: mtrace-rep [-l] [-n MAXOPS] [-p PID] [-x PROGRAM] [-o OUT.rep] LOG...\n"
            "  converts the log of one process (by default the one with the most\n"
            "  records; -p and -x narrow the choice) into a balanced .rep trace\n"
            "  -l  list the processes   -n  keep the first MAXOPS operations\n"
            "  -o  write to OUT.rep instead of stdout\n");
}

int main(int argc, char **argv)
{
    struct convert_request req = { .pid = -1 };
    int opt;
    while ((opt = getopt(argc, argv, OPTIONS_COMMON "h")) != -1) {
        if (opt == 'h') {
            usage(stdout);
            return 0;
        }
        int taken = options_take(&req, opt, optarg, "mtrace-rep");
        if (taken < 0)
            return 2;
        if (taken == 0) {
            usage(stderr);
            return 2;
        }
    }
    if (optind == argc) {
        fprintf(stderr, "mtrace-rep: expected at least one LOG\n");
        usage(stderr);
        return 2;
    }
    req.paths = argv + optind;
    req.npaths = (size_t)(argc - optind);
    return convert_logs(&req) == 0 ? 0 : 1;
}
