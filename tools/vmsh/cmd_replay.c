/*
 * cmd_replay.c - replacement experiments: the policies of replace.h on a
 * page-reference stream, side by side over a range of frame counts, from
 * an empty memory each time. Where more frames give more faults, the
 * table says so: Belady's anomaly (FIFO can show it; LRU and OPT cannot).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "hostfile.h"

#define FRAMES_DEFAULT_MAX 8
#define ROWS_MAX 256

/* Reads --policy's list into which[]; the count, or -1 (reported). */
static int policies(const struct call *c, int which[REPLACE_NPOLICIES])
{
    const char *list;
    if (!call_option(c, "--policy", &list)) {
        for (int i = 0; i < REPLACE_NPOLICIES; i++)
            which[i] = i;
        return REPLACE_NPOLICIES;
    }
    int n = 0;
    char word[16];
    for (const char *s = list;;) {
        size_t len = strcspn(s, ",");
        int p = -1;
        if (len > 0 && len < sizeof word) {
            memcpy(word, s, len);
            word[len] = '\0';
            p = replace_policy_parse(word);
        }
        for (int i = 0; i < n && p >= 0; i++)
            if (which[i] == p)
                p = -1;
        if (p < 0 || n == REPLACE_NPOLICIES) {
            call_usage(c, "replay: bad --policy '%s': expected fifo, lru, opt, clock1 "
                       "or clock2, each once, joined by commas", list);
            return -1;
        }
        which[n++] = p;
        if (s[len] == '\0')
            return n;
        s += len + 1;
    }
}

/* load - refstream_load, through hostfile_open (files read in advance
 * when grade runs vmsh). */
static int load(struct refstream *s, const char *path, int format)
{
    memset(s, 0, sizeof *s);
    FILE *in = hostfile_open(path);
    if (!in)
        return -errno;
    struct stat st;
    if (fileno(in) >= 0 && fstat(fileno(in), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(in);
        return -EISDIR;
    }
    int r = refstream_read(s, in, path, format, stderr);
    fclose(in);
    return r;
}

int cmd_replay(struct vmsh *sh, const struct call *c)
{
    int which[REPLACE_NPOLICIES];
    int npol = policies(c, which);
    if (npol < 0)
        return -1;
    const char *word;
    int format = REF_AUTO;
    if (call_option(c, "--format", &word) && (format = refstream_format_parse(word)) < 0)
        return call_usage(c, "replay: bad --format '%s': expected auto, pages or lackey",
                          word);
    uint64_t handspread = sh->cfg.handspread, lo = 1, hi = 0;
    if (call_option(c, "--handspread", &word) &&
        !arg_number(c, word, "--handspread", &handspread))
        return -1;
    bool frames_given = call_option(c, "--frames", &word);
    if (frames_given && (!parse_range(word, &lo, &hi) || lo == 0 || hi > UINT32_MAX))
        return call_usage(c, "replay: bad --frames '%s': expected N or A-B, from 1", word);
    if (frames_given && hi - lo >= ROWS_MAX)
        return call_usage(c, "replay: --frames %s is more than %d frame counts", word,
                          ROWS_MAX);

    char path[4096];
    sh_path(sh, c->argv[0], path, sizeof path);
    struct refstream s;
    fflush(stdout);
    int r = load(&s, path, format);
    if (r == -EISDIR)
        return sh_error(sh, "replay: %s is a directory; expected a file of page numbers "
                        "or a lackey log", c->argv[0]);
    if (r) {
        char err[64];
        return sh_error(sh, "replay: %s: %s", c->argv[0], errno_text(r, err, sizeof err));
    }
    struct replay rp;
    unsigned errors = s.errors;
    r = replay_init(&rp, &s);
    refstream_free(&s);
    if (r)
        return sh_error(sh, "replay: %s: out of memory", c->argv[0]);
    if (!frames_given)
        hi = rp.npages < FRAMES_DEFAULT_MAX ? (rp.npages ? rp.npages : 1)
                                            : FRAMES_DEFAULT_MAX;
    printf("replay %s: %zu references, %" PRIu32 " pages", c->argv[0], rp.n, rp.npages);
    if (errors)
        printf(", %u bad line%s skipped", errors, errors == 1 ? "" : "s");
    printf("; faults from an empty memory\nframes");
    for (int k = 0; k < npol; k++)
        printf(" %8s", replace_policy_name(which[k]));
    printf("\n");

    unsigned rows = (unsigned)(hi - lo + 1);
    int64_t *faults = session_temp(sh, (size_t)rows * npol * sizeof *faults);
    for (unsigned i = 0; i < rows; i++) {
        if (sh->interrupted) {
            replay_free(&rp);
            return sh_error(sh, "replay: interrupted after %u of %u rows", i, rows);
        }
        printf("%6" PRIu64, lo + i);
        for (int k = 0; k < npol; k++) {
            int64_t f = replace_run(&rp, which[k], (unsigned)(lo + i), (unsigned)handspread);
            faults[(size_t)i * npol + k] = f;
            if (f < 0)
                printf(" %8s", "-");
            else
                printf(" %8" PRId64, f);
        }
        printf("\n");
    }
    for (int k = 0; k < npol; k++)
        for (unsigned i = 0; i + 1 < rows; i++) {
            int64_t a = faults[(size_t)i * npol + k], b = faults[(size_t)(i + 1) * npol + k];
            if (a >= 0 && b > a)
                printf("%s: %" PRIu64 " frames fault more than %" PRIu64 " (%" PRId64
                       " > %" PRId64 "): Belady's anomaly\n",
                       replace_policy_name(which[k]), lo + i + 1, lo + i, b, a);
        }
    replay_free(&rp);
    return 0;
}
