/*
 * fuzz_vmsh.c - libFuzzer target: vmsh's commands (tools/vmsh), the input
 * run as a script is run (batch_run_stream: each line cut into words,
 * dispatched through the command table, run on the machine), in a new
 * session with the default machine for every input.
 *
 * The machine is deterministic, so an input does the same every time.
 * vmsh's own limits are a person's at a terminal (a touch of 100 M
 * references, a file of 1 GiB, 4 GiB of swap), not those of a fuzzer
 * running thousands of inputs a second, so an input is held to less:
 *   - its first FUZZ_LINES lines are run, the rest ignored;
 *   - touch makes at most FUZZ_REFS references and replay replays at most
 *     FUZZ_REPLAYED references per input: past them the command is
 *     interrupted, as Ctrl-C interrupts it (sh->interrupted);
 *   - files of more than FUZZ_FILE_BYTES bytes, and machines of more than
 *     FUZZ_FRAMES frames or FUZZ_SWAP swap slots, are refused.
 * The linker puts the wrappers below in place of the functions they wrap
 * (--wrap, mk/fuzz.mk): each counts or refuses, then calls the real one.
 *
 * The host's files: as when grade runs vmsh, the files a script may read
 * (source, replay) are read in advance (hostfile_preload), here the
 * scenarios' includes and the reference streams; nothing else can be
 * opened (source /dev/zero would read forever). The input is a script in
 * traces/vm, so it names them as the scenarios do: include/NAME.vmsh,
 * ../refs/NAME.
 *
 * Besides what the sanitizers catch, an input must not make the machine
 * panic and must leave it consistent (vm_check): a panic is a broken
 * invariant (panic.h), never bad input, and the machine runs the
 * reference's code. vmsh would report a panic and go on; here it aborts
 * (the wrapper of vm_panic_set_handler installs a handler that does),
 * and so does a problem vm_check finds, with the problems.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "hostfile.h"
#include "vmsh.h"

#define SCRIPT_DIR KIT_ROOT "/traces/vm"

#define FUZZ_LINES 100
#define FUZZ_REFS ((uint64_t)1 << 16)
#define FUZZ_REPLAYED ((uint64_t)1 << 18)
#define FUZZ_FILE_BYTES ((uint64_t)1 << 20)
#define FUZZ_FRAMES 4096u
#define FUZZ_SWAP 4096u

static struct vmsh *current;    /* the session of the input being run */
static uint64_t refs, replayed; /* by it so far */

/* --- The wrappers ------------------------------------------------------- */

int __real_vm_access(struct machine *m, vaddr_t va, enum access acc, enum mode mode,
                     paddr_t *pa);
int __wrap_vm_access(struct machine *m, vaddr_t va, enum access acc, enum mode mode,
                     paddr_t *pa);
int64_t __real_replace_run(struct replay *r, int policy, unsigned frames,
                           unsigned handspread);
int64_t __wrap_replace_run(struct replay *r, int policy, unsigned frames,
                           unsigned handspread);
int __real_disk_file_create(struct machine *m, const char *name, uint64_t size,
                            bool readonly);
int __wrap_disk_file_create(struct machine *m, const char *name, uint64_t size,
                            bool readonly);
int __real_vm_config_check(const struct vm_config *c, char *why, size_t n);
int __wrap_vm_config_check(const struct vm_config *c, char *why, size_t n);
vm_panic_handler_t __real_vm_panic_set_handler(vm_panic_handler_t h);
vm_panic_handler_t __wrap_vm_panic_set_handler(vm_panic_handler_t h);

int __wrap_vm_access(struct machine *m, vaddr_t va, enum access acc, enum mode mode,
                     paddr_t *pa)
{
    if (++refs >= FUZZ_REFS && current)
        current->interrupted = 1;
    return __real_vm_access(m, va, acc, mode, pa);
}

