/*
 * test_machine.c - the machine as a whole: configuration, boot, the CPU
 * loop (faults, kills, give-ups), the log, determinism, panics.
 */
#include <errno.h>
#include <setjmp.h>
#include <string.h>

#include "vmtest.h"

TestSuite(machine, .init = vt_setup, .fini = vt_teardown, .timeout = VT_TIMEOUT);

static struct vm_config config(void)
{
    return vt_config();
}

static void expect_bad(struct vm_config c, const char *word)
{
    char why[160] = "";
    VT_EQ(vm_config_check(&c, why, sizeof why), -EINVAL, word);
    cr_assert(strstr(why, word) != NULL, "message '%s' does not name '%s'", why, word);
    errno = 0;
    cr_assert_null(machine_new(&c), "machine_new accepted a bad %s", word);
    VT_EQ(errno, EINVAL, "errno");
}

Test(machine, default_config_is_valid)
{
    struct vm_config c;
    vm_config_default(&c);
    char why[160] = "";
    cr_assert_eq(vm_config_check(&c, why, sizeof why), 0, "default config refused: %s", why);
}

Test(machine, bad_config_names_the_bad_field)
{
    struct vm_config c = config();
    c.frames = 8;
    expect_bad(c, "frames");
    c = config();
    c.tlb_sets = 6;
    expect_bad(c, "tlb sets");
    c = config();
    c.tlb_ways = 0;
    expect_bad(c, "tlb ways");
    c = config();
    c.policy = 7;
    expect_bad(c, "policy");
    c = config();
    c.low_water = 2;
    expect_bad(c, "watermarks");
    c = config();
    c.high_water = c.frames;
    expect_bad(c, "watermarks");
    c = config();
    c.swap_slots = SWAP_MAX + 1;
    expect_bad(c, "swap");
    c = config();
    c.handspread = c.frames;
    expect_bad(c, "handspread");
    c = config();
    c.log_level = 9;
    expect_bad(c, "log level");
}

Test(machine, policy_names_round_trip)
{
    VT_EQ(vm_policy_parse("clock1"), POLICY_CLOCK1, "clock1");
    VT_EQ(vm_policy_parse("clock2"), POLICY_CLOCK2, "clock2");
    VT_EQ(vm_policy_parse("lru"), -1, "lru is not a machine policy");
    cr_assert_str_eq(vm_policy_name(POLICY_CLOCK2), "clock2");
    cr_assert_str_eq(vm_policy_name(5), "?");
}

Test(machine, boot_gives_the_kernel_frames_0_1_2)
{
    struct vm_config c = config();
    struct machine *m = vt_boot(&c);
    VT_EQ(m->free.count, c.frames - 3, "free frames after boot");
    VT_EQ(m->free.head, 3, "first free frame");
    VT_EQ(m->kernel_pml4, 0, "kernel PML4");
    VT_EQ(m->cr3, m->kernel_pml4, "CR3 with no process");
    for (frame_t f = 0; f < 3; f++)
        VT_EQ(m->frame[f].use, FRAME_TABLE, "use of a kernel frame");
    VT_CHECK(m);
}

Test(machine, kernel_half_maps_memory_with_huge_global_pages)
{
    struct vm_config c = config();
    struct machine *m = vt_boot(&c);
    pte_t *pd = pt_entry(m, NULL, KMAP_BASE, 1);
    cr_assert_not_null(pd, "no PD for the kernel map");
    cr_assert((*pd & (PTE_P | PTE_W | PTE_PS | PTE_G | PTE_NX)) ==
              (PTE_P | PTE_W | PTE_PS | PTE_G | PTE_NX), "PD entry %#" PRIx64, *pd);
    cr_assert_not(*pd & PTE_U, "kernel page is user-accessible");
    pte_t *pdpt = pt_entry(m, NULL, KMAP_1G_BASE, 2);
    cr_assert((*pdpt & (PTE_P | PTE_PS | PTE_G)) == (PTE_P | PTE_PS | PTE_G),
              "PDPT entry %#" PRIx64, *pdpt);
}

