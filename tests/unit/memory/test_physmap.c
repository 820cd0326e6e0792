/* SPDX-License-Identifier: MIT */
/* add_to_physmap and remove_from_physmap through the hypercall path. */
#include "mem_test.h"
#include "mm-internal.h"        /* core/mm: share a frame by hand */

#define ADD XENMEM_add_to_physmap
#define RM  XENMEM_remove_from_physmap

static mfn_t si_mfn(struct domain *d)
{
    return arch_virt_to_mfn(d->shared_info);
}

static void test_shared_info_into_a_hole(void)
{
    struct page_info *pg = mfn_to_page(si_mfn(mem_u1));
    uint32_t v = 0x12345678;

    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_shared_info, 0,
                        0x200, 0), 0);
    ORR_ASSERT_EQ_U64(mfn_x(mem_mfn(mem_u1, 0x200, NULL)),
                      mfn_x(si_mfn(mem_u1)));
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 0x200), p2m_ram_rw);
    /* Still the hypervisor's page, now shared with u1; not u1's RAM. */
    CU_ASSERT_EQUAL(page_owner(pg), PGO_HEAP);
    CU_ASSERT(pg->count_info & PGC_xen_shared);
    CU_ASSERT_PTR_EQUAL(page_get_owner(pg), mem_u1);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES);
    /* The guest writes through it: wc_version is at offset 0xc00ish,
     * any offset will do to see the same page. */
    CU_ASSERT_EQUAL(copy_to_guest(mem_u1->vcpu[0], (0x200 << PAGE_SHIFT) +
                                  0xff0, &v, sizeof(v)), 0);
    CU_ASSERT_EQUAL(*(uint32_t *)((uint8_t *)mem_u1->shared_info + 0xff0),
                    v);
    /* Mapped again elsewhere: it moves. */
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_shared_info, 0,
                        0x300, 0), 0);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 0x200), p2m_invalid);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 0x300), p2m_ram_rw);
    ORR_ASSERT_EQ_U64(pg->gfn, 0x300);
    /* And again at the same place: nothing changes. */
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_shared_info, 0,
                        0x300, 0), 0);
    ORR_ASSERT_EQ_U64(mfn_x(mem_mfn(mem_u1, 0x300, NULL)),
                      mfn_x(si_mfn(mem_u1)));
    /* The domain is destroyed with it mapped: teardown checks the heap. */
}

/* XTF and Linux place shared_info over a page of their own RAM: that
 * page is given back, not leaked. */
static void test_shared_info_over_ram(void)
{
    mfn_t old = mem_mfn(mem_u1, 3, NULL);

    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_shared_info, 0, 3,
                        0), 0);
    ORR_ASSERT_EQ_U64(mfn_x(mem_mfn(mem_u1, 3, NULL)), mfn_x(si_mfn(mem_u1)));
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES - 1);
    CU_ASSERT_EQUAL(page_owner(mfn_to_page(old)), PGO_FREE);
    /* decrease_reservation of that gfn unmaps it but frees nothing. */
    CU_ASSERT_EQUAL(p2m_count(mem_u1, p2m_ram_rw), MEM_RAM_PAGES);
    {
        static const uint64_t g[] = { 3 };

        mem_reservation(mem_u1, DOMID_SELF, 1, 0, 0, g);
        CU_ASSERT_EQUAL(mem_op(mem_u1, XENMEM_decrease_reservation,
                               MEM_ARG, NULL), 1);
    }
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 3), p2m_invalid);
    CU_ASSERT_EQUAL(page_owner(mfn_to_page(si_mfn(mem_u1))), PGO_HEAP);
    CU_ASSERT_FALSE(mfn_to_page(si_mfn(mem_u1))->count_info &
                    PGC_xen_shared);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES - 1);
    /* Mapped once more, then over by populate-able RAM moved there. */
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_shared_info, 0, 3,
                        0), 0);
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_gmfn, 4, 3, 0), 0);
    CU_ASSERT_FALSE(mfn_to_page(si_mfn(mem_u1))->count_info &
                    PGC_xen_shared);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 4), p2m_invalid);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES - 1);
}

