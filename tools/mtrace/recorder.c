/*
 * recorder.c - libmtrace.so: with LD_PRELOAD, logs every malloc, calloc,
 * realloc, free and memalign-family call of a program (format: mtlog.h).
 *
 * Each wrapper calls the C library's function, found with dlsym(RTLD_NEXT),
 * and appends one record to a buffer that write(2) empties into the log when
 * it fills, before a fork, an exec or _exit, and at exit. Invariants:
 *  - One recursive lock is held across each real call and its record, so the
 *    log's order is an order in which the calls really happened: a block is
 *    never logged as handed out again before the free that released it.
 *  - in_recorder is set while a thread is inside a wrapper; an allocation
 *    made meanwhile (by the C library on our behalf) goes straight to the
 *    real function, unlogged, so the recorder never records itself.
 *  - Until the real functions are known, allocations come from boot_arena
 *    (dlsym itself allocates); those blocks are never freed, and free()
 *    ignores them.
 *  - After a fork the child drops the parent's log and opens its own, named
 *    by its pid, at its first record. The buffer is emptied before the fork,
 *    so no record is written twice.
 * The recorder itself never calls malloc: names are formatted by hand.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mtlog.h"

#define BUFFER_RECORDS 8192    /* 256 KiB of records between writes */
#define BOOT_ARENA_BYTES 65536 /* what dlsym may allocate before we know malloc */
#define BOOT_ALIGN 16
#define PATH_BYTES 4096
#define MAX_NAME_TRIES 1000    /* PREFIX.PID.N: images of one pid after execs */

/* The C library's functions. */
static struct {
    void *(*malloc)(size_t);
    void *(*calloc)(size_t, size_t);
    void *(*realloc)(void *, size_t);
    void (*free)(void *);
    int (*posix_memalign)(void **, size_t, size_t);
    void *(*aligned_alloc)(size_t, size_t);
    void *(*memalign)(size_t, size_t);
    void *(*valloc)(size_t);
    void *(*pvalloc)(size_t);
    void (*exit_now)(int);
    int (*execve)(const char *, char *const[], char *const[]);
    int (*execv)(const char *, char *const[]);
    int (*execvp)(const char *, char *const[]);
    int (*execvpe)(const char *, char *const[], char *const[]);
} real;

enum { UNRESOLVED, RESOLVING, RESOLVED };
static atomic_int resolve_state;

static _Alignas(BOOT_ALIGN) char boot_arena[BOOT_ARENA_BYTES];
static atomic_size_t boot_used;

static __thread int in_recorder __attribute__((tls_model("initial-exec")));

static pthread_mutex_t log_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static struct mtlog_record buffer[BUFFER_RECORDS];
static size_t buffered;
static int log_fd = -1;
static pid_t log_pid;       /* the process log_fd belongs to */
static bool log_failed;     /* the log could not be opened or written: stop */
static bool write_through;  /* past our destructor: write every record at once */
static char log_prefix[PATH_BYTES]; /* kept from the first open, for children */

/* --- Messages without stdio ------------------------------------------------ */

static void say(const char *a, const char *b)
{
    const char *parts[] = { "libmtrace: ", a, b, "\n" };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (parts[i] && write(STDERR_FILENO, parts[i], strlen(parts[i])) < 0)
            return;
}

/* append - copy s to the end of the string in dst (capacity cap); false if
 * it does not fit. */
static bool append(char *dst, size_t cap, const char *s)
{
    size_t used = strlen(dst), n = strlen(s);
    if (used + n + 1 > cap)
        return false;
    memcpy(dst + used, s, n + 1);
    return true;
}

