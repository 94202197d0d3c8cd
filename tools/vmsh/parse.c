/*
 * parse.c - words and values of vmsh command lines (parse.h).
 *
 * words_split copies the line once into ws->buf, unescaping quoted words
 * in place; a word never grows when unescaped, so the copy is big enough.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>

#include "parse.h"

/* --- Words ----------------------------------------------------------------- */

static int hexdigit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Reads the string opened by quote at *p (just past it) into out: its
 * length, or -1 with the reason in err. *p ends past the closing quote. */
static long read_string(const char **p, char quote, char *out, char *err,
                        size_t n)
{
    const char *s = *p;
    char *o = out;
    for (;;) {
        char c = *s++;
        if (c == '\0') {
            snprintf(err, n, "unterminated string: a %c is missing", quote);
            return -1;
        }
        if (c == quote)
            break;
        if (c != '\\' || quote == '\'') {
            *o++ = c;
            continue;
        }
        c = *s++;
        switch (c) {
        case 'n': *o++ = '\n'; break;
        case 't': *o++ = '\t'; break;
        case 'r': *o++ = '\r'; break;
        case '0': *o++ = '\0'; break;
        case '\\': *o++ = '\\'; break;
        case '"': *o++ = '"'; break;
        case 'x': {
            int hi = hexdigit((unsigned char)s[0]);
            int lo = hi < 0 ? -1 : hexdigit((unsigned char)s[1]);
            if (lo < 0) {
                snprintf(err, n, "bad escape in string: \\x needs two hex digits");
                return -1;
            }
            *o++ = (char)(hi << 4 | lo);
            s += 2;
            break;
        }
        default:
            snprintf(err, n, "bad escape in string: \\%c (expected \\n \\t \\r \\0 "
                     "\\\\ \\\" or \\xHH)", c ? c : '0');
            return -1;
        }
    }
    if (*s && !isspace((unsigned char)*s)) {
        snprintf(err, n, "a string must end its word: '%c' follows the closing %c",
                 *s, quote);
        return -1;
    }
    *p = s;
    return o - out;
}

int words_split(const char *line, struct words *ws, char *err, size_t n)
{
    memset(ws, 0, sizeof *ws);
    ws->buf = malloc(strlen(line) + 1);
    if (!ws->buf) {
        snprintf(err, n, "out of memory");
        return -1;
    }
    char *o = ws->buf;
    const char *p = line;
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        if (*p == '\0' || *p == '#')
            return 0;
        if (ws->n == WORDS_MAX) {
            snprintf(err, n, "too many words (at most %d)", WORDS_MAX);
            return -1;
        }
        int i = ws->n++;
        ws->w[i] = o;
        if (*p == '"' || *p == '\'') {
            char quote = *p++;
            long len = read_string(&p, quote, o, err, n);
            if (len < 0)
                return -1;
            ws->len[i] = (size_t)len;
            ws->quoted[i] = true;
            o += len;
        } else {
            while (*p && !isspace((unsigned char)*p))
                *o++ = *p++;
            ws->len[i] = (size_t)(o - ws->w[i]);
        }
        *o++ = '\0';
    }
}

void words_free(struct words *ws)
{
    free(ws->buf);
    ws->buf = NULL;
    ws->n = 0;
}

/* --- Numbers --------------------------------------------------------------- */

/* Reads s as parse_number does: 0, or -1 when s is not a number, or 1
 * when it is one but does not fit 64 bits. The whole word is read before
 * an overflow is told apart, so "0x1fffffffffffffffffzz" is not a number. */