static void test_shared_info_bad_input(void)
{
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_shared_info, 1,
                        0x200, 0), -EINVAL);
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_shared_info, 0,
                        P2M_MAX_GFN + 1, 0), -EINVAL);
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_shared_info, 0,
                        ~0ULL, 0), -EINVAL);
    /* Another domU's: no; the control domain's into its target: yes. */
    CU_ASSERT_EQUAL(mem_add(mem_u1, mem_u2->domain_id, XENMAPSPACE_shared_info,
                        0, 0x200, 0), -EPERM);
    CU_ASSERT_EQUAL(mem_add(mem_u1, 4000, XENMAPSPACE_shared_info, 0, 0x200, 0),
                    -ESRCH);
    CU_ASSERT_EQUAL(mem_type_at(mem_u2, 0x200), p2m_invalid);
    CU_ASSERT_EQUAL(mem_add(mem_d0, mem_u2->domain_id, XENMAPSPACE_shared_info,
                        0, 0x200, 0), 0);
    ORR_ASSERT_EQ_U64(mfn_x(mem_mfn(mem_u2, 0x200, NULL)),
                      mfn_x(si_mfn(mem_u2)));
    CU_ASSERT_EQUAL(mem_type_at(mem_d0, 0x200), p2m_invalid);
    /* Over a grant mapping: unmap it first. */
    CU_ASSERT_EQUAL(p2m_set_entry(mem_u1, _gfn(0x600), mem_mfn(mem_d0, 1,
                                  NULL), p2m_grant_map_rw, p2m_access_rw), 0);
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_shared_info, 0,
                        0x600, 0), -EBUSY);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 0x600), p2m_grant_map_rw);
    /* Over MMIO or populate-on-demand: replaced. */
    CU_ASSERT_EQUAL(p2m_set_entry(mem_u1, _gfn(0x601), INVALID_MFN,
                                  p2m_populate_on_demand, p2m_access_rw), 0);
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_shared_info, 0,
                        0x601, 0), 0);
}

static void test_add_bad_pointer_and_space(void)
{
    struct hypercall_regs r;

    CU_ASSERT_EQUAL(mem_op(mem_u1, ADD, MEM_HOLE_GADDR, NULL), -EFAULT);
    CU_ASSERT_EQUAL(mem_op(mem_u1, ADD, (MEM_RAM_PAGES << PAGE_SHIFT) - 8,
                           NULL), -EFAULT);
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_gmfn_foreign, 0,
                        0x200, 0), -ENOSYS);
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, 99, 0, 0x200, 0), -EINVAL);
    /* A resume point past what the 16-bit size can count. */
    CU_ASSERT_EQUAL(mem_op1(mem_u1, ADD | (0x10000ULL << MEMOP_EXTENT_SHIFT),
                            MEM_ARG, &r), -EDOM);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 0x200), p2m_invalid);
}

static mfn_t grant_frame(struct domain *d, unsigned int idx, bool status)
{
    mfn_t m = INVALID_MFN;

    CU_ASSERT_EQUAL(gnttab_get_frame(d, idx, status, &m), 0);
    return m;
}

static int64_t set_version(struct domain *d, uint32_t v)
{
    struct hypercall_regs r = {
        .nr = __HYPERVISOR_grant_table_op,
        .args = { GNTTABOP_set_version, MEM_LIST, 1 },
    };

    memcpy(mem_ptr(d, MEM_LIST), &v, sizeof(v));
    hypercall_dispatch(d->vcpu[0], &r);
    return r.ret;
}

