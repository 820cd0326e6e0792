/* SPDX-License-Identifier: MIT */
/*
 * map_grant_ref / unmap_grant_ref: the p2m entry, the in-use bits the
 * granter sees, the page reference, the ledger and the revocation rules.
 */
#include "gt_test.h"

#define REF 8                           /* the first unreserved ref */
#define HOLE GT_GFN_HOLE

static mfn_t frame_of(struct domain *d, uint64_t gfn)
{
    struct p2m_entry e;

    p2m_get_entry(d, _gfn(gfn), &e);
    return e.mfn;
}

static unsigned int refs_of(struct domain *d, uint64_t gfn)
{
    return page_refcount(mfn_to_page(frame_of(d, gfn)));
}

static void test_map_rw_and_unmap(void)
{
    grant_handle_t h;
    struct p2m_entry e;
    uint8_t buf[4] = { 1, 2, 3, 4 };
    unsigned int refs = refs_of(u1, GT_GFN_DATA);

    gt_grant_v1(u1, REF, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, &h),
                    GNTST_okay);

    p2m_get_entry(u2, _gfn(HOLE), &e);
    CU_ASSERT_EQUAL(e.type, p2m_grant_map_rw);
    CU_ASSERT_EQUAL(mfn_x(e.mfn), mfn_x(frame_of(u1, GT_GFN_DATA)));
    ORR_ASSERT_EQ_U64(ledger_read(u2, LEDGER_MAPPINGS), 1);
    CU_ASSERT_EQUAL(gt_flags(u1, REF),
                    GTF_permit_access | GTF_reading | GTF_writing);
    CU_ASSERT_EQUAL(refs_of(u1, GT_GFN_DATA), refs + 1);
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 1);
    CU_ASSERT_EQUAL(gnttab_maptrack_count(u2), 1);

    /* u2 writes through the mapping; u1 sees it in its own frame. */
    CU_ASSERT_EQUAL(copy_to_guest(u2->vcpu[0], HOLE << PAGE_SHIFT, buf, 4),
                    0);
    CU_ASSERT_EQUAL(memcmp(gt_ptr(u1, GT_GFN_DATA << PAGE_SHIFT), buf, 4),
                    0);

    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE, h), GNTST_okay);
    p2m_get_entry(u2, _gfn(HOLE), &e);
    CU_ASSERT_EQUAL(e.type, p2m_invalid);
    ORR_ASSERT_EQ_U64(ledger_read(u2, LEDGER_MAPPINGS), 0);
    CU_ASSERT_EQUAL(gt_flags(u1, REF), GTF_permit_access);
    CU_ASSERT_EQUAL(refs_of(u1, GT_GFN_DATA), refs);
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 0);
    CU_ASSERT_EQUAL(gnttab_maptrack_count(u2), 0);
}

static void test_map_readonly(void)
{
    grant_handle_t h;
    struct p2m_entry e;
    uint8_t b = 7;

    gt_grant_v1(u1, REF, u2->domain_id, GT_GFN_DATA,
                GTF_permit_access | GTF_readonly);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE,
                           GNTMAP_host_map | GNTMAP_readonly, &h),
                    GNTST_okay);
    p2m_get_entry(u2, _gfn(HOLE), &e);
    CU_ASSERT_EQUAL(e.type, p2m_grant_map_ro);
    CU_ASSERT_EQUAL(gt_flags(u1, REF),
                    GTF_permit_access | GTF_readonly | GTF_reading);
    /* The hypervisor will not write there on u2's behalf either. */
    CU_ASSERT_EQUAL(copy_to_guest(u2->vcpu[0], HOLE << PAGE_SHIFT, &b, 1),
                    -EFAULT);
    CU_ASSERT_EQUAL(copy_from_guest(u2->vcpu[0], &b, HOLE << PAGE_SHIFT, 1),
                    0);
    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE, h), GNTST_okay);
    CU_ASSERT_EQUAL(gt_flags(u1, REF), GTF_permit_access | GTF_readonly);
}

/* GTF_writing goes with the last writable hold, GTF_reading with the
 * last of all. */
