/* SPDX-License-Identifier: MIT */
/* The p2m through its public calls, on the backend p2m_test_ops names
 * (the radix in unit.p2m, NPT in unit.npt). */
#include "p2m_test.h"

const struct p2m_backend_ops *p2m_test_ops;  /* NULL: radix */

static uint64_t free_before;
static unsigned int leaks_before;

void p2m_test_setup(void)
{
    struct page_alloc_stats st;

    sim_init(1, 0);
    orr_sim_heap_init_once(64 << 20);
    console_set_loglvl("all");
    domain_reset_hooks();
    page_alloc_stats(&st);
    free_before = st.free_pages;
    leaks_before = domain_leaks();
}

void p2m_test_teardown(void)
{
    struct page_alloc_stats st;

    CU_ASSERT_EQUAL(domain_count(), 0);
    CU_ASSERT_EQUAL(domain_leaks(), leaks_before);
    page_alloc_stats(&st);
    ORR_ASSERT_EQ_U64(st.free_pages, free_before);
}

struct domain *p2m_test_domain(uint64_t max_pages)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .max_vcpus = 1, .max_pages = max_pages,
        .p2m_ops = p2m_test_ops,
    };
    struct domain *d = NULL;

    CU_ASSERT_FATAL(domain_create(&cfg, &d) == 0);
    return d;
}

static void expect(struct domain *d, uint64_t gfn, uint64_t mfn,
                   p2m_type_t t, p2m_access_t a, unsigned int order)
{
    struct p2m_entry e;

    p2m_get_entry(d, _gfn(gfn), &e);
    ORR_ASSERT_EQ_U64(mfn_x(e.mfn), mfn);
    CU_ASSERT_EQUAL(e.type, t);
    CU_ASSERT_EQUAL(e.access, a);
    CU_ASSERT_EQUAL(e.order, order);
}

static void test_set_get_remove(void)
{
    struct domain *d = p2m_test_domain(0);
    struct p2m_entry e;

    p2m_get_entry(d, _gfn(5), &e);
    CU_ASSERT_EQUAL(e.type, p2m_invalid);
    ORR_ASSERT_EQ_U64(mfn_x(e.mfn), mfn_x(INVALID_MFN));

    CU_ASSERT_EQUAL(p2m_set_entry(d, _gfn(5), _mfn(0xabcde),
                                  p2m_mmio_direct, p2m_access_r), 0);
    expect(d, 5, 0xabcde, p2m_mmio_direct, p2m_access_r, 0);
    expect(d, 4, mfn_x(INVALID_MFN), p2m_invalid, p2m_access_n, 0);
    ORR_ASSERT_EQ_U64(p2m_count(d, p2m_mmio_direct), 1);

    /* Replacing changes type and counts. */
    CU_ASSERT_EQUAL(p2m_set_entry(d, _gfn(5), _mfn(0x1234),
                                  p2m_grant_map_ro, p2m_access_r), 0);
    ORR_ASSERT_EQ_U64(p2m_count(d, p2m_mmio_direct), 0);
    ORR_ASSERT_EQ_U64(p2m_count(d, p2m_grant_map_ro), 1);
    ORR_ASSERT_EQ_U64(ledger_read(d, LEDGER_MAPPINGS), 1);

    CU_ASSERT_EQUAL(p2m_remove_range(d, _gfn(5), 1), 0);
    expect(d, 5, mfn_x(INVALID_MFN), p2m_invalid, p2m_access_n, 0);
    ORR_ASSERT_EQ_U64(ledger_read(d, LEDGER_MAPPINGS), 0);
    /* Removing a hole is fine and changes nothing. */
    CU_ASSERT_EQUAL(p2m_remove_range(d, _gfn(1ULL << 30), 3), 0);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
}

