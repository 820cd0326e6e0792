/* SPDX-License-Identifier: MIT */
/* xen_version: every subop, whole output buffers, bad pointers. */
#include <public/version.h>

#include "hc_test.h"

#define BUF 0x2000      /* a guest address in RAM for output */

static int64_t ver(struct domain *d, unsigned int cmd, uint64_t arg)
{
    return hc_call(d, __HYPERVISOR_xen_version, cmd, arg, 0);
}

/* Pre-fill @size + 16 guest bytes with junk, to see what is written. */
static uint8_t *poison(size_t size)
{
    uint8_t *g = hc_guest_ptr(hc_u1, BUF);

    memset(g, 0xcc, size + 16);
    return g;
}

/* Exactly @size bytes were written: a string, then zeroes only. */
static void assert_string_buffer(const uint8_t *g, size_t size,
                                 const char *want)
{
    size_t n = strlen(want), i;

    ORR_ASSERT_STREQ((const char *)g, want);
    for ( i = n; i < size; i++ )
        if ( g[i] != 0 )
        {
            CU_FAIL("stale byte in the output buffer");
            break;
        }
    CU_ASSERT_EQUAL(g[size], 0xcc);     /* and not one byte more */
}

static void test_version_and_pagesize(void)
{
    CU_ASSERT_EQUAL(ver(hc_u1, XENVER_version, 0), (4 << 16) | 18);
    CU_ASSERT_EQUAL(ver(hc_u1, XENVER_pagesize, 0), 4096);
}

static void test_strings_fill_their_buffers(void)
{
    uint8_t *g;

    g = poison(16);
    CU_ASSERT_EQUAL(ver(hc_u1, XENVER_extraversion, BUF), 0);
    assert_string_buffer(g, 16, "-orrery");

    g = poison(1024);
    CU_ASSERT_EQUAL(ver(hc_u1, XENVER_capabilities, BUF), 0);
    assert_string_buffer(g, 1024,
                         "hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 ");

    g = poison(64);
    CU_ASSERT_EQUAL(ver(hc_u1, XENVER_changeset, BUF), 0);
    ORR_ASSERT_CONTAINS((const char *)g, "orrery ");
    assert_string_buffer(g, 64, (const char *)g);

    g = poison(16);
    CU_ASSERT_EQUAL(ver(hc_u1, XENVER_guest_handle, BUF), 0);
    assert_string_buffer(g, 16, "");

    g = poison(8);
    CU_ASSERT_EQUAL(ver(hc_u1, XENVER_platform_parameters, BUF), 0);
    assert_string_buffer(g, 8, "");
}

static void test_compile_info(void)
{
    uint8_t *g = poison(sizeof(struct xen_compile_info));
    struct xen_compile_info *ci = (struct xen_compile_info *)g;

    CU_ASSERT_EQUAL(ver(hc_u1, XENVER_compile_info, BUF), 0);
    CU_ASSERT(strlen(ci->compiler) > 0);
    ORR_ASSERT_STREQ(ci->compile_by, "orrery");
    /* Each field is NUL-padded to its end; nothing after the struct. */
    CU_ASSERT_EQUAL(memcmp(ci->compile_by, "orrery\0\0\0\0\0\0\0\0\0", 16),
                    0);
    CU_ASSERT_EQUAL(memcmp(ci->compile_domain, (char[32]){ 0 }, 32), 0);
    CU_ASSERT_EQUAL(ci->compiler[63], 0);
    CU_ASSERT_EQUAL(ci->compile_date[31], 0);
    CU_ASSERT_EQUAL(g[sizeof(*ci)], 0xcc);
}

