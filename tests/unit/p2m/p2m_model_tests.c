/* SPDX-License-Identifier: MIT */
/*
 * The backend under test against a flat model: random ranges of random types
 * are mapped and removed over a window spanning several 2 MiB regions,
 * with frame numbers often aligned so that superpages form, split and
 * merge. After every step each frame of the window must read back what
 * the model says, and the per-type counts must match the model's.
 */
#include "p2m_test.h"

#define WINDOW (3 * 512 + 64)
#define BASE_GFN 0x3fe00ULL     /* straddles a 1 GiB boundary */
#define STEPS 1500

struct model_entry {
    uint64_t mfn;
    p2m_type_t type;
    p2m_access_t access;
};

static struct model_entry model[WINDOW];
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(uint64_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng % n;
}

static const p2m_type_t types[] = {
    p2m_invalid, p2m_mmio_direct, p2m_grant_map_rw, p2m_grant_map_ro,
    p2m_populate_on_demand, p2m_mmio_dm, p2m_map_foreign,
};

static bool has_frame(p2m_type_t t)
{
    return t != p2m_invalid && t != p2m_populate_on_demand &&
           t != p2m_mmio_dm;
}

static unsigned int check_window(struct domain *d)
{
    uint64_t counts[NR_P2M_TYPES] = { 0 };
    unsigned int i, bad = 0;

    for ( i = 0; i < WINDOW; i++ )
    {
        struct p2m_entry e;
        const struct model_entry *m = &model[i];

        p2m_get_entry(d, _gfn(BASE_GFN + i), &e);
        counts[m->type]++;
        if ( e.type != m->type || mfn_x(e.mfn) != m->mfn ||
             (m->type != p2m_invalid && e.access != m->access) )
        {
            if ( bad++ < 5 )
                fprintf(stderr, "\ngfn %#llx: got %s %#llx a%u, want %s "
                        "%#llx a%u\n", (unsigned long long)(BASE_GFN + i),
                        p2m_type_name(e.type),
                        (unsigned long long)mfn_x(e.mfn), e.access,
                        p2m_type_name(m->type),
                        (unsigned long long)m->mfn, m->access);
        }
    }
    for ( i = 0; i < NR_P2M_TYPES; i++ )
        if ( i != p2m_invalid && p2m_count(d, i) != counts[i] )
        {
            fprintf(stderr, "\ncount of %s: %llu, model %llu\n",
                    p2m_type_name(i), (unsigned long long)p2m_count(d, i),
                    (unsigned long long)counts[i]);
            bad++;
        }
    if ( ledger_read(d, LEDGER_MAPPINGS) !=
         counts[p2m_grant_map_rw] + counts[p2m_grant_map_ro] +
         counts[p2m_map_foreign] )
        bad++;
    return bad;
}

static void test_random_ranges_match_model(void)
{
    struct domain *d = p2m_test_domain(0);
    unsigned int step, i;

    for ( i = 0; i < WINDOW; i++ )
        model[i] = (struct model_entry){ mfn_x(INVALID_MFN), p2m_invalid,
                                         p2m_access_n };

    for ( step = 0; step < STEPS; step++ )
    {
        uint64_t start = rnd(WINDOW), nr = 1 + rnd(WINDOW - start);
        p2m_type_t t = types[rnd(ARRAY_SIZE(types))];
        p2m_access_t a = (p2m_access_t)rnd(NR_P2M_ACCESS);
        uint64_t mfn = 0x100000 + rnd(1 << 20);

        /* Often align the frame like the gfn, so superpages can form. */
        if ( rnd(2) )
            mfn = (mfn & ~511ULL) | ((BASE_GFN + start) & 511);
        if ( rnd(4) == 0 )      /* short ranges split superpages */
            nr = 1 + rnd(MIN(nr, 4));

        CU_ASSERT_EQUAL_FATAL(
            p2m_set_range(d, _gfn(BASE_GFN + start),
                          has_frame(t) ? _mfn(mfn) : INVALID_MFN, nr, t, a,
                          NULL), 0);
        for ( i = 0; i < nr; i++ )
            model[start + i] = (struct model_entry){
                has_frame(t) ? mfn + i : mfn_x(INVALID_MFN), t, a };

        if ( check_window(d) )
        {
            fprintf(stderr, "\nafter step %u: %s [%#llx, +%llu)\n", step,
                    p2m_type_name(t),
                    (unsigned long long)(BASE_GFN + start),
                    (unsigned long long)nr);
            CU_FAIL_FATAL("p2m differs from the model");
        }
    }
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
}