static bool append_uint(char *dst, size_t cap, uint64_t v)
{
    char digits[24];
    size_t i = sizeof digits;
    digits[--i] = '\0';
    do {
        digits[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return append(dst, cap, digits + i);
}

/* --- Bootstrap: before dlsym has answered ----------------------------------- */

/* boot_alloc - a zeroed block from the static arena, never reused; NULL with
 * ENOMEM when the arena is exhausted. Each block is preceded by its size. */
static void *boot_alloc(size_t size, size_t align)
{
    if (align & (align - 1)) {
        errno = EINVAL;
        return NULL;
    }
    if (align < BOOT_ALIGN)
        align = BOOT_ALIGN;
    if (size > BOOT_ARENA_BYTES || align > BOOT_ARENA_BYTES / 2) {
        errno = ENOMEM;
        return NULL;
    }
    size_t need = sizeof(size_t) + align + (size + BOOT_ALIGN - 1) / BOOT_ALIGN * BOOT_ALIGN;
    size_t at = atomic_fetch_add(&boot_used, need);
    if (at + need > BOOT_ARENA_BYTES) {
        errno = ENOMEM;
        return NULL;
    }
    uintptr_t p = ((uintptr_t)boot_arena + at + sizeof(size_t) + align - 1) & ~(uintptr_t)(align - 1);
    ((size_t *)p)[-1] = size;
    return (void *)p;
}

static bool in_boot_arena(const void *p)
{
    return (const char *)p >= boot_arena && (const char *)p < boot_arena + BOOT_ARENA_BYTES;
}

static void *must_resolve(const char *name)
{
    void *f = dlsym(RTLD_NEXT, name);
    if (!f) {
        say("cannot find the C library's ", name);
        abort();
    }
    return f;
}

/*
 * ready - true when the real functions are known, resolving them on the
 * first call. False while they are being resolved (by this thread, inside
 * dlsym, or by another): the caller then serves from the boot arena.
 */
static bool ready(void)
{
    if (atomic_load_explicit(&resolve_state, memory_order_acquire) == RESOLVED)
        return true;
    int expected = UNRESOLVED;
    if (!atomic_compare_exchange_strong(&resolve_state, &expected, RESOLVING))
        return false;
    real.malloc = must_resolve("malloc");
    real.calloc = must_resolve("calloc");
    real.realloc = must_resolve("realloc");
    real.free = must_resolve("free");
    real.posix_memalign = must_resolve("posix_memalign");
    /* Optional: a C library without them gets ENOMEM from our wrappers. */
    real.aligned_alloc = dlsym(RTLD_NEXT, "aligned_alloc");
    real.memalign = dlsym(RTLD_NEXT, "memalign");
    real.valloc = dlsym(RTLD_NEXT, "valloc");
    real.pvalloc = dlsym(RTLD_NEXT, "pvalloc");
    real.exit_now = must_resolve("_exit");
    real.execve = must_resolve("execve");
    real.execv = must_resolve("execv");
    real.execvp = must_resolve("execvp");
    real.execvpe = dlsym(RTLD_NEXT, "execvpe");
    atomic_store_explicit(&resolve_state, RESOLVED, memory_order_release);
    return true;
}

/* --- The log -------------------------------------------------------------- */

/* read_cmdline - this process's argv joined by spaces, into cmd. */
static void read_cmdline(char *cmd, size_t cap)
{
    memset(cmd, 0, cap);
    int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    ssize_t n = read(fd, cmd, cap - 1);
    close(fd);
    if (n <= 0)
        return;
    while (n > 0 && cmd[n - 1] == '\0')
        n--;
    for (ssize_t i = 0; i < n; i++)
        if (cmd[i] == '\0')
            cmd[i] = ' ';
}

static bool write_all(int fd, const void *data, size_t n)
{
    const char *p = data;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* log_open - create PREFIX.PID (or PREFIX.PID.N) and write its header.
 * False, with log_failed set and one message, when that is impossible. */
static bool log_open(void)
{
    if (!log_prefix[0]) {
        const char *p = getenv(MTLOG_ENV);
        if (!p || !*p)
            p = MTLOG_DEFAULT_PREFIX;
        if (!append(log_prefix, sizeof log_prefix, p)) {
            say(MTLOG_ENV " is too long; not recording", NULL);
            log_failed = true;
            return false;
        }
    }
    pid_t pid = getpid();
    log_pid = pid;
    char path[PATH_BYTES];
    for (unsigned n = 0; n < MAX_NAME_TRIES; n++) {
        path[0] = '\0';
        bool fits = append(path, sizeof path, log_prefix) && append(path, sizeof path, ".")
                    && append_uint(path, sizeof path, (uint64_t)pid);
        if (n > 0)
            fits = fits && append(path, sizeof path, ".") && append_uint(path, sizeof path, n);
        if (!fits)
            break;
        log_fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (log_fd >= 0 || errno != EEXIST)
            break;
    }
    if (log_fd < 0) {
        say("cannot create the log ", path);
        log_failed = true;
        return false;
    }
    struct mtlog_header h = {
        .version = MTLOG_VERSION,
        .record_size = sizeof(struct mtlog_record),
        .pid = (uint64_t)pid,
        .ppid = (uint64_t)getppid(),
    };
    memcpy(h.magic, MTLOG_MAGIC, MTLOG_MAGIC_LEN);
    read_cmdline(h.cmd, sizeof h.cmd);
    if (!write_all(log_fd, &h, sizeof h)) {
        say("cannot write the log ", path);
        log_failed = true;
        return false;
    }
    return true;
}

/* log_flush - write the buffered records; caller holds log_lock. */
static void log_flush(void)
{
    if (buffered == 0 || log_fd < 0)
        return;
    if (!write_all(log_fd, buffer, buffered * sizeof buffer[0])) {
        say("cannot write the log; recording stops here", NULL);
        log_failed = true;
    }
    buffered = 0;
}

/* log_record - append one record; caller holds log_lock. */
static void log_record(enum mtlog_op op, size_t aux, const void *ptr, size_t size,
                       const void *result)
{
    if (log_failed || (log_fd < 0 && !log_open()))
        return;
    buffer[buffered++] = (struct mtlog_record){
        .op = op,
        .aux = aux > UINT32_MAX ? 0 : (uint32_t)aux,
        .ptr = (uintptr_t)ptr,
        .size = size,
        .result = (uintptr_t)result,
    };
    if (buffered == BUFFER_RECORDS || write_through)
        log_flush();
}

/* enter/leave bracket the real call and its record in every wrapper. */
static void enter(void)
{
    in_recorder = 1;
    pthread_mutex_lock(&log_lock);
}

static void leave(void)
{
    pthread_mutex_unlock(&log_lock);
    in_recorder = 0;
}

/*
 * log_end - mark the log and write the buffer: this image ends (how: why).
 * A vfork child shares our memory but is another process: it must leave the
 * parent's buffer and log alone.
 */
static void log_end(enum mtlog_end why)
{
    int was = in_recorder;
    in_recorder = 1;
    pthread_mutex_lock(&log_lock);
    if (log_fd >= 0 && getpid() == log_pid) {
        log_record(MTLOG_END, why, NULL, 0, NULL);
        log_flush();
    }
    pthread_mutex_unlock(&log_lock);
    in_recorder = was;
}

/* --- fork, exec, exit ------------------------------------------------------- */

static void fork_prepare(void)
{
    pthread_mutex_lock(&log_lock);
    log_flush();
}

static void fork_parent(void)
{
    pthread_mutex_unlock(&log_lock);
}

/* The child is single-threaded: a fresh lock, and its own log on first use. */
static void fork_child(void)
{
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&log_lock, &attr);
    pthread_mutexattr_destroy(&attr);
    if (log_fd >= 0)
        close(log_fd);
    log_fd = -1;
    buffered = 0;
}

__attribute__((constructor)) static void recorder_init(void)
{
    in_recorder = 1; /* pthread_atfork allocates its table */
    ready();
    pthread_atfork(fork_prepare, fork_parent, fork_child);
    in_recorder = 0;
}

/* Marks the log complete, then writes what the remaining destructors and
 * atexit handlers allocate as it happens. */
__attribute__((destructor)) static void recorder_fini(void)
{
    log_end(MTLOG_END_EXIT);
    write_through = true;
}

void _exit(int status)
{
    log_end(MTLOG_END__EXIT);
    if (ready())
        real.exit_now(status);
    for (;;)
        syscall(SYS_exit_group, status);
}

void _Exit(int status)
{
    _exit(status);
}

int execve(const char *path, char *const argv[], char *const envp[])
{
    log_end(MTLOG_END_EXEC);
    if (!ready()) {
        errno = ENOSYS;
        return -1;
    }
    return real.execve(path, argv, envp);
}

int execv(const char *path, char *const argv[])
{
    log_end(MTLOG_END_EXEC);
    if (!ready()) {
        errno = ENOSYS;
        return -1;
    }
    return real.execv(path, argv);
}

int execvp(const char *file, char *const argv[])
{
    log_end(MTLOG_END_EXEC);
    if (!ready()) {
        errno = ENOSYS;
        return -1;
    }
    return real.execvp(file, argv);
}

int execvpe(const char *file, char *const argv[], char *const envp[])
{
    log_end(MTLOG_END_EXEC);
    if (!ready() || !real.execvpe) {
        errno = ENOSYS;
        return -1;
    }
    return real.execvpe(file, argv, envp);
}

/* --- The allocation functions --------------------------------------------- */

void *malloc(size_t size)
{
    if (!ready())
        return boot_alloc(size, BOOT_ALIGN);
    if (in_recorder)
        return real.malloc(size);
    enter();
    void *p = real.malloc(size);
    int saved = errno;
    log_record(MTLOG_MALLOC, 0, NULL, size, p);
    leave();
    errno = saved;
    return p;
}

void *calloc(size_t nmemb, size_t size)
{
    size_t bytes;
    if (__builtin_mul_overflow(nmemb, size, &bytes))
        bytes = SIZE_MAX;
    if (!ready())
        return bytes == SIZE_MAX ? NULL : boot_alloc(bytes, BOOT_ALIGN);
    if (in_recorder)
        return real.calloc(nmemb, size);
    enter();
    void *p = real.calloc(nmemb, size);
    int saved = errno;
    log_record(MTLOG_CALLOC, 0, NULL, bytes, p);
    leave();
    errno = saved;
    return p;
}

void free(void *ptr)
{
    if (in_boot_arena(ptr) || !ready())
        return;
    if (in_recorder) {
        real.free(ptr);
        return;
    }
    int saved = errno;
    enter();
    /* Logged before the real free: once it returns another thread may be
     * handed the same block, and its record must come after this one. */
    log_record(MTLOG_FREE, 0, ptr, 0, NULL);
    real.free(ptr);
    leave();
    errno = saved;
}

/* realloc of a boot-arena block: a fresh block, logged as a malloc (the boot
 * block was never visible to the log). */
static void *realloc_boot_block(void *ptr, size_t size)
{
    void *q = malloc(size);
    if (q) {
        size_t old = ((size_t *)ptr)[-1];
        memcpy(q, ptr, old < size ? old : size);
    }
    return q;
}

void *realloc(void *ptr, size_t size)
{
    if (in_boot_arena(ptr))
        return realloc_boot_block(ptr, size);
    if (!ready())
        return ptr ? NULL : boot_alloc(size, BOOT_ALIGN);
    if (in_recorder)
        return real.realloc(ptr, size);
    enter();
    void *p = real.realloc(ptr, size);
    int saved = errno;
    log_record(MTLOG_REALLOC, 0, ptr, size, p);
    leave();
    errno = saved;
    return p;
}

int posix_memalign(void **out, size_t align, size_t size)
{
    if (!ready()) {
        void *p = boot_alloc(size, align);
        if (!p)
            return ENOMEM;
        *out = p;
        return 0;
    }
    if (in_recorder)
        return real.posix_memalign(out, align, size);
    enter();
    int rc = real.posix_memalign(out, align, size);
    int saved = errno;
    log_record(MTLOG_MEMALIGN, align, NULL, size, rc == 0 ? *out : NULL);
    leave();
    errno = saved;
    return rc;
}

enum aligned_kind { ALIGNED_ALLOC, MEMALIGN, VALLOC, PVALLOC };

/*
 * aligned_call - the body of aligned_alloc, memalign, valloc and pvalloc:
 * call the real one with (align, size), log an MTLOG_MEMALIGN record of
 * logged_size bytes. NULL with ENOMEM when the C library lacks the function.
 */
static void *aligned_call(enum aligned_kind kind, size_t align, size_t size, size_t logged_size)
{
    if (!ready())
        return boot_alloc(logged_size, align);
    void *(*two)(size_t, size_t) = kind == ALIGNED_ALLOC ? real.aligned_alloc
                                   : kind == MEMALIGN    ? real.memalign
                                                         : NULL;
    void *(*one)(size_t) = kind == VALLOC ? real.valloc : kind == PVALLOC ? real.pvalloc : NULL;
    if (!two && !one) {
        errno = ENOMEM;
        return NULL;
    }
    if (in_recorder)
        return two ? two(align, size) : one(size);
    enter();
    void *p = two ? two(align, size) : one(size);
    int saved = errno;
    log_record(MTLOG_MEMALIGN, align, NULL, logged_size, p);
    leave();
    errno = saved;
    return p;
}

void *aligned_alloc(size_t align, size_t size)
{
    return aligned_call(ALIGNED_ALLOC, align, size, size);
}

void *memalign(size_t align, size_t size)
{
    return aligned_call(MEMALIGN, align, size, size);
}

void *valloc(size_t size)
{
    return aligned_call(VALLOC, (size_t)sysconf(_SC_PAGESIZE), size, size);
}

/* pvalloc hands out whole pages: the log records the rounded size, which is
 * what the program may use. */
void *pvalloc(size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t rounded = size == 0 ? page : (size + page - 1) / page * page;
    if (rounded < size)
        rounded = SIZE_MAX;
    return aligned_call(PVALLOC, page, size, rounded);
}
