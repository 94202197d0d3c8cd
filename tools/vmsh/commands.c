/*
 * commands.c - the command table, and the dispatcher that reads a command
 * line against it: find the command (and subcommand), separate options
 * from positional arguments, check their count, then run the handler under
 * session_guard. Help, completion and the manual's list all read the same
 * table, so a command cannot exist in one and not in the others.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

/* --- The table ------------------------------------------------------------- */

static const struct command machine_commands[] = {
    { "config", cmd_config, "config [KEY=VALUE...]",
      "show the machine's configuration, or change it and reboot",
      "With no argument, print the parameters line. Otherwise apply each\n"
      "KEY=VALUE, reboot the machine with the new configuration (processes,\n"
      "files and statistics start over) and print the parameters line:\n"
      "  frames=N              physical frames, 16..65536\n"
      "  tlb=SETSxWAYS         the TLB; SETS a power of two (tlb=8x2)\n"
      "  policy=clock1|clock2  the one- or the two-handed clock\n"
      "  watermarks=LOW,HIGH   the pageout daemon runs when fewer than LOW\n"
      "                        frames are free, and frees up to HIGH\n"
      "  swap=N                swap slots\n"
      "  handspread=N          frames between the two-handed clock's hands\n"
      "  log=LEVEL             off, events, tlb or refs (see log)\n"
      "  seed=N                the seed of random fills and touches (see seed)\n"
      "vmsh takes the same settings on its command line.\n",
      0, -1, { ARG_CONFIG, ARG_CONFIG, ARG_CONFIG, ARG_CONFIG, ARG_CONFIG, ARG_CONFIG },
      { { NULL } }, NULL },
    { "reset", cmd_reset, "reset",
      "reboot the machine with the same configuration",
      "Everything starts over: processes, files, swap, statistics, and the\n"
      "random generator (from the seed). Prints the parameters line.\n",
      0, 0, { ARG_NONE }, { { NULL } }, NULL },
    { "seed", cmd_seed, "seed [N]",
      "show or set the seed of random fills and random touches",
      "seed N restarts the random generator from N (file create ... random,\n"
      "touch --random); the machine is not changed.\n",
      0, 1, { ARG_NONE }, { { NULL } }, NULL },
    { NULL },
};

static const struct command proc_commands[] = {
    { "spawn", cmd_spawn, "spawn",
      "make a new process; it runs if no process is running",
      "The new process has an empty address space: a PML4 of its own whose\n"
      "entry 256 is the kernel half every process shares. Pids are 1, 2, 3...\n"
      "in order of creation, never reused.\n",
      0, 0, { ARG_NONE }, { { NULL } }, NULL },
    { "ps", cmd_ps, "ps",
      "list the processes",
      "One line per process ever made: pid (* marks the running one), parent,\n"
      "state, CR3, regions and resident pages; a killed process says why.\n",
      0, 0, { ARG_NONE }, { { NULL } }, NULL },
    { "switch", cmd_switch, "switch PID",
      "run process PID: load its CR3; the TLB keeps only global entries",
      "The commands that touch memory (mmap, read, write, touch, translate...)\n"
      "act for the running process.\n",
      1, 1, { ARG_PID }, { { NULL } }, NULL },
    { "fork", cmd_fork, "fork",
      "fork the running process; the child runs after switch",
      "The child gets a copy of the address space: private pages become\n"
      "copy-on-write in both processes, MAP_SHARED regions stay shared. No\n"
      "page is copied until one of them writes it.\n",
      0, 0, { ARG_NONE }, { { NULL } }, NULL },
    { "exit", cmd_exit, "exit [PID]",
      "end a process (default: the running one)",
      "Its regions are unmapped (dirty pages of MAP_SHARED file regions are\n"
      "written to their files), its frames and tables freed.\n",
      0, 1, { ARG_PID }, { { NULL } }, NULL },
    { NULL },
};

