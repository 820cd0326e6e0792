/* SPDX-License-Identifier: MIT */
/*
 * increase_reservation, decrease_reservation, populate_physmap through
 * the hypercall path: the answer is the number of extents done, so every
 * bad input shows as a count short of nr_extents with nothing changed
 * past it.
 */
#include "mem_test.h"

#define INC XENMEM_increase_reservation
#define DEC XENMEM_decrease_reservation
#define POP XENMEM_populate_physmap

static void test_increase_reservation(void)
{
    uint64_t free_gfn_before = mem_type_at(mem_u1, 100);

    CU_ASSERT_EQUAL(mem_res_op(mem_u1, INC, DOMID_SELF, 4, 0, 0, NULL), 4);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES + 4);
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, INC, DOMID_SELF, 3, 2, 0, NULL), 3);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES + 16);
    /* Translated guest: owned, not mapped. */
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 100), free_gfn_before);
    ORR_ASSERT_EQ_U64(p2m_count(mem_u1, p2m_ram_rw), MEM_RAM_PAGES);
    /* Up to max_pages, then short. */
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, INC, DOMID_SELF, 100, 0, 0, NULL),
                    MEM_MAX_PAGES - MEM_RAM_PAGES - 16);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_MAX_PAGES);
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, INC, DOMID_SELF, 1, 0, 0, NULL), 0);
    mem_check_ownership();
}

static void test_populate_physmap(void)
{
    static const uint64_t gfns[] = { 100, 101, 200, 300, 401 };
    uint8_t buf[8] = "orrery!";
    unsigned int i;

    /* Order 0, then order 2 aligned and not. */
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, DOMID_SELF, 3, 0, 0, gfns), 3);
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, DOMID_SELF, 2, 2, 0, gfns + 3), 2);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES + 3 + 8);
    for ( i = 0; i < 3; i++ )
        CU_ASSERT_EQUAL(mem_type_at(mem_u1, gfns[i]), p2m_ram_rw);
    for ( i = 0; i < 4; i++ )
    {
        CU_ASSERT_EQUAL(mem_type_at(mem_u1, 300 + i), p2m_ram_rw);
        CU_ASSERT_EQUAL(mem_type_at(mem_u1, 401 + i), p2m_ram_rw);
    }
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 405), p2m_invalid);
    /* Usable guest memory, zeroed. */
    CU_ASSERT_EQUAL(*(uint8_t *)mem_ptr(mem_u1, 200 << PAGE_SHIFT), 0);
    CU_ASSERT_EQUAL(copy_to_guest(mem_u1->vcpu[0], (402 << PAGE_SHIFT) - 4,
                                  buf, sizeof(buf)), 0);
    mem_check_ownership();
}

static void test_populate_stops_at_a_mapped_gfn(void)
{
    static const uint64_t gfns[] = { 100, 3, 101 };
    mfn_t before = mem_mfn(mem_u1, 3, NULL);

    CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, DOMID_SELF, 3, 0, 0, gfns), 1);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 101), p2m_invalid);
    ORR_ASSERT_EQ_U64(mfn_x(mem_mfn(mem_u1, 3, NULL)), mfn_x(before));
    /* An extent overlapping RAM in its middle maps none of it. */
    {
        static const uint64_t over[] = { 4 };

        CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, DOMID_SELF, 1, 2, 0, over), 0);
    }
    /* MMIO is not a hole either. */
    CU_ASSERT_EQUAL(p2m_set_entry(mem_u1, _gfn(150), _mfn(0xfee00),
                                  p2m_mmio_direct, p2m_access_rw), 0);
    {
        static const uint64_t mmio[] = { 150 };

        CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, DOMID_SELF, 1, 0, 0, mmio), 0);
    }
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES + 1);
}

static void test_populate_gfn_beyond_address_width(void)
{
    static const uint64_t top[] = { P2M_MAX_GFN, P2M_MAX_GFN + 1 };
    static const uint64_t wrap[] = { ~0ULL - 1 };
    static const uint64_t edge[] = { P2M_MAX_GFN - 2 };

    CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, DOMID_SELF, 2, 0, 0, top), 1);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, P2M_MAX_GFN), p2m_ram_rw);
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, DOMID_SELF, 1, 2, 0, wrap), 0);
    /* An extent whose end passes the top. */
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, DOMID_SELF, 1, 2, 0, edge), 0);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES + 1);
}

