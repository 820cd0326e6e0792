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

static mfn_t frame_of(uint64_t gfn)
{
    struct p2m_entry e;

    p2m_get_entry(hc_u1, _gfn(gfn), &e);
    return e.mfn;
}

/* An in/out array (grant copy's chunks): read only if every frame is
 * writable too, and the frames of its first and last page come back. */
static void test_inout_read(void)
{
    struct vcpu *v = hc_u1->vcpu[0];
    uint8_t dst[300];
    mfn_t f[2];
    unsigned int i;

    for ( i = 0; i < sizeof(dst); i++ )
        hc_guest_ptr(hc_u1, 3 * PG - 100)[i] = (uint8_t)(i + 3);
    CU_ASSERT_EQUAL(copy_from_guest_inout(v, dst, 3 * PG - 100, 300, f), 0);
    CU_ASSERT_EQUAL(dst[0], 3);
    CU_ASSERT_EQUAL(dst[299], (uint8_t)(299 + 3));
    ORR_ASSERT_EQ_U64(mfn_x(f[0]), mfn_x(frame_of(2)));
    ORR_ASSERT_EQ_U64(mfn_x(f[1]), mfn_x(frame_of(3)));
    CU_ASSERT_EQUAL(copy_from_guest_inout(v, dst, 3 * PG, 300, f), 0);
    ORR_ASSERT_EQ_U64(mfn_x(f[0]), mfn_x(frame_of(3)));
    ORR_ASSERT_EQ_U64(mfn_x(f[1]), mfn_x(frame_of(3)));

    /* Readable but not writable: refused, nothing read. */
    memset(dst, 0x5a, sizeof(dst));
    CU_ASSERT_EQUAL(copy_from_guest_inout(v, dst, HC_GFN_GRANT_RO * PG, 16,
                                          f), -EFAULT);
    CU_ASSERT_EQUAL(copy_from_guest_inout(v, dst, HC_GFN_RAM_RO * PG - 8,
                                          16, f), -EFAULT);
    CU_ASSERT_EQUAL(dst[0], 0x5a);
    /* Off the end of RAM, into a hole, wrapping. */
    CU_ASSERT_EQUAL(copy_from_guest_inout(v, dst, HC_RAM_PAGES * PG - 8, 16,
                                          f), -EFAULT);
    CU_ASSERT_EQUAL(copy_from_guest_inout(v, dst, HC_GFN_HOLE * PG, 16, f),
                    -EFAULT);
    CU_ASSERT_EQUAL(copy_from_guest_inout(v, dst, ~0ULL - 7, 16, f),
                    -EFAULT);
    CU_ASSERT_EQUAL(dst[0], 0x5a);
    /* At most a page, and something. */
    CU_ASSERT_EQUAL(copy_from_guest_inout(v, dst, 0, PG + 1, f), -EINVAL);
    CU_ASSERT_EQUAL(copy_from_guest_inout(v, dst, 0, 0, f), -EINVAL);
}

/* Fields @stride apart (grant copy statuses): only their bytes are
 * written, one may straddle two pages. */
static void test_fields_write(void)
{
    struct vcpu *v = hc_u1->vcpu[0];
    static const uint16_t st[5] = { 0x1111, 0x2222, 0x3333, 0x4444, 0x5555 };
    uint64_t at = 2 * PG - 81;      /* field 2 straddles gfn 1 / gfn 2 */
    uint8_t *g = hc_guest_ptr(hc_u1, at - 8);
    uint8_t *g2 = hc_guest_ptr(hc_u1, 2 * PG);
    unsigned int i;

    memset(g, 0xee, 8 + 81);
    memset(g2, 0xee, 200);
    CU_ASSERT_EQUAL(copy_to_guest_fields(v, at, 40, st, 2, 5), 0);
    for ( i = 0; i < 5; i++ )
    {
        uint64_t a = at + 40 * i;
        uint8_t lo = *hc_guest_ptr(hc_u1, a), hi = *hc_guest_ptr(hc_u1, a + 1);

        CU_ASSERT_EQUAL(lo | (hi << 8), st[i]);
        /* The bytes between fields are untouched. */
        CU_ASSERT_EQUAL(*hc_guest_ptr(hc_u1, a + 2), 0xee);
        CU_ASSERT_EQUAL(*hc_guest_ptr(hc_u1, a - 1), 0xee);
    }
    CU_ASSERT_EQUAL(copy_to_guest_fields(v, at, 40, st, 2, 0), 0);
}

/* A field in memory the guest may not have written: -EFAULT and no
 * field is written, not even those before it. */
static void test_fields_bad(void)
{
    struct vcpu *v = hc_u1->vcpu[0];
    static const uint16_t st[3] = { 0x1111, 0x2222, 0x3333 };
    uint64_t end = HC_RAM_PAGES * PG;
    uint8_t *g = hc_guest_ptr(hc_u1, end - 50);

    memset(g, 0xee, 50);
    /* The third field is past the end of RAM (MMIO). */
    CU_ASSERT_EQUAL(copy_to_guest_fields(v, end - 50, 40, st, 2, 3),
                    -EFAULT);
    CU_ASSERT_EQUAL(g[0], 0xee);
    CU_ASSERT_EQUAL(g[40], 0xee);
    /* RAM the guest may only read. */
    memset(hc_guest_ptr(hc_u1, HC_GFN_RAM_RO * PG), 0xee, 80);
    CU_ASSERT_EQUAL(copy_to_guest_fields(v, HC_GFN_RAM_RO * PG, 40, st, 2,
                                         2), -EFAULT);
    CU_ASSERT_EQUAL(*hc_guest_ptr(hc_u1, HC_GFN_RAM_RO * PG), 0xee);
    /* A read-only grant, a hole; wrapping past 2^64; past the top of
     * guest-physical space. */
    CU_ASSERT_EQUAL(copy_to_guest_fields(v, HC_GFN_GRANT_RO * PG, 40, st,
                                         2, 3), -EFAULT);
    CU_ASSERT_EQUAL(copy_to_guest_fields(v, HC_GFN_HOLE * PG, 40, st, 2, 1),
                    -EFAULT);
    CU_ASSERT_EQUAL(copy_to_guest_fields(v, ~0ULL - 80, 40, st, 2, 3),
                    -EFAULT);
    CU_ASSERT_EQUAL(copy_to_guest_fields(v, ((P2M_MAX_GFN + 1) << 12) - 50,
                                         40, st, 2, 3), -EFAULT);
    /* Fields wider than their stride, or more than a page's worth. */
    CU_ASSERT_EQUAL(copy_to_guest_fields(v, 0, 1, st, 2, 3), -EINVAL);
    CU_ASSERT_EQUAL(copy_to_guest_fields(v, 0, 1ULL << 62, st, 2, 3),
                    -EINVAL);
    CU_ASSERT_EQUAL(copy_to_guest_fields(v, 0, 40, st, 2, PG / 40 + 1),
                    -EINVAL);
    CU_ASSERT_EQUAL(copy_to_guest_fields(v, 0, PG, st, 2, 2), -EINVAL);
}

CU_TestInfo guest_copy_tests[] = {
    ORR_CASE(test_inout_read),
    ORR_CASE(test_fields_write),
    ORR_CASE(test_fields_bad),
    ORR_CASE(test_copy_across_pages),
    ORR_CASE(test_unmapped_gfn),
    ORR_CASE(test_range_crossing_end_of_ram),
    ORR_CASE(test_size_overflow),
    ORR_CASE(test_frame_kinds),
    ORR_CASE(test_other_domain_untouched),
    ORR_CASE(test_padded_copy),
    CU_TEST_INFO_NULL,
};