static const struct command memory_commands[] = {
    { "mmap", cmd_mmap, "mmap ADDR|any LEN PROT FLAGS [FILE [OFFSET]]",
      "map a region into the running process",
      "ADDR is a hint, or the exact place with fixed; any lets the kernel\n"
      "choose. LEN is rounded up to whole pages. PROT is r, w and x letters\n"
      "(rw-, r-x, rwx) or none. FLAGS are shared or private, with anon and\n"
      "fixed, joined by commas: private,anon. private,anon,huge maps 2 MiB\n"
      "pages (MAP_HUGETLB: LEN rounded up to 2 MiB, pages pinned, copied at\n"
      "fork). FILE names a file of the machine's disk (file create), OFFSET\n"
      "is page-aligned (default 0). Pages arrive later, at their first\n"
      "fault. Prints the region.\n",
      4, 6, { ARG_ADDR, ARG_NONE, ARG_PROT, ARG_FLAGS, ARG_DISKFILE, ARG_NONE },
      { { NULL } }, NULL },
    { "munmap", cmd_munmap, "munmap ADDR LEN",
      "unmap a range of the running process",
      "Regions the range cuts are split; unmapped parts of the range are\n"
      "fine. Dirty pages of MAP_SHARED file regions go back to the file.\n",
      2, 2, { ARG_NONE }, { { NULL } }, NULL },
    { "mprotect", cmd_mprotect, "mprotect ADDR LEN PROT",
      "change the protection of a mapped range",
      "The whole range must be mapped. Regions it cuts are split; pages\n"
      "already present get the new rights (copy-on-write pages stay\n"
      "read-only until written).\n",
      3, 3, { ARG_NONE, ARG_NONE, ARG_PROT }, { { NULL } }, NULL },
    { "read", cmd_read, "read VA [N] [user|kernel]",
      "read N bytes of virtual memory (default 8), faults handled",
      "Each page read is one memory reference of the running process, in user\n"
      "mode unless kernel is given. Prints a hex dump, and the value of an\n"
      "8-byte read (little-endian). A kernel read needs no process: read\n"
      "0xffff800000003000 16 kernel reads frame 3 through the kernel half.\n",
      1, 3, { ARG_NONE, ARG_MODE, ARG_MODE }, { { NULL } }, NULL },
    { "write", cmd_write, "write VA VALUE|\"text\" [user|kernel]",
      "write a number (8 bytes, little-endian) or a string, faults handled",
      "Each page written is one memory reference of the running process, in\n"
      "user mode unless kernel is given. \"text\" takes C escapes (\\n \\0 \\xHH).\n",
      2, 3, { ARG_NONE, ARG_NONE, ARG_MODE }, { { NULL } }, NULL },
    { "touch", cmd_touch, "touch VA [LEN] [r|w|x] [--step N] [--passes N] [--random N]",
      "make memory references as a program would, faults handled",
      "One reference every STEP bytes (default 4096: one per page) from VA up\n"
      "to VA+LEN (default 1 byte), PASSES times (default 1); or, with --random\n"
      "N, N references to random pages of the range (see seed). The access is\n"
      "r (read, the default), w (write) or x (fetch), in user mode. Prints the\n"
      "references made, TLB hits and misses and faults; stops early if the\n"
      "process is killed.\n",
      1, 3, { ARG_NONE, ARG_ACCESS, ARG_ACCESS },
      { { "--step", "N", ARG_NONE }, { "--passes", "N", ARG_NONE },
        { "--random", "N", ARG_NONE }, { NULL } }, NULL },
    { NULL },
};

static const struct command explain_commands[] = {
    { "translate", cmd_translate, "translate VA [r|w|x] [user|kernel]",
      "show how the MMU translates an address, level by level",
      "One translation by the MMU, as the hardware does it: the TLB first,\n"
      "then the 4-level walk from CR3. Shows the address's indices, the TLB\n"
      "hit or miss, every entry read (level, index, where it lives, its value\n"
      "and flags), then the physical address, or the fault: #GP for a\n"
      "non-canonical address, else a page fault with its error code and the\n"
      "bit that refused. The walk sets A (and D for a write) and fills the\n"
      "TLB, as the MMU does; no fault is handled (touch does that). Default:\n"
      "a read, in user mode if a process runs, else in kernel mode.\n",
      1, 3, { ARG_NONE, ARG_ACCESS_MODE, ARG_ACCESS_MODE }, { { NULL } }, NULL },
    { "map", cmd_map, "map VA PA [4K|2M|1G|4M] [w] [u] [g] [x]",
      "make a page-table entry by hand, as a kernel would",
      "Maps the page at VA to physical address PA in the running process's\n"
      "tables (the kernel's when none runs), making the tables on the way: a\n"
      "4K page by default, or a 2M or 1G page (x86-64) or a 4M page (IA-32).\n"
      "w makes it writable, u user-accessible, g global; on x86-64 the page\n"
      "is NX unless x is given. Only the tables change: no region, no reverse\n"
      "map (check reports such a page), so it is for looking at walks, as in\n"
      "translate, not for touch.\n",
      2, 6, { ARG_NONE, ARG_NONE, ARG_NONE, ARG_NONE, ARG_NONE, ARG_NONE },
      { { NULL } }, NULL },
    { NULL },
};