static void test_pins_and_upgrade(void)
{
    grant_handle_t ro, rw;

    gt_grant_v1(u1, REF, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE,
                           GNTMAP_host_map | GNTMAP_readonly, &ro),
                    GNTST_okay);
    CU_ASSERT_EQUAL(gt_flags(u1, REF), GTF_permit_access | GTF_reading);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE + 1, GNTMAP_host_map, &rw),
                    GNTST_okay);
    CU_ASSERT_NOT_EQUAL(ro, rw);
    CU_ASSERT_EQUAL(gt_flags(u1, REF),
                    GTF_permit_access | GTF_reading | GTF_writing);
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 1);
    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE + 1, rw), GNTST_okay);
    CU_ASSERT_EQUAL(gt_flags(u1, REF), GTF_permit_access | GTF_reading);
    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE, ro), GNTST_okay);
    CU_ASSERT_EQUAL(gt_flags(u1, REF), GTF_permit_access);
}

/* A read-only pin of a read-only grant cannot be upgraded. */
static void test_upgrade_of_readonly_grant(void)
{
    grant_handle_t ro;

    gt_grant_v1(u1, REF, u2->domain_id, GT_GFN_DATA,
                GTF_permit_access | GTF_readonly);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE,
                           GNTMAP_host_map | GNTMAP_readonly, &ro),
                    GNTST_okay);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE + 1, GNTMAP_host_map, NULL),
                    GNTST_general_error);
    CU_ASSERT_EQUAL(gt_flags(u1, REF),
                    GTF_permit_access | GTF_readonly | GTF_reading);
    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE, ro), GNTST_okay);
}

/* The granter's protocol: clear the entry only while not in use. */
static void test_revoke_in_use(void)
{
    grant_handle_t h;

    gt_grant_v1(u1, REF, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, &h),
                    GNTST_okay);
    CU_ASSERT_FALSE(gt_revoke(u1, REF));
    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE, h), GNTST_okay);
    CU_ASSERT_TRUE(gt_revoke(u1, REF));
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, NULL),
                    GNTST_general_error);
}

/*
 * A granter that clears GTF_permit_access anyway while mapped: the
 * mapping stays on the frame that was checked, further holds of the
 * pinned entry are granted from the active entry (as in Xen), and once
 * the last one goes the entry is refused.
 */
static void test_permit_toggled_while_mapped(void)
{
    grant_handle_t h1, h2;
    struct grant_entry_v1 *e;
    struct p2m_entry pe;
    mfn_t mfn;

    gt_grant_v1(u1, REF, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, &h1),
                    GNTST_okay);
    CU_ASSERT_EQUAL(gnttab_get_frame(u1, 0, false, &mfn), 0);
    e = (struct grant_entry_v1 *)arch_mfn_to_virt(mfn) + REF;
    e->flags &= ~GTF_permit_access;
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE + 1,
                           GNTMAP_host_map | GNTMAP_readonly, &h2),
                    GNTST_okay);
    p2m_get_entry(u2, _gfn(HOLE), &pe);
    CU_ASSERT_EQUAL(mfn_x(pe.mfn), mfn_x(frame_of(u1, GT_GFN_DATA)));
    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE, h1), GNTST_okay);
    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE + 1, h2), GNTST_okay);
    CU_ASSERT_EQUAL(gt_flags(u1, REF) & (GTF_reading | GTF_writing), 0);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, NULL),
                    GNTST_general_error);
    /* Permission back on: mappable again. */
    e->flags |= GTF_permit_access;
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, &h1),
                    GNTST_okay);
    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE, h1), GNTST_okay);
}

/* unmap without a host address leaves the mapping (Xen). */
static void test_unmap_without_host_addr(void)
{
    grant_handle_t h;

    gt_grant_v1(u1, REF, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, &h),
                    GNTST_okay);
    CU_ASSERT_EQUAL(gt_unmap(u2, 0, h), GNTST_okay);
    CU_ASSERT_EQUAL(gnttab_maptrack_count(u2), 1);
    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE, h), GNTST_okay);
    CU_ASSERT_EQUAL(gnttab_maptrack_count(u2), 0);
}