Test(machine, a_new_process_shares_the_kernel_half)
{
    struct vm_config c = config();
    struct machine *m = vt_boot(&c);
    struct proc *p = proc_spawn(m);
    cr_assert_not_null(p);
    VT_EQ(p->pid, 1, "first pid");
    VT_EQ(*pt_entry(m, p, KMAP_BASE, 3), *pt_entry(m, NULL, KMAP_BASE, 3),
          "PML4 entry 256");
    cr_assert_null(m->cur, "spawn made the process run");
    VT_CHECK(m);
}

Test(machine, user_access_with_no_running_process_is_esrch)
{
    struct vm_config c = config();
    struct machine *m = vt_boot(&c);
    VT_EQ(vt_touch(m, 0x10000000, ACC_READ), -ESRCH, "result");
}

Test(machine, kernel_access_to_user_space_without_a_process_fails_cleanly)
{
    struct vm_config c = config();
    struct machine *m = vt_boot(&c);
    paddr_t pa;
    VT_EQ(vm_access(m, 0x10000000, ACC_READ, MODE_KERNEL, &pa), -EFAULT, "result");
    VT_CHECK(m);
}

Test(machine, kernel_reads_memory_through_the_kernel_map)
{
    struct vm_config c = config();
    struct machine *m = vt_boot(&c);
    m->mem[0x5007] = 0x77;
    uint8_t b = 0;
    cr_assert_eq(vm_read(m, KMAP_BASE + 0x5007, &b, 1, MODE_KERNEL), 0);
    VT_EQ(b, 0x77, "byte read through the 2 MiB map");
    cr_assert_eq(vm_read(m, KMAP_1G_BASE + 0x5007, &b, 1, MODE_KERNEL), 0);
    VT_EQ(b, 0x77, "byte read through the 1 GiB map");
}

Test(machine, access_past_the_end_of_memory_is_a_bus_error)
{
    struct vm_config c = config();
    c.log_level = LOG_EVENTS;
    struct machine *m = vt_boot(&c);
    uint8_t b;
    VT_EQ(vm_read(m, KMAP_1G_BASE + m->memsize, &b, 1, MODE_KERNEL), -EFAULT, "result");
    cr_assert(strstr(vmlog_text(&m->log), "bus error") != NULL, "log: %s", vmlog_text(&m->log));
}

Test(machine, non_canonical_user_access_kills_with_general_protection)
{
    struct vm_config c = config();
    struct machine *m = vt_boot(&c);
    struct proc *p = vt_run(m);
    VT_EQ(vt_touch(m, 0x0000900000000000, ACC_READ), -EFAULT, "result");
    VT_EQ(p->kill_reason, KILL_GP, "kill reason");
    VT_EQ(m->stats.segv_kills, 1, "segv kills");
    VT_CHECK(m);
}

Test(machine, user_access_to_the_kernel_half_kills)
{
    struct vm_config c = config();
    struct machine *m = vt_boot(&c);
    struct proc *p = vt_run(m);
    VT_EQ(vt_touch(m, KMAP_BASE, ACC_READ), -EFAULT, "result");
    VT_EQ(p->state, PROC_KILLED, "state");
    VT_EQ(p->kill_error, PF_P | PF_U, "error code it died with");
    VT_CHECK(m);
}

Test(machine, a_fault_the_handler_cannot_fix_is_given_up)
{
    struct vm_config c = config();
    c.log_level = LOG_EVENTS;
    struct machine *m = vt_boot(&c);
    struct proc *p = vt_run(m);
    vaddr_t va = vt_anon(m, p, 0, 1);
    vt_map_page(m, p, va, PTE_U | PTE_NX);  /* read-only in a writable region */
    VT_EQ(vt_touch(m, va, ACC_WRITE), -EFAULT, "result");
    VT_EQ(p->state, PROC_KILLED, "state");
    cr_assert(strstr(vmlog_text(&m->log), "given up") != NULL, "log: %s", vmlog_text(&m->log));
    VT_CHECK(m);
}

Test(machine, out_of_frames_and_swap_kills_the_process_cleanly)
{
    struct vm_config c = config();
    c.swap_slots = 0;
    struct machine *m = vt_boot(&c);
    struct proc *p = vt_run(m);
    vaddr_t va = vt_anon(m, p, 0, 64);
    uint32_t free_at_start = m->free.count + 1;
    int r = 0;
    unsigned i = 0;
    while (r == 0 && i < 64)
        r = vt_touch(m, va + (vaddr_t)i++ * PAGE_SIZE, ACC_WRITE);
    VT_EQ(r, -ENOMEM, "result when memory runs out");
    VT_EQ(p->kill_reason, KILL_OOM, "kill reason");
    VT_EQ(m->stats.oom_kills, 1, "oom kills");
    VT_EQ(m->free.count, free_at_start, "free frames once it is gone");
    VT_CHECK(m);
}

