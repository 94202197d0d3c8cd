/*
 * vmtest.c - the tests' shared helpers (vmtest.h).
 */
#include <errno.h>
#include <string.h>

#include "not_yet.h"
#include "unimplemented.h"
#include "vmtest.h"

#define VT_MACHINES 4

static struct machine *machines[VT_MACHINES];
static struct tlb tlbs[VT_MACHINES];

static void panicked(const char *msg)
{
    cr_assert_fail("vm panic: %s", msg);
    __builtin_unreachable();
}

void vt_setup(void)
{
    unimplemented_set_handler(not_yet);
    vm_panic_set_handler(panicked);
}

void vt_teardown(void)
{
    for (int i = 0; i < VT_MACHINES; i++) {
        machine_free(machines[i]);
        machines[i] = NULL;
        tlb_destroy(&tlbs[i]);
    }
}

struct vm_config vt_config(void)
{
    struct vm_config c;
    vm_config_default(&c);
    c.frames = 32;
    c.tlb_sets = 4;
    c.tlb_ways = 2;
    c.low_water = 4;
    c.high_water = 6;
    c.swap_slots = 32;
    c.handspread = 4;
    c.log_level = LOG_OFF;
    return c;
}

struct machine *vt_boot(const struct vm_config *c)
{
    char why[160] = "";
    cr_assert_eq(vm_config_check(c, why, sizeof why), 0, "bad test config: %s", why);
    struct machine *m = machine_new(c);
    cr_assert_not_null(m, "machine_new failed: %s", strerror(errno));
    for (int i = 0; i < VT_MACHINES; i++) {
        if (!machines[i]) {
            machines[i] = m;
            return m;
        }
    }
    cr_assert_fail("a test may boot at most %d machines", VT_MACHINES);
    return NULL;
}

struct tlb *vt_tlb(unsigned sets, unsigned ways)
{
    for (int i = 0; i < VT_MACHINES; i++) {
        if (!tlbs[i].entry) {
            cr_assert_eq(tlb_init(&tlbs[i], sets, ways), 0, "tlb_init of a %u x %u TLB failed, "
                         "expected success", sets, ways);
            return &tlbs[i];
        }
    }
    cr_assert_fail("a test may make at most %d TLBs", VT_MACHINES);
    return NULL;
}

struct proc *vt_run(struct machine *m)
{
    struct proc *p = proc_spawn(m);
    cr_assert_not_null(p, "proc_spawn failed: %s", strerror(errno));
    int r = proc_switch(m, p);
    cr_assert_eq(r, 0, "proc_switch to pid %d: %s", p->pid, strerror(-r));
    return p;
}

vaddr_t vt_mmap(struct machine *m, struct proc *p, vaddr_t addr, uint64_t len,
                int prot, int flags, int file, uint64_t offset)
{
    vaddr_t va = 0;
    int r = vm_mmap(m, p, addr, len, prot, flags, file, offset, &va);
    cr_assert_eq(r, 0, "vm_mmap(%#" PRIx64 ", %#" PRIx64 ") failed: %s", addr, len,
                 strerror(-r));
    return va;
}

vaddr_t vt_anon(struct machine *m, struct proc *p, vaddr_t addr, unsigned npages)
{
    int flags = MAP_PRIVATE | MAP_ANONYMOUS | (addr ? MAP_FIXED : 0);
    return vt_mmap(m, p, addr, (uint64_t)npages * PAGE_SIZE, PROT_READ | PROT_WRITE,
                   flags, -1, 0);
}

int vt_file(struct machine *m, const char *name, uint64_t size, uint8_t fill)
{
    int id = disk_file_create(m, name, size, false);
    cr_assert_geq(id, 0, "disk_file_create(%s): %s", name, strerror(-id));
    for (uint64_t i = 0; i < size; i++) {
        uint8_t b = (uint8_t)(fill + i);
        cr_assert_eq(disk_file_write(m, id, i, &b, 1), 0, "the write of byte %" PRIu64 " of "
                     "%s failed, expected success", i, name);
    }
    return id;
}

frame_t vt_map_page(struct machine *m, struct proc *p, vaddr_t va, pte_t flags)
{
    pte_t *e = pt_walk(m, p, va, true);
    cr_assert_not_null(e, "pt_walk(%#" PRIx64 ") made no table", va);
    frame_t f = frame_alloc(m, FRAME_ANON);
    cr_assert_neq(f, NO_FRAME, "no frame left");
    m->frame[f].dirty = true;
    *e = pte_make((paddr_t)f << PAGE_SHIFT, flags | PTE_P);
    rmap_add(m, f, p, va);
    return f;
}

void vt_write8(struct machine *m, vaddr_t va, uint8_t value)
{
    int r = vm_write(m, va, &value, 1, MODE_USER);
    cr_assert_eq(r, 0, "a user-mode write of the byte at %#" PRIx64 " failed with %d (%s), "
                 "expected success", va, r, strerror(-r));
}

uint8_t vt_read8(struct machine *m, vaddr_t va)
{
    uint8_t value = 0;
    int r = vm_read(m, va, &value, 1, MODE_USER);
    cr_assert_eq(r, 0, "a user-mode read of the byte at %#" PRIx64 " failed with %d (%s), "
                 "expected success", va, r, strerror(-r));
    return value;
}

int vt_touch(struct machine *m, vaddr_t va, enum access acc)
{
    paddr_t pa;
    return vm_access(m, va, acc, MODE_USER, &pa);
}

pte_t vt_leaf(struct machine *m, struct proc *p, vaddr_t va)
{
    pte_t *e = pt_lookup(m, p, va);
    return e ? *e : 0;
}

frame_t vt_frame(struct machine *m, struct proc *p, vaddr_t va)
{
    pte_t e = vt_leaf(m, p, va);
    return pte_present(e) ? pte_frame(e) : NO_FRAME;
}

#define TEXT_SIZE 160

/* The next of VT_TEXTS buffers, so that one message can hold several. */
static char *text_buffer(void)
{
    static char texts[VT_TEXTS][TEXT_SIZE];
    static unsigned next;
    return texts[next++ % VT_TEXTS];
}

const char *vt_fault_text(struct translation t)
{
    return fault_text(t, text_buffer(), TEXT_SIZE);
}

const char *vt_entry_text(pte_t e, int level)
{
    return pte_text(e, level, text_buffer(), TEXT_SIZE);
}

const char *vt_error_text(uint32_t error)
{
    return pf_error_text(error, text_buffer(), TEXT_SIZE);
}

const char *vt_problems(struct machine *m, unsigned *n)
{
    static char text[8192];
    text[0] = '\0';
    FILE *out = fmemopen(text, sizeof text - 1, "w");
    *n = vm_check(m, out);
    if (out)
        fclose(out);
    return text;
}
