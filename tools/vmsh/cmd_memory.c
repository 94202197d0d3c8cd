/*
 * cmd_memory.c - what a running program does to memory: the mmap, munmap
 * and mprotect system calls, and loads, stores and fetches, each a real
 * memory reference of the machine (vm_access), page faults handled.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "print.h"

#define X "0x%" PRIx64
#define TRANSFER_MAX ((uint64_t)64 << 10)      /* bytes a read or write moves */
#define TOUCH_MAX ((uint64_t)100 << 20)        /* references a touch makes */

static bool arg_prot(const struct call *c, const char *word, int *prot)
{
    *prot = parse_prot(word);
    if (*prot >= 0)
        return true;
    call_usage(c, "%s: bad PROT '%s': expected r, w and x letters (rw-, r-x) or none",
               c->name, word);
    return false;
}

/* The region of p holding va, described: "0x1000-0x3000 (8K) rw- private,anon". */
static void print_region(struct machine *m, const char *name, struct proc *p,
                         vaddr_t va)
{
    const struct vma *v = vma_find(p, va);
    if (!v)
        return;
    char size[24], prot[4], flags[48];
    printf("%s: " X "-" X " (%s) %s %s", name, v->start, v->end,
           size_text(v->end - v->start, size, sizeof size), vma_prot_text(v->prot, prot),
           flags_text(v->flags, flags, sizeof flags));
    const struct disk_file *df = disk_file(m, v->file);
    if (df)
        printf(" file %s at " X, df->name, v->offset);
    printf("\n");
}

int cmd_mmap(struct vmsh *sh, const struct call *c)
{
    uint64_t addr = 0, len, offset = 0;
    int prot, flags, file = -1;
    bool any = !strcmp(c->argv[0], "any");
    if ((!any && !arg_number(c, c->argv[0], "ADDR", &addr)) ||
        !arg_number(c, c->argv[1], "LEN", &len) || !arg_prot(c, c->argv[2], &prot))
        return -1;
    flags = parse_flags(c->argv[3]);
    if (flags < 0)
        return call_usage(c, "mmap: bad FLAGS '%s': expected shared or private, with "
                          "anon, fixed or huge, joined by commas (private,anon)",
                          c->argv[3]);
    if (any && (flags & MAP_FIXED))
        return call_usage(c, "mmap: fixed needs an address, not any");
    if (c->argc >= 5) {
        file = disk_file_find(sh->m, c->argv[4]);
        if (file < 0)
            return sh_error(sh, "mmap: no file '%s' on the disk (files lists them)",
                            c->argv[4]);
    } else if (!(flags & MAP_ANONYMOUS)) {
        return call_usage(c, "mmap: FLAGS has no anon, so a FILE is needed");
    }
    if (c->argc == 6 && !arg_number(c, c->argv[5], "OFFSET", &offset))
        return -1;
    struct proc *p = need_proc(c);
    if (!p)
        return -1;
    vaddr_t at;
    char err[64];
    int r = vm_mmap(sh->m, p, addr, len, prot, flags, file, offset, &at);
    /* EINVAL stands for a dozen rules: name the one broken. */
    const char *why = r == -EINVAL ? vm_mmap_invalid(sh->m, p, addr, len, prot, flags,
                                                     file, offset) : NULL;
    if (why)
        return sh_error(sh, "mmap: %s: %s", errno_text(r, err, sizeof err), why);
    if (r)
        return sh_error(sh, "mmap: %s", errno_text(r, err, sizeof err));
    print_region(sh->m, "mmap", p, at);
    return 0;
}

int cmd_munmap(struct vmsh *sh, const struct call *c)
{
    uint64_t addr, len;
    if (!arg_number(c, c->argv[0], "ADDR", &addr) ||
        !arg_number(c, c->argv[1], "LEN", &len))
        return -1;
    struct proc *p = need_proc(c);
    if (!p)
        return -1;
    char err[64];
    int r = vm_munmap(sh->m, p, addr, len);
    const char *why = r == -EINVAL ? vm_range_invalid(p, addr, len) : NULL;
    if (why)
        return sh_error(sh, "munmap: %s: %s", errno_text(r, err, sizeof err), why);
    if (r)
        return sh_error(sh, "munmap: %s", errno_text(r, err, sizeof err));
    printf("munmap: " X "-" X "\n", addr, addr + page_round_up(len));
    return 0;
}