static void test_populate_past_max_pages(void)
{
    uint64_t gfns[80];
    unsigned int i;

    for ( i = 0; i < 80; i++ )
        gfns[i] = 1000 + i;
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, DOMID_SELF, 80, 0, 0, gfns),
                    MEM_MAX_PAGES - MEM_RAM_PAGES);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_MAX_PAGES);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 1000 + MEM_MAX_PAGES - MEM_RAM_PAGES),
                    p2m_invalid);
}

static void test_extent_order_limits(void)
{
    static const uint64_t g[] = { 0x10000 };

    mem_u1->max_pages = 4096;
    mem_d0->max_pages = 8192;
    /* A domU may populate 2 MiB extents, not 4 MiB. */
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, DOMID_SELF, 1, 10, 0, g), 0);
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, INC, DOMID_SELF, 1, 10, 0, NULL), 0);
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, DEC, DOMID_SELF, 1, 10, 0, g), 0);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES);
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, DOMID_SELF, 1, 9, 0, g), 1);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES + 512);
    /* The control domain up to 16 MiB. */
    CU_ASSERT_EQUAL(mem_res_op(mem_d0, INC, DOMID_SELF, 1, 13, 0, NULL), 0);
    CU_ASSERT_EQUAL(mem_res_op(mem_d0, INC, DOMID_SELF, 1, 12, 0, NULL), 1);
    ORR_ASSERT_EQ_U64(mem_tot(mem_d0), MEM_RAM_PAGES + 4096);
    /* A huge order never reaches the allocator. */
    CU_ASSERT_EQUAL(mem_res_op(mem_d0, INC, DOMID_SELF, 1, 0xffffffffU, 0, NULL),
                    0);
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, DEC, DOMID_SELF, 1, 9, 0, g), 1);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES);
}

static void test_bad_reservation_pointer(void)
{
    static const uint64_t g[] = { 100 };
    uint64_t last = (MEM_RAM_PAGES << PAGE_SHIFT) - 8;

    mem_reservation(mem_u1, DOMID_SELF, 1, 0, 0, g);
    /* A hole, the end of RAM, MMIO, a wrapping address. */
    CU_ASSERT_EQUAL(mem_op(mem_u1, POP, MEM_HOLE_GADDR, NULL), 0);
    CU_ASSERT_EQUAL(mem_op(mem_u1, POP, last, NULL), 0);
    CU_ASSERT_EQUAL(mem_op(mem_u1, INC, ~0ULL - 3, NULL), 0);
    CU_ASSERT_EQUAL(p2m_set_entry(mem_u1, _gfn(150), _mfn(0xfee00),
                                  p2m_mmio_direct, p2m_access_rw), 0);
    CU_ASSERT_EQUAL(mem_op(mem_u1, DEC, 150 << PAGE_SHIFT, NULL), 0);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 100), p2m_invalid);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES);
}

static void test_bad_extent_list_pointer(void)
{
    struct xen_memory_reservation res = {
        .extent_start = MEM_HOLE_GADDR, .nr_extents = 2, .domid = DOMID_SELF,
    };
    uint64_t last = (MEM_RAM_PAGES << PAGE_SHIFT) - 8;

    memcpy(mem_ptr(mem_u1, MEM_ARG), &res, sizeof(res));
    CU_ASSERT_EQUAL(mem_op(mem_u1, POP, MEM_ARG, NULL), 0);
    CU_ASSERT_EQUAL(mem_op(mem_u1, DEC, MEM_ARG, NULL), 0);
    /* The list runs off the end of RAM after its first entry. */
    res.extent_start = last;
    memcpy(mem_ptr(mem_u1, MEM_ARG), &res, sizeof(res));
    *(uint64_t *)mem_ptr(mem_u1, last) = 100;
    CU_ASSERT_EQUAL(mem_op(mem_u1, POP, MEM_ARG, NULL), 1);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 100), p2m_ram_rw);
    CU_ASSERT_EQUAL(mem_op(mem_u1, DEC, MEM_ARG, NULL), 1);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 100), p2m_invalid);
    /* A list whose address wraps past 2^64 at some extent. */
    res.extent_start = ~0ULL - 7;
    res.nr_extents = 3;
    memcpy(mem_ptr(mem_u1, MEM_ARG), &res, sizeof(res));
    CU_ASSERT_EQUAL(mem_op(mem_u1, POP, MEM_ARG, NULL), 0);
    /* increase_reservation never touches the list of a translated guest. */
    res.extent_start = MEM_HOLE_GADDR;
    memcpy(mem_ptr(mem_u1, MEM_ARG), &res, sizeof(res));
    CU_ASSERT_EQUAL(mem_op(mem_u1, INC, MEM_ARG, NULL), 3);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES + 3);
}