int64_t __wrap_replace_run(struct replay *r, int policy, unsigned frames,
                           unsigned handspread)
{
    replayed += r->n;
    if (replayed >= FUZZ_REPLAYED && current)
        current->interrupted = 1;
    return __real_replace_run(r, policy, frames, handspread);
}

int __wrap_disk_file_create(struct machine *m, const char *name, uint64_t size,
                            bool readonly)
{
    if (size > FUZZ_FILE_BYTES)
        return -EFBIG;
    return __real_disk_file_create(m, name, size, readonly);
}

int __wrap_vm_config_check(const struct vm_config *c, char *why, size_t n)
{
    int r = __real_vm_config_check(c, why, n);
    if (r == 0 && (c->frames > FUZZ_FRAMES || c->swap_slots > FUZZ_SWAP)) {
        if (why)
            snprintf(why, n, "frames and swap are at most %u and %u when fuzzing",
                     FUZZ_FRAMES, FUZZ_SWAP);
        r = -1;
    }
    return r;
}

/* vmsh's handler would report a panic and rebuild the machine; this one
 * says what broke where the fuzzer's report goes (vmsh's stderr goes
 * nowhere), and aborts. */
static void on_panic(const char *msg)
{
    dprintf(STDERR_FILENO, "vm panic: %s\n", msg);
    abort();
}

vm_panic_handler_t __wrap_vm_panic_set_handler(vm_panic_handler_t h)
{
    return __real_vm_panic_set_handler(h ? on_panic : NULL);
}

/* --- The target --------------------------------------------------------- */

static FILE *devnull;   /* where vmsh's output goes; NULL: shown */

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char err[256];
    if (hostfile_preload(SCRIPT_DIR "/include", err, sizeof err) < 0 ||
        hostfile_preload(KIT_ROOT "/traces/refs", err, sizeof err) < 0) {
        fprintf(stderr, "fuzz_vmsh: cannot read the scripts' files: %s\n", err);
        exit(1);
    }
    /* FUZZ_VMSH_OUTPUT shows the transcript, for running a finding again. */
    if (getenv("FUZZ_VMSH_OUTPUT"))
        return 0;
    devnull = fopen("/dev/null", "w");
    if (!devnull) {
        perror("fuzz_vmsh: /dev/null");
        exit(1);
    }
    return 0;
}

/* first_lines - the length of data's first FUZZ_LINES lines. */
static size_t first_lines(const uint8_t *data, size_t size)
{
    unsigned lines = 0;
    for (size_t i = 0; i < size; i++)
        if (data[i] == '\n' && ++lines == FUZZ_LINES)
            return i + 1;
    return size;
}

/* check - vm_check of the machine a script left; aborts with the problems
 * found. A script that made entries by hand (map) is not checked: the
 * kernel knows nothing of them, and vm_check rightly says so. */
static void check(struct machine *m)
{
    char *text = NULL;
    size_t len = 0;
    FILE *report = open_memstream(&text, &len);
    if (!report)
        abort();
    unsigned problems = vm_check(m, report);
    fclose(report);
    if (problems) {
        fprintf(stderr, "fuzz_vmsh: the machine is inconsistent after the script:\n%s", text);
        abort();
    }
    free(text);
}

/* run - script in a new session with the default machine. */
static void run(FILE *script)
{
    struct vm_config cfg;
    vm_config_default(&cfg);
    struct vmsh sh;
    FILE *out = stdout, *err = stderr;
    if (devnull)
        stdout = stderr = devnull;
    if (session_init(&sh, &cfg, 1) < 0)
        abort();
    current = &sh;
    refs = replayed = 0;
    batch_run_stream(&sh, script, "fuzz.vmsh", SCRIPT_DIR);
    stdout = out;
    stderr = err;
    if (!sh.hand_made)
        check(sh.m);
    current = NULL;
    session_free(&sh);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t nothing[1];    /* an empty input may come as NULL */
    FILE *script = fmemopen((void *)(size ? data : nothing), first_lines(data, size), "r");
    if (!script)
        abort();
    run(script);
    fclose(script);
    return 0;
}