static void test_features_per_guest_type(void)
{
    struct xen_feature_info *fi =
        (struct xen_feature_info *)hc_guest_ptr(hc_u1, BUF);
    struct xen_feature_info *fi0 =
        (struct xen_feature_info *)hc_guest_ptr(hc_d0, BUF);
    uint32_t want = (1U << XENFEAT_writable_page_tables) |
                    (1U << XENFEAT_auto_translated_physmap) |
                    (1U << XENFEAT_hvm_callback_vector) |
                    (1U << XENFEAT_hvm_safe_pvclock) |
                    (1U << XENFEAT_memory_op_vnode_supported) |
                    (1U << XENFEAT_not_direct_mapped) |
                    (1U << XENFEAT_runstate_phys_area) |
                    (1U << XENFEAT_vcpu_time_phys_area);

    fi->submap_idx = 0;
    fi->submap = 0xdeadbeef;
    CU_ASSERT_EQUAL(ver(hc_u1, XENVER_get_features, BUF), 0);
    CU_ASSERT_EQUAL(fi->submap, want);
    fi0->submap_idx = 0;
    CU_ASSERT_EQUAL(ver(hc_d0, XENVER_get_features, BUF), 0);
    CU_ASSERT_EQUAL(fi0->submap, want | (1U << XENFEAT_dom0));

    hc_u1->guest_type = ORR_GUEST_ARM;
    CU_ASSERT_EQUAL(ver(hc_u1, XENVER_get_features, BUF), 0);
    CU_ASSERT_EQUAL(fi->submap, (1U << XENFEAT_auto_translated_physmap) |
                                (1U << XENFEAT_not_direct_mapped));
    hc_u1->guest_type = ORR_GUEST_PVH;

    /* Only one submap exists. */
    fi->submap_idx = 1;
    fi->submap = 0x1234;
    CU_ASSERT_EQUAL(ver(hc_u1, XENVER_get_features, BUF), -EINVAL);
    CU_ASSERT_EQUAL(fi->submap, 0x1234);
}

static void test_privileged_subops(void)
{
    uint8_t *g = hc_guest_ptr(hc_d0, BUF);

    CU_ASSERT_EQUAL(ver(hc_u1, XENVER_commandline, BUF), -EPERM);
    CU_ASSERT_EQUAL(ver(hc_u1, XENVER_build_id, BUF), -EPERM);
    memset(g, 0xcc, 1024);
    CU_ASSERT_EQUAL(ver(hc_d0, XENVER_commandline, BUF), 0);
    CU_ASSERT_EQUAL(g[1023], 0);
    CU_ASSERT_EQUAL(ver(hc_d0, XENVER_build_id, BUF), -ENODATA);
}

static void test_bad_input(void)
{
    CU_ASSERT_EQUAL(ver(hc_u1, 99, BUF), -EPERM);   /* unknown: priv */
    CU_ASSERT_EQUAL(ver(hc_d0, 99, BUF), -ENOSYS);
    CU_ASSERT_EQUAL(hc_call(hc_u1, __HYPERVISOR_xen_version, 1ULL << 32, 0,
                            0), -ENOSYS);
    /* Output into a hole, MMIO, or read-only memory: -EFAULT. */
    CU_ASSERT_EQUAL(ver(hc_u1, XENVER_extraversion, HC_GFN_HOLE * PAGE_SIZE),
                    -EFAULT);
    CU_ASSERT_EQUAL(ver(hc_u1, XENVER_capabilities,
                        HC_GFN_MMIO * PAGE_SIZE), -EFAULT);
    CU_ASSERT_EQUAL(ver(hc_u1, XENVER_compile_info,
                        HC_GFN_GRANT_RO * PAGE_SIZE), -EFAULT);
    /* A buffer running off the end of RAM. */
    CU_ASSERT_EQUAL(ver(hc_u1, XENVER_capabilities,
                        HC_RAM_PAGES * PAGE_SIZE - 512), -EFAULT);
    CU_ASSERT_EQUAL(ver(hc_u1, XENVER_get_features, ~0ULL - 3), -EFAULT);
}

CU_TestInfo xen_version_tests[] = {
    ORR_CASE(test_version_and_pagesize),
    ORR_CASE(test_strings_fill_their_buffers),
    ORR_CASE(test_compile_info),
    ORR_CASE(test_features_per_guest_type),
    ORR_CASE(test_privileged_subops),
    ORR_CASE(test_bad_input),
    CU_TEST_INFO_NULL,
};