/* Types without a frame read back INVALID_MFN. */
static void test_frameless_types(void)
{
    struct domain *d = p2m_test_domain(0);

    CU_ASSERT_EQUAL(p2m_set_range(d, _gfn(0x200), INVALID_MFN, 512,
                                  p2m_populate_on_demand, p2m_access_rwx,
                                  NULL), 0);
    expect(d, 0x3ff, mfn_x(INVALID_MFN), p2m_populate_on_demand,
           p2m_access_rwx, 9);
    CU_ASSERT_EQUAL(p2m_set_entry(d, _gfn(0x7), INVALID_MFN, p2m_mmio_dm,
                                  p2m_access_rw), 0);
    expect(d, 0x7, mfn_x(INVALID_MFN), p2m_mmio_dm, p2m_access_rw, 0);
    ORR_ASSERT_EQ_U64(p2m_count(d, p2m_populate_on_demand), 512);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
}

static void test_superpages(void)
{
    struct domain *d = p2m_test_domain(0);
    uint64_t xen_pages = ledger_read(d, LEDGER_XEN_PAGES);

    /* 2 MiB aligned on both sides: one 2 MiB entry. */
    CU_ASSERT_EQUAL(p2m_set_range(d, _gfn(0x400), _mfn(0x80000), 512,
                                  p2m_mmio_direct, p2m_access_rw, NULL), 0);
    expect(d, 0x400, 0x80000, p2m_mmio_direct, p2m_access_rw, 9);
    expect(d, 0x5ff, 0x801ff, p2m_mmio_direct, p2m_access_rw, 9);
    /* Root, level-2 and level-1 tables; no level-0 table. */
    ORR_ASSERT_EQ_U64(ledger_read(d, LEDGER_XEN_PAGES), xen_pages + 2);

    /* 1 GiB aligned: one 1 GiB entry. */
    CU_ASSERT_EQUAL(p2m_set_range(d, _gfn(1ULL << 18), _mfn(1ULL << 20),
                                  1ULL << 18, p2m_mmio_direct,
                                  p2m_access_rw, NULL), 0);
    expect(d, (1ULL << 18) + 77, (1ULL << 20) + 77, p2m_mmio_direct,
           p2m_access_rw, 18);

    /* The mfn not aligned like the gfn: 4 KiB entries only. */
    CU_ASSERT_EQUAL(p2m_set_range(d, _gfn(0x800), _mfn(0x90001), 512,
                                  p2m_mmio_direct, p2m_access_rw, NULL), 0);
    expect(d, 0x800, 0x90001, p2m_mmio_direct, p2m_access_rw, 0);
    /* A range starting mid-superpage: 4K up to the boundary, then 2M. */
    CU_ASSERT_EQUAL(p2m_set_range(d, _gfn(0xbff), _mfn(0xa0bff), 513,
                                  p2m_mmio_direct, p2m_access_rw, NULL), 0);
    expect(d, 0xbff, 0xa0bff, p2m_mmio_direct, p2m_access_rw, 0);
    expect(d, 0xc00, 0xa0c00, p2m_mmio_direct, p2m_access_rw, 9);
    ORR_ASSERT_EQ_U64(p2m_count(d, p2m_mmio_direct),
                      512 + (1ULL << 18) + 512 + 513);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
}

/* Changing one frame inside a superpage splits it; the rest still maps
 * the same frames. Mapping a superpage over small entries frees their
 * table. */