Test(machine, read_and_write_cross_page_boundaries)
{
    struct vm_config c = config();
    struct machine *m = vt_boot(&c);
    struct proc *p = vt_run(m);
    vaddr_t va = vt_anon(m, p, 0, 3);
    char out[6000], in[6000];
    for (size_t i = 0; i < sizeof out; i++)
        out[i] = (char)(i * 7);
    cr_assert_eq(vm_write(m, va + 100, out, sizeof out, MODE_USER), 0);
    cr_assert_eq(vm_read(m, va + 100, in, sizeof in, MODE_USER), 0);
    cr_assert(memcmp(in, out, sizeof in) == 0, "bytes differ after a round trip");
    VT_EQ(m->stats.minor_faults, 2, "pages faulted in");
    VT_CHECK(m);
}

Test(machine, two_machines_do_not_share_anything)
{
    struct vm_config c = config();
    struct machine *a = vt_boot(&c), *b = vt_boot(&c);
    vt_run(a);
    struct proc *pb = vt_run(b);
    vaddr_t va = vt_anon(b, pb, 0, 1);
    vt_write8(b, va, 9);
    VT_EQ(a->stats.refs, 0, "references counted by the other machine");
    VT_EQ(b->stats.refs, 1, "references");
    VT_CHECK(a);
    VT_CHECK(b);
}

/* A little of everything, so the log has every kind of event. */
static void workload(struct machine *m)
{
    struct proc *p = vt_run(m);
    int id = vt_file(m, "w", 3 * PAGE_SIZE, 1);
    vaddr_t f = vt_mmap(m, p, 0, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, id, 0);
    vaddr_t a = vt_anon(m, p, 0, 40);
    for (unsigned i = 0; i < 40; i++)
        vt_write8(m, a + i * PAGE_SIZE, (uint8_t)i);
    vt_write8(m, f, 1);
    struct proc *child;
    cr_assert_eq(vm_fork(m, p, &child), 0);
    cr_assert_eq(proc_switch(m, child), 0);
    for (unsigned i = 0; i < 40; i += 3)
        vt_write8(m, a + i * PAGE_SIZE, 0xee);
    cr_assert_eq(vm_exit(m, child), 0);
    cr_assert_eq(proc_switch(m, p), 0);
    for (unsigned i = 0; i < 40; i++)
        cr_assert_eq(vt_read8(m, a + i * PAGE_SIZE), i, "page %u", i);
}

Test(machine, same_calls_give_the_same_log_and_statistics)
{
    struct vm_config c = config();
    c.log_level = LOG_TLB;
    c.swap_slots = 64;
    struct machine *a = vt_boot(&c), *b = vt_boot(&c);
    workload(a);
    workload(b);
    cr_assert_str_eq(vmlog_text(&a->log), vmlog_text(&b->log), "logs differ");
    cr_assert(memcmp(&a->stats, &b->stats, sizeof a->stats) == 0, "statistics differ");
    cr_assert_gt(a->stats.evictions, 0, "the workload evicted nothing");
    cr_assert_gt(a->stats.cow_copies, 0, "the workload copied nothing");
    VT_CHECK(a);
}

Test(machine, log_levels_filter_events)
{
    static const char *const want[] = { NULL, "page fault", "tlb miss", "ref:" };
    for (int level = LOG_OFF; level <= LOG_REFS; level++) {
        struct vm_config c = config();
        c.log_level = level;
        struct machine *m = machine_new(&c);
        struct proc *p = proc_spawn(m);
        proc_switch(m, p);
        vaddr_t va;
        vm_mmap(m, p, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0, &va);
        paddr_t pa;
        vm_access(m, va, ACC_READ, MODE_USER, &pa);
        const char *text = vmlog_text(&m->log);
        if (level == LOG_OFF)
            cr_assert_str_empty(text, "level off logged: %s", text);
        for (int l = LOG_EVENTS; l <= LOG_REFS; l++)
            cr_assert_eq(strstr(text, want[l]) != NULL, l <= level,
                         "level %s: '%s' %s in:\n%s", vmlog_level_name(level), want[l],
                         l <= level ? "missing" : "present", text);
        machine_free(m);
    }
}