static const struct command state_commands[] = {
    { "pt", cmd_pt, "pt [PID|kernel] [--dot]",
      "show a page-table tree (default: the running process)",
      "Every nonzero entry, depth first in address order: level, index, the\n"
      "first address it covers, its value, flags and what it points to. A\n"
      "process's kernel half (PML4 entry 256) is one line; pt kernel shows\n"
      "the kernel's own tables and their 2 MiB and 1 GiB pages. --dot prints\n"
      "a Graphviz graph instead (vmsh -f s.vmsh | dot -Tsvg).\n",
      0, 1, { ARG_PID_KERNEL }, { { "--dot", NULL, ARG_NONE }, { NULL } }, NULL },
    { "tlb", cmd_tlb, "tlb [flush [all] | invlpg VA]",
      "show the TLB's valid entries, or flush or invalidate them",
      "By set and way: page size, virtual page number, the virtual and the\n"
      "physical base of the page, the rights of the walk (W U NX), G, D and\n"
      "the LRU stamp; then hits and misses. tlb flush drops every entry but\n"
      "the global ones, as a CR3 load does; tlb flush all drops those too;\n"
      "tlb invlpg VA drops the entries that translate VA, as invlpg does.\n",
      0, 2, { ARG_TLBOP, ARG_TLBALL }, { { NULL } }, NULL },
    { "frames", cmd_frames, "frames [--all]",
      "show physical memory: each frame's use, owner, refcount, A/D bits",
      "One line per frame in use, or holding a page on the free list (--all:\n"
      "every frame): what it holds, its refcount, the A and D bits of the\n"
      "entries that map it, its dirty flag, and who maps it. Then the free\n"
      "list, head to tail, and the clock hands.\n",
      0, 0, { ARG_NONE }, { { "--all", NULL, ARG_NONE }, { NULL } }, NULL },
    { "vmas", cmd_vmas, "vmas [PID]",
      "list the regions of a process (default: the running one)",
      "Start, end, size, protection, flags and backing of each region.\n",
      0, 1, { ARG_PID }, { { NULL } }, NULL },
    { "files", cmd_files, "files",
      "list the files of the machine's disk",
      "Id, name, size, pages, mode, regions mapping it, pages in the page\n"
      "cache. shm:N files back MAP_SHARED|MAP_ANONYMOUS regions.\n",
      0, 0, { ARG_NONE }, { { NULL } }, NULL },
    { "swap", cmd_swap, "swap",
      "show the swap slots in use",
      "Each slot in use: its holders (swap entries, and the frame caching it)\n"
      "and that frame.\n",
      0, 0, { ARG_NONE }, { { NULL } }, NULL },
    { "stats", cmd_stats, "stats [reset]",
      "show the machine's counters and the TLB's slowdown figure",
      "The slowdown is memory accesses per reference: (references + page-walk\n"
      "reads) / references; 5x with no TLB on 4-level tables, near 1x when the\n"
      "TLB hits. stats reset makes later stats count from now.\n",
      0, 1, { ARG_STATS }, { { NULL } }, NULL },
    { "log", cmd_log, "log [off|events|tlb|refs]",
      "show or set the level of the event log",
      "events: faults, pageout runs, evictions, reclaims, disk transfers,\n"
      "copies on write, kills; tlb: also TLB misses, frames allocated and\n"
      "freed, CR3 loads; refs: also every memory reference. Events are\n"
      "printed as they happen, under the command that caused them.\n",
      0, 1, { ARG_LOGLEVEL }, { { NULL } }, NULL },
    { "check", cmd_check, "check",
      "check the machine's invariants (vm_check)",
      "Free list, tables, leaves, refcounts and reverse maps, copy-on-write,\n"
      "swap counts, page and swap caches, the TLB against the tables, the\n"
      "clock hands. Each problem is a line; none: consistent.\n",
      0, 0, { ARG_NONE }, { { NULL } }, NULL },
    { NULL },
};

