/* SPDX-License-Identifier: MIT */
/*
 * add_to_physmap with XENMAPSPACE_gmfn and gmfn_range: the domain's own
 * RAM moves to another gfn -- its bytes appear there, the old gfn is a
 * hole, the reservation is unchanged (a move over RAM gives the page
 * that was there back). remove_from_physmap unmaps: the page becomes a
 * hole but stays the domain's, counted, as Xen keeps it.
 */
#include "memop.h"

#define SRC    0x1000ULL        /* RAM at 16 MiB, unused by the kernel */
#define DST    0x12000ULL       /* holes */
#define NOWHERE 0x13000ULL

static long cur(void)
{
    return reservation(XENMEM_current_reservation, DOMID_SELF);
}

static void test_one(void)
{
    long before = cur(), rc;

    fill(SRC, 1);
    rc = move(XENMAPSPACE_gmfn, SRC, DST, 0);
    check(rc == 0, "gmfn %#llx -> %#llx gave %ld", SRC, DST, rc);
    check(filled(DST, SRC, 1), "the page's bytes are not at the new gfn");
    check(is_hole(SRC), "the old gfn still maps a page");
    check(cur() == before, "a move changed the reservation");
    rc = move(XENMAPSPACE_gmfn, DST, SRC, 0);
    check(rc == 0 && filled(SRC, SRC, 1) && is_hole(DST),
          "moving it back gave %ld", rc);
    /* Onto its own gfn: nothing to do. */
    rc = move(XENMAPSPACE_gmfn, SRC, SRC, 0);
    check(rc == 0 && filled(SRC, SRC, 1), "a move onto itself gave %ld", rc);

    /* Over another RAM page: that page is given back. */
    fill(SRC + 8, 8);
    fill(SRC + 9, 9);
    rc = move(XENMAPSPACE_gmfn, SRC + 8, SRC + 9, 0);
    check(rc == 0 && filled(SRC + 9, SRC + 8, 8) && is_hole(SRC + 8),
          "a move over RAM gave %ld", rc);
    check(cur() == before - 1, "a move over RAM: reservation %ld, was %ld",
          cur(), before);
}

static void test_range(void)
{
    long before = cur(), rc;
    unsigned int i;

    for ( i = 0; i < 4; i++ )
        fill(SRC + 4 + i, 4);
    rc = move(XENMAPSPACE_gmfn_range, SRC + 4, DST + 4, 4);
    check(rc == 0, "gmfn_range of 4 gave %ld", rc);
    for ( i = 0; i < 4; i++ )
        check(filled(DST + 4 + i, SRC + 4 + i, 4) && is_hole(SRC + 4 + i),
              "gmfn_range: page %u did not move", i);
    rc = move(XENMAPSPACE_gmfn_range, DST + 4, SRC + 4, 4);
    check(rc == 0, "gmfn_range back gave %ld", rc);
    for ( i = 0; i < 4; i++ )
        check(filled(SRC + 4 + i, SRC + 4 + i, 4), "page %u not back", i);
    check(cur() == before, "gmfn_range changed the reservation");
    /* Size 0: nothing. */
    rc = move(XENMAPSPACE_gmfn_range, SRC + 4, DST + 4, 0);
    check(rc == 0 && is_hole(DST + 4), "gmfn_range of 0 gave %ld", rc);
    /* A hole inside the range stops it there: the pages before it moved. */
    rc = move(XENMAPSPACE_gmfn_range, SRC + 6, DST + 6, 4);   /* 8 is a hole */
    check(rc == -EINVAL, "gmfn_range across a hole gave %ld", rc);
    check(filled(DST + 6, SRC + 6, 4) && filled(DST + 7, SRC + 7, 4),
          "the pages before the hole did not move");
    move(XENMAPSPACE_gmfn_range, DST + 6, SRC + 6, 2);
}

static void test_errors(void)
{
    struct xen_add_to_physmap x = { .domid = NO_DOMAIN,
                                    .space = XENMAPSPACE_gmfn,
                                    .idx = SRC, .gpfn = DST };
    long rc;

    rc = move(XENMAPSPACE_gmfn, NOWHERE, DST, 0);
    check(rc == -EINVAL, "gmfn from a hole gave %ld", rc);
    rc = move(XENMAPSPACE_gmfn, 0x11000, DST, 0);   /* a grant frame */
    check(rc == -EINVAL, "gmfn of a grant frame gave %ld", rc);
    rc = move(XENMAPSPACE_gmfn, SRC, 1ULL << 40, 0);
    check(rc == -EINVAL, "gmfn to a gfn past the p2m gave %ld", rc);
    rc = move(XENMAPSPACE_gmfn, 1ULL << 40, DST, 0);
    check(rc == -EINVAL, "gmfn from a gfn past the p2m gave %ld", rc);
    rc = move(99, SRC, DST, 0);
    check(rc == -EINVAL, "space 99 gave %ld", rc);
    rc = move(XENMAPSPACE_gmfn_foreign, SRC, DST, 0);
    check(rc == -ENOSYS, "gmfn_foreign gave %ld", rc);
    rc = memory_op(XENMEM_add_to_physmap, &x);
    check(rc == -ESRCH, "add_to_physmap for d999 gave %ld", rc);
    rc = memory_op(XENMEM_add_to_physmap, (void *)BAD_PTR);
    check(rc == -EFAULT, "add_to_physmap with a bad pointer gave %ld", rc);
    check(filled(SRC, SRC, 1) && is_hole(DST), "a refused call moved a page");
}

void test_gmfn(void)
{
    test_one();
    test_range();
    test_errors();
}

void test_remove(void)
{
    struct xen_remove_from_physmap r = { .domid = DOMID_SELF };
    long before = cur(), rc;

    r.gpfn = SRC + 16;
    fill(SRC + 16, 16);
    rc = memory_op(XENMEM_remove_from_physmap, &r);
    check(rc == 0, "remove_from_physmap of RAM gave %ld", rc);
    check(is_hole(SRC + 16), "the removed gfn still maps a page");
    check(cur() == before, "remove_from_physmap: reservation %ld, was %ld",
          cur(), before);
    rc = memory_op(XENMEM_remove_from_physmap, &r);
    check(rc == -ENOENT, "a second remove gave %ld", rc);
    r.gpfn = NOWHERE;
    rc = memory_op(XENMEM_remove_from_physmap, &r);
    check(rc == -ENOENT, "remove of a hole gave %ld", rc);
    /* A grant frame mapping goes; the table keeps the frame. */
    r.gpfn = 0x11001;
    rc = memory_op(XENMEM_remove_from_physmap, &r);
    check(rc == 0 && is_hole(0x11001), "remove of grant frame 1 gave %ld", rc);
    rc = move(XENMAPSPACE_grant_table, 1, 0x11001, 0);
    check(rc == 0 && !is_hole(0x11001), "grant frame 1 mapped again: %ld", rc);
    r.gpfn = 1ULL << 40;
    rc = memory_op(XENMEM_remove_from_physmap, &r);
    check(rc == -ENOENT, "remove past the p2m gave %ld", rc);
    r.domid = NO_DOMAIN;
    r.gpfn = SRC;
    rc = memory_op(XENMEM_remove_from_physmap, &r);
    check(rc == -ESRCH, "remove for d999 gave %ld", rc);
    rc = memory_op(XENMEM_remove_from_physmap, (void *)BAD_PTR);
    check(rc == -EFAULT, "remove with a bad pointer gave %ld", rc);
    check(filled(SRC, SRC, 1), "a refused remove touched a page");
}