static void test_split_and_merge(void)
{
    struct domain *d = p2m_test_domain(0);
    uint64_t tables;

    CU_ASSERT_EQUAL(p2m_set_range(d, _gfn(0x400), _mfn(0x80000), 512,
                                  p2m_mmio_direct, p2m_access_rw, NULL), 0);
    tables = ledger_read(d, LEDGER_XEN_PAGES);
    CU_ASSERT_EQUAL(p2m_set_entry(d, _gfn(0x401), _mfn(0x5555),
                                  p2m_grant_map_rw, p2m_access_rw), 0);
    ORR_ASSERT_EQ_U64(ledger_read(d, LEDGER_XEN_PAGES), tables + 1);
    expect(d, 0x400, 0x80000, p2m_mmio_direct, p2m_access_rw, 0);
    expect(d, 0x401, 0x5555, p2m_grant_map_rw, p2m_access_rw, 0);
    expect(d, 0x5ff, 0x801ff, p2m_mmio_direct, p2m_access_rw, 0);
    ORR_ASSERT_EQ_U64(p2m_count(d, p2m_mmio_direct), 511);
    ORR_ASSERT_EQ_U64(p2m_count(d, p2m_grant_map_rw), 1);

    /* A 2 MiB entry over the split range: the level-0 table goes. */
    CU_ASSERT_EQUAL(p2m_set_range(d, _gfn(0x400), _mfn(0x80000), 512,
                                  p2m_ram_ro, p2m_access_r, NULL), -EINVAL);
    CU_ASSERT_EQUAL(p2m_set_range(d, _gfn(0x400), _mfn(0xc0000), 512,
                                  p2m_mmio_direct, p2m_access_r, NULL), 0);
    ORR_ASSERT_EQ_U64(ledger_read(d, LEDGER_XEN_PAGES), tables);
    ORR_ASSERT_EQ_U64(p2m_count(d, p2m_mmio_direct), 512);
    ORR_ASSERT_EQ_U64(p2m_count(d, p2m_grant_map_rw), 0);
    ORR_ASSERT_EQ_U64(ledger_read(d, LEDGER_MAPPINGS), 0);
    expect(d, 0x401, 0xc0001, p2m_mmio_direct, p2m_access_r, 9);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
}

/* Bad input: -EINVAL, and the p2m is as before. */
static void test_bad_input(void)
{
    struct domain *d = p2m_test_domain(0);
    uint64_t done = 99;

    CU_ASSERT_EQUAL(p2m_set_entry(d, _gfn(P2M_MAX_GFN + 1), _mfn(1),
                                  p2m_mmio_direct, p2m_access_rw), -EINVAL);
    /* A range that runs past the top of guest-physical space. */
    CU_ASSERT_EQUAL(p2m_set_range(d, _gfn(P2M_MAX_GFN - 1), _mfn(1), 3,
                                  p2m_mmio_direct, p2m_access_rw, &done),
                    -EINVAL);
    CU_ASSERT_EQUAL(done, 0);
    /* One that wraps 2^64. */
    CU_ASSERT_EQUAL(p2m_set_range(d, _gfn(16), _mfn(1), ~0ULL - 8,
                                  p2m_mmio_direct, p2m_access_rw, NULL),
                    -EINVAL);
    /* Frames beyond 40 bits, or wrapping. */
    CU_ASSERT_EQUAL(p2m_set_range(d, _gfn(0), _mfn((1ULL << 40) - 1), 2,
                                  p2m_mmio_direct, p2m_access_rw, NULL),
                    -EINVAL);
    CU_ASSERT_EQUAL(p2m_set_entry(d, _gfn(0), INVALID_MFN, p2m_mmio_direct,
                                  p2m_access_rw), -EINVAL);
    /* RAM must be real RAM. */
    CU_ASSERT_EQUAL(p2m_set_entry(d, _gfn(0), _mfn(0x10), p2m_ram_rw,
                                  p2m_access_rw), -EINVAL);
    CU_ASSERT_EQUAL(p2m_set_entry(d, _gfn(0), _mfn(1), (p2m_type_t)16,
                                  p2m_access_rw), -EINVAL);
    CU_ASSERT_EQUAL(p2m_set_entry(d, _gfn(0), _mfn(1), p2m_mmio_direct,
                                  (p2m_access_t)8), -EINVAL);
    CU_ASSERT_EQUAL(p2m_populate_ram(d, _gfn(P2M_MAX_GFN), 2), -EINVAL);
    /* Lookups past the top read as holes. */
    expect(d, ~0ULL, mfn_x(INVALID_MFN), p2m_invalid, p2m_access_n, 0);
    ORR_ASSERT_EQ_U64(p2m_count(d, p2m_mmio_direct), 0);
    /* Only the root table exists: nothing was built by the failures. */
    ORR_ASSERT_EQ_U64(ledger_read(d, LEDGER_XEN_PAGES), 2);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
}

