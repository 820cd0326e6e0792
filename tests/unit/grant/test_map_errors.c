/* SPDX-License-Identifier: MIT */
/*
 * Bad map and unmap requests, one case each, with Xen's GNTST_* code --
 * and nothing left behind: no pin, no in-use bit, no mapping, no handle.
 */
#include "gt_test.h"

#define REF 8
#define HOLE GT_GFN_HOLE

/* Nothing of a failed map may remain, in either domain. */
static void assert_clean(void)
{
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 0);
    CU_ASSERT_EQUAL(gnttab_maptrack_count(u2), 0);
    ORR_ASSERT_EQ_U64(ledger_read(u2, LEDGER_MAPPINGS), 0);
    CU_ASSERT_EQUAL(gt_flags(u1, REF) & (GTF_reading | GTF_writing), 0);
}

static void grant(uint16_t flags)
{
    gt_grant_v1(u1, REF, u2->domain_id, GT_GFN_DATA, flags);
}

static void test_ref_beyond_table(void)
{
    grant(GTF_permit_access);
    /* One v1 frame: refs 0 .. 511. */
    CU_ASSERT_EQUAL(gt_map(u2, u1, GNTTAB_V1_PER_FRAME, HOLE,
                           GNTMAP_host_map, NULL), GNTST_bad_gntref);
    CU_ASSERT_EQUAL(gt_map(u2, u1, 0xffffffffU, HOLE, GNTMAP_host_map, NULL),
                    GNTST_bad_gntref);
    assert_clean();
}

/* A grant made to u2 is not one d0 (even privileged) may map. */
static void test_ref_of_another_domain(void)
{
    grant(GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(d0, u1, REF, HOLE, GNTMAP_host_map, NULL),
                    GNTST_general_error);
    CU_ASSERT_EQUAL(gnttab_maptrack_count(d0), 0);
    assert_clean();
}

static void test_unused_entry(void)
{
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, NULL),
                    GNTST_general_error);
    grant(GTF_accept_transfer);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, NULL),
                    GNTST_general_error);
    assert_clean();
}

static void test_write_through_readonly_grant(void)
{
    grant(GTF_permit_access | GTF_readonly);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, NULL),
                    GNTST_general_error);
    assert_clean();
}

static void test_domid_self(void)
{
    struct gnttab_map_grant_ref m = {
        .host_addr = HOLE << PAGE_SHIFT, .flags = GNTMAP_host_map,
        .ref = REF, .dom = DOMID_SELF,
    };

    gt_grant_v1(u2, REF, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_op(u2, GNTTABOP_map_grant_ref, &m, sizeof(m), 1), 0);
    CU_ASSERT_EQUAL(m.status, GNTST_bad_domain);
    assert_clean();
}

static void test_domid_nonexistent(void)
{
    struct gnttab_map_grant_ref m = {
        .host_addr = HOLE << PAGE_SHIFT, .flags = GNTMAP_host_map,
        .ref = REF, .dom = 0x7000,
    };

    CU_ASSERT_EQUAL(gt_op(u2, GNTTABOP_map_grant_ref, &m, sizeof(m), 1), 0);
    CU_ASSERT_EQUAL(m.status, GNTST_bad_domain);
    m.dom = DOMID_INVALID;
    CU_ASSERT_EQUAL(gt_op(u2, GNTTABOP_map_grant_ref, &m, sizeof(m), 1), 0);
    CU_ASSERT_EQUAL(m.status, GNTST_bad_domain);
    assert_clean();
}

/* A domain being destroyed (someone still holds its struct). */
static void test_domid_dying(void)
{
    struct domain *dying = gt_make(0, ORR_GUEST_PVH);
    domid_t id = dying->domain_id;
    struct gnttab_map_grant_ref m = {
        .host_addr = HOLE << PAGE_SHIFT, .flags = GNTMAP_host_map,
        .ref = REF, .dom = id,
    };

    gt_grant_v1(dying, REF, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    domain_get_ref(dying);
    CU_ASSERT_EQUAL(domain_destroy(dying), 0);
    CU_ASSERT_EQUAL(gt_op(u2, GNTTABOP_map_grant_ref, &m, sizeof(m), 1), 0);
    CU_ASSERT_EQUAL(m.status, GNTST_bad_domain);
    domain_put(dying);
    assert_clean();
}

/* host_addr on RAM, on an existing mapping, past the address width. */
static void test_bad_host_addr(void)
{
    grant_handle_t h;

    grant(GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, 2, GNTMAP_host_map, NULL),
                    GNTST_general_error);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, P2M_MAX_GFN + 1, GNTMAP_host_map,
                           NULL), GNTST_general_error);
    assert_clean();
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, &h),
                    GNTST_okay);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, NULL),
                    GNTST_general_error);
    CU_ASSERT_EQUAL(gnttab_maptrack_count(u2), 1);
    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE, h), GNTST_okay);
    assert_clean();
}

static void test_flags_without_mapping(void)
{
    grant(GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, 0, NULL), GNTST_bad_gntref);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_readonly, NULL),
                    GNTST_bad_gntref);
    assert_clean();
}

