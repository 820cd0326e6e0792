/* SPDX-License-Identifier: MIT */
/*
 * copy_from_guest / copy_to_guest: every bad pointer is -EFAULT and
 * nothing is copied; good ones work across page boundaries.
 */
#include "hc_test.h"

#define PG PAGE_SIZE

static void test_copy_across_pages(void)
{
    struct vcpu *v = hc_u1->vcpu[0];
    uint8_t src[300], dst[300];
    unsigned int i;

    for ( i = 0; i < sizeof(src); i++ )
        src[i] = (uint8_t)(i * 7 + 1);
    CU_ASSERT_EQUAL(copy_to_guest(v, 3 * PG - 100, src, sizeof(src)), 0);
    CU_ASSERT_EQUAL(hc_guest_ptr(hc_u1, 3 * PG - 100)[0], src[0]);
    CU_ASSERT_EQUAL(hc_guest_ptr(hc_u1, 3 * PG)[0], src[100]);
    memset(dst, 0, sizeof(dst));
    CU_ASSERT_EQUAL(copy_from_guest(v, dst, 3 * PG - 100, sizeof(dst)), 0);
    CU_ASSERT_EQUAL(memcmp(src, dst, sizeof(src)), 0);
    CU_ASSERT_EQUAL(copy_to_guest(v, 0, src, 0), 0);
    CU_ASSERT_EQUAL(copy_from_guest(v, dst, ~0ULL, 0), 0);
}

static void test_unmapped_gfn(void)
{
    struct vcpu *v = hc_u1->vcpu[0];
    uint8_t b[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

    CU_ASSERT_EQUAL(copy_to_guest(v, HC_GFN_HOLE * PG, b, 8), -EFAULT);
    CU_ASSERT_EQUAL(copy_from_guest(v, b, HC_GFN_HOLE * PG, 8), -EFAULT);
    CU_ASSERT_EQUAL(copy_from_guest(v, b, 0x123456789000ULL, 8), -EFAULT);
}

/* A range that starts in RAM and runs off its end: nothing is written,
 * not even the part that was in RAM. */
static void test_range_crossing_end_of_ram(void)
{
    struct vcpu *v = hc_u1->vcpu[0];
    uint8_t src[64], dst[64];
    uint64_t last = HC_RAM_PAGES * PG - 32;
    uint8_t *g = hc_guest_ptr(hc_u1, last);

    memset(src, 0xab, sizeof(src));
    memset(g, 0x11, 32);
    /* RAM ends at HC_RAM_PAGES: the next frame is MMIO. */
    CU_ASSERT_EQUAL(copy_to_guest(v, last, src, sizeof(src)), -EFAULT);
    CU_ASSERT_EQUAL(g[0], 0x11);
    CU_ASSERT_EQUAL(g[31], 0x11);
    memset(dst, 0x5a, sizeof(dst));
    CU_ASSERT_EQUAL(copy_from_guest(v, dst, last, sizeof(dst)), -EFAULT);
    CU_ASSERT_EQUAL(dst[0], 0x5a);
    /* Up to the last byte of RAM is fine. */
    CU_ASSERT_EQUAL(copy_to_guest(v, last, src, 32), 0);
}

static void test_size_overflow(void)
{
    struct vcpu *v = hc_u1->vcpu[0];
    static uint8_t big[64];

    /* Wraps past 2^64 back into RAM at 0. */
    CU_ASSERT_EQUAL(copy_from_guest(v, big, ~0ULL - 7, 16), -EFAULT);
    CU_ASSERT_EQUAL(copy_to_guest(v, ~0ULL - 7, big, 16), -EFAULT);
    /* A size that wraps from a small address. */
    CU_ASSERT_EQUAL(copy_to_guest(v, 0x10, big, SIZE_MAX), -EFAULT);
    /* Past the top of guest-physical space. */
    CU_ASSERT_EQUAL(copy_from_guest(v, big, (P2M_MAX_GFN + 1) << 12, 1),
                    -EFAULT);
}

static void test_frame_kinds(void)
{
    struct vcpu *v = hc_u1->vcpu[0];
    uint8_t b[16] = { 0 };

    /* MMIO, foreign mappings, populate-on-demand: never. */
    CU_ASSERT_EQUAL(copy_from_guest(v, b, HC_GFN_MMIO * PG, 16), -EFAULT);
    CU_ASSERT_EQUAL(copy_to_guest(v, HC_GFN_MMIO * PG, b, 16), -EFAULT);
    CU_ASSERT_EQUAL(copy_from_guest(v, b, HC_GFN_FOREIGN * PG, 16),
                    -EFAULT);
    CU_ASSERT_EQUAL(copy_to_guest(v, HC_GFN_FOREIGN * PG, b, 16), -EFAULT);
    CU_ASSERT_EQUAL(copy_from_guest(v, b, HC_GFN_POD * PG, 16), -EFAULT);
    /* Grants: read-only ones read, never written. */
    CU_ASSERT_EQUAL(copy_from_guest(v, b, HC_GFN_GRANT_RO * PG, 16), 0);
    CU_ASSERT_EQUAL(copy_to_guest(v, HC_GFN_GRANT_RO * PG, b, 16), -EFAULT);
    CU_ASSERT_EQUAL(copy_to_guest(v, HC_GFN_GRANT_RW * PG, b, 16), 0);
    /* RAM whose p2m access is read-only. */
    CU_ASSERT_EQUAL(copy_from_guest(v, b, HC_GFN_RAM_RO * PG, 16), 0);
    CU_ASSERT_EQUAL(copy_to_guest(v, HC_GFN_RAM_RO * PG, b, 16), -EFAULT);
}

/* Writes go to the caller's own memory only: d0's frames are untouched
 * by u1 copies at the same guest addresses. */
static void test_other_domain_untouched(void)
{
    uint8_t b[16];
    uint8_t *d0 = hc_guest_ptr(hc_d0, 5 * PG);

    memset(d0, 0x77, 16);
    memset(b, 0x99, 16);
    CU_ASSERT_EQUAL(copy_to_guest(hc_u1->vcpu[0], 5 * PG, b, 16), 0);
    CU_ASSERT_EQUAL(d0[0], 0x77);
    CU_ASSERT_EQUAL(hc_guest_ptr(hc_u1, 5 * PG)[0], 0x99);
}

static void test_padded_copy(void)
{
    uint8_t *g = hc_guest_ptr(hc_u1, 0x40);

    memset(g, 0xee, 32);
    CU_ASSERT_EQUAL(copy_to_guest_padded(hc_u1->vcpu[0], 0x40, "abc", 3,
                                         16), 0);
    CU_ASSERT_EQUAL(memcmp(g, "abc\0\0\0\0\0\0\0\0\0\0\0\0\0", 16), 0);
    CU_ASSERT_EQUAL(g[16], 0xee);
    CU_ASSERT_EQUAL(copy_to_guest_padded(hc_u1->vcpu[0], 0x40, "abc", 4,
                                         3), -EINVAL);
}

CU_TestInfo guest_copy_tests[] = {
    ORR_CASE(test_copy_across_pages),
    ORR_CASE(test_unmapped_gfn),
    ORR_CASE(test_range_crossing_end_of_ram),
    ORR_CASE(test_size_overflow),
    ORR_CASE(test_frame_kinds),
    ORR_CASE(test_other_domain_untouched),
    ORR_CASE(test_padded_copy),
    CU_TEST_INFO_NULL,
};