static void test_guest_ram(void)
{
    struct domain *d = p2m_test_domain(10);
    struct p2m_entry e;
    uint8_t *page;

    CU_ASSERT_EQUAL(p2m_populate_ram(d, _gfn(100), 8), 0);
    ORR_ASSERT_EQ_U64(ledger_read(d, LEDGER_GUEST_PAGES), 8);
    p2m_get_entry(d, _gfn(103), &e);
    CU_ASSERT_EQUAL(e.type, p2m_ram_rw);
    CU_ASSERT_TRUE(mfn_valid(e.mfn));
    page = arch_mfn_to_virt(e.mfn);
    CU_ASSERT_EQUAL(page[0] | page[4095], 0);   /* zeroed */

    /* Past max_pages: -ENOMEM, nothing added. */
    CU_ASSERT_EQUAL(p2m_populate_ram(d, _gfn(200), 3), -ENOMEM);
    ORR_ASSERT_EQ_U64(ledger_read(d, LEDGER_GUEST_PAGES), 8);
    /* Overlapping what is there: -EEXIST, nothing added. */
    CU_ASSERT_EQUAL(p2m_populate_ram(d, _gfn(107), 2), -EEXIST);
    p2m_get_entry(d, _gfn(108), &e);
    CU_ASSERT_EQUAL(e.type, p2m_invalid);

    /* Release over a hole and RAM; not over MMIO. */
    CU_ASSERT_EQUAL(p2m_release_ram(d, _gfn(98), 4), 0);
    ORR_ASSERT_EQ_U64(ledger_read(d, LEDGER_GUEST_PAGES), 6);
    /* RAM is never dropped by mapping over it or removing it. */
    p2m_get_entry(d, _gfn(104), &e);
    CU_ASSERT_EQUAL(p2m_set_entry(d, _gfn(104), _mfn(0xfee00),
                                  p2m_mmio_direct, p2m_access_rw), -EBUSY);
    CU_ASSERT_EQUAL(p2m_remove_range(d, _gfn(100), 8), -EBUSY);
    /* ... but may change type over the same frame. */
    CU_ASSERT_EQUAL(p2m_set_entry(d, _gfn(104), e.mfn, p2m_ram_ro,
                                  p2m_access_r), 0);
    expect(d, 104, mfn_x(e.mfn), p2m_ram_ro, p2m_access_r, 0);
    ORR_ASSERT_EQ_U64(ledger_read(d, LEDGER_GUEST_PAGES), 6);
    CU_ASSERT_EQUAL(p2m_set_entry(d, _gfn(105), _mfn(0x1234), p2m_mmio_dm,
                                  p2m_access_rw), -EBUSY);
    CU_ASSERT_EQUAL(p2m_set_entry(d, _gfn(110), _mfn(0xfee00),
                                  p2m_mmio_direct, p2m_access_rw), 0);
    /* Release refuses a range holding MMIO, and changes nothing. */
    CU_ASSERT_EQUAL(p2m_release_ram(d, _gfn(105), 6), -EINVAL);
    ORR_ASSERT_EQ_U64(ledger_read(d, LEDGER_GUEST_PAGES), 6);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
}

CU_TestInfo p2m_tests[] = {
    ORR_CASE(test_set_get_remove),
    ORR_CASE(test_frameless_types),
    ORR_CASE(test_superpages),
    ORR_CASE(test_split_and_merge),
    ORR_CASE(test_bad_input),
    ORR_CASE(test_guest_ram),
    CU_TEST_INFO_NULL,
};
