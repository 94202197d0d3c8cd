/*
 * parse.h - the words of a vmsh command line and the values they name:
 * numbers (decimal, 0x hex, K/M/G/T suffixes), quoted strings, access kinds,
 * protections, mmap flags, configuration settings.
 *
 * Every parser takes the whole word: "12abc" is not 12. Parsers of values
 * return false (or -1) on a bad word and never print: the command that
 * called them says what it expected.
 */
#ifndef VMSH_PARSE_H
#define VMSH_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vm.h"

#define WORDS_MAX 64

/* A command line cut into words. A word written "..." (C escapes: \n \t
 * \r \0 \\ \" \xHH) or '...' (as is) is quoted: it is never an option or
 * a number, and may hold any byte, NUL included (len says how many). */
struct words {
    int n;
    char *w[WORDS_MAX];
    size_t len[WORDS_MAX];
    bool quoted[WORDS_MAX];
    char *buf;              /* where the words live */
};

/*
 * words_split - cut line at blanks into ws; an unquoted '#' at the start
 * of a word begins a comment (the rest is ignored). 0, or -1 with the
 * reason in err (an unterminated or badly escaped string, too many words).
 * ws must be freed with words_free either way.
 */
int words_split(const char *line, struct words *ws, char *err, size_t n);
void words_free(struct words *ws);

/* parse_number - a number: decimal, or hex after 0x, with an optional
 * suffix K, M, G or T (powers of 1024, either case). */
bool parse_number(const char *s, uint64_t *v);

/* number_too_big - whether s is written as a number but its value does
 * not fit 64 bits (so parse_number refuses it for that alone). */
bool number_too_big(const char *s);

/* parse_range - "A-B" (A <= B) or a single number A (B = A). */
bool parse_range(const char *s, uint64_t *lo, uint64_t *hi);

/* parse_access - "r", "w", "x" (or "read", "write", "exec"): enum access,
 * -1 when none. parse_mode - "user", "kernel": enum mode, or -1. */
int parse_access(const char *s);
int parse_mode(const char *s);

/* parse_prot - "rw-" style (letters r, w, x, - in any order, each once),
 * "none", or PROT_READ|PROT_WRITE style: the PROT_* bits, -1 when bad. */
int parse_prot(const char *s);

/* parse_flags - words joined by ',' or '|': shared, private, anon (or
 * anonymous), fixed, with or without MAP_ and in either case: the MAP_*
 * bits, -1 when a word is unknown. */
int parse_flags(const char *s);

/* flags_text - "private,anon,fixed": the words parse_flags reads. */
const char *flags_text(int flags, char *buf, size_t n);

/* size_text - bytes as "16K", "2M", "1G" when a whole multiple, else
 * decimal. */
const char *size_text(uint64_t bytes, char *buf, size_t n);

/* The configuration settings, KEY=VALUE: frames, tlb (SETSxWAYS), policy,
 * watermarks (LOW,HIGH), swap, handspread, log, seed. */
extern const char *const config_keys[];

/* config_values - the words key's value is one of (policy: clock1,
 * clock2), NULL-terminated; NULL for a key whose value is a number or a
 * pair of numbers. For completion: config_set reads every word given. */
const char *const *config_values(const char *key);

/* config_set - apply one setting to c (seed to *seed). 0, or -1 with what
 * was expected in err. The whole configuration is checked later
 * (vm_config_check). */
int config_set(struct vm_config *c, uint64_t *seed, const char *setting,
               char *err, size_t n);

/*
 * config_apply - apply count settings to c in order (config_set), then
 * fit the handspread: when none of them gives one and the handspread
 * no longer fits (frames changed, and it is frames or more), it becomes
 * frames / 4 and note (nn bytes) says so; else note is "". 0, or -1 with
 * err as config_set gives it (c is then partly changed).
 */
int config_apply(struct vm_config *c, uint64_t *seed, const char *const *settings,
                 int count, char *err, size_t n, char *note, size_t nn);

/* config_text - the settings of c and seed, as config_set reads them:
 * "frames=64 tlb=8x2 policy=clock1 ...". */
const char *config_text(const struct vm_config *c, uint64_t seed, char *buf,
                        size_t n);

#endif
