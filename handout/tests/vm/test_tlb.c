/*
 * test_tlb.c - part A: the TLB alone (tlb.c), no machine around it.
 */
#include "vmtest.h"

/* An entry caching va's page of the given level at physical base. */
static struct tlb_entry entry(vaddr_t va, int level, paddr_t base, bool global)
{
    return (struct tlb_entry){
        .valid = true, .global = global, .writable = true, .user = !global,
        .level = (uint8_t)level, .vpn = va >> level_shift(level), .base = base,
    };
}

static void insert(struct tlb *t, vaddr_t va, paddr_t base)
{
    struct tlb_entry e = entry(va, 0, base, false);
    tlb_insert(t, &e);
}

static bool cached(struct tlb *t, vaddr_t va)
{
    return tlb_lookup(t, va) != NULL;
}

/* Pages 0x1000 * k for k = s, s + sets, s + 2 * sets ... share set s. */
static vaddr_t page_in_set(const struct tlb *t, unsigned set, unsigned k)
{
    return ((vaddr_t)set + (vaddr_t)k * t->sets) << PAGE_SHIFT;
}

Test(partA, tlb_lookup_misses_in_an_empty_tlb)
{
    struct tlb *t = vt_tlb(4, 2);
    cr_assert_null(tlb_lookup(t, 0x400000), "an empty TLB answered a lookup");
}

Test(partA, tlb_insert_then_lookup_hits_with_the_same_base)
{
    struct tlb *t = vt_tlb(4, 2);
    insert(t, 0x7000, 0x3000);
    struct tlb_entry *e = tlb_lookup(t, 0x7abc);
    cr_assert_not_null(e, "lookup of a page just inserted missed");
    VT_EQ(e->base, 0x3000, "base of the entry found");
    VT_EQ(e->vpn, 0x7, "vpn of the entry found");
}

Test(partA, tlb_entry_lives_in_the_set_of_its_vpn)
{
    struct tlb *t = vt_tlb(4, 2);
    insert(t, 0x5000, 0x1000);
    unsigned set = 5 & 3;
    cr_assert(t->entry[set * t->ways].valid, "vpn 5 was not put in set %u, way 0", set);
    cr_assert_not(cached(t, 0x6000), "vpn 6 found although only vpn 5 was inserted");
}

Test(partA, tlb_fills_invalid_ways_lowest_first)
{
    struct tlb *t = vt_tlb(2, 4);
    for (unsigned k = 0; k < 3; k++)
        insert(t, page_in_set(t, 1, k), 0x1000 * (k + 1));
    for (unsigned w = 0; w < 3; w++) {
        struct tlb_entry *e = &t->entry[1 * t->ways + w];
        cr_assert(e->valid, "way %u of set 1 is still invalid", w);
        VT_EQ(e->vpn, page_in_set(t, 1, w) >> PAGE_SHIFT, "vpn in way");
    }
    cr_assert_not(t->entry[1 * t->ways + 3].valid, "way 3 was filled too early");
}

Test(partA, tlb_evicts_least_recently_used_way)
{
    struct tlb *t = vt_tlb(4, 2);
    vaddr_t a = page_in_set(t, 2, 0), b = page_in_set(t, 2, 1), c = page_in_set(t, 2, 2);
    insert(t, a, 0x1000);
    insert(t, b, 0x2000);
    insert(t, c, 0x3000);          /* set 2 is full: a, least recently used, goes */
    cr_assert_not(cached(t, a), "the least recently used entry survived");
    cr_assert(cached(t, b), "a more recent entry was evicted");
    cr_assert(cached(t, c), "the new entry is missing");
}

Test(partA, tlb_lookup_hit_makes_entry_most_recently_used)
{
    struct tlb *t = vt_tlb(4, 2);
    vaddr_t a = page_in_set(t, 0, 0), b = page_in_set(t, 0, 1), c = page_in_set(t, 0, 2);
    insert(t, a, 0x1000);
    insert(t, b, 0x2000);
    cr_assert(cached(t, a), "a lookup of a page just inserted missed");   /* a: most recent */
    insert(t, c, 0x3000);
    cr_assert(cached(t, a), "a hit did not protect a from eviction");
    cr_assert_not(cached(t, b), "b, least recently used, survived");
}

Test(partA, tlb_miss_changes_nothing)
{
    struct tlb *t = vt_tlb(4, 2);
    insert(t, 0x1000, 0x1000);
    uint64_t tick = t->tick;
    cr_assert_not(cached(t, 0x9000), "phantom hit");
    VT_EQ(t->tick, tick, "tick after a miss");
}

