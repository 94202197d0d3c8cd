/*
 * pageout.c - the pageout daemon (reference): victims from the clock,
 * unmapped through their reverse maps, clean ones freed at once, dirty
 * ones written back in batches and freed after.
 */
#include "disk.h"
#include "machine.h"
#include "pagetable.h"
#include "paging.h"
#include "panic.h"
#include "proc.h"
#include "swap.h"

void pageout_unmap(struct machine *m, frame_t f)
{
    struct frame *fr = &m->frame[f];
    if (fr->use == FRAME_ANON && fr->slot == NO_SLOT && !swap_assign(m, f))
        vm_panic("pageout_unmap: frame %u is not pageable: swap is full", f);
    while (fr->rmap) {
        struct proc *p = fr->rmap->proc;
        vaddr_t va = fr->rmap->va;
        pte_t *pte = pt_lookup(m, p, va);
        if (*pte & PTE_D)
            fr->dirty = true;
        if (fr->use == FRAME_ANON) {
            *pte = pte_swap(fr->slot, *pte);
            swap_dup(m, fr->slot);
        } else {
            *pte = 0;
        }
        if (p == m->cur)
            tlb_invalidate(&m->tlb, va);
        rmap_remove(m, f, p, va);
    }
}

static void write_batch(struct machine *m, const frame_t *batch, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        if (m->frame[batch[i]].use == FRAME_ANON)
            disk_write_swap(m, batch[i]);
        else
            disk_write_file(m, batch[i]);
        frame_evict(m, batch[i]);
    }
}

unsigned pageout_step(struct machine *m)
{
    frame_t batch[PAGEOUT_BATCH];
    unsigned waiting = 0, freed = 0;
    while (m->free.count + waiting < m->cfg.high_water) {
        frame_t f = clock_select(m);
        if (f == NO_FRAME)
            break;
        pageout_unmap(m, f);
        if (!m->frame[f].dirty) {
            frame_evict(m, f);
            freed++;
            continue;
        }
        batch[waiting++] = f;
        if (waiting == PAGEOUT_BATCH) {
            write_batch(m, batch, waiting);
            freed += waiting;
            waiting = 0;
        }
    }
    write_batch(m, batch, waiting);
    return freed + waiting;
}
