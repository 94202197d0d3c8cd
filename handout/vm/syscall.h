/*
 * syscall.h - the system calls of the machine's kernel, made on behalf of
 * process p. Each checks every argument before changing anything and
 * returns 0 or a negative errno; a failed call leaves the process as it
 * was (except where noted). Lengths are rounded up to whole pages.
 * prot and flags take the values of <sys/mman.h>.
 */
#ifndef VM_SYSCALL_H
#define VM_SYSCALL_H

#include <stdint.h>

#include "pte.h"

struct machine;
struct proc;

/*
 * vm_mmap - map len bytes: of file (its id, from offset) unless flags has
 * MAP_ANONYMOUS (then file must be -1 and offset 0). Exactly one of
 * MAP_SHARED and MAP_PRIVATE; MAP_FIXED places the region at addr exactly,
 * replacing whatever was mapped there; otherwise addr is a hint (see
 * vma_gap). Pages are mapped lazily, at their first fault. *out gets the
 * address. Errors:
 *   -EINVAL  len 0; offset not page-aligned; MAP_FIXED with addr not
 *            page-aligned, or a range outside user space; neither or both
 *            of MAP_SHARED and MAP_PRIVATE; unknown flags or prot bits;
 *            MAP_ANONYMOUS with a file or an offset;
 *   -EBADF   no file with that id (and not MAP_ANONYMOUS);
 *   -EACCES  MAP_SHARED with PROT_WRITE of a read-only file;
 *   -ENOMEM  no room in the address space, too many regions, or no memory;
 *   -ESRCH   p is dead.
 */
int vm_mmap(struct machine *m, struct proc *p, vaddr_t addr, uint64_t len,
            int prot, int flags, int file, uint64_t offset, vaddr_t *out);

/* vm_mmap_invalid - the rule a vm_mmap with these arguments breaks when it
 * returns -EINVAL, as a phrase ("MAP_FIXED needs a page-aligned address");
 * NULL when it would not return -EINVAL. Changes nothing. */
const char *vm_mmap_invalid(struct machine *m, struct proc *p, vaddr_t addr,
                            uint64_t len, int prot, int flags, int file,
                            uint64_t offset);

/* vm_range_invalid - the rule a range [addr, addr + len) of vm_munmap or
 * vm_mprotect breaks, as a phrase ("the range would cut a 2 MiB page of a
 * huge region"); NULL when it breaks none. */
const char *vm_range_invalid(const struct proc *p, vaddr_t addr, uint64_t len);

/* vm_munmap - unmap every page of [addr, addr + len) (unmapped parts are
 * fine), splitting regions it cuts. -EINVAL (addr not aligned, len 0, range
 * outside user space or cutting a 2 MiB page), -ENOMEM (a split needed
 * memory), -ESRCH. */
int vm_munmap(struct machine *m, struct proc *p, vaddr_t addr, uint64_t len);

/* vm_mprotect - set the protection of [addr, addr + len), which must be
 * entirely mapped, splitting regions at its ends and updating present
 * pages. -EINVAL (addr not aligned, len 0, bad prot bits, range outside
 * user space), -ENOMEM (a hole in the range, or a split failed), -EACCES
 * (PROT_WRITE on a MAP_SHARED region of a read-only file), -ESRCH. */
int vm_mprotect(struct machine *m, struct proc *p, vaddr_t addr,
                uint64_t len, int prot);

/* vm_fork - a child of parent with a copy of its address space: MAP_SHARED
 * regions shared, the rest copy-on-write (fork_copy). The child does not
 * run until proc_switch. -EAGAIN (too many processes), -ENOMEM (no frames
 * for the child's tables: the child is then undone), -ESRCH. */
int vm_fork(struct machine *m, struct proc *parent, struct proc **child);

/* vm_exit - end p: unmap every region (mmap_unmap, so dirty MAP_SHARED
 * pages reach their file), free its tables. If p was running, CR3 returns
 * to the kernel's and the TLB is flushed (keeping global entries).
 * -ESRCH when already dead. */
int vm_exit(struct machine *m, struct proc *p);

#endif