/* Linux maps its grant frames with add_to_physmap (reference §1.7). */
static void test_grant_table_frames(void)
{
    struct page_info *pg;

    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_grant_table, 0,
                        0x200, 0), 0);
    ORR_ASSERT_EQ_U64(mfn_x(mem_mfn(mem_u1, 0x200, NULL)),
                      mfn_x(grant_frame(mem_u1, 0, false)));
    pg = mfn_to_page(grant_frame(mem_u1, 0, false));
    CU_ASSERT_EQUAL(page_owner(pg), PGO_HEAP);
    CU_ASSERT_PTR_EQUAL(page_get_owner(pg), mem_u1);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES);
    /* A frame past the current size grows the table. */
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_grant_table, 3,
                        0x203, 0), 0);
    CU_ASSERT(gnttab_nr_frames(mem_u1) >= 4);
    ORR_ASSERT_EQ_U64(mfn_x(mem_mfn(mem_u1, 0x203, NULL)),
                      mfn_x(grant_frame(mem_u1, 3, false)));
    /* Beyond the maximum, status frames of a v1 table, junk in idx. */
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_grant_table,
                        GNTTAB_MAX_FRAMES, 0x210, 0), -EINVAL);
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_grant_table,
                        XENMAPIDX_grant_table_status, 0x210, 0), -EINVAL);
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_grant_table,
                        1ULL << 40, 0x210, 0), -EINVAL);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 0x210), p2m_invalid);
    /* v2 status frames (core/grant keeps them over a switch back). */
    CU_ASSERT_EQUAL(set_version(mem_u1, 2), 0);
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_grant_table,
                        XENMAPIDX_grant_table_status | 0, 0x220, 0), 0);
    ORR_ASSERT_EQ_U64(mfn_x(mem_mfn(mem_u1, 0x220, NULL)),
                      mfn_x(grant_frame(mem_u1, 0, true)));
    CU_ASSERT_EQUAL(set_version(mem_u1, 1), 0);
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_grant_table,
                        XENMAPIDX_grant_table_status | 1, 0x221, 0), -EINVAL);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 0x200), p2m_ram_rw);
    /* The domain dies with frames mapped: nothing leaks (teardown). */
}

/* A hypervisor frame freed while mapped leaves the guest's p2m first
 * (free_pages() does it: the allocator need not remember). */
static void test_freed_xen_frame_is_unmapped(void)
{
    mfn_t m = alloc_pages(1, MEMF_ZERO);
    struct page_info *pg = mfn_to_page(_mfn(mfn_x(m) + 1));

    CU_ASSERT_EQUAL(p2m_set_entry(mem_u1, _gfn(0x230), _mfn(mfn_x(m) + 1),
                                  p2m_ram_rw, p2m_access_rwx), 0);
    spin_lock(&domheap_lock);
    xen_frame_share_locked(pg, mem_u1, 0x230);
    spin_unlock(&domheap_lock);
    free_pages(m, 1);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 0x230), p2m_invalid);
    CU_ASSERT_EQUAL(page_owner(pg), PGO_FREE);
}

/* A domain destroyed with hypervisor frames mapped. */
static void test_destroy_with_xen_frames_mapped(void)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .max_vcpus = 1, .max_pages = 16,
    };
    struct domain *d = NULL;

    CU_ASSERT_FATAL(domain_create(&cfg, &d) == 0);
    CU_ASSERT_FATAL(p2m_populate_ram(d, _gfn(0), 2) == 0);
    CU_ASSERT_EQUAL(mem_add(d, DOMID_SELF, XENMAPSPACE_shared_info, 0, 1, 0), 0);
    CU_ASSERT_EQUAL(mem_add(d, DOMID_SELF, XENMAPSPACE_grant_table, 0, 5, 0), 0);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
}