Test(machine, fault_events_are_indented_under_their_fault)
{
    struct vm_config c = config();
    c.log_level = LOG_EVENTS;
    struct machine *m = vt_boot(&c);
    struct proc *p = vt_run(m);
    int id = vt_file(m, "f", PAGE_SIZE, 0);
    vaddr_t va = vt_mmap(m, p, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, id, 0);
    vt_read8(m, va);
    const char *text = vmlog_text(&m->log);
    cr_assert(strstr(text, "page fault: pid 1 va 0x10000000 error 0x4 (U)\n"
                           "  disk read: f page 0 -> frame 7\n"
                           "  major fault\n") != NULL, "log:\n%s", text);
}

static char sunk[4][128];
static int nsunk;

static void sink(void *ctx, const char *line)
{
    (void)ctx;
    if (nsunk < 4)
        snprintf(sunk[nsunk], sizeof sunk[0], "%s", line);
    nsunk++;
}

Test(machine, log_sink_receives_lines_instead_of_the_buffer)
{
    struct vm_config c = config();
    c.log_level = LOG_EVENTS;
    struct machine *m = vt_boot(&c);
    m->log.sink = sink;
    proc_spawn(m);
    VT_EQ(nsunk, 1, "lines sent to the sink");
    cr_assert_str_eq(sunk[0], "spawn: pid 1, PML4 in frame 3");
    cr_assert_str_empty(vmlog_text(&m->log), "buffer used with a sink");
}

Test(machine, log_keeps_at_most_its_limit_and_counts_the_rest)
{
    struct vmlog l = { .level = LOG_EVENTS };
    char line[200];
    memset(line, 'x', sizeof line - 1);
    line[sizeof line - 1] = '\0';
    size_t lines = VMLOG_LIMIT / 200 + 10;
    for (size_t i = 0; i < lines; i++)
        vmlog_add(&l, LOG_EVENTS, "%s", line);
    cr_assert_leq(strlen(vmlog_text(&l)), VMLOG_LIMIT);
    cr_assert_gt(l.dropped, 0, "nothing dropped past the limit");
    vmlog_clear(&l);
    cr_assert_str_empty(vmlog_text(&l));
    VT_EQ(l.dropped, 0, "dropped after clear");
    vmlog_add(&l, LOG_TLB, "not kept");
    cr_assert_str_empty(vmlog_text(&l), "a line above the level was kept");
    vmlog_destroy(&l);
}

Test(machine, log_level_names_round_trip)
{
    for (int l = LOG_OFF; l <= LOG_REFS; l++)
        VT_EQ(vmlog_level_parse(vmlog_level_name(l)), l, vmlog_level_name(l));
    VT_EQ(vmlog_level_parse("loud"), -1, "unknown level");
    cr_assert_str_eq(vmlog_level_name(12), "?");
}

static jmp_buf panic_jump;
static char panic_msg[256];

static void catch_panic(const char *msg)
{
    snprintf(panic_msg, sizeof panic_msg, "%s", msg);
    longjmp(panic_jump, 1);
}

Test(machine, walk_through_a_corrupt_entry_is_a_machine_check_panic)
{
    struct vm_config c = config();
    struct machine *m = vt_boot(&c);
    vm_panic_set_handler(catch_panic);
    if (setjmp(panic_jump) == 0) {
        phys_table(m, m->memsize + PAGE_SIZE);
        cr_assert_fail("no panic");
    }
    cr_assert(strstr(panic_msg, "machine check") != NULL, "panic message: %s", panic_msg);
}

Test(machine, freeing_a_frame_twice_is_a_panic)
{
    struct vm_config c = config();
    struct machine *m = vt_boot(&c);
    frame_t f = frame_alloc(m, FRAME_ANON);
    frame_free(m, f);
    vm_panic_set_handler(catch_panic);
    if (setjmp(panic_jump) == 0) {
        frame_free(m, f);
        cr_assert_fail("no panic");
    }
    cr_assert(strstr(panic_msg, "already free") != NULL, "panic message: %s", panic_msg);
}