static const struct command file_subcommands[] = {
    { "create", cmd_file_create, "file create NAME SIZE [PATTERN] [--readonly]",
      "make a file on the machine's disk",
      "PATTERN fills it: zero (the default), seq (byte i is i mod 256),\n"
      "random (see seed), or a quoted string, repeated. A --readonly file\n"
      "cannot be mapped MAP_SHARED with write permission.\n",
      2, 3, { ARG_NONE, ARG_NONE, ARG_PATTERN },
      { { "--readonly", NULL, ARG_NONE }, { NULL } }, NULL },
    { "cat", cmd_file_cat, "file cat NAME [OFF LEN] [--disk]",
      "dump a file as read(2) sees it, or as the disk holds it (--disk)",
      "read(2) goes through the page cache, so it sees writes through\n"
      "MAP_SHARED mappings at once; --disk shows what has been written back.\n"
      "Default: the whole file, at most 4 KiB.\n",
      1, 3, { ARG_DISKFILE, ARG_NONE }, { { "--disk", NULL, ARG_NONE }, { NULL } },
      NULL },
    { "write", cmd_file_write, "file write NAME OFF VALUE|\"text\"",
      "write to a file as write(2) does, through the page cache",
      "A number is written as 8 bytes, little-endian. Every mapping of the\n"
      "page sees the change at once; no disk transfer is counted.\n",
      3, 3, { ARG_DISKFILE, ARG_NONE }, { { NULL } }, NULL },
    { NULL },
};

static const struct command file_commands[] = {
    { "file", NULL, "file create|cat|write ...",
      "make, dump and write files of the machine's disk",
      "", 1, -1, { ARG_NONE }, { { NULL } }, file_subcommands },
    { NULL },
};

static const struct command paging_commands[] = {
    { "pageout", cmd_pageout, "pageout",
      "run the pageout daemon once",
      "It frees frames until high_water are free: victims chosen by the\n"
      "clock, clean ones freed at once, dirty ones written back in batches\n"
      "first. Freed pages wait on the free list for a second chance.\n",
      0, 0, { ARG_NONE }, { { NULL } }, NULL },
    { "clock", cmd_clock, "clock",
      "show the clock's hands and the bits of the frames it sweeps",
      "The hands (hand, or front and back), then each pageable frame: its\n"
      "referenced bit (A in an entry mapping it), D, dirty flag and page.\n",
      0, 0, { ARG_NONE }, { { NULL } }, NULL },
    { NULL },
};

static const struct command experiment_commands[] = {
    { "replay", cmd_replay,
      "replay FILE [--policy P,...] [--frames N|A-B] [--format F] [--handspread N]",
      "page faults of FIFO, LRU, OPT and the clocks on a reference stream",
      "FILE holds page numbers, one a line, or a Valgrind lackey log\n"
      "(--format auto, pages or lackey). Each policy (fifo, lru, opt, clock1,\n"
      "clock2; default all, side by side) runs from an empty memory of each\n"
      "frame count (default 1 to 8, at most the pages used). Where more frames\n"
      "give more faults, Belady's anomaly is pointed out. Paths in a script\n"
      "are relative to the script.\n",
      1, 1, { ARG_PATH },
      { { "--policy", "P,...", ARG_POLICY }, { "--frames", "N|A-B", ARG_NONE },
        { "--format", "F", ARG_FORMAT }, { "--handspread", "N", ARG_NONE },
        { NULL } }, NULL },
    { NULL },
};

static const struct command shell_commands[] = {
    { "source", cmd_source, "source SCRIPT",
      "run the commands of a script",
      "Each command is echoed as vmsh> CMD before its output. Paths in a\n"
      "script are relative to the script.\n",
      1, 1, { ARG_PATH }, { { NULL } }, NULL },
    { "echo", cmd_echo, "echo [TEXT...]",
      "print the arguments",
      "Quoted arguments keep their blanks and take C escapes.\n",
      0, -1, { ARG_NONE }, { { NULL } }, NULL },
    { "help", cmd_help, "help [COMMAND [SUBCOMMAND]]",
      "list the commands, or explain one",
      "", 0, 2, { ARG_COMMAND, ARG_NONE }, { { NULL } }, NULL },
    { "quit", cmd_quit, "quit",
      "end the session (Ctrl-D does too)",
      "", 0, 0, { ARG_NONE }, { { NULL } }, NULL },
    { NULL },
};

const struct command_group command_groups[] = {
    { "machine", machine_commands },
    { "processes", proc_commands },
    { "memory", memory_commands },
    { "explaining", explain_commands },
    { "state", state_commands },
    { "files", file_commands },
    { "paging", paging_commands },
    { "experiments", experiment_commands },
    { "shell", shell_commands },
    { NULL, NULL },
};

