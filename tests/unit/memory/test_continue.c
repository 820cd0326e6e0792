/* SPDX-License-Identifier: MIT */
/*
 * Continuations: long memory_op calls give the CPU back and are
 * re-entered with the progress in the command's bits above
 * MEMOP_EXTENT_SHIFT; forged resume points are answered as Xen does.
 */
#include "mem_test.h"

#define INC XENMEM_increase_reservation
#define DEC XENMEM_decrease_reservation
#define POP XENMEM_populate_physmap
#define ADD XENMEM_add_to_physmap

static void test_resume_point_rules(void)
{
    static const uint64_t g[] = { 100, 101, 102 };

    /* A resume point at or past the end: nothing more to do. */
    mem_reservation(mem_u1, DOMID_SELF, 3, 0, 0, g);
    CU_ASSERT_EQUAL(mem_op1(mem_u1, POP | (3 << MEMOP_EXTENT_SHIFT), MEM_ARG,
                            NULL), 3);
    CU_ASSERT_EQUAL(mem_op1(mem_u1, POP | (9ULL << MEMOP_EXTENT_SHIFT),
                            MEM_ARG, NULL), 9);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 100), p2m_invalid);
    /* Resuming at 2 does only the last extent, and counts from 0. */
    CU_ASSERT_EQUAL(mem_op1(mem_u1, POP | (2 << MEMOP_EXTENT_SHIFT), MEM_ARG,
                            NULL), 3);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 101), p2m_invalid);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 102), p2m_ram_rw);
    /* More extents than a continuation can count: refused outright. */
    {
        struct xen_memory_reservation res = {
            .extent_start = MEM_LIST, .nr_extents = 1ULL << 26,
            .domid = DOMID_SELF,
        };

        memcpy(mem_ptr(mem_u1, MEM_ARG), &res, sizeof(res));
        CU_ASSERT_EQUAL(mem_op(mem_u1, INC, MEM_ARG, NULL), 0);
        ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES + 1);
    }
}

/*
 * A long populate_physmap continues: with a budget of one preemption
 * check per entry, each entry does two extents, leaves the done count in
 * the command's upper bits and asks to be re-entered.
 */
static void test_populate_continues(void)
{
    uint64_t gfns[10];
    struct hypercall_regs r;
    unsigned int i, entries = 0;

    for ( i = 0; i < 10; i++ )
        gfns[i] = 500 + 3 * i;
    mem_reservation(mem_u1, DOMID_SELF, 10, 0, 0, gfns);
    hypercall_set_budget(1);
    CU_ASSERT_EQUAL(mem_op1(mem_u1, POP, MEM_ARG, &r), 0);
    CU_ASSERT_TRUE(r.restart);
    ORR_ASSERT_EQ_U64(r.args[0], POP | (2 << MEMOP_EXTENT_SHIFT));
    ORR_ASSERT_EQ_U64(r.args[1], MEM_ARG);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 503), p2m_ram_rw);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 506), p2m_invalid);
    do
    {
        hypercall_dispatch(mem_u1->vcpu[0], &r);
        entries++;
        CU_ASSERT_FATAL(entries < 10);
    } while ( r.restart );
    CU_ASSERT_EQUAL(entries, 4);
    CU_ASSERT_EQUAL(r.ret, 10);
    for ( i = 0; i < 10; i++ )
        CU_ASSERT_EQUAL(mem_type_at(mem_u1, gfns[i]), p2m_ram_rw);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES + 10);
}

/* The same for every reservation subop at the default budget. */
static void test_long_calls_continue(void)
{
    uint64_t gfns[600];
    unsigned int i, entries;

    mem_u1->max_pages = 2048;
    for ( i = 0; i < 600; i++ )
        gfns[i] = 0x2000 + i;
    mem_reservation(mem_u1, DOMID_SELF, 600, 0, 0, gfns);
    CU_ASSERT_EQUAL(mem_op(mem_u1, POP, MEM_ARG, &entries), 600);
    CU_ASSERT(entries > 1);
    ORR_ASSERT_EQ_U64(p2m_count(mem_u1, p2m_ram_rw), MEM_RAM_PAGES + 600);
    CU_ASSERT_EQUAL(mem_op(mem_u1, DEC, MEM_ARG, &entries), 600);
    CU_ASSERT(entries > 1);
    CU_ASSERT_EQUAL(mem_op(mem_u1, INC, MEM_ARG, &entries), 600);
    CU_ASSERT(entries > 1);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES + 600);
    ORR_ASSERT_EQ_U64(p2m_count(mem_u1, p2m_ram_rw), MEM_RAM_PAGES);
}

/* gmfn_range continues: the pages done go in the command's upper bits. */
static void test_gmfn_range_continues(void)
{
    struct xen_add_to_physmap x = {
        .domid = DOMID_SELF, .size = 5, .space = XENMAPSPACE_gmfn_range,
        .idx = 2, .gpfn = 0x500,
    };
    struct hypercall_regs r;
    unsigned int entries = 1, i;

    memcpy(mem_ptr(mem_u1, MEM_ARG), &x, sizeof(x));
    hypercall_set_budget(1);
    CU_ASSERT_EQUAL(mem_op1(mem_u1, ADD, MEM_ARG, &r), 0);
    CU_ASSERT_TRUE(r.restart);
    ORR_ASSERT_EQ_U64(r.args[0], ADD | (2 << MEMOP_EXTENT_SHIFT));
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 0x501), p2m_ram_rw);
    CU_ASSERT_EQUAL(mem_type_at(mem_u1, 0x502), p2m_invalid);
    while ( r.restart )
    {
        hypercall_dispatch(mem_u1->vcpu[0], &r);
        entries++;
        CU_ASSERT_FATAL(entries < 10);
    }
    CU_ASSERT_EQUAL(r.ret, 0);
    CU_ASSERT_EQUAL(entries, 3);
    for ( i = 0; i < 5; i++ )
        CU_ASSERT_EQUAL(mem_type_at(mem_u1, 0x500 + i), p2m_ram_rw);
    /* A resume point past the size is a forged continuation. */
    x.size = 3;
    memcpy(mem_ptr(mem_u1, MEM_ARG), &x, sizeof(x));
    CU_ASSERT_EQUAL(mem_op1(mem_u1, ADD | (9 << MEMOP_EXTENT_SHIFT), MEM_ARG,
                            &r), -EILSEQ);
}

CU_TestInfo continuation_tests[] = {
    ORR_CASE(test_resume_point_rules),
    ORR_CASE(test_populate_continues),
    ORR_CASE(test_long_calls_continue),
    ORR_CASE(test_gmfn_range_continues),
    CU_TEST_INFO_NULL,
};