static int read_number(const char *s, uint64_t *v)
{
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    uint64_t x = 0;
    int digits = 0;
    bool over = false;
    for (;; s++, digits++) {
        int d = hexdigit((unsigned char)*s);
        if (d < 0 || d >= base)
            break;
        if (x > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
            over = true;
        x = x * (uint64_t)base + (uint64_t)d;
    }
    if (digits == 0)
        return -1;
    unsigned shift = 0;
    switch (*s) {
    case 'k': case 'K': shift = 10; break;
    case 'm': case 'M': shift = 20; break;
    case 'g': case 'G': shift = 30; break;
    case 't': case 'T': shift = 40; break;
    case '\0': break;
    default: return -1;
    }
    if (shift) {
        if (s[1] != '\0')
            return -1;
        over |= x > UINT64_MAX >> shift;
        x <<= shift;
    }
    if (over)
        return 1;
    *v = x;
    return 0;
}

bool parse_number(const char *s, uint64_t *v)
{
    return read_number(s, v) == 0;
}

bool number_too_big(const char *s)
{
    uint64_t v;
    return read_number(s, &v) == 1;
}

bool parse_range(const char *s, uint64_t *lo, uint64_t *hi)
{
    const char *dash = strchr(s, '-');
    if (!dash)
        return parse_number(s, lo) && (*hi = *lo, true);
    char first[64];
    size_t len = (size_t)(dash - s);
    if (len == 0 || len >= sizeof first)
        return false;
    memcpy(first, s, len);
    first[len] = '\0';
    return parse_number(first, lo) && parse_number(dash + 1, hi) && *lo <= *hi;
}

/* --- Words of the machine -------------------------------------------------- */

int parse_access(const char *s)
{
    if (!strcmp(s, "r") || !strcmp(s, "read"))
        return ACC_READ;
    if (!strcmp(s, "w") || !strcmp(s, "write"))
        return ACC_WRITE;
    if (!strcmp(s, "x") || !strcmp(s, "exec"))
        return ACC_EXEC;
    return -1;
}

int parse_mode(const char *s)
{
    if (!strcmp(s, "user"))
        return MODE_USER;
    if (!strcmp(s, "kernel"))
        return MODE_KERNEL;
    return -1;
}

/* Calls fn on each part of s between separators (',' or '|'); ORs the
 * results; -1 if a part is empty or fn refuses it. */
static int parse_parts(const char *s, int (*fn)(const char *))
{
    char part[32];
    int bits = 0;
    for (;;) {
        size_t len = strcspn(s, ",|");
        if (len == 0 || len >= sizeof part)
            return -1;
        memcpy(part, s, len);
        part[len] = '\0';
        int b = fn(part);
        if (b < 0)
            return -1;
        bits |= b;
        if (s[len] == '\0')
            return bits;
        s += len + 1;
    }
}

static int prot_word(const char *w)
{
    if (!strncasecmp(w, "PROT_", 5))
        w += 5;
    if (!strcasecmp(w, "read"))
        return PROT_READ;
    if (!strcasecmp(w, "write"))
        return PROT_WRITE;
    if (!strcasecmp(w, "exec"))
        return PROT_EXEC;
    if (!strcasecmp(w, "none"))
        return PROT_NONE;
    return -1;
}

int parse_prot(const char *s)
{
    if (*s == '\0')
        return -1;
    if (strlen(s) <= 3 && strspn(s, "rwx-") == strlen(s)) {
        int prot = 0;
        for (const char *c = s; *c; c++) {
            int bit = *c == 'r' ? PROT_READ : *c == 'w' ? PROT_WRITE
                    : *c == 'x' ? PROT_EXEC : 0;
            if (bit & prot)
                return -1;
            prot |= bit;
        }
        return prot;
    }
    return parse_parts(s, prot_word);
}

static int flag_word(const char *w)
{
    if (!strncasecmp(w, "MAP_", 4))
        w += 4;
    if (!strcasecmp(w, "shared"))
        return MAP_SHARED;
    if (!strcasecmp(w, "private"))
        return MAP_PRIVATE;
    if (!strcasecmp(w, "anon") || !strcasecmp(w, "anonymous"))
        return MAP_ANONYMOUS;
    if (!strcasecmp(w, "fixed"))
        return MAP_FIXED;
    if (!strcasecmp(w, "huge") || !strcasecmp(w, "hugetlb"))
        return MAP_HUGETLB;
    return -1;
}

int parse_flags(const char *s)
{
    return parse_parts(s, flag_word);
}

const char *flags_text(int flags, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s%s%s%s%s",
             flags & MAP_SHARED ? "shared" : "",
             (flags & MAP_SHARED) && (flags & MAP_PRIVATE) ? "," : "",
             flags & MAP_PRIVATE ? "private" : "",
             flags & MAP_ANONYMOUS ? ",anon" : "",
             flags & MAP_FIXED ? ",fixed" : "",
             flags & MAP_HUGETLB ? ",huge" : "");
    return buf;
}

const char *size_text(uint64_t bytes, char *buf, size_t n)
{
    static const char units[] = "TGMK";
    for (int i = 0; i < 4; i++) {
        unsigned shift = 40 - 10 * (unsigned)i;
        if (bytes && (bytes & (((uint64_t)1 << shift) - 1)) == 0) {
            snprintf(buf, n, "%" PRIu64 "%c", bytes >> shift, units[i]);
            return buf;
        }
    }
    snprintf(buf, n, "%" PRIu64, bytes);
    return buf;
}

/* --- Configuration --------------------------------------------------------- */

const char *const config_keys[] = {
    "frames", "tlb", "policy", "watermarks", "swap", "handspread", "log", "seed",
    "readahead", "arch", NULL,
};

const char *const *config_values(const char *key)
{
    static const char *const policies[] = { "clock1", "clock2", NULL };
    static const char *const levels[] = { "off", "events", "tlb", "refs", NULL };
    static const char *const archs[] = { "x86-64", "ia32", NULL };
    if (!strcmp(key, "policy"))
        return policies;
    if (!strcmp(key, "log"))
        return levels;
    if (!strcmp(key, "arch"))
        return archs;
    return NULL;
}

/* A number that fits an unsigned. */
static bool parse_unsigned(const char *s, unsigned *v)
{
    uint64_t x;
    if (!parse_number(s, &x) || x > UINT32_MAX)
        return false;
    *v = (unsigned)x;
    return true;
}

