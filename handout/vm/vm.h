/*
 * vm.h - the whole simulated machine, for programs that drive it (vmsh,
 * the tests, the grader, vmbench).
 */
#ifndef VM_VM_H
#define VM_VM_H

#include "check.h"
#include "disk.h"
#include "explain.h"
#include "frame.h"
#include "huge.h"
#include "log.h"
#include "machine.h"
#include "mmap.h"
#include "mmu.h"
#include "pagecache.h"
#include "pagetable.h"
#include "paging.h"
#include "panic.h"
#include "proc.h"
#include "pte.h"
#include "refstream.h"
#include "replace.h"
#include "stats.h"
#include "swap.h"
#include "syscall.h"
#include "tlb.h"
#include "vma.h"

#endif