static void test_remove_from_physmap(void)
{
    mfn_t m = mem_mfn(mem_u1, 5, NULL);
    struct page_info *pg = mfn_to_page(m);

    /* The domain's RAM: unmapped, still its own (freed at destroy). */
    CU_ASSERT_EQUAL(mem_rm(mem_u1, DOMID_SELF, 5), 0);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 5), p2m_invalid);
    CU_ASSERT_PTR_EQUAL(page_get_owner(pg), mem_u1);
    CU_ASSERT_EQUAL(page_refcount(pg), 1);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES);
    /* Now a hole: -ENOENT. */
    CU_ASSERT_EQUAL(mem_rm(mem_u1, DOMID_SELF, 5), -ENOENT);
    /* shared_info: unmapped, still the hypervisor's. */
    CU_ASSERT_EQUAL(mem_add(mem_u1, DOMID_SELF, XENMAPSPACE_shared_info, 0,
                        0x200, 0), 0);
    CU_ASSERT_EQUAL(mem_rm(mem_u1, DOMID_SELF, 0x200), 0);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 0x200), p2m_invalid);
    CU_ASSERT_FALSE(mfn_to_page(si_mfn(mem_u1))->count_info &
                    PGC_xen_shared);
    /* A heap frame the p2m was handed as RAM is the mapping's: freed. */
    {
        struct page_alloc_stats a, b;
        mfn_t h;

        page_alloc_stats(&a);
        h = alloc_pages(0, 0);
        CU_ASSERT_EQUAL(p2m_set_entry(mem_u1, _gfn(0x300), h, p2m_ram_rw,
                                      p2m_access_rw), 0);
        CU_ASSERT_EQUAL(mem_rm(mem_u1, DOMID_SELF, 0x300), 0);
        page_alloc_stats(&b);
        ORR_ASSERT_EQ_U64(b.free_pages, a.free_pages);
    }
    mem_check_ownership();
}

static void test_remove_bad_input(void)
{
    CU_ASSERT_EQUAL(p2m_set_entry(mem_u1, _gfn(0x150), _mfn(0xfee00),
                                  p2m_mmio_direct, p2m_access_rw), 0);
    CU_ASSERT_EQUAL(p2m_set_entry(mem_u1, _gfn(0x600), mem_mfn(mem_d0, 1,
                                  NULL), p2m_grant_map_rw, p2m_access_rw), 0);
    CU_ASSERT_EQUAL(mem_rm(mem_u1, DOMID_SELF, 0x50), -ENOENT);
    CU_ASSERT_EQUAL(mem_rm(mem_u1, DOMID_SELF, 0x150), -ENOENT);
    CU_ASSERT_EQUAL(mem_rm(mem_u1, DOMID_SELF, 0x600), -ENOENT);
    CU_ASSERT_EQUAL(mem_rm(mem_u1, DOMID_SELF, P2M_MAX_GFN + 1), -ENOENT);
    CU_ASSERT_EQUAL(mem_rm(mem_u1, DOMID_SELF, ~0ULL), -ENOENT);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 0x150), p2m_mmio_direct);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 0x600), p2m_grant_map_rw);
    /* Another domU's, a missing domain, a bad pointer. */
    CU_ASSERT_EQUAL(mem_rm(mem_u1, mem_u2->domain_id, 2), -EPERM);
    CU_ASSERT_EQUAL(mem_rm(mem_u1, 4000, 2), -ESRCH);
    CU_ASSERT_EQUAL(mem_type_at(mem_u2, 2), p2m_ram_rw);
    CU_ASSERT_EQUAL(mem_op(mem_u1, RM, MEM_HOLE_GADDR, NULL), -EFAULT);
    CU_ASSERT_EQUAL(mem_op1(mem_u1, RM | (1 << MEMOP_EXTENT_SHIFT), MEM_ARG,
                            NULL), -EINVAL);
    /* The control domain may. */
    CU_ASSERT_EQUAL(mem_rm(mem_d0, mem_u2->domain_id, 2), 0);
    CU_ASSERT_EQUAL(mem_type_at(mem_u2, 2), p2m_invalid);
}

CU_TestInfo physmap_tests[] = {
    ORR_CASE(test_shared_info_into_a_hole),
    ORR_CASE(test_shared_info_over_ram),
    ORR_CASE(test_shared_info_bad_input),
    ORR_CASE(test_add_bad_pointer_and_space),
    ORR_CASE(test_grant_table_frames),
    ORR_CASE(test_freed_xen_frame_is_unmapped),
    ORR_CASE(test_destroy_with_xen_frames_mapped),
    ORR_CASE(test_remove_from_physmap),
    ORR_CASE(test_remove_bad_input),
    CU_TEST_INFO_NULL,
};