/*
 * Every type, access and entry size reads back as it was written: the
 * lookups decode entries through the format's masks (p2m_pt_bits), the
 * updates encode them through its functions, so a mask that disagrees
 * with make_leaf() shows up here. RAM types need frames the domain owns
 * and are read back by p2m_tests.c.
 */
static void test_every_type_access_order_reads_back(void)
{
    static const unsigned int orders[] = {
        P2M_ORDER_4K, P2M_ORDER_2M, P2M_ORDER_1G,
    };
    struct domain *d = p2m_test_domain(0);
    unsigned int t, a, i, bad = 0;

    for ( t = 0; t < NR_P2M_TYPES; t++ )
    {
        bool frame = t != p2m_populate_on_demand && t != p2m_mmio_dm &&
                     t != p2m_ram_paged;

        if ( t == p2m_invalid || p2m_is_ram(t) )
            continue;
        for ( a = 0; a < NR_P2M_ACCESS; a++ )
            for ( i = 0; i < ARRAY_SIZE(orders); i++ )
            {
                uint64_t nr = 1ULL << orders[i];
                /* Aligned, away from gfn 0, high frame bits set. */
                uint64_t gfn = 3 * (1ULL << 18), mfn = 0xedcbc0000ULL;
                uint64_t off = nr - 1;
                struct p2m_entry e;

                CU_ASSERT_EQUAL_FATAL(
                    p2m_set_range(d, _gfn(gfn), frame ? _mfn(mfn)
                                                      : INVALID_MFN,
                                  nr, t, a, NULL), 0);
                p2m_get_entry(d, _gfn(gfn + off), &e);
                if ( e.type != t || e.access != a ||
                     mfn_x(e.mfn) != (frame ? mfn + off
                                            : mfn_x(INVALID_MFN)) ||
                     (d->p2m->ops->order_ok(orders[i]) &&
                      e.order != orders[i]) )
                {
                    if ( bad++ < 5 )
                        fprintf(stderr, "\n%s a%u order %u: got %s a%u "
                                "%#llx order %u\n", p2m_type_name(t), a,
                                orders[i], p2m_type_name(e.type), e.access,
                                (unsigned long long)mfn_x(e.mfn), e.order);
                }
                CU_ASSERT_EQUAL_FATAL(p2m_remove_range(d, _gfn(gfn), nr),
                                      0);
                p2m_get_entry(d, _gfn(gfn + off), &e);
                CU_ASSERT_EQUAL(e.type, p2m_invalid);
            }
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
}

static void expect_entry(struct domain *d, uint64_t gfn, uint64_t mfn,
                         p2m_type_t t, unsigned int order)
{
    struct p2m_entry e;

    p2m_get_entry(d, _gfn(gfn), &e);
    CU_ASSERT_EQUAL(e.type, t);
    ORR_ASSERT_EQ_U64(mfn_x(e.mfn), mfn);
    CU_ASSERT_EQUAL(e.order, order);
}

/*
 * Lookups remember the table their last walk ended in (p2m_pt.c).
 * Every change that splits, replaces or frees a table must make them
 * forget it: a remembered table that was freed and handed out again
 * would translate through memory that is no longer this p2m's.
 */
static void test_remembered_table_forgotten(void)
{
    struct domain *d = p2m_test_domain(0), *other = p2m_test_domain(0);
    const uint64_t g = 5ULL << 9, m = 0x4000000ULL;
    uint64_t i;

    /* A level-0 table, remembered by a lookup. */
    CU_ASSERT_EQUAL(p2m_set_range(d, _gfn(g), _mfn(m), 4, p2m_mmio_direct,
                                  p2m_access_rw, NULL), 0);
    expect_entry(d, g + 1, m + 1, p2m_mmio_direct, 0);
    /* A 2 MiB entry replaces (and frees) that table. */
    CU_ASSERT_EQUAL(p2m_set_range(d, _gfn(g), _mfn(m + 0x200), 512,
                                  p2m_grant_map_ro, p2m_access_r, NULL), 0);
    expect_entry(d, g + 1, m + 0x201, p2m_grant_map_ro, 9);
    /* New tables elsewhere (the freed page is likely among them), each
     * entry a frame the old table never held. */
    for ( i = 0; i < 8; i++ )
        CU_ASSERT_EQUAL(p2m_set_entry(d, _gfn((9 + i) << 9 | 1),
                                      _mfn(0x77000 + i), p2m_mmio_direct,
                                      p2m_access_rw), 0);
    expect_entry(d, g + 1, m + 0x201, p2m_grant_map_ro, 9);
    expect_entry(d, (9 << 9) | 1, 0x77000, p2m_mmio_direct, 0);
    /* Split by a 4 KiB change in its middle: the rest keeps its frames. */
    CU_ASSERT_EQUAL(p2m_set_entry(d, _gfn(g + 7), _mfn(0x1234),
                                  p2m_mmio_direct, p2m_access_rw), 0);
    expect_entry(d, g + 7, 0x1234, p2m_mmio_direct, 0);
    expect_entry(d, g + 1, m + 0x201, p2m_grant_map_ro, 0);
    /* Removed one entry, then the whole region. */
    CU_ASSERT_EQUAL(p2m_remove_range(d, _gfn(g + 1), 1), 0);
    expect_entry(d, g + 1, mfn_x(INVALID_MFN), p2m_invalid, 0);
    expect_entry(d, g + 2, m + 0x202, p2m_grant_map_ro, 0);
    CU_ASSERT_EQUAL(p2m_remove_range(d, _gfn(g), 512), 0);
    expect_entry(d, g + 2, mfn_x(INVALID_MFN), p2m_invalid, 9);
    /* A 2 MiB entry (remembered in its level-1 table), then a 1 GiB
     * one over the whole 1 GiB region, which frees that table. */
    CU_ASSERT_EQUAL(p2m_set_range(d, _gfn((3ULL << 18) + 1024),
                                  _mfn(0x60000), 512, p2m_mmio_direct,
                                  p2m_access_rw, NULL), 0);
    expect_entry(d, (3ULL << 18) + 1030, 0x60006, p2m_mmio_direct, 9);
    CU_ASSERT_EQUAL(p2m_set_range(d, _gfn(3ULL << 18), _mfn(1ULL << 30),
                                  1ULL << 18, p2m_grant_map_rw,
                                  p2m_access_rw, NULL), 0);
    expect_entry(d, (3ULL << 18) + 1030, (1ULL << 30) + 1030,
                 p2m_grant_map_rw,
                 d->p2m->ops->order_ok(P2M_ORDER_1G) ? 18 : 9);
    CU_ASSERT_EQUAL(p2m_remove_range(d, _gfn(3ULL << 18), 1ULL << 18), 0);
    expect_entry(d, (3ULL << 18) + 1030, mfn_x(INVALID_MFN), p2m_invalid,
                 d->p2m->ops->order_ok(P2M_ORDER_1G) ? 18 : 9);
    /* Another domain's lookups at the same gfn see its own p2m. */
    CU_ASSERT_EQUAL(p2m_set_entry(other, _gfn(g + 2), _mfn(0x999),
                                  p2m_mmio_direct, p2m_access_rw), 0);
    expect_entry(other, g + 2, 0x999, p2m_mmio_direct, 0);
    expect_entry(d, g + 2, mfn_x(INVALID_MFN), p2m_invalid, 9);
    CU_ASSERT_EQUAL(p2m_set_entry(d, _gfn(g + 2), _mfn(0x888),
                                  p2m_mmio_direct, p2m_access_rw), 0);
    expect_entry(d, g + 2, 0x888, p2m_mmio_direct, 0);
    expect_entry(other, g + 2, 0x999, p2m_mmio_direct, 0);
    CU_ASSERT_EQUAL(domain_destroy(other), 0);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
}

CU_TestInfo p2m_model_tests[] = {
    ORR_CASE(test_random_ranges_match_model),
    ORR_CASE(test_every_type_access_order_reads_back),
    ORR_CASE(test_remembered_table_forgotten),
    CU_TEST_INFO_NULL,
};