/* Translated guests have no device, application or PTE mappings. */
static void test_flags_not_translated(void)
{
    grant(GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_device_map, NULL),
                    GNTST_general_error);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE,
                           GNTMAP_host_map | GNTMAP_contains_pte, NULL),
                    GNTST_general_error);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE,
                           GNTMAP_host_map | GNTMAP_application_map, NULL),
                    GNTST_general_error);
    assert_clean();
}

/* The granted "frame" is a hole, or MMIO, in the granter. */
static void test_frame_not_ram(void)
{
    gt_grant_v1(u1, REF, u2->domain_id, 0x500, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, NULL),
                    GNTST_bad_page);
    assert_clean();
    CU_ASSERT_EQUAL(p2m_set_entry(u1, _gfn(0x501), _mfn(0xfee00),
                                  p2m_mmio_direct, p2m_access_rw), 0);
    gt_grant_v1(u1, REF, u2->domain_id, 0x501, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE,
                           GNTMAP_host_map | GNTMAP_readonly, NULL),
                    GNTST_bad_page);
    assert_clean();
}

/* SILO: domUs may only share with the control domain. */
static void test_silo_policy(void)
{
    grant_handle_t h;

    grant(GTF_permit_access);
    CU_ASSERT_EQUAL(xsm_set_policy("silo"), 0);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, NULL),
                    GNTST_permission_denied);
    assert_clean();
    gt_grant_v1(u1, REF, d0->domain_id, GT_GFN_DATA, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(d0, u1, REF, HOLE, GNTMAP_host_map, &h),
                    GNTST_okay);
    CU_ASSERT_EQUAL(gt_unmap(d0, HOLE, h), GNTST_okay);
}

/* Xen's 8-bit pin counters: once one reaches 128 no hold of any kind
 * is added (the 129th read-only map, and a writable one, are refused). */
static void test_pin_overflow(void)
{
    grant_handle_t h[128];
    unsigned int i;

    grant(GTF_permit_access);
    for ( i = 0; i < 128; i++ )
        CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE + i,
                               GNTMAP_host_map | GNTMAP_readonly, &h[i]),
                        GNTST_okay);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE + 128,
                           GNTMAP_host_map | GNTMAP_readonly, NULL),
                    GNTST_general_error);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE + 128, GNTMAP_host_map, NULL),
                    GNTST_general_error);
    CU_ASSERT_EQUAL(gnttab_maptrack_count(u2), 128);
    CU_ASSERT_EQUAL(gt_flags(u1, REF), GTF_permit_access | GTF_reading);
    for ( i = 0; i < 128; i++ )
        CU_ASSERT_EQUAL(gt_unmap(u2, HOLE + i, h[i]), GNTST_okay);
    assert_clean();
}

static void test_unmap_bad_handle(void)
{
    grant_handle_t h;

    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE, 0), GNTST_bad_handle);
    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE, 0xffffffffU), GNTST_bad_handle);
    grant(GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, &h),
                    GNTST_okay);
    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE, h + 1), GNTST_bad_handle);
    /* Another domain's handle means nothing here. */
    CU_ASSERT_EQUAL(gt_unmap(d0, HOLE, h), GNTST_bad_handle);
    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE, h), GNTST_okay);
    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE, h), GNTST_bad_handle);
    assert_clean();
}

static void test_unmap_wrong_host_addr(void)
{
    grant_handle_t h;

    grant(GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, &h),
                    GNTST_okay);
    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE + 1, h), GNTST_general_error);
    CU_ASSERT_EQUAL(gnttab_maptrack_count(u2), 1);
    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE, h), GNTST_okay);
    assert_clean();
}

/* A RAM frame that is not a page the granter owns (a hypervisor frame
 * mapped as RAM): no page reference can be taken, so no mapping. */
static void test_frame_not_owned(void)
{
    mfn_t mfn = alloc_pages(0, MEMF_ZERO);

    CU_ASSERT_EQUAL(p2m_set_entry(u1, _gfn(0x502), mfn, p2m_ram_rw,
                                  p2m_access_rwx), 0);
    gt_grant_v1(u1, REF, u2->domain_id, 0x502, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, NULL),
                    GNTST_bad_page);
    assert_clean();
}

/* The granter moved its frame away under a read-only mapping: a
 * writable hold cannot be added on a frame that is gone. */
static void test_upgrade_after_frame_moved(void)
{
    grant_handle_t h;

    grant(GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE,
                           GNTMAP_host_map | GNTMAP_readonly, &h),
                    GNTST_okay);
    CU_ASSERT_EQUAL(p2m_release_ram(u1, _gfn(GT_GFN_DATA), 1), 0);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE + 1, GNTMAP_host_map, NULL),
                    GNTST_bad_page);
    CU_ASSERT_EQUAL(gt_flags(u1, REF), GTF_permit_access | GTF_reading);
    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE, h), GNTST_okay);
    assert_clean();
}

/* The mapper's p2m entry was replaced behind the grant code's back:
 * unmap refuses (GNTST_general_error) and destroy still cleans up. */
