/* SPDX-License-Identifier: MIT */
/*
 * Hypercall buffers are linear addresses (guest_copy_linear.c): a Linux
 * PVH guest passes pointers into its own mappings, so its first
 * XENMEM_add_to_physmap(shared_info) failed with -EFAULT while handles
 * were taken as guest-physical. Here the sim platform gives vCPU 0 of u1
 * "page tables" that scatter linear pages over its RAM and refuse some,
 * and every copy helper must follow them page by page.
 */
#include <public/version.h>
#include <public/xen.h>

#include "hc_test.h"

#define PG PAGE_SIZE
#define LA 0xffff888000000000ULL        /* the guest's linear window */

/* Linear page i of the window -> guest frame map[i]; -1 refuses the
 * page, -2 allows it for reads only (a read-only mapping). */
static const int map[] = { 5, 2, 9, -1, 10, 11, -2, 21 };
#define RO_PAGE 6
#define RO_GFN  7

static int translate(struct vcpu *v, uint64_t la, bool write, uint64_t *gpa)
{
    uint64_t i = (la - LA) / PG;

    (void)v;
    if ( la < LA || i >= ARRAY_SIZE(map) || map[i] == -1 ||
         (map[i] == -2 && write) )
        return -EFAULT;
    *gpa = (uint64_t)(map[i] == -2 ? RO_GFN : map[i]) * PG + (la & (PG - 1));
    return 0;
}

static void with_tables(void)
{
    sim_guest_linear_set(translate);
}

static void without_tables(void)
{
    sim_guest_linear_set(NULL);
}

static uint8_t *frame(unsigned int gfn)
{
    return hc_guest_ptr(hc_u1, (uint64_t)gfn * PG);
}

/* Across linear pages 0 -> 1, i.e. from the end of gfn 5 to the start of
 * gfn 2, both ways. */
static void test_scattered_pages(void)
{
    struct vcpu *v = hc_u1->vcpu[0];
    uint8_t src[200], dst[200];

    for ( unsigned int i = 0; i < sizeof(src); i++ )
        src[i] = (uint8_t)(i + 3);
    with_tables();
    CU_ASSERT_EQUAL(copy_to_guest(v, LA + PG - 50, src, sizeof(src)), 0);
    CU_ASSERT_EQUAL(memcmp(frame(5) + PG - 50, src, 50), 0);
    CU_ASSERT_EQUAL(memcmp(frame(2), src + 50, 150), 0);
    memset(dst, 0, sizeof(dst));
    CU_ASSERT_EQUAL(copy_from_guest(v, dst, LA + PG - 50, sizeof(dst)), 0);
    CU_ASSERT_EQUAL(memcmp(dst, src, sizeof(src)), 0);
    /* Linear pages 4 and 5 are one guest-physical run (gfns 10, 11). */
    CU_ASSERT_EQUAL(copy_to_guest(v, 5 * PG + LA - 8, src, 16), 0);
    CU_ASSERT_EQUAL(memcmp(frame(10) + PG - 8, src, 8), 0);
    CU_ASSERT_EQUAL(memcmp(frame(11), src + 8, 8), 0);
    without_tables();
}

/* A range running into a page the tables refuse: -EFAULT, and nothing
 * written -- not even to the page that was mapped. */
static void test_refused_page(void)
{
    struct vcpu *v = hc_u1->vcpu[0];
    uint8_t src[64], dst[64];

    memset(src, 0xab, sizeof(src));
    memset(frame(9) + PG - 32, 0x11, 32);
    with_tables();
    CU_ASSERT_EQUAL(copy_to_guest(v, LA + 3 * PG - 32, src, sizeof(src)),
                    -EFAULT);
    CU_ASSERT_EQUAL(frame(9)[PG - 32], 0x11);
    CU_ASSERT_EQUAL(frame(9)[PG - 1], 0x11);
    memset(dst, 0x5a, sizeof(dst));
    CU_ASSERT_EQUAL(copy_from_guest(v, dst, LA + 3 * PG - 32, sizeof(dst)),
                    -EFAULT);
    CU_ASSERT_EQUAL(dst[0], 0x5a);
    /* Outside the window and wrapping past 2^64. */
    CU_ASSERT_EQUAL(copy_from_guest(v, dst, 0x1000, 8), -EFAULT);
    CU_ASSERT_EQUAL(copy_from_guest(v, dst, ~0ULL - 3, 8), -EFAULT);
    without_tables();
}

/* A read-only mapping: reads work, writes are -EFAULT and change
 * nothing. */
