/* SPDX-License-Identifier: MIT */
/* add_to_physmap of the domain's own RAM: XENMAPSPACE_gmfn and gmfn_range. */
#include "mem_test.h"

static void test_gmfn_moves_a_page(void)
{
    mfn_t m2 = mem_mfn(mem_u1, 2, NULL), m4 = mem_mfn(mem_u1, 4, NULL);

    *(uint32_t *)mem_ptr(mem_u1, 2 << PAGE_SHIFT) = 0xfeedface;
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_gmfn, 2, 0x400, 0),
                    0);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 2), p2m_invalid);
    ORR_ASSERT_EQ_U64(mfn_x(mem_mfn(mem_u1, 0x400, NULL)), mfn_x(m2));
    CU_ASSERT_EQUAL(*(uint32_t *)mem_ptr(mem_u1, 0x400 << PAGE_SHIFT),
                    0xfeedface);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES);
    /* Onto RAM: the page that was there is given back. */
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_gmfn, 0x400, 4, 0),
                    0);
    ORR_ASSERT_EQ_U64(mfn_x(mem_mfn(mem_u1, 4, NULL)), mfn_x(m2));
    CU_ASSERT_EQUAL(page_owner(mfn_to_page(m4)), PGO_FREE);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES - 1);
    /* Onto itself: nothing happens. */
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_gmfn, 4, 4, 0), 0);
    ORR_ASSERT_EQ_U64(mfn_x(mem_mfn(mem_u1, 4, NULL)), mfn_x(m2));
    mem_check_ownership();
}

static void test_gmfn_bad_input(void)
{
    CU_ASSERT_EQUAL(p2m_set_entry(mem_u1, _gfn(0x150), _mfn(0xfee00),
                                  p2m_mmio_direct, p2m_access_rw), 0);
    /* Not the domain's RAM at idx: a hole, MMIO, shared_info, beyond. */
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_gmfn, 0x50, 0x400,
                        0), -EINVAL);
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_gmfn, 0x150, 0x400,
                        0), -EINVAL);
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_shared_info, 0,
                        0x151, 0), 0);
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_gmfn, 0x151, 0x400,
                        0), -EINVAL);
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_gmfn,
                        P2M_MAX_GFN + 1, 0x400, 0), -EINVAL);
    /* A gpfn beyond the address width; a grant mapping in the way. */
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_gmfn, 2,
                        P2M_MAX_GFN + 1, 0), -EINVAL);
    CU_ASSERT_EQUAL(p2m_set_entry(mem_u1, _gfn(0x600), mem_mfn(mem_d0, 1,
                                  NULL), p2m_grant_map_ro, p2m_access_r), 0);
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_gmfn, 2, 0x600, 0),
                    -EBUSY);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 2), p2m_ram_rw);
    /* The idx is the target's gfn, never the caller's. */
    CU_ASSERT_EQUAL(mem_add(mem_d0, mem_u2->domain_id, XENMAPSPACE_gmfn, 0x151,
                        0x400, 0), -EINVAL);
    CU_ASSERT_EQUAL(mem_add(mem_d0, mem_u2->domain_id, XENMAPSPACE_gmfn, 6,
                        0x400, 0), 0);
    CU_ASSERT_EQUAL(mem_type_at(mem_u2, 6), p2m_invalid);
    CU_ASSERT_EQUAL(mem_type_at(mem_u2, 0x400), p2m_ram_rw);
    CU_ASSERT_EQUAL(mem_type_at(mem_d0, 6), p2m_ram_rw);
    mem_check_ownership();
}

static void test_gmfn_range(void)
{
    unsigned int i;

    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_gmfn_range, 4,
                        0x500, 3), 0);
    for ( i = 0; i < 3; i++ )
    {
        CU_ASSERT_EQUAL(mem_type_at(mem_u1, 4 + i), p2m_invalid);
        CU_ASSERT_EQUAL(mem_type_at(mem_u1, 0x500 + i), p2m_ram_rw);
    }
    /* Size 0 does nothing. */
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_gmfn_range, 1,
                        0x600, 0), 0);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 1), p2m_ram_rw);
    /* An error part-way: what was moved stays moved. */
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_gmfn_range, 2,
                        0x700, 4), -EINVAL);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 0x700), p2m_ram_rw);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 0x701), p2m_ram_rw);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 0x702), p2m_invalid);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES);
    mem_check_ownership();
}

CU_TestInfo gmfn_tests[] = {
    ORR_CASE(test_gmfn_moves_a_page),
    ORR_CASE(test_gmfn_bad_input),
    ORR_CASE(test_gmfn_range),
    CU_TEST_INFO_NULL,
};