static void test_unmap_after_p2m_changed(void)
{
    grant_handle_t h;

    grant(GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, REF, HOLE, GNTMAP_host_map, &h),
                    GNTST_okay);
    CU_ASSERT_EQUAL(p2m_remove_range(u2, _gfn(HOLE), 1), 0);
    CU_ASSERT_EQUAL(gt_unmap(u2, HOLE, h), GNTST_general_error);
    CU_ASSERT_EQUAL(gnttab_maptrack_count(u2), 1);
    CU_ASSERT_EQUAL(domain_destroy(u2), 0);
    u2 = NULL;
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 0);
    CU_ASSERT_EQUAL(gt_flags(u1, REF), GTF_permit_access);
}

/* A dying domain's frames are not handed out (add_to_physmap). */
static void test_get_frame_dying(void)
{
    struct domain *d = gt_make(0, ORR_GUEST_PVH);
    mfn_t mfn;

    domain_get_ref(d);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
    CU_ASSERT_EQUAL(gnttab_get_frame(d, 0, false, &mfn), -EINVAL);
    CU_ASSERT_EQUAL(gnttab_version(d), 0);
    CU_ASSERT_EQUAL(gnttab_nr_frames(d), 0);
    CU_ASSERT_EQUAL(gnttab_active_count(d), 0);
    CU_ASSERT_EQUAL(gnttab_maptrack_count(d), 0);
    domain_put(d);
}

/*
 * The maptrack table is full (Xen's 1024 maptrack frames of 256
 * handles): the next map is GNTST_no_space and changes nothing. 2048
 * grants, each mapped 128 times (the pin limit), fill it; u2's destroy
 * then undoes all 262144 mappings.
 */
static void test_maptrack_full(void)
{
    struct gnttab_map_grant_ref *m = gt_ptr(u2, GT_ARG);
    const unsigned int per_call = PAGE_SIZE / sizeof(*m);
    const uint32_t total = GNTTAB_MAPTRACK_FRAMES * GNTTAB_MAPTRACK_PER_FRAME;
    uint32_t done = 0, i;
    mfn_t mfn;

    CU_ASSERT_EQUAL_FATAL(gnttab_get_frame(u1, 4, false, &mfn), 0);
    for ( i = 0; i < total / 128; i++ )
        gt_grant_v1(u1, 8 + i, u2->domain_id, GT_GFN_DATA + i % 8,
                    GTF_permit_access | GTF_readonly);
    hypercall_set_budget(1U << 30);
    while ( done < total )
    {
        for ( i = 0; i < per_call; i++ )
            m[i] = (struct gnttab_map_grant_ref){
                .host_addr = (uint64_t)(HOLE + done + i) << PAGE_SHIFT,
                .flags = GNTMAP_host_map | GNTMAP_readonly,
                .ref = 8 + (done + i) / 128, .dom = u1->domain_id,
            };
        CU_ASSERT_EQUAL_FATAL(gt_call(u2, GNTTABOP_map_grant_ref, GT_ARG,
                                      per_call, NULL), 0);
        for ( i = 0; i < per_call; i++ )
            CU_ASSERT_EQUAL_FATAL(m[i].status, GNTST_okay);
        done += per_call;
    }
    CU_ASSERT_EQUAL(gnttab_maptrack_count(u2), total);
    gt_grant_v1(u1, 4000, u2->domain_id, GT_GFN_DATA, GTF_permit_access);
    CU_ASSERT_EQUAL(gt_map(u2, u1, 4000, HOLE + total, GNTMAP_host_map, NULL),
                    GNTST_no_space);
    CU_ASSERT_EQUAL(gt_flags(u1, 4000), GTF_permit_access);
    ORR_ASSERT_EQ_U64(ledger_read(u2, LEDGER_MAPPINGS), total);
    CU_ASSERT_EQUAL(domain_destroy(u2), 0);
    u2 = NULL;
    CU_ASSERT_EQUAL(gnttab_active_count(u1), 0);
}

CU_TestInfo map_error_tests[] = {
    ORR_CASE(test_ref_beyond_table),
    ORR_CASE(test_ref_of_another_domain),
    ORR_CASE(test_unused_entry),
    ORR_CASE(test_write_through_readonly_grant),
    ORR_CASE(test_domid_self),
    ORR_CASE(test_domid_nonexistent),
    ORR_CASE(test_domid_dying),
    ORR_CASE(test_bad_host_addr),
    ORR_CASE(test_flags_without_mapping),
    ORR_CASE(test_flags_not_translated),
    ORR_CASE(test_frame_not_ram),
    ORR_CASE(test_silo_policy),
    ORR_CASE(test_pin_overflow),
    ORR_CASE(test_unmap_bad_handle),
    ORR_CASE(test_unmap_wrong_host_addr),
    ORR_CASE(test_frame_not_owned),
    ORR_CASE(test_upgrade_after_frame_moved),
    ORR_CASE(test_unmap_after_p2m_changed),
    ORR_CASE(test_get_frame_dying),
    ORR_CASE(test_maptrack_full),
    CU_TEST_INFO_NULL,
};
