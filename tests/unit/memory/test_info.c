/* SPDX-License-Identifier: MIT */
/* The informational subops, the memory map, and what memory_op refuses. */
#include "mem_test.h"

static int64_t ask(struct domain *caller, unsigned int op, domid_t domid)
{
    memcpy(mem_ptr(caller, MEM_ARG), &domid, sizeof(domid));
    return mem_op(caller, op, MEM_ARG, NULL);
}

static void test_current_and_maximum_reservation(void)
{
    static const uint64_t g[] = { 1000 };

    CU_ASSERT_EQUAL(ask(mem_u1, XENMEM_current_reservation, DOMID_SELF),
                    MEM_RAM_PAGES);
    CU_ASSERT_EQUAL(ask(mem_u1, XENMEM_maximum_reservation, DOMID_SELF),
                    MEM_MAX_PAGES);
    CU_ASSERT_EQUAL(ask(mem_u1, XENMEM_maximum_gpfn, DOMID_SELF),
                    MEM_RAM_PAGES - 1);
    mem_reservation(mem_u1, DOMID_SELF, 1, 0, 0, g);
    CU_ASSERT_EQUAL(mem_op(mem_u1, XENMEM_populate_physmap, MEM_ARG, NULL),
                    1);
    CU_ASSERT_EQUAL(ask(mem_u1, XENMEM_current_reservation,
                        mem_u1->domain_id), MEM_RAM_PAGES + 1);
    CU_ASSERT_EQUAL(ask(mem_u1, XENMEM_maximum_gpfn, DOMID_SELF), 1000);
    /* The control domain may ask about anyone; a domU only itself. */
    CU_ASSERT_EQUAL(ask(mem_d0, XENMEM_current_reservation,
                        mem_u1->domain_id), MEM_RAM_PAGES + 1);
    CU_ASSERT_EQUAL(ask(mem_u2, XENMEM_current_reservation,
                        mem_u1->domain_id), -EPERM);
    CU_ASSERT_EQUAL(ask(mem_u2, XENMEM_maximum_reservation,
                        mem_d0->domain_id), -EPERM);
    CU_ASSERT_EQUAL(ask(mem_u2, XENMEM_maximum_gpfn, mem_u1->domain_id),
                    -EPERM);
    CU_ASSERT_EQUAL(ask(mem_d0, XENMEM_current_reservation, 4000), -ESRCH);
    CU_ASSERT_EQUAL(ask(mem_d0, XENMEM_current_reservation, DOMID_IO),
                    -ESRCH);
    /* A bad pointer, and a resume point these subops never use. */
    CU_ASSERT_EQUAL(mem_op(mem_u1, XENMEM_current_reservation,
                           MEM_HOLE_GADDR, NULL), -EFAULT);
    CU_ASSERT_EQUAL(mem_op1(mem_u1, XENMEM_current_reservation |
                            (1 << MEMOP_EXTENT_SHIFT), MEM_ARG, NULL),
                    -EINVAL);
}

static void test_maximum_ram_page(void)
{
    struct page_alloc_stats st;

    page_alloc_stats(&st);
    CU_ASSERT(st.max_page > 0);
    CU_ASSERT_EQUAL(mem_op(mem_u1, XENMEM_maximum_ram_page, 0, NULL),
                    (int64_t)st.max_page);
    CU_ASSERT_EQUAL(mem_op1(mem_u1, XENMEM_maximum_ram_page |
                            (1 << MEMOP_EXTENT_SHIFT), 0, NULL), -EINVAL);
}

static void set_map(struct domain *d)
{
    static const struct memmap_entry e[3] = {
        { .addr = 0, .size = 0x9f000, .type = MEMMAP_RAM },
        { .addr = 0xf0000, .size = 0x10000, .type = MEMMAP_RESERVED },
        { .addr = 0x100000, .size = 0x3f00000, .type = MEMMAP_RAM },
    };

    CU_ASSERT_EQUAL_FATAL(domain_set_memory_map(d, e, 3), 0);
}

static int64_t get_map(struct domain *d, uint32_t room, uint64_t buffer)
{
    struct xen_memory_map m = { .nr_entries = room, .buffer = buffer };

    memcpy(mem_ptr(d, MEM_ARG), &m, sizeof(m));
    return mem_op(d, XENMEM_memory_map, MEM_ARG, NULL);
}

static uint32_t nr_back(struct domain *d)
{
    return ((struct xen_memory_map *)mem_ptr(d, MEM_ARG))->nr_entries;
}

