/* SPDX-License-Identifier: MIT */
/*
 * Reads the nested tables as the processor walks them (AMD APM vol. 2
 * §5.3 long-mode walk, §15.25.5 nested walks are user accesses) and
 * checks what each p2m type and access lets the guest do. The walker is
 * written from the manual, not from npt.c, so a wrong bit in the format
 * shows up as a wrong permission here.
 */
#include <orrery/platform.h>

#include "npt.h"
#include "p2m_test.h"

#define R 1
#define W 2
#define X 4

struct hw_result {
    bool ok;                /* the access completes (no #NPF) */
    uint64_t hpa;
    bool uncached;          /* PCD at the leaf */
};

/* One access of kind @acc (R, W or X) to @gpa through @d's nested tables. */
static struct hw_result hw_walk(struct domain *d, uint64_t gpa,
                                unsigned int acc)
{
    uint64_t *t = arch_mfn_to_virt(p2m_pt_root(d->p2m));
    struct hw_result r = { 0 };
    bool writable = true, executable = true;

    for ( int level = 3; level >= 0; level-- )
    {
        uint64_t e = t[(gpa >> (12 + 9 * level)) & 511];

        if ( !(e & NPT_P) )
            return r;
        /* Reserved: PS at the top level; MBZ address bits above 51 are
         * the available bits 52-62, which the format may use. */
        CU_ASSERT(!(level == 3 && (e & NPT_PS)));
        /* Every nested access is a user access. */
        CU_ASSERT(e & NPT_US);
        if ( !(e & NPT_US) )
            return r;
        writable &= !!(e & NPT_RW);
        executable &= !(e & NPT_NX);
        if ( level == 0 || (e & NPT_PS) )
        {
            uint64_t size = 1ULL << (12 + 9 * level);

            /* A large page's PAT bit (12) must be clear; the address is
             * aligned to the page size. */
            CU_ASSERT(level == 0 ||
                      ((e & NPT_ADDR_MASK) & (size - 1)) == 0);
            if ( (acc == W && !writable) || (acc == X && !executable) )
                return r;
            r.ok = true;
            r.hpa = (e & NPT_ADDR_MASK & ~(size - 1)) | (gpa & (size - 1));
            r.uncached = e & NPT_PCD;
            return r;
        }
        t = arch_mfn_to_virt(_mfn((e & NPT_ADDR_MASK) >> 12));
    }
    return r;
}

static void expect_rights(struct domain *d, uint64_t gfn, unsigned int want,
                          uint64_t mfn)
{
    for ( unsigned int acc = R; acc <= X; acc <<= 1 )
    {
        struct hw_result r = hw_walk(d, (gfn << 12) | 0x123, acc);

        CU_ASSERT_EQUAL(r.ok, !!(want & acc));
        if ( r.ok )
            ORR_ASSERT_EQ_U64(r.hpa, (mfn << 12) | 0x123);
    }
}

static void test_types_to_rights(void)
{
    static const struct {
        p2m_type_t type;
        p2m_access_t access;
        unsigned int rights;
    } cases[] = {
        { p2m_ram_rw, p2m_access_rwx, R | W | X },
        { p2m_ram_rw, p2m_access_rw, R | W },
        { p2m_ram_rw, p2m_access_rx, R | X },
        { p2m_ram_rw, p2m_access_r, R },
        { p2m_ram_rw, p2m_access_wx, 0 },    /* no read: not present */
        { p2m_ram_rw, p2m_access_n, 0 },
        { p2m_ram_ro, p2m_access_rwx, R | X },
        { p2m_ram_logdirty, p2m_access_rwx, R | X },
        { p2m_grant_map_rw, p2m_access_rw, R | W },
        { p2m_grant_map_ro, p2m_access_rw, R },
        { p2m_map_foreign, p2m_access_rwx, R | W | X },
        { p2m_mmio_direct, p2m_access_rwx, R | W },  /* never executed */
    };
    struct domain *d = p2m_test_domain(64);

    for ( unsigned int i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        uint64_t gfn = 0x100 + i, mfn = 0x5000 + i;

        /* RAM types need the domain's own frame: populate, then retype. */
        if ( p2m_is_ram(cases[i].type) )
        {
            struct p2m_entry e;

            CU_ASSERT_EQUAL(p2m_populate_ram(d, _gfn(gfn), 1), 0);
            p2m_get_entry(d, _gfn(gfn), &e);
            mfn = mfn_x(e.mfn);
        }
        CU_ASSERT_EQUAL(p2m_set_entry(d, _gfn(gfn), _mfn(mfn), cases[i].type,
                                      cases[i].access), 0);
        expect_rights(d, gfn, cases[i].rights, mfn);
    }
    /* Only MMIO is mapped uncached. */
    CU_ASSERT(hw_walk(d, (0x100 + 11ULL) << 12, R).uncached);
    CU_ASSERT(!hw_walk(d, 0x100ULL << 12, R).uncached);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
}

static void test_frameless_types_fault(void)
{
    struct domain *d = p2m_test_domain(0);

    CU_ASSERT_EQUAL(p2m_set_entry(d, _gfn(0x10), INVALID_MFN,
                                  p2m_populate_on_demand, p2m_access_rwx), 0);
    CU_ASSERT_EQUAL(p2m_set_entry(d, _gfn(0x11), INVALID_MFN, p2m_mmio_dm,
                                  p2m_access_rw), 0);
    expect_rights(d, 0x10, 0, 0);
    expect_rights(d, 0x11, 0, 0);
    /* ... and a hole faults too. */
    expect_rights(d, 0x12, 0, 0);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
}

static void test_superpages_and_split(void)
{
    struct domain *d = p2m_test_domain(0);
    uint64_t gfn = 0x40000, mfn = 0x80000;      /* both 1 GiB aligned */

    CU_ASSERT_EQUAL(p2m_set_range(d, _gfn(gfn), _mfn(mfn), 1ULL << 18,
                                  p2m_mmio_direct, p2m_access_rw, NULL), 0);
    expect_rights(d, gfn + 0x12345, R | W, mfn + 0x12345);
    /* One 4 KiB page made read-only splits 1 GiB -> 2 MiB -> 4 KiB; its
     * neighbours keep their rights and frames. */
    CU_ASSERT_EQUAL(p2m_set_entry(d, _gfn(gfn + 0x12345), _mfn(mfn + 0x12345),
                                  p2m_mmio_direct, p2m_access_r), 0);
    expect_rights(d, gfn + 0x12345, R, mfn + 0x12345);
    expect_rights(d, gfn + 0x12344, R | W, mfn + 0x12344);
    expect_rights(d, gfn + 0x3ffff, R | W, mfn + 0x3ffff);
    CU_ASSERT_EQUAL(p2m_remove_range(d, _gfn(gfn), 1ULL << 18), 0);
    expect_rights(d, gfn + 0x12344, 0, 0);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
}

CU_TestInfo npt_walk_tests[] = {
    ORR_CASE(test_types_to_rights),
    ORR_CASE(test_frameless_types_fault),
    ORR_CASE(test_superpages_and_split),
    CU_TEST_INFO_NULL,
};
