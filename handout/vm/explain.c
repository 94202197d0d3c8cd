/*
 * explain.c - names and phrases for the hardware's vocabulary.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "explain.h"

const char *level_name(int level)
{
    static const char *const names[] = { "PT", "PD", "PDPT", "PML4" };
    return level >= 0 && level < PT_LEVELS ? names[level] : "?";
}

const char *access_name(enum access acc)
{
    switch (acc) {
    case ACC_READ: return "read";
    case ACC_WRITE: return "write";
    case ACC_EXEC: return "exec";
    }
    return "?";
}

const char *mode_name(enum mode mode)
{
    return mode == MODE_USER ? "user" : "kernel";
}

const char *walk_stop_text(enum walk_stop stop)
{
    switch (stop) {
    case WALK_OK: return "translated";
    case WALK_NONCANONICAL: return "non-canonical address (bits 63..47 differ): general protection";
    case WALK_NOT_PRESENT: return "P clear: not present";
    case WALK_RESERVED: return "PS set in a PML4 entry: reserved bit";
    case WALK_USER: return "U/S clear: user access to a supervisor page";
    case WALK_WRITE: return "R/W clear: write to a read-only page";
    case WALK_NX: return "NX set: instruction fetch from a no-execute page";
    }
    return "?";
}

/* Appends " name" to buf (size n, holding len bytes) when bit is set. */
static size_t add_flag(char *buf, size_t n, size_t len, uint64_t bits,
                       uint64_t bit, const char *name)
{
    if (!(bits & bit) || len >= n)
        return len;
    int k = snprintf(buf + len, n - len, "%s%s", len ? " " : "", name);
    return k < 0 ? len : len + (size_t)k;
}

const char *pf_error_text(uint32_t error, char *buf, size_t n)
{
    char bits[64] = "";
    size_t len = 0;
    len = add_flag(bits, sizeof bits, len, error, PF_P, "P");
    len = add_flag(bits, sizeof bits, len, error, PF_W, "W");
    len = add_flag(bits, sizeof bits, len, error, PF_U, "U");
    len = add_flag(bits, sizeof bits, len, error, PF_RSVD, "RSVD");
    len = add_flag(bits, sizeof bits, len, error, PF_I, "I");
    snprintf(buf, n, "%#x (%s)", error, len ? bits : "not present, read, kernel");
    return buf;
}

const char *fault_text(struct translation t, char *buf, size_t n)
{
    char error[64];
    switch (t.fault) {
    case FAULT_NONE:
        snprintf(buf, n, "no fault (physical address %#" PRIx64 ")", t.pa);
        break;
    case FAULT_PAGE:
        snprintf(buf, n, "a page fault (#PF), error %s",
                 pf_error_text(t.error, error, sizeof error));
        break;
    case FAULT_GP:
        snprintf(buf, n, "a general-protection fault (#GP)");
        break;
    default:
        snprintf(buf, n, "fault kind %d, which is none of FAULT_NONE, FAULT_PAGE, FAULT_GP",
                 (int)t.fault);
    }
    return buf;
}

const char *pte_flags_text(pte_t e, char *buf, size_t n)
{
    static const struct { pte_t bit; const char *name; } flags[] = {
        { PTE_P, "P" }, { PTE_W, "W" }, { PTE_U, "U" }, { PTE_PWT, "PWT" },
        { PTE_PCD, "PCD" }, { PTE_A, "A" }, { PTE_D, "D" }, { PTE_PS, "PS" },
        { PTE_G, "G" }, { PTE_COW, "COW" }, { PTE_SWAP, "SWAP" },
        { PTE_SOFT, "SOFT" }, { PTE_NX, "NX" },
    };
    size_t len = 0;
    if (n)
        buf[0] = '\0';
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
        len = add_flag(buf, n, len, e, flags[i].bit, flags[i].name);
    return buf;
}

const char *page_size_name(int arch, int level)
{
    static const char *const size[] = { "4K", "2M", "1G" };
    if (arch == ARCH_IA32)
        return level == 0 ? "4K" : level == 1 ? "4M" : "?";
    return level >= 0 && level <= 2 ? size[level] : "?";
}

const char *pte_text_arch(int arch, pte_t e, int level, char *buf, size_t n)
{
    char flags[80];
    bool ia32 = arch == ARCH_IA32;
    int width = ia32 ? 10 : 18;     /* 0x and 8 or 16 hex digits */
    if (e == 0) {
        snprintf(buf, n, "0 (empty)");
    } else if (pte_is_swap(e)) {
        snprintf(buf, n, "%#0*" PRIx64 ": swap slot %" PRIu32 "%s", width, e,
                 pte_swap_slot(e), e & PTE_COW ? " COW" : "");
    } else if (!pte_present(e)) {
        snprintf(buf, n, "%#0*" PRIx64 ": not present", width, e);
    } else if (ia32 ? pte32_is_leaf(e, level) : pte_is_leaf(e, level)) {
        snprintf(buf, n, "%#0*" PRIx64 ": %s -> page %#" PRIx64 " (%s)", width, e,
                 pte_flags_text(e, flags, sizeof flags), pte_addr(e),
                 page_size_name(arch, level));
    } else {
        snprintf(buf, n, "%#0*" PRIx64 ": %s -> table %#" PRIx64, width, e,
                 pte_flags_text(e, flags, sizeof flags), pte_addr(e));
    }
    return buf;
}

const char *pte_text(pte_t e, int level, char *buf, size_t n)
{
    return pte_text_arch(ARCH_X86_64, e, level, buf, n);
}