/* Handles are reused after unmap; many maps of many refs in one batch. */
static void test_batch_map_unmap(void)
{
    struct gnttab_map_grant_ref m[8];
    struct gnttab_unmap_grant_ref u[8];
    unsigned int i;

    memset(m, 0, sizeof(m));
    for ( i = 0; i < 8; i++ )
    {
        gt_grant_v1(u1, REF + i, u2->domain_id, GT_GFN_DATA + i,
                    GTF_permit_access);
        m[i] = (struct gnttab_map_grant_ref){
            .host_addr = (HOLE + i) << PAGE_SHIFT, .flags = GNTMAP_host_map,
            .ref = REF + i, .dom = u1->domain_id,
        };
    }
    m[5].ref = 4000;                    /* one bad op in the middle */
    CU_ASSERT_EQUAL(gt_op(u2, GNTTABOP_map_grant_ref, m, sizeof(m[0]), 8),
                    0);
    for ( i = 0; i < 8; i++ )
        CU_ASSERT_EQUAL(m[i].status, i == 5 ? GNTST_bad_gntref : GNTST_okay);
    ORR_ASSERT_EQ_U64(ledger_read(u2, LEDGER_MAPPINGS), 7);
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 7);

    memset(u, 0, sizeof(u));
    for ( i = 0; i < 8; i++ )
    {
        u[i].host_addr = (HOLE + i) << PAGE_SHIFT;
        u[i].handle = m[i].handle;
    }
    CU_ASSERT_EQUAL(gt_op(u2, GNTTABOP_unmap_grant_ref, u, sizeof(u[0]), 8),
                    0);
    for ( i = 0; i < 8; i++ )
        if ( i != 5 )
            CU_ASSERT_EQUAL(u[i].status, GNTST_okay);
    ORR_ASSERT_EQ_U64(ledger_read(u2, LEDGER_MAPPINGS), 0);
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 0);
}

/* A grant to d0 mapped by d0; debug key 'g' lists it. */
static void test_debug_key(void)
{
    grant_handle_t h;
    char want[64];

    gt_grant_v1(u1, REF, d0->domain_id, GT_GFN_DATA, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(d0, u1, REF, HOLE, GNTMAP_host_map, &h),
                    GNTST_okay);
    sim_console_clear();
    handle_keypress('g');
    ORR_ASSERT_CONTAINS(sim_console_text(), "Grant tables:");
    ORR_ASSERT_CONTAINS(sim_console_text(), "grant table v1, 1/64 frames");
    snprintf(want, sizeof(want), "ref 8: d%u pins rw 1 ro 0",
             d0->domain_id);
    ORR_ASSERT_CONTAINS(sim_console_text(), want);
    snprintf(want, sizeof(want), "handle 0: d%u ref 8 at gfn 0x100 rw",
             u1->domain_id);
    ORR_ASSERT_CONTAINS(sim_console_text(), want);
    CU_ASSERT_EQUAL(gt_unmap(d0, HOLE, h), GNTST_okay);
}

/* A domain may map its own grant by its own id (not DOMID_SELF); its
 * destroy undoes the mapping before the table goes. */
static void test_map_own_grant(void)
{
    grant_handle_t h;

    gt_grant_v1(u1, REF, u1->domain_id, GT_GFN_DATA, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u1, u1, REF, HOLE, GNTMAP_host_map, &h),
                    GNTST_okay);
    CU_ASSERT_EQUAL(gt_flags(u1, REF),
                    GTF_permit_access | GTF_reading | GTF_writing);
    CU_ASSERT_EQUAL(gt_map(u1, u1, REF, HOLE + 1, GNTMAP_host_map, NULL),
                    GNTST_okay);
    CU_ASSERT_EQUAL(gt_unmap(u1, HOLE, h), GNTST_okay);
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 1);
    CU_ASSERT_EQUAL(domain_destroy(u1), 0);
    u1 = NULL;
}

CU_TestInfo map_tests[] = {
    ORR_CASE(test_map_rw_and_unmap),
    ORR_CASE(test_map_readonly),
    ORR_CASE(test_pins_and_upgrade),
    ORR_CASE(test_upgrade_of_readonly_grant),
    ORR_CASE(test_revoke_in_use),
    ORR_CASE(test_permit_toggled_while_mapped),
    ORR_CASE(test_unmap_without_host_addr),
    ORR_CASE(test_batch_map_unmap),
    ORR_CASE(test_debug_key),
    ORR_CASE(test_map_own_grant),
    CU_TEST_INFO_NULL,
};