static void test_foreign_domid(void)
{
    static const uint64_t g[] = { 100 };

    /* A domU may not touch another domU's reservation... */
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, mem_u2->domain_id, 1, 0, 0, g), 0);
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, INC, mem_u2->domain_id, 1, 0, 0, g), 0);
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, DEC, mem_u2->domain_id, 1, 0, 0,
                           (const uint64_t[]){ 2 }), 0);
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, mem_d0->domain_id, 1, 0, 0, g), 0);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u2), MEM_RAM_PAGES);
    CU_ASSERT_EQUAL(mem_type_at(mem_u2, 2), p2m_ram_rw);
    /* ... nor name one that does not exist, or a reserved id. */
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, 4000, 1, 0, 0, g), 0);
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, DOMID_IO, 1, 0, 0, g), 0);
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, DOMID_INVALID, 1, 0, 0, g), 0);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 100), p2m_invalid);
    /* Its own id works like DOMID_SELF. */
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, mem_u1->domain_id, 1, 0, 0, g), 1);
    /* The control domain may, reading the list from its own memory. */
    CU_ASSERT_EQUAL(mem_res_op(mem_d0, POP, mem_u2->domain_id, 1, 0, 0, g), 1);
    CU_ASSERT_EQUAL(mem_type_at(mem_u2, 100), p2m_ram_rw);
    CU_ASSERT_EQUAL(mem_type_at(mem_d0, 100), p2m_invalid);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u2), MEM_RAM_PAGES + 1);
    /* A dying domain is not found. */
    mem_u2->is_dying = true;
    CU_ASSERT_EQUAL(mem_res_op(mem_d0, INC, mem_u2->domain_id, 1, 0, 0, g), 0);
    mem_u2->is_dying = false;
    ORR_ASSERT_EQ_U64(mem_tot(mem_u2), MEM_RAM_PAGES + 1);
}

static void test_silo_policy_still_allows_self(void)
{
    static const uint64_t g[] = { 100 };

    CU_ASSERT_EQUAL(xsm_set_policy("silo"), 0);
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, mem_u2->domain_id, 1, 0, 0, g), 0);
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, DOMID_SELF, 1, 0, 0, g), 1);
    CU_ASSERT_EQUAL(mem_res_op(mem_d0, INC, mem_u2->domain_id, 1, 0, 0, g), 1);
    xsm_set_policy("dummy");
}

static void test_mem_flags(void)
{
    static const uint64_t g[] = { 100, 101 };
    unsigned int bits = 13;
    p2m_type_t t;
    mfn_t m;

    /* A width of a page or less is refused. */
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, DOMID_SELF, 1, 0,
                           XENMEMF_address_bits(12), g), 0);
    /* No populate-on-demand, one node. */
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, DOMID_SELF, 1, 0,
                           XENMEMF_populate_on_demand, g), 0);
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, DOMID_SELF, 1, 0,
                           XENMEMF_node(1) | XENMEMF_exact_node_request, g),
                    0);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 100), p2m_invalid);
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, DOMID_SELF, 1, 0,
                           XENMEMF_node(0) | XENMEMF_exact_node_request, g),
                    1);
    /* No virtual NUMA: a virtual node is no constraint (as Xen). */
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, DEC, DOMID_SELF, 1, 0, 0, g), 1);
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, DOMID_SELF, 1, 0,
                           XENMEMF_vnode | XENMEMF_node(3) |
                           XENMEMF_exact_node_request, g), 1);
    /* A width wider than the machine's is no limit. */
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, DOMID_SELF, 1, 0,
                           XENMEMF_address_bits(64), g + 1), 1);
    /* A narrow one is honoured: the lowest that can be had. */
    while ( mem_res_op(mem_u1, INC, DOMID_SELF, 1, 0,
                   XENMEMF_address_bits(bits), NULL) == 0 )
    {
        bits++;
        CU_ASSERT_FATAL(bits < 40);
    }
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, DEC, DOMID_SELF, 1, 0, 0, g + 1), 1);
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, POP, DOMID_SELF, 1, 0,
                           XENMEMF_address_bits(bits + 1), g + 1), 1);
    m = mem_mfn(mem_u1, 101, &t);
    CU_ASSERT_EQUAL(t, p2m_ram_rw);
    CU_ASSERT(mfn_x(m) < (1ULL << (bits + 1 - PAGE_SHIFT)));
}