const struct command *command_find(const struct command *table, const char *name)
{
    if (table) {
        for (const struct command *c = table; c->name; c++)
            if (!strcmp(c->name, name))
                return c;
        return NULL;
    }
    for (const struct command_group *g = command_groups; g->title; g++) {
        const struct command *c = command_find(g->commands, name);
        if (c)
            return c;
    }
    return NULL;
}

/*
 * Damerau-Levenshtein distance of a and b (the optimal string alignment
 * form): insertions, deletions, substitutions and swaps of two neighbours
 * cost 1, so "hepl" is 1 from "help". Stops early past limit.
 */
static unsigned distance(const char *a, const char *b, unsigned limit)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 32 || lb > 32)
        return limit + 1;
    unsigned rows[3][33];   /* rows i-2, i-1 and i of the table */
    unsigned *two = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (unsigned)i;
        unsigned best = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            unsigned v = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                two[j - 2] + 1 < v)
                v = two[j - 2] + 1;
            cur[j] = v;
            if (v < best)
                best = v;
        }
        if (best > limit)
            return limit + 1;
        unsigned *t = two;
        two = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb];
}

const char *command_suggest(const char *name)
{
    const char *best = NULL;
    unsigned best_d = 3;
    for (const struct command_group *g = command_groups; g->title; g++) {
        for (const struct command *c = g->commands; c->name; c++) {
            unsigned d = strncmp(c->name, name, strlen(name)) == 0 ? 1
                       : distance(name, c->name, 2);
            if (d == 2 && (strlen(name) < 6 || name[0] != c->name[0]))
                continue;
            if (d < best_d) {
                best_d = d;
                best = c->name;
            }
        }
    }
    return best;
}

/* --- Reporting ------------------------------------------------------------- */

int call_usage(const struct call *c, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return sh_error(c->sh, "%s; usage: %s", msg, c->cmd->usage);
}

bool call_option(const struct call *c, const char *name, const char **value)
{
    for (int i = 0; i < OPTIONS_MAX && c->cmd->options[i].name; i++) {
        if (!strcmp(c->cmd->options[i].name, name) && c->opt[i]) {
            if (value)
                *value = c->opt[i];
            return true;
        }
    }
    return false;
}

const char *errno_text(int err, char *buf, size_t n)
{
    if (err < 0)
        err = -err;
    const char *name = strerrorname_np(err);
    snprintf(buf, n, "%s (%s)", name ? name : "?", strerror(err));
    return buf;
}

bool arg_number(const struct call *c, const char *word, const char *what,
                uint64_t *v)
{
    if (parse_number(word, v))
        return true;
    if (number_too_big(word))
        call_usage(c, "%s: bad %s '%s': out of range, expected 0 to 0xffffffffffffffff "
                   "(2^64 - 1)", c->name, what, word);
    else
        call_usage(c, "%s: bad %s '%s': expected a number (decimal, 0x hex, K/M/G/T "
                   "suffix)", c->name, what, word);
    return false;
}

bool arg_pid(const struct call *c, const char *word, struct proc **p)
{
    uint64_t pid;
    if (!parse_number(word, &pid) || pid == 0 || pid > PROC_MAX) {
        call_usage(c, "%s: bad PID '%s': expected a process id (ps lists them)",
                   c->name, word);
        return false;
    }
    *p = proc_find(c->sh->m, (int)pid);
    if (!*p) {
        sh_error(c->sh, "%s: no process %s (ps lists them)", c->name, word);
        return false;
    }
    return true;
}

struct proc *need_proc(const struct call *c)
{
    struct proc *p = c->sh->m->cur;
    if (!p)
        sh_error(c->sh, "%s: no process is running (spawn one, or switch PID)",
                 c->name);
    return p;
}

/* --- Dispatch -------------------------------------------------------------- */

/* The option of cmd called word (or word's part before '='), or -1. */
static int option_index(const struct command *cmd, const char *word)
{
    size_t len = strcspn(word, "=");
    for (int i = 0; i < OPTIONS_MAX && cmd->options[i].name; i++)
        if (strlen(cmd->options[i].name) == len &&
            !strncmp(cmd->options[i].name, word, len))
            return i;
    return -1;
}

