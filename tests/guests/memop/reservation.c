/* SPDX-License-Identifier: MIT */
/*
 * The balloon: decrease_reservation gives pages back (the gfn becomes a
 * hole: reads all ones, writes dropped, the guest is not crashed, as a
 * Xen HVM guest sees a ballooned-out gfn), populate_physmap puts new,
 * zeroed pages at holes, increase_reservation takes pages without
 * mapping them (an auto-translated guest gets no frame numbers). Orders
 * 0 and 9 (a domU's largest). The answer is always the number of
 * extents done: one that cannot be done (a hole, RAM already there, the
 * maximum reached, a bad list) ends the call there -- Xen's partial
 * success; bad arguments give 0, never an errno.
 */
#include "memop.h"

#define BASE     0x1100ULL      /* RAM, 17 MiB */
#define BIG      0x1200ULL      /* 18 MiB: 2 MiB aligned, order 9 */
#define FAR      0x14000ULL     /* holes */

static xen_pfn_t list[16];

static long res_op(unsigned int cmd, unsigned int n, unsigned int order,
                   uint32_t flags, domid_t domid)
{
    struct xen_memory_reservation r = {
        .nr_extents = n, .extent_order = order, .mem_flags = flags,
        .domid = domid,
    };

    r.extent_start = (uintptr_t)list;
    return memory_op(cmd, &r);
}

static long res(unsigned int cmd, unsigned int n, unsigned int order)
{
    return res_op(cmd, n, order, 0, DOMID_SELF);
}

static long cur(void)
{
    return reservation(XENMEM_current_reservation, DOMID_SELF);
}

static void test_out_and_in(void)
{
    long before = cur(), rc;
    unsigned int i;

    /* Order 0: four pages out; their gfns read all ones afterwards. */
    for ( i = 0; i < 4; i++ )
    {
        fill(BASE + i, 0xb0);
        list[i] = BASE + i;
    }
    rc = res(XENMEM_decrease_reservation, 4, 0);
    check(rc == 4, "decrease_reservation of 4 pages gave %ld", rc);
    check(cur() == before - 4, "after decrease: %ld, was %ld", cur(), before);
    for ( i = 0; i < 4; i++ )
        check(is_hole(BASE + i), "ballooned-out gfn %#llx is not a hole",
              (unsigned long long)(BASE + i));

    /* Order 9: 2 MiB out. */
    fill(BIG, 0xb9);
    fill(BIG + 511, 0xb9);
    list[0] = BIG;
    rc = res(XENMEM_decrease_reservation, 1, 9);
    check(rc == 1, "decrease_reservation of one 2 MiB extent gave %ld", rc);
    check(cur() == before - 4 - 512, "after the 2 MiB decrease: %ld", cur());
    check(is_hole(BIG) && is_hole(BIG + 300) && is_hole(BIG + 511),
          "the 2 MiB extent is still mapped");

    /* Back in, zeroed: populate at the same gfns. */
    for ( i = 0; i < 4; i++ )
        list[i] = BASE + i;
    rc = res(XENMEM_populate_physmap, 4, 0);
    check(rc == 4, "populate_physmap of 4 pages gave %ld", rc);
    for ( i = 0; i < 4; i++ )
        check(is_zero(BASE + i), "populated gfn %#llx is not zeroed",
              (unsigned long long)(BASE + i));
    list[0] = BIG;
    rc = res(XENMEM_populate_physmap, 1, 9);
    check(rc == 1, "populate_physmap of one 2 MiB extent gave %ld", rc);
    check(is_zero(BIG) && is_zero(BIG + 255) && is_zero(BIG + 511),
          "the populated 2 MiB extent is not zeroed");
    check(cur() == before, "after populating back: %ld, was %ld", cur(),
          before);
    page(BIG + 100)[7] = 77;
    check(page(BIG + 100)[7] == 77, "the populated extent is not writable");
}