static void test_decrease_reservation(void)
{
    static const uint64_t g[] = { 2, 3, 4 };
    mfn_t m2 = mem_mfn(mem_u1, 2, NULL);
    uint64_t in_use = domheap_pages_in_use();

    memset(arch_mfn_to_virt(m2), 0x77, PAGE_SIZE);
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, DEC, DOMID_SELF, 2, 0, 0, g), 2);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES - 2);
    ORR_ASSERT_EQ_U64(domheap_pages_in_use(), in_use - 2);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 2), p2m_invalid);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 3), p2m_invalid);
    CU_ASSERT_EQUAL(page_owner(mfn_to_page(m2)), PGO_FREE);
    CU_ASSERT_EQUAL(*(uint8_t *)arch_mfn_to_virt(m2), 0);   /* scrubbed */
    /* Order 1 at gfn 4 takes 4 and 5. */
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, DEC, DOMID_SELF, 1, 1, 0, g + 2), 1);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 5), p2m_invalid);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 6), p2m_ram_rw);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES - 4);
    mem_check_ownership();
}

static void test_decrease_of_unmapped_gfn_stops(void)
{
    static const uint64_t g[] = { 6, 50, 7 };
    static const uint64_t mmio[] = { 150 };
    static const uint64_t top[] = { P2M_MAX_GFN + 1 };
    static const uint64_t half[] = { 7 };   /* order 2: 7, then 8 (a hole) */

    CU_ASSERT_EQUAL(mem_res_op(mem_u1, DEC, DOMID_SELF, 3, 0, 0, g), 1);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 7), p2m_ram_rw);
    /* MMIO passed through is unmapped (Xen on x86); a grant mapping or
     * populate-on-demand entry is not the guest's to give back here. */
    CU_ASSERT_EQUAL(p2m_set_entry(mem_u1, _gfn(150), _mfn(0xfee00),
                                  p2m_mmio_direct, p2m_access_rw), 0);
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, DEC, DOMID_SELF, 1, 0, 0, mmio), 1);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 150), p2m_invalid);
    CU_ASSERT_EQUAL(p2m_set_entry(mem_u1, _gfn(150), mem_mfn(mem_d0, 1, NULL),
                                  p2m_grant_map_rw, p2m_access_rw), 0);
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, DEC, DOMID_SELF, 1, 0, 0, mmio), 0);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 150), p2m_grant_map_rw);
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, DEC, DOMID_SELF, 1, 0, 0, top), 0);
    /* An extent running into a hole gives back what came before it, but
     * does not count. */
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, DEC, DOMID_SELF, 1, 2, 0, half), 0);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 7), p2m_invalid);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES - 2);
}

/* A granted page given back by its owner lives until the grantee lets go. */
static void test_decrease_of_a_referenced_page(void)
{
    static const uint64_t g[] = { 5 };
    mfn_t m = mem_mfn(mem_u1, 5, NULL);
    struct page_info *pg = mfn_to_page(m);

    CU_ASSERT_TRUE_FATAL(get_page(pg, mem_u1));
    CU_ASSERT_EQUAL(mem_res_op(mem_u1, DEC, DOMID_SELF, 1, 0, 0, g), 1);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 5), p2m_invalid);
    CU_ASSERT_EQUAL(page_refcount(pg), 1);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES);
    put_page(pg);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES - 1);
}




CU_TestInfo reservation_tests[] = {
    ORR_CASE(test_increase_reservation),
    ORR_CASE(test_populate_physmap),
    ORR_CASE(test_populate_stops_at_a_mapped_gfn),
    ORR_CASE(test_populate_gfn_beyond_address_width),
    ORR_CASE(test_populate_past_max_pages),
    ORR_CASE(test_extent_order_limits),
    ORR_CASE(test_bad_reservation_pointer),
    ORR_CASE(test_bad_extent_list_pointer),
    ORR_CASE(test_foreign_domid),
    ORR_CASE(test_silo_policy_still_allows_self),
    ORR_CASE(test_mem_flags),
    ORR_CASE(test_decrease_reservation),
    ORR_CASE(test_decrease_of_unmapped_gfn_stops),
    ORR_CASE(test_decrease_of_a_referenced_page),
    CU_TEST_INFO_NULL,
};