static int count_error(const struct call *c, const char *name, int got)
{
    const struct command *cmd = c->cmd;
    char want[48];
    if (cmd->min_args == cmd->max_args)
        snprintf(want, sizeof want, cmd->min_args == 0 ? "no arguments"
                 : cmd->min_args == 1 ? "1 argument" : "%d arguments",
                 cmd->min_args);
    else if (cmd->max_args < 0)
        snprintf(want, sizeof want, "at least %d argument%s", cmd->min_args,
                 cmd->min_args == 1 ? "" : "s");
    else
        snprintf(want, sizeof want, "%d to %d arguments", cmd->min_args,
                 cmd->max_args);
    return call_usage(c, "%s: expected %s, got %d", name, want, got);
}

static int run_handler(struct vmsh *sh, void *arg)
{
    const struct call *c = arg;
    return c->cmd->run(sh, c);
}

/* Runs cmd on words w[first..]: options out, count checked, handler run. */
static int dispatch(struct vmsh *sh, const struct command *cmd,
                    const char *name, struct words *ws, int first)
{
    struct call c = { .sh = sh, .cmd = cmd, .name = name };
    char *argv[WORDS_MAX];
    size_t len[WORDS_MAX];
    bool quoted[WORDS_MAX];
    c.argv = argv;
    c.len = len;
    c.quoted = quoted;
    for (int i = first; i < ws->n; i++) {
        const char *w = ws->w[i];
        if (!ws->quoted[i] && w[0] == '-' && w[1] == '-' && cmd->options[0].name) {
            int k = option_index(cmd, w);
            if (k < 0)
                return call_usage(&c, "%s: unknown option '%s'", name, w);
            const struct option *o = &cmd->options[k];
            const char *eq = strchr(w, '=');
            if (!o->value) {
                if (eq)
                    return call_usage(&c, "%s: %s takes no value", name, o->name);
                c.opt[k] = "";
            } else if (eq) {
                c.opt[k] = eq + 1;
            } else if (i + 1 < ws->n) {
                c.opt[k] = ws->w[++i];
            } else {
                return call_usage(&c, "%s: %s needs a value (%s)", name, o->name,
                                  o->value);
            }
            continue;
        }
        argv[c.argc] = ws->w[i];
        len[c.argc] = ws->len[i];
        quoted[c.argc] = ws->quoted[i];
        c.argc++;
    }
    if (c.argc < cmd->min_args || (cmd->max_args >= 0 && c.argc > cmd->max_args))
        return count_error(&c, name, c.argc);
    return session_guard(sh, run_handler, &c);
}

int command_run_line(struct vmsh *sh, const char *line)
{
    struct words ws;
    char err[160];
    int r = -1;
    if (words_split(line, &ws, err, sizeof err)) {
        char first[32];
        size_t len = strcspn(line, " \t");
        snprintf(first, sizeof first, "%.*s", (int)(len < 31 ? len : 31), line);
        const struct command *cmd = command_find(NULL, first);
        if (cmd)
            sh_error(sh, "%s: %s; usage: %s", first, err, cmd->usage);
        else
            sh_error(sh, "%s", err);
        goto out;
    }
    r = 0;
    if (ws.n == 0)
        goto out;
    r = -1;
    const char *name = ws.w[0];
    const struct command *cmd = ws.quoted[0] ? NULL : command_find(NULL, name);
    if (!cmd) {
        const char *near = command_suggest(name);
        if (near)
            sh_error(sh, "unknown command '%s' (did you mean %s?); help lists the commands",
                     name, near);
        else
            sh_error(sh, "unknown command '%s'; help lists the commands", name);
        goto out;
    }
    if (!cmd->sub) {
        r = dispatch(sh, cmd, name, &ws, 1);
        goto out;
    }
    const struct command *sub = ws.n > 1 ? command_find(cmd->sub, ws.w[1]) : NULL;
    if (!sub) {
        char subs[128] = "";
        for (const struct command *s = cmd->sub; s->name; s++)
            snprintf(subs + strlen(subs), sizeof subs - strlen(subs), "%s%s",
                     s == cmd->sub ? "" : ", ", s->name);
        if (ws.n > 1)
            sh_error(sh, "%s: unknown subcommand '%s' (expected %s); usage: %s",
                     name, ws.w[1], subs, cmd->usage);
        else
            sh_error(sh, "%s: expected a subcommand (%s); usage: %s", name, subs,
                     cmd->usage);
        goto out;
    }
    char full[64];
    snprintf(full, sizeof full, "%s %s", name, sub->name);
    r = dispatch(sh, sub, full, &ws, 2);
out:
    words_free(&ws);
    return r;
}