Test(machine, names_of_states_reasons_and_uses)
{
    cr_assert_str_eq(proc_state_name(PROC_KILLED), "killed");
    cr_assert_str_eq(proc_state_name(PROC_EXITED), "exited");
    cr_assert_str_eq(proc_state_name(PROC_ALIVE), "alive");
    cr_assert_str_eq(proc_state_name(9), "?");
    cr_assert_str_eq(kill_reason_name(KILL_OOM), "out of memory");
    cr_assert_str_eq(kill_reason_name(KILL_NONE), "-");
    cr_assert_str_eq(kill_reason_name(KILL_SEGV), "SIGSEGV");
    cr_assert(strstr(kill_reason_name(KILL_GP), "general protection"));
    cr_assert_str_eq(kill_reason_name(9), "?");
    cr_assert_str_eq(frame_use_name(FRAME_FILE), "file");
    cr_assert_str_eq(frame_use_name(9), "?");
    VT_EQ(stats_nfields, sizeof(struct stats) / sizeof(uint64_t), "counters named");
    cr_assert_str_eq(stats_fields[0].name, "refs");
}

Test(machine, a_fault_on_the_ia32_machine_kills_without_calling_the_fault_handler)
{
    struct vm_config c = vt_config();
    c.arch = ARCH_IA32;
    struct machine *m = vt_boot(&c);
    struct proc *p = vt_run(m);
    vt_mmap(m, p, MMAP_BASE, PAGE_SIZE, PROT_READ | PROT_WRITE,
            MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    /* The region is there, but no page: on x86-64 the fault handler would
     * make one; the IA-32 machine's kernel makes none. */
    VT_EQ(vt_touch(m, MMAP_BASE, ACC_READ), -EFAULT, "a touch of a page never mapped");
    VT_EQ(p->state, PROC_KILLED, "state of the process");
    VT_EQ(m->stats.minor_faults + m->stats.major_faults, 0, "faults resolved");
}

Test(machine, a_global_ia32_kernel_entry_made_in_one_directory_is_consistent_in_another)
{
    struct vm_config c = vt_config();
    c.arch = ARCH_IA32;
    struct machine *m = vt_boot(&c);
    struct proc *p = vt_run(m);
    struct translation t = mmu_translate(m, KERNEL32_BASE + 0x10, ACC_WRITE, MODE_KERNEL, NULL);
    cr_assert_eq(t.fault, FAULT_NONE, "the kernel's write to its quarter faulted");
    /* The entry is global: it stays when the process exits and CR3 goes
     * back to the kernel's directory, whose copy of the leaf has no A. */
    cr_assert_eq(vm_exit(m, p), 0);
    cr_assert_not_null(tlb_lookup(&m->tlb, KERNEL32_BASE), "the global entry is gone");
    VT_CHECK(m);
}

Test(machine, a_process_with_pages_made_by_hand_exits_without_a_panic)
{
    struct vm_config c = vt_config();
    struct machine *m = vt_boot(&c);
    struct proc *p = vt_run(m);
    cr_assert_eq(pt_map(m, p, 0x40000000, 0x20000, PTE_U, 0), 0, "pt_map");
    cr_assert(p->hand_made, "pt_map did not mark the process");
    cr_assert_eq(vm_exit(m, p), 0, "exit");
    VT_CHECK(m);
}

Test(machine, a_region_made_over_pages_made_by_hand_replaces_them)
{
    struct vm_config c = vt_config();
    c.frames = 2048;
    struct machine *m = vt_boot(&c);
    struct proc *p = vt_run(m);
    cr_assert_eq(pt_map(m, p, MMAP_BASE, 0x20000, PTE_U | PTE_W, 0), 0, "pt_map");
    vaddr_t va = vt_mmap(m, p, MMAP_BASE, HUGE_SIZE, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_HUGETLB, -1, 0);
    vt_write8(m, va + 5, 3);       /* a 2 MiB page where a page table was */
    cr_assert_eq(vm_munmap(m, p, va, HUGE_SIZE), 0, "munmap");
    cr_assert_eq(vm_exit(m, p), 0, "exit");
    VT_CHECK(m);
}