static void test_memory_map(void)
{
    struct xen_e820_entry *out = mem_ptr(mem_u1, MEM_LIST);

    /* None set: -ENOSYS, as Xen answers a domain without one. */
    CU_ASSERT_EQUAL(get_map(mem_u1, 8, MEM_LIST), -ENOSYS);
    set_map(mem_u1);
    memset(out, 0xee, 8 * sizeof(*out));
    CU_ASSERT_EQUAL(get_map(mem_u1, 8, MEM_LIST), 0);
    CU_ASSERT_EQUAL(nr_back(mem_u1), 3);
    ORR_ASSERT_EQ_U64(out[0].size, 0x9f000);
    CU_ASSERT_EQUAL(out[1].type, MEMMAP_RESERVED);
    ORR_ASSERT_EQ_U64(out[2].addr, 0x100000);
    ORR_ASSERT_EQ_U64(out[2].size, 0x3f00000);
    CU_ASSERT_EQUAL(out[2].type, MEMMAP_RAM);
    CU_ASSERT_EQUAL(((uint8_t *)out)[3 * 20], 0xee);   /* 20-byte entries */
    /* Room for fewer: that many, and no byte more. */
    memset(out, 0xee, 8 * sizeof(*out));
    CU_ASSERT_EQUAL(get_map(mem_u1, 2, MEM_LIST), 0);
    CU_ASSERT_EQUAL(nr_back(mem_u1), 2);
    CU_ASSERT_EQUAL(out[1].type, MEMMAP_RESERVED);
    CU_ASSERT_EQUAL(((uint8_t *)out)[2 * 20], 0xee);
    CU_ASSERT_EQUAL(get_map(mem_u1, 0, MEM_HOLE_GADDR), 0);
    CU_ASSERT_EQUAL(nr_back(mem_u1), 0);
    /* Each domain sees its own. */
    CU_ASSERT_EQUAL(get_map(mem_u2, 8, MEM_LIST), -ENOSYS);
}

static void test_memory_map_bad_pointers(void)
{
    set_map(mem_u1);
    CU_ASSERT_EQUAL(mem_op(mem_u1, XENMEM_memory_map, MEM_HOLE_GADDR, NULL),
                    -EFAULT);
    CU_ASSERT_EQUAL(get_map(mem_u1, 3, MEM_HOLE_GADDR), -EFAULT);
    /* A buffer running off the end of RAM. */
    CU_ASSERT_EQUAL(get_map(mem_u1, 3, (MEM_RAM_PAGES << PAGE_SHIFT) - 40),
                    -EFAULT);
    CU_ASSERT_EQUAL(nr_back(mem_u1), 3);    /* untouched */
    /* The struct itself read-only to the hypervisor: written back fails. */
    {
        struct xen_memory_map m = { .nr_entries = 1, .buffer = MEM_LIST };
        mfn_t ro = alloc_pages(0, MEMF_ZERO);

        memcpy(arch_mfn_to_virt(ro), &m, sizeof(m));
        CU_ASSERT_EQUAL(p2m_set_entry(mem_u1, _gfn(0x300), ro, p2m_ram_rw,
                                      p2m_access_r), 0);
        CU_ASSERT_EQUAL(mem_op(mem_u1, XENMEM_memory_map, 0x300 << PAGE_SHIFT,
                               NULL), -EFAULT);
    }
}

static void test_unimplemented_subops(void)
{
    static const unsigned int ops[] = {
        5, 8, 10, 11, XENMEM_machphys_mapping, 13, 16, 20,
        XENMEM_acquire_resource, MEMOP_CMD_MASK,
    };
    unsigned int i, t;

    for ( i = 0; i < ARRAY_SIZE(ops); i++ )
        CU_ASSERT_EQUAL(mem_op(mem_u1, ops[i], MEM_ARG, NULL), -ENOSYS);
    for ( t = 0; t < ORR_GUEST_TYPES; t++ )
        CU_ASSERT_TRUE(hypercall_allowed(t, __HYPERVISOR_memory_op));
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES);
}

CU_TestInfo info_tests[] = {
    ORR_CASE(test_current_and_maximum_reservation),
    ORR_CASE(test_maximum_ram_page),
    ORR_CASE(test_memory_map),
    ORR_CASE(test_memory_map_bad_pointers),
    ORR_CASE(test_unimplemented_subops),
    CU_TEST_INFO_NULL,
};