/* Extents that cannot be done end the call: the count so far. */
static void test_partial(void)
{
    long before = cur(), max, rc;
    unsigned int i;

    list[0] = BASE + 4, list[1] = FAR, list[2] = BASE + 5;
    rc = res(XENMEM_decrease_reservation, 3, 0);
    check(rc == 1, "decrease of RAM, hole, RAM gave %ld", rc);
    check(cur() == before - 1 && is_hole(BASE + 4) && !is_hole(BASE + 5),
          "the partial decrease did more or less than one page");

    /* Over RAM: nothing (only holes are populated). */
    list[0] = BASE + 5;
    rc = res(XENMEM_populate_physmap, 1, 0);
    check(rc == 0, "populate over RAM gave %ld", rc);
    /* A 2 MiB extent whose first gfn is not aligned is still 512 pages
     * from there; over RAM it is refused too. */
    list[0] = BASE;
    rc = res(XENMEM_populate_physmap, 1, 9);
    check(rc == 0, "populate of 2 MiB over RAM gave %ld", rc);

    /* Up to the maximum, and no further. */
    max = reservation(XENMEM_maximum_reservation, DOMID_SELF);
    before = cur();
    check(max - before >= 1 && max - before <= 8, "headroom %ld",
          max - before);
    for ( i = 0; i < 16; i++ )
        list[i] = FAR + i;
    rc = res(XENMEM_populate_physmap, (unsigned int)(max - before) + 3, 0);
    check(rc == max - before, "populate past the maximum gave %ld, room "
          "for %ld", rc, max - before);
    check(cur() == max, "at the maximum: %ld of %ld", cur(), max);
    check(is_zero(FAR), "a page populated at a hole is not zeroed RAM");
    list[0] = FAR + 15;
    rc = res(XENMEM_populate_physmap, 1, 0);
    check(rc == 0 && is_hole(FAR + 15), "populate at the maximum gave %ld",
          rc);
    rc = res(XENMEM_increase_reservation, 1, 0);
    check(rc == 0, "increase at the maximum gave %ld", rc);

    /* increase_reservation: two pages out, three asked for, two given. */
    list[0] = FAR, list[1] = FAR + 1;
    rc = res(XENMEM_decrease_reservation, 2, 0);
    check(rc == 2, "decrease of two populated pages gave %ld", rc);
    rc = res(XENMEM_increase_reservation, 3, 0);
    check(rc == 2, "increase of 3 with room for 2 gave %ld", rc);
    check(cur() == max, "after increase: %ld of %ld", cur(), max);
    check(is_hole(FAR) && is_hole(FAR + 1), "increase mapped something");
}

static void test_bad_arguments(void)
{
    struct xen_memory_reservation r = { .nr_extents = 1,
                                        .domid = DOMID_SELF };
    long before = cur(), rc;

    list[0] = BASE + 6;
    fill(BASE + 6, 6);
    rc = res_op(XENMEM_decrease_reservation, 1, 10, 0, DOMID_SELF);
    check(rc == 0, "decrease of order 10 (past a domU's 9) gave %ld", rc);
    rc = res_op(XENMEM_populate_physmap, 1, 10, 0, DOMID_SELF);
    check(rc == 0, "populate of order 10 gave %ld", rc);
    rc = res_op(XENMEM_decrease_reservation, 1, 0, 0, NO_DOMAIN);
    check(rc == 0, "decrease for d999 gave %ld", rc);
    rc = res_op(XENMEM_decrease_reservation, 1, 0, XENMEMF_address_bits(12),
                DOMID_SELF);
    check(rc == 0, "decrease with 12 address bits gave %ld", rc);
    rc = res_op(XENMEM_populate_physmap, 1, 0, XENMEMF_populate_on_demand,
                DOMID_SELF);
    check(rc == 0, "populate on demand gave %ld", rc);
    rc = res(XENMEM_decrease_reservation, 0, 0);
    check(rc == 0, "decrease of 0 extents gave %ld", rc);
    rc = memory_op(XENMEM_decrease_reservation, (void *)BAD_PTR);
    check(rc == 0, "decrease with a bad pointer gave %ld", rc);
    r.extent_start = BAD_PTR;
    rc = memory_op(XENMEM_decrease_reservation, &r);
    check(rc == 0, "decrease with a bad extent list gave %ld", rc);
    rc = memory_op(XENMEM_populate_physmap, &r);
    check(rc == 0, "populate with a bad extent list gave %ld", rc);
    list[0] = 1ULL << 40;
    rc = res(XENMEM_decrease_reservation, 1, 0);
    check(rc == 0, "decrease of a gfn past the p2m gave %ld", rc);
    rc = res(XENMEM_populate_physmap, 1, 0);
    check(rc == 0, "populate of a gfn past the p2m gave %ld", rc);
    check(cur() == before && filled(BASE + 6, BASE + 6, 6),
          "a refused call changed the reservation or the page");
}