static void test_read_only_mapping(void)
{
    struct vcpu *v = hc_u1->vcpu[0];
    uint8_t b[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, r[8];

    memcpy(frame(RO_GFN) + 16, b, sizeof(b));
    with_tables();
    CU_ASSERT_EQUAL(copy_from_guest(v, r, LA + RO_PAGE * PG + 16, 8), 0);
    CU_ASSERT_EQUAL(memcmp(r, b, 8), 0);
    memset(r, 0x77, sizeof(r));
    CU_ASSERT_EQUAL(copy_to_guest(v, LA + RO_PAGE * PG + 16, r, 8), -EFAULT);
    CU_ASSERT_EQUAL(memcmp(frame(RO_GFN) + 16, b, 8), 0);
    /* The translation is right but the frame behind it is read-only in
     * the p2m (HC_GFN_RAM_RO): still -EFAULT. */
    CU_ASSERT_EQUAL(copy_to_guest(v, LA + 7 * PG, r, 8), -EFAULT);
    without_tables();
}

/* Padding zeroes reach the second, scattered page. */
static void test_padded_scattered(void)
{
    struct vcpu *v = hc_u1->vcpu[0];
    const char s[] = "abc";

    memset(frame(5) + PG - 4, 0xee, 4);
    memset(frame(2), 0xee, 8);
    with_tables();
    CU_ASSERT_EQUAL(copy_to_guest_padded(v, LA + PG - 4, s, 3, 12), 0);
    CU_ASSERT_EQUAL(memcmp(frame(5) + PG - 4, "abc\0", 4), 0);
    for ( unsigned int i = 0; i < 8; i++ )
        CU_ASSERT_EQUAL(frame(2)[i], 0);
    CU_ASSERT_EQUAL(copy_to_guest_padded(v, LA, s, 4, 3), -EINVAL);
    without_tables();
}

/* Through the hypercall entry path: XENVER_extraversion into a buffer
 * across the scattered boundary, as a guest kernel's stack buffer may
 * be. */
static void test_hypercall_buffer(void)
{
    uint8_t expect[sizeof(xen_extraversion_t)];

    CU_ASSERT_EQUAL(hc_call(hc_u1, __HYPERVISOR_xen_version,
                            XENVER_extraversion, 12 * PG, 0), 0);
    memcpy(expect, frame(12), sizeof(expect));
    memset(frame(5) + PG - 8, 0xee, 8);
    memset(frame(2), 0xee, sizeof(expect));
    with_tables();
    CU_ASSERT_EQUAL(hc_call(hc_u1, __HYPERVISOR_xen_version,
                            XENVER_extraversion, LA + PG - 8, 0), 0);
    CU_ASSERT_EQUAL(memcmp(frame(5) + PG - 8, expect, 8), 0);
    CU_ASSERT_EQUAL(memcmp(frame(2), expect + 8, sizeof(expect) - 8), 0);
    /* A buffer the tables refuse: -EFAULT, as a guest-physical hole. */
    CU_ASSERT_EQUAL(hc_call(hc_u1, __HYPERVISOR_xen_version,
                            XENVER_extraversion, LA + 3 * PG, 0), -EFAULT);
    without_tables();
}

static mfn_t mfn_of(unsigned int gfn)
{
    struct p2m_entry e;

    p2m_get_entry(hc_u1, _gfn(gfn), &e);
    return e.mfn;
}

/* The batch helpers (grant copy's chunks) follow the tables too: a chunk
 * across linear pages 0 -> 1 is the end of gfn 5 and the start of gfn 2,
 * and its frames are those two. */
static void test_batch_helpers_scattered(void)
{
    struct vcpu *v = hc_u1->vcpu[0];
    static const uint16_t st[4] = { 0x1111, 0x2222, 0x3333, 0x4444 };
    uint8_t dst[120];
    mfn_t f[2];

    for ( unsigned int i = 0; i < 60; i++ )
    {
        frame(5)[PG - 60 + i] = (uint8_t)i;
        frame(2)[i] = (uint8_t)(60 + i);
    }
    with_tables();
    CU_ASSERT_EQUAL(copy_from_guest_inout(v, dst, LA + PG - 60, 120, f), 0);
    for ( unsigned int i = 0; i < 120; i++ )
        CU_ASSERT_EQUAL(dst[i], i);
    ORR_ASSERT_EQ_U64(mfn_x(f[0]), mfn_x(mfn_of(5)));
    ORR_ASSERT_EQ_U64(mfn_x(f[1]), mfn_x(mfn_of(2)));
    /* Fields 40 apart from 60 before the boundary: at 5:-60, 5:-20,
     * 2:+20, 2:+60. */
    CU_ASSERT_EQUAL(copy_to_guest_fields(v, LA + PG - 60, 40, st, 2, 4), 0);
    CU_ASSERT_EQUAL(frame(5)[PG - 60], 0x11);
    CU_ASSERT_EQUAL(frame(5)[PG - 20], 0x22);
    CU_ASSERT_EQUAL(frame(2)[20], 0x33);
    CU_ASSERT_EQUAL(frame(2)[61], 0x44);
    CU_ASSERT_EQUAL(frame(2)[22], 22 + 60);     /* between fields */
    /* A page the tables refuse, or map read-only: -EFAULT. */
    CU_ASSERT_EQUAL(copy_from_guest_inout(v, dst, LA + 3 * PG - 8, 16, f),
                    -EFAULT);
    CU_ASSERT_EQUAL(copy_from_guest_inout(v, dst, LA + RO_PAGE * PG, 16, f),
                    -EFAULT);
    frame(RO_GFN)[0] = 0xee;
    CU_ASSERT_EQUAL(copy_to_guest_fields(v, LA + RO_PAGE * PG, 40, st, 2, 2),
                    -EFAULT);
    CU_ASSERT_EQUAL(frame(RO_GFN)[0], 0xee);
    without_tables();
}

CU_TestInfo guest_copy_linear_tests[] = {
    ORR_CASE(test_scattered_pages),
    ORR_CASE(test_refused_page),
    ORR_CASE(test_read_only_mapping),
    ORR_CASE(test_padded_scattered),
    ORR_CASE(test_hypercall_buffer),
    ORR_CASE(test_batch_helpers_scattered),
    CU_TEST_INFO_NULL,
};