int cmd_mprotect(struct vmsh *sh, const struct call *c)
{
    uint64_t addr, len;
    int prot;
    if (!arg_number(c, c->argv[0], "ADDR", &addr) ||
        !arg_number(c, c->argv[1], "LEN", &len) || !arg_prot(c, c->argv[2], &prot))
        return -1;
    struct proc *p = need_proc(c);
    if (!p)
        return -1;
    char err[64], text[4];
    int r = vm_mprotect(sh->m, p, addr, len, prot);
    const char *why = r == -EINVAL ? vm_range_invalid(p, addr, len) : NULL;
    if (why)
        return sh_error(sh, "mprotect: %s: %s", errno_text(r, err, sizeof err), why);
    if (r)
        return sh_error(sh, "mprotect: %s", errno_text(r, err, sizeof err));
    printf("mprotect: " X "-" X " %s\n", addr, addr + page_round_up(len),
           vma_prot_text(prot, text));
    return 0;
}

/* --- References ------------------------------------------------------------ */

/* Reports a reference at va that failed with r; p ran it (NULL: kernel). */
static int access_failed(struct vmsh *sh, const struct call *c, vaddr_t va, int r,
                         struct proc *p)
{
    char err[64], code[48];
    errno_text(r, err, sizeof err);
    /* A kill with an error code is a page fault's: say it was not resolved,
     * as the event log would if it were on. */
    if (p && !proc_alive(p) && p->kill_error)
        return sh_error(sh, "%s: " X ": the page fault (error %s) was not resolved: %s; "
                        "pid %d was killed (%s)", c->name, va,
                        pf_error_text(p->kill_error, code, sizeof code), err, p->pid,
                        kill_reason_name(p->kill_reason));
    if (p && !proc_alive(p))
        return sh_error(sh, "%s: " X ": %s; pid %d was killed (%s)", c->name, va, err,
                        p->pid, kill_reason_name(p->kill_reason));
    return sh_error(sh, "%s: " X ": %s", c->name, va, err);
}

/* The mode of the call (argument word when given), and the process that
 * makes user references; false when either is wrong (reported). */
static bool access_mode(const struct call *c, const char *word, enum mode *mode,
                        struct proc **p)
{
    *mode = MODE_USER;
    *p = NULL;
    if (word) {
        int md = parse_mode(word);
        if (md < 0) {
            call_usage(c, "%s: bad mode '%s': expected user or kernel", c->name, word);
            return false;
        }
        *mode = (enum mode)md;
    }
    if (*mode == MODE_USER && !(*p = need_proc(c)))
        return false;
    return true;
}

/* Moves n bytes between buf and va a page at a time, so a failure names
 * its page; the bytes before it are moved. Returns the bytes moved. */
static size_t transfer(struct vmsh *sh, const struct call *c, vaddr_t va, uint8_t *buf,
                       size_t n, enum mode mode, struct proc *p, bool write)
{
    size_t done = 0;
    while (done < n) {
        size_t chunk = PAGE_SIZE - ((va + done) & PAGE_MASK);
        if (chunk > n - done)
            chunk = n - done;
        int r = write ? vm_write(sh->m, va + done, buf + done, chunk, mode)
                      : vm_read(sh->m, va + done, buf + done, chunk, mode);
        if (r) {
            access_failed(sh, c, va + done, r, p);
            break;
        }
        done += chunk;
    }
    return done;
}

int cmd_read(struct vmsh *sh, const struct call *c)
{
    uint64_t va, n = 8;
    const char *mode_word = NULL;
    if (!arg_number(c, c->argv[0], "VA", &va))
        return -1;
    for (int i = 1; i < c->argc; i++) {
        const char *w = c->argv[i];
        if (i == c->argc - 1 && parse_mode(w) >= 0)
            mode_word = w;
        else if (i == 1 && !arg_number(c, w, "N", &n))
            return -1;
        else if (i == 2)
            return call_usage(c, "read: bad mode '%s': expected user or kernel", w);
    }
    if (n == 0 || n > TRANSFER_MAX)
        return call_usage(c, "read: N is %" PRIu64 ", expected 1 to %" PRIu64, n,
                          TRANSFER_MAX);
    enum mode mode;
    struct proc *p;
    if (!access_mode(c, mode_word, &mode, &p))
        return -1;
    uint8_t *buf = session_temp(sh, n);
    size_t done = transfer(sh, c, va, buf, n, mode, p, false);
    print_hexdump(va, buf, done);
    if (done == 8 && n == 8) {
        uint64_t v;
        memcpy(&v, buf, sizeof v);
        printf("= " X " (%" PRIu64 ")\n", v, v);
    }
    return done == n ? 0 : -1;
}