Test(partA, tlb_insert_of_cached_page_overwrites_its_entry)
{
    struct tlb *t = vt_tlb(4, 2);
    insert(t, 0x4000, 0x1000);
    insert(t, 0x4000, 0x2000);
    struct tlb_entry *set = &t->entry[0];
    cr_assert(set[0].valid, "way 0 lost");
    cr_assert_not(set[1].valid, "a second entry was made for the same page");
    VT_EQ(tlb_lookup(t, 0x4000)->base, 0x2000, "base after the overwrite");
}

Test(partA, tlb_sets_are_independent)
{
    struct tlb *t = vt_tlb(4, 2);
    insert(t, page_in_set(t, 1, 0), 0x1000);
    for (unsigned k = 0; k < 6; k++)
        insert(t, page_in_set(t, 3, k), 0x2000);
    cr_assert(cached(t, page_in_set(t, 1, 0)), "filling set 3 evicted from set 1");
}

Test(partA, tlb_invalidate_drops_only_that_page)
{
    struct tlb *t = vt_tlb(4, 2);
    insert(t, 0x1000, 0x1000);
    insert(t, 0x2000, 0x2000);
    tlb_invalidate(t, 0x1fff);
    cr_assert_not(cached(t, 0x1000), "invalidated page still cached");
    cr_assert(cached(t, 0x2000), "another page was dropped too");
}

Test(partA, tlb_invalidate_drops_global_entry_too)
{
    struct tlb *t = vt_tlb(4, 2);
    struct tlb_entry e = entry(0xffff800000001000, 0, 0x1000, true);
    tlb_insert(t, &e);
    tlb_invalidate(t, 0xffff800000001000);
    cr_assert_not(cached(t, 0xffff800000001000), "invlpg spared a global entry");
}

Test(partA, tlb_flush_keeps_global_entries)
{
    struct tlb *t = vt_tlb(4, 2);
    struct tlb_entry g = entry(0xffff800000000000, 1, 0, true);
    tlb_insert(t, &g);
    insert(t, 0x1000, 0x5000);
    tlb_flush(t, true);
    cr_assert(cached(t, 0xffff800000000000), "the global entry was flushed");
    cr_assert_not(cached(t, 0x1000), "a non-global entry survived the flush");
}

Test(partA, tlb_full_flush_drops_global_entries)
{
    struct tlb *t = vt_tlb(4, 2);
    struct tlb_entry g = entry(0xffff800000000000, 1, 0, true);
    tlb_insert(t, &g);
    tlb_flush(t, false);
    cr_assert_not(cached(t, 0xffff800000000000), "a global entry survived a full flush");
}

Test(partA, tlb_2mib_entry_answers_every_address_in_its_page)
{
    struct tlb *t = vt_tlb(4, 2);
    struct tlb_entry e = entry(0x40000000, 1, 0x200000, false);
    tlb_insert(t, &e);
    struct tlb_entry *hit = tlb_lookup(t, 0x401fffff);
    cr_assert_not_null(hit, "last byte of the 2 MiB page missed");
    VT_EQ(hit->level, 1, "level of the entry found");
    cr_assert_not(cached(t, 0x40200000), "the next 2 MiB page hit");
}

Test(partA, tlb_1gib_entry_answers_every_address_in_its_page)
{
    struct tlb *t = vt_tlb(4, 2);
    struct tlb_entry e = entry(0x80000000, 2, 0, false);
    tlb_insert(t, &e);
    cr_assert(cached(t, 0xbfffffff), "last byte of the 1 GiB page missed");
    cr_assert_not(cached(t, 0xc0000000), "the next 1 GiB page hit");
}

Test(partA, tlb_lookup_probes_4k_before_2m)
{
    struct tlb *t = vt_tlb(4, 2);
    struct tlb_entry big = entry(0x200000, 1, 0x400000, false);
    tlb_insert(t, &big);
    insert(t, 0x201000, 0x9000);
    VT_EQ(tlb_lookup(t, 0x201234)->level, 0, "level found when 4K and 2M entries overlap");
}

Test(partA, tlb_invalidate_drops_huge_entry_covering_address)
{
    struct tlb *t = vt_tlb(4, 2);
    struct tlb_entry e = entry(0x200000, 1, 0x400000, false);
    tlb_insert(t, &e);
    tlb_invalidate(t, 0x3ff000);
    cr_assert_not(cached(t, 0x200000), "invlpg inside a 2 MiB page kept it");
}