/* "AxB" or "A,B" (sep) into two unsigneds. */
static bool parse_pair(const char *s, char sep, unsigned *a, unsigned *b)
{
    const char *mid = strchr(s, sep);
    char first[32];
    if (!mid || (size_t)(mid - s) >= sizeof first)
        return false;
    memcpy(first, s, (size_t)(mid - s));
    first[mid - s] = '\0';
    return parse_unsigned(first, a) && parse_unsigned(mid + 1, b);
}

int config_set(struct vm_config *c, uint64_t *seed, const char *setting,
               char *err, size_t n)
{
    const char *eq = strchr(setting, '=');
    char key[32];
    if (!eq || eq == setting || (size_t)(eq - setting) >= sizeof key) {
        snprintf(err, n, "expected KEY=VALUE, got '%s'", setting);
        return -1;
    }
    memcpy(key, setting, (size_t)(eq - setting));
    key[eq - setting] = '\0';
    const char *v = eq + 1;
    bool ok;
    const char *expected;
    char range[96];
    if (!strcmp(key, "frames")) {
        ok = parse_unsigned(v, &c->frames);
        snprintf(range, sizeof range, "a number of frames, %u..%u", FRAMES_MIN, FRAMES_MAX);
        expected = range;
    } else if (!strcmp(key, "tlb")) {
        ok = parse_pair(v, 'x', &c->tlb_sets, &c->tlb_ways);
        snprintf(range, sizeof range, "SETSxWAYS, SETS a power of two in 1..%u, WAYS "
                 "in 1..%u (8x2)", TLB_MAX_SETS, TLB_MAX_WAYS);
        expected = range;
    } else if (!strcmp(key, "policy")) {
        int p = vm_policy_parse(v);
        ok = p >= 0;
        if (ok)
            c->policy = p;
        expected = "clock1 or clock2";
    } else if (!strcmp(key, "watermarks")) {
        ok = parse_pair(v, ',', &c->low_water, &c->high_water);
        snprintf(range, sizeof range, "LOW,HIGH, %u <= LOW <= HIGH < frames - %u (4,8)",
                 LOW_WATER_MIN, KERNEL_FRAMES);
        expected = range;
    } else if (!strcmp(key, "swap")) {
        ok = parse_unsigned(v, &c->swap_slots);
        snprintf(range, sizeof range, "a number of swap slots, 0..%u", SWAP_MAX);
        expected = range;
    } else if (!strcmp(key, "handspread")) {
        ok = parse_unsigned(v, &c->handspread);
        expected = "a number of frames, 0 to frames - 1";
    } else if (!strcmp(key, "log")) {
        int l = vmlog_level_parse(v);
        ok = l >= 0;
        if (ok)
            c->log_level = l;
        expected = "off, events, tlb or refs";
    } else if (!strcmp(key, "seed")) {
        ok = parse_number(v, seed);
        expected = "a number, 0 to 2^64 - 1";
    } else if (!strcmp(key, "readahead")) {
        ok = parse_unsigned(v, &c->readahead);
        snprintf(range, sizeof range, "the largest read-ahead window, 0 (none)..%u pages",
                 READAHEAD_MAX);
        expected = range;
    } else if (!strcmp(key, "arch")) {
        int a = vm_arch_parse(v);
        ok = a >= 0;
        if (ok)
            c->arch = a;
        expected = "x86-64 or ia32";
    } else {
        snprintf(err, n, "unknown setting '%s' (expected frames, tlb, policy, "
                 "watermarks, swap, handspread, log, seed, readahead or arch)", key);
        return -1;
    }
    if (!ok) {
        snprintf(err, n, "bad %s '%s': expected %s", key, v, expected);
        return -1;
    }
    return 0;
}

/* The handspread a frame count gets when the one it had no longer fits:
 * the default's proportion (16 of 64 frames). */
static unsigned fitting_handspread(unsigned frames)
{
    return frames / 4;
}

int config_apply(struct vm_config *c, uint64_t *seed, const char *const *settings,
                 int count, char *err, size_t n, char *note, size_t nn)
{
    bool handspread_given = false;
    note[0] = '\0';
    for (int i = 0; i < count; i++) {
        if (config_set(c, seed, settings[i], err, n))
            return -1;
        handspread_given |= !strncmp(settings[i], "handspread=", 11);
    }
    if (!handspread_given && c->handspread >= c->frames) {
        unsigned fit = fitting_handspread(c->frames);
        snprintf(note, nn, "handspread %u does not fit %u frames: it is %u now "
                 "(frames / 4)", c->handspread, c->frames, fit);
        c->handspread = fit;
    }
    return 0;
}

const char *config_text(const struct vm_config *c, uint64_t seed, char *buf,
                        size_t n)
{
    snprintf(buf, n, "frames=%u tlb=%ux%u policy=%s watermarks=%u,%u swap=%u "
             "handspread=%u log=%s seed=%" PRIu64 " readahead=%u arch=%s",
             c->frames, c->tlb_sets, c->tlb_ways, vm_policy_name(c->policy),
             c->low_water, c->high_water, c->swap_slots, c->handspread,
             vmlog_level_name(c->log_level), seed, c->readahead,
             vm_arch_name(c->arch));
    return buf;
}