int cmd_write(struct vmsh *sh, const struct call *c)
{
    uint64_t va, value;
    if (!arg_number(c, c->argv[0], "VA", &va))
        return -1;
    const uint8_t *bytes = (const uint8_t *)c->argv[1];
    size_t n = c->len[1];
    if (!c->quoted[1]) {
        if (!arg_number(c, c->argv[1], "VALUE", &value))
            return -1;
        bytes = (const uint8_t *)&value;
        n = sizeof value;
    }
    if (n == 0 || n > TRANSFER_MAX)
        return call_usage(c, "write: the string has %zu bytes, expected 1 to %" PRIu64,
                          n, TRANSFER_MAX);
    enum mode mode;
    struct proc *p;
    if (!access_mode(c, c->argc == 3 ? c->argv[2] : NULL, &mode, &p))
        return -1;
    uint8_t *buf = session_temp(sh, n);
    memcpy(buf, bytes, n);
    size_t done = transfer(sh, c, va, buf, n, mode, p, true);
    if (done < n)
        return -1;
    printf("write: %zu byte%s at " X "\n", n, n == 1 ? "" : "s", va);
    return 0;
}

/* Option name as a number >= 1, or def when absent; false when bad. */
static bool count_option(const struct call *c, const char *name, uint64_t def,
                         uint64_t *v)
{
    const char *word;
    *v = def;
    if (!call_option(c, name, &word))
        return true;
    char what[16];
    snprintf(what, sizeof what, "%s", name + 2);
    if (!arg_number(c, word, what, v))
        return false;
    if (*v == 0) {
        call_usage(c, "%s: %s must be at least 1", c->name, name);
        return false;
    }
    return true;
}

int cmd_touch(struct vmsh *sh, const struct call *c)
{
    uint64_t va, len = 1, step, passes, random = 0;
    int acc = ACC_READ;
    if (!arg_number(c, c->argv[0], "VA", &va))
        return -1;
    for (int i = 1; i < c->argc; i++) {
        const char *w = c->argv[i];
        if (i == c->argc - 1 && parse_access(w) >= 0)
            acc = parse_access(w);
        else if (i == 1 && !arg_number(c, w, "LEN", &len))
            return -1;
        else if (i == 2)
            return call_usage(c, "touch: bad access '%s': expected r, w or x", w);
    }
    if (!count_option(c, "--step", PAGE_SIZE, &step) ||
        !count_option(c, "--passes", 1, &passes))
        return -1;
    if (call_option(c, "--random", NULL) && !count_option(c, "--random", 1, &random))
        return -1;
    if (len == 0 || va + len < va)
        return call_usage(c, "touch: bad LEN %" PRIu64 ": the range must be nonempty "
                          "and end below 2^64", len);
    uint64_t per_pass = (len + step - 1) / step;
    uint64_t total = random ? random : per_pass;
    if (total > TOUCH_MAX || (!random && passes > TOUCH_MAX / total))
        return call_usage(c, "touch: too many references (at most %" PRIu64 ")",
                          TOUCH_MAX);
    struct proc *p = need_proc(c);
    if (!p)
        return -1;
    struct machine *m = sh->m;
    struct stats before = m->stats;
    vaddr_t first_page = page_round_down(va);
    uint64_t npages = (page_round_up(va + len) - first_page) >> PAGE_SHIFT;
    uint64_t made = 0;
    int r = 0;
    vaddr_t at = va;
    for (uint64_t pass = 0; pass < (random ? 1 : passes) && r == 0; pass++) {
        for (uint64_t k = 0; k < total && r == 0; k++) {
            if (sh->interrupted)
                return sh_error(sh, "touch: interrupted after %" PRIu64 " references",
                                made);
            at = random ? first_page + (rng_below(&sh->rng, npages) << PAGE_SHIFT)
                        : va + k * step;
            paddr_t pa;
            r = vm_access(m, at, (enum access)acc, MODE_USER, &pa);
            made++;
        }
    }
    const struct stats *s = &m->stats;
    uint64_t minor = s->minor_faults - before.minor_faults;
    uint64_t major = s->major_faults - before.major_faults;
    /* The fault that killed p counts too: the machine counts only those
     * the kernel resolved. A kill without an error code was no page fault
     * (a #GP, a bus error). */
    uint64_t unresolved = r && !proc_alive(p) && p->kill_error ? 1 : 0;
    uint64_t faults = minor + major + unresolved;
    printf("touch: %" PRIu64 " reference%s (%s), TLB %" PRIu64 " hits %" PRIu64
           " misses, %" PRIu64 " fault%s (%" PRIu64 " minor, %" PRIu64 " major%s)\n",
           made, made == 1 ? "" : "s", access_name((enum access)acc),
           s->tlb_hits - before.tlb_hits, s->tlb_misses - before.tlb_misses,
           faults, faults == 1 ? "" : "s", minor, major,
           unresolved ? ", 1 not resolved" : "");
    if (r)
        return access_failed(sh, c, at, r, p);
    return 0;
}