/*
 * Long calls: the upper 12 MiB (3072 pages) out in one decrease and back
 * in one populate, and 1024 pages moved with one gmfn_range and back.
 * Calls this long are preempted and continued by the hypervisor (the
 * guest re-enters the same hypercall with its progress in the command);
 * the guest sees only the full count, the bytes and the reservation.
 * Regression: the SVM VMMCALL exit ignored the continuation and returned
 * 0 to the guest after the first budget of work (65 pages moved of 1024,
 * no error), and the decrease/populate returned that partial count.
 */
#define BULK_FIRST 0x1400ULL
#define BULK_PAGES 3072u

static xen_pfn_t bulk[BULK_PAGES];

static void test_long_calls(void)
{
    struct xen_memory_reservation r = { .nr_extents = BULK_PAGES,
                                        .domid = DOMID_SELF };
    long before = cur(), rc;
    unsigned int i, bad = 0;

    r.extent_start = (uintptr_t)bulk;
    for ( i = 0; i < BULK_PAGES; i++ )
    {
        bulk[i] = BULK_FIRST + i;
        page(BULK_FIRST + i)[0] = 0x600d0000ULL + i;
    }
    /* Moved by 1024 pages into the holes and back, in two long calls. */
    rc = move(XENMAPSPACE_gmfn_range, BULK_FIRST, 0x20000, 1024);
    check(rc == 0, "gmfn_range of 1024 gave %ld", rc);
    for ( i = 0; i < 1024; i++ )
        bad += page(0x20000 + i)[0] != 0x600d0000ULL + i;
    check(!bad && is_hole(BULK_FIRST), "gmfn_range of 1024: %u pages wrong",
          bad);
    rc = move(XENMAPSPACE_gmfn_range, 0x20000, BULK_FIRST, 1024);
    check(rc == 0, "gmfn_range of 1024 back gave %ld", rc);

    rc = memory_op(XENMEM_decrease_reservation, &r);
    check(rc == BULK_PAGES, "decrease of %u pages gave %ld", BULK_PAGES, rc);
    check(cur() == before - BULK_PAGES, "after the long decrease: %ld",
          cur());
    check(is_hole(BULK_FIRST) && is_hole(BULK_FIRST + BULK_PAGES - 1),
          "the long decrease left pages mapped");
    rc = memory_op(XENMEM_populate_physmap, &r);
    check(rc == BULK_PAGES, "populate of %u pages gave %ld", BULK_PAGES, rc);
    check(cur() == before, "after the long populate: %ld, was %ld", cur(),
          before);
    for ( i = 0, bad = 0; i < BULK_PAGES; i++ )
        bad += page(BULK_FIRST + i)[0] != 0;
    check(!bad, "%u of the repopulated pages are not zeroed", bad);
}

/*
 * Ballooning out the gfn of a hypervisor frame (shared_info, a grant
 * frame) unmaps it and no more: the frame is not the domain's to free
 * -- what was written through it is still there once it is mapped
 * again -- and the reservation does not count it.
 */
static void test_xen_frames(void)
{
    volatile struct shared_info *si = shared_info();  /* at 0xf00 */
    volatile uint64_t *gnt = page(0x11002);             /* grant frame 2 */
    long before = cur(), rc;

    si->evtchn_mask[62] = 0xfeedf00dULL;
    gnt[5] = 0x1234567800000000ULL;
    list[0] = (uintptr_t)si >> 12, list[1] = 0x11002;
    rc = res(XENMEM_decrease_reservation, 2, 0);
    check(rc == 2, "decrease of shared_info's and a grant frame's gfns "
          "gave %ld", rc);
    check(is_hole(list[0]) && is_hole(0x11002),
          "a ballooned-out hypervisor frame is still mapped");
    check(cur() == before, "ballooning out hypervisor frames: reservation "
          "%ld, was %ld", cur(), before);
    rc = move(XENMAPSPACE_shared_info, 0, list[0], 0);
    check(rc == 0 && si->evtchn_mask[62] == 0xfeedf00dULL,
          "shared_info mapped again: %ld, mask word %#llx", rc,
          (unsigned long long)si->evtchn_mask[62]);
    rc = move(XENMAPSPACE_grant_table, 2, 0x11002, 0);
    check(rc == 0 && gnt[5] == 0x1234567800000000ULL,
          "grant frame 2 mapped again: %ld, word %#llx", rc,
          (unsigned long long)gnt[5]);
    si->evtchn_mask[62] = 0;
    gnt[5] = 0;
}

void test_reservation(void)
{
    test_out_and_in();
    test_partial();
    test_bad_arguments();
    test_long_calls();
    test_xen_frames();
}
