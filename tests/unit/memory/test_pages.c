/* SPDX-License-Identifier: MIT */
/* Domain pages through core/mm's calls: ownership, references, limits,
 * scrubbing, orphans, and the memory map the builder sets. */
#include "mem_test.h"

static uint64_t free_now(void)
{
    struct page_alloc_stats st;

    page_alloc_stats(&st);
    return st.free_pages;
}

static bool page_is_zero(mfn_t mfn)
{
    const uint8_t *p = arch_mfn_to_virt(mfn);
    unsigned int i;

    for ( i = 0; i < PAGE_SIZE; i++ )
        if ( p[i] )
            return false;
    return true;
}

static void test_alloc_charges_owner_and_limit(void)
{
    uint64_t tot = mem_tot(mem_u1), before = free_now(), i;
    struct page_info *pg = alloc_domheap_pages(mem_u1, 2, 0);

    CU_ASSERT_PTR_NOT_NULL_FATAL(pg);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), tot + 4);
    ORR_ASSERT_EQ_U64(free_now(), before - 4);
    for ( i = 0; i < 4; i++ )
    {
        CU_ASSERT_EQUAL(page_owner(&pg[i]), PGO_DOMAIN);
        CU_ASSERT_PTR_EQUAL(page_get_owner(&pg[i]), mem_u1);
        CU_ASSERT_EQUAL(page_refcount(&pg[i]), 1);
        CU_ASSERT(pg[i].count_info & PGC_allocated);
        CU_ASSERT(page_is_zero(page_to_mfn(&pg[i])));
    }
    mem_check_ownership();

    /* Past max_pages: NULL, nothing charged, nothing taken. */
    CU_ASSERT_PTR_NULL(alloc_domheap_pages(mem_u1, 6, 0));
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), tot + 4);
    ORR_ASSERT_EQ_U64(free_now(), before - 4);
    /* Exactly up to it is fine. */
    while ( mem_tot(mem_u1) < MEM_MAX_PAGES )
        CU_ASSERT_PTR_NOT_NULL_FATAL(alloc_domheap_pages(mem_u1, 0, 0));
    CU_ASSERT_PTR_NULL(alloc_domheap_pages(mem_u1, 0, 0));

    free_domheap_pages(pg, 2);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_MAX_PAGES - 4);
    /* A frame whose owner's reference is gone is skipped. */
    free_domheap_pages(pg, 0);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_MAX_PAGES - 4);
}

static void test_alloc_bad_arguments(void)
{
    uint64_t before = free_now();

    CU_ASSERT_PTR_NULL(alloc_domheap_pages(NULL, 0, 0));
    CU_ASSERT_PTR_NULL(alloc_domheap_pages(mem_u1, MAX_ORDER + 1, 0));
    CU_ASSERT_PTR_NULL(alloc_domheap_pages(mem_u1, 0, 1U << 7));
    CU_ASSERT_PTR_NULL(alloc_domheap_pages(mem_u1, 0, MEMF_bits(11)));
    free_domheap_pages(NULL, 0);
    ORR_ASSERT_EQ_U64(free_now(), before);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES);
}

/* Each frame of an extent is freed alone; the buddy merges them back. */
static void test_frames_free_alone(void)
{
    struct page_alloc_stats a, b;
    struct page_info *pg;
    static const unsigned int order[8] = { 5, 0, 7, 2, 6, 1, 3, 4 };
    unsigned int i;

    page_alloc_stats(&a);
    pg = alloc_domheap_pages(mem_u2, 3, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pg);
    for ( i = 0; i < 8; i++ )
        free_domheap_pages(&pg[order[i]], 0);
    page_alloc_stats(&b);
    CU_ASSERT_EQUAL(memcmp(a.free_blocks, b.free_blocks,
                           sizeof(a.free_blocks)), 0);
    ORR_ASSERT_EQ_U64(b.free_pages, a.free_pages);
}

static void test_references_keep_a_page(void)
{
    struct page_info *pg = alloc_domheap_pages(mem_u1, 0, 0);
    uint64_t tot = mem_tot(mem_u1);
    mfn_t mfn;

    CU_ASSERT_PTR_NOT_NULL_FATAL(pg);
    mfn = page_to_mfn(pg);
    CU_ASSERT_TRUE(get_page(pg, mem_u1));
    CU_ASSERT_EQUAL(page_refcount(pg), 2);
    /* Only for the owner. */
    CU_ASSERT_FALSE(get_page(pg, mem_u2));
    CU_ASSERT_FALSE(get_page(pg, NULL));
    CU_ASSERT_EQUAL(page_refcount(pg), 2);

    memset(arch_mfn_to_virt(mfn), 0x5a, PAGE_SIZE);
    /* The owner lets go: the page lives on, still its and counted. */
    free_domheap_pages(pg, 0);
    CU_ASSERT_EQUAL(page_refcount(pg), 1);
    CU_ASSERT_PTR_EQUAL(page_get_owner(pg), mem_u1);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), tot);
    CU_ASSERT_FALSE(page_is_zero(mfn));
    /* Nobody may take a new reference on a page its owner gave back. */
    CU_ASSERT_FALSE(get_page(pg, mem_u1));
    mem_check_ownership();

    /* The last reference frees it, scrubbed. */
    put_page(pg);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), tot - 1);
    CU_ASSERT_EQUAL(page_owner(pg), PGO_FREE);
    CU_ASSERT_EQUAL(page_refcount(pg), 0);
    CU_ASSERT(page_is_zero(mfn));
}

static void test_get_page_refuses_other_frames(void)
{
    struct page_info *si = mfn_to_page(arch_virt_to_mfn(mem_u1->shared_info));
    mfn_t free_mfn = alloc_pages(0, 0);
    struct page_info *fr = mfn_to_page(free_mfn);

    free_pages(free_mfn, 0);
    CU_ASSERT_FALSE(get_page(si, mem_u1));      /* a hypervisor page */
    CU_ASSERT_FALSE(get_page(fr, mem_u1));      /* a free frame */
    CU_ASSERT_FALSE(get_page(NULL, mem_u1));
    CU_ASSERT_PTR_NULL(page_get_owner(fr));
    CU_ASSERT_PTR_NULL(page_get_owner(si));
    CU_ASSERT_EQUAL(page_refcount(si), 0);
}

static void test_put_page_without_reference_panics(void)
{
    mfn_t m = alloc_pages(0, 0);
    struct page_info *pg = mfn_to_page(m);
    struct page_info *dp = alloc_domheap_pages(mem_u1, 0, 0);

    MM_EXPECT_PANIC(put_page(pg), "has no reference to drop");
    free_pages(m, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dp);
    free_domheap_pages(dp, 0);      /* freed: its count is 0 */
    MM_EXPECT_PANIC(put_page(dp), "has no reference to drop");
    ORR_ASSERT_EQ_U64(mem_tot(mem_u1), MEM_RAM_PAGES);
}

/* A page another domain references outlives its owner's destroy as an
 * orphan; the dead owner's ledger reads zero (nothing leaked). */
static void test_orphan_outlives_its_owner(void)
{
    unsigned int leaks = domain_leaks();
    uint64_t in_use;
    struct page_info *pg;
    p2m_type_t t;
    mfn_t mfn = mem_mfn(mem_u1, 3, &t);

    CU_ASSERT_EQUAL(t, p2m_ram_rw);
    pg = mfn_to_page(mfn);
    CU_ASSERT_TRUE_FATAL(get_page(pg, mem_u1));     /* "a grant mapping" */
    memset(arch_mfn_to_virt(mfn), 0xa5, PAGE_SIZE);
    in_use = domheap_pages_in_use();

    CU_ASSERT_EQUAL(domain_destroy(mem_u1), 0);
    mem_u1 = NULL;
    CU_ASSERT_EQUAL(domain_leaks(), leaks);
    /* Only the orphan is left of u1's pages. */
    ORR_ASSERT_EQ_U64(domheap_pages_in_use(), in_use - MEM_RAM_PAGES + 1);
    CU_ASSERT_EQUAL(page_owner(pg), PGO_DOMAIN);
    CU_ASSERT_PTR_NULL(page_get_owner(pg));
    CU_ASSERT_EQUAL(page_refcount(pg), 1);
    CU_ASSERT_EQUAL(((uint8_t *)arch_mfn_to_virt(mfn))[100], 0xa5);
    CU_ASSERT_FALSE(get_page(pg, mem_u2));

    put_page(pg);
    ORR_ASSERT_EQ_U64(domheap_pages_in_use(), in_use - MEM_RAM_PAGES);
    CU_ASSERT(page_is_zero(mfn));
}

/* Pages never mapped (increase_reservation on a translated guest) and
 * pages unmapped without being freed go back at destroy. */
static void test_destroy_returns_unmapped_pages(void)
{
    unsigned int leaks = domain_leaks();
    uint64_t in_use = domheap_pages_in_use();

    CU_ASSERT_PTR_NOT_NULL(alloc_domheap_pages(mem_u2, 4, 0));
    CU_ASSERT_EQUAL(p2m_unmap_ram(mem_u2, _gfn(2), 2), 0);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u2), MEM_RAM_PAGES + 16);
    CU_ASSERT_EQUAL(domain_destroy(mem_u2), 0);
    mem_u2 = NULL;
    CU_ASSERT_EQUAL(domain_leaks(), leaks);
    ORR_ASSERT_EQ_U64(domheap_pages_in_use(), in_use - MEM_RAM_PAGES);
}

/*
 * Scrubbing: a domain fills its RAM with a pattern and is destroyed;
 * every frame it had reads zero at once, and a new domain given all the
 * memory there is never sees a byte of the pattern.
 */
static void test_new_domain_never_sees_old_bytes(void)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .max_vcpus = 1, .max_pages = 1ULL << 20,
    };
    mfn_t old[MEM_RAM_PAGES], dirty[16];
    struct domain *d = NULL;
    unsigned int i, pages = 0;
    struct page_info *pg;

    for ( i = 0; i < MEM_RAM_PAGES; i++ )
    {
        old[i] = mem_mfn(mem_u1, i, NULL);
        memset(arch_mfn_to_virt(old[i]), 0xc3, PAGE_SIZE);
    }
    CU_ASSERT_EQUAL(domain_destroy(mem_u1), 0);
    mem_u1 = NULL;
    for ( i = 0; i < MEM_RAM_PAGES; i++ )
        CU_ASSERT(page_is_zero(old[i]));

    /* Hypervisor pages are not scrubbed when freed: dirty some, so the
     * new domain's pages must be zeroed when handed out too. */
    for ( i = 0; i < 16; i++ )
    {
        dirty[i] = alloc_pages(0, 0);
        memset(arch_mfn_to_virt(dirty[i]), 0xc3, PAGE_SIZE);
    }
    for ( i = 0; i < 16; i++ )
        free_pages(dirty[i], 0);

    CU_ASSERT_FATAL(domain_create(&cfg, &d) == 0);
    while ( (pg = alloc_domheap_pages(d, 0, 0)) != NULL )
    {
        const uint8_t *p = arch_mfn_to_virt(page_to_mfn(pg));
        unsigned int k;

        for ( k = 0; k < PAGE_SIZE; k++ )
            if ( p[k] == 0xc3 )
                break;
        CU_ASSERT_EQUAL(k, PAGE_SIZE);
        pages++;
    }
    CU_ASSERT(pages >= MEM_RAM_PAGES);
    ORR_ASSERT_EQ_U64(mem_tot(d), pages);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
}

static void test_dying_domain_gets_nothing(void)
{
    struct page_info *pg = alloc_domheap_pages(mem_u2, 0, 0);

    CU_ASSERT_PTR_NOT_NULL_FATAL(pg);
    mem_u2->is_dying = true;
    CU_ASSERT_PTR_NULL(alloc_domheap_pages(mem_u2, 0, 0));
    CU_ASSERT_FALSE(get_page(pg, mem_u2));
    mem_u2->is_dying = false;
    CU_ASSERT_TRUE(get_page(pg, mem_u2));
    put_page(pg);
}

static void test_address_bits(void)
{
    struct page_alloc_stats st;
    unsigned int bits = PAGE_SHIFT + 1;
    struct page_info *pg;

    page_alloc_stats(&st);
    /* The lowest width some free frame fits under. */
    while ( (pg = alloc_domheap_pages(mem_u1, 0, MEMF_bits(bits))) == NULL )
    {
        bits++;
        CU_ASSERT_FATAL(bits < 40);
    }
    CU_ASSERT(mfn_x(page_to_mfn(pg)) + 1 <= (1ULL << (bits - PAGE_SHIFT)));
    free_domheap_pages(pg, 0);
    pg = alloc_domheap_pages(mem_u1, 2, MEMF_bits(bits + 2));
    CU_ASSERT_PTR_NOT_NULL_FATAL(pg);
    CU_ASSERT(mfn_x(page_to_mfn(pg)) + 4 <= (1ULL << (bits + 2 - PAGE_SHIFT)));
    free_domheap_pages(pg, 2);
    /* Nothing fits below the lowest RAM frame. */
    CU_ASSERT_PTR_NULL(alloc_domheap_pages(mem_u1, 0, MEMF_bits(PAGE_SHIFT)));
}

/* A plain heap frame handed to the p2m as RAM is the mapping's: p2m
 * release frees it, as the p2m always did. */
static void test_p2m_release_of_heap_frame(void)
{
    uint64_t before = free_now();
    mfn_t m = alloc_pages(0, 0);

    CU_ASSERT_EQUAL(p2m_set_entry(mem_u2, _gfn(40), m, p2m_ram_rw,
                                  p2m_access_rw), 0);
    ORR_ASSERT_EQ_U64(mem_tot(mem_u2), MEM_RAM_PAGES);   /* not u2's */
    CU_ASSERT_EQUAL(p2m_release_ram(mem_u2, _gfn(40), 1), 0);
    ORR_ASSERT_EQ_U64(free_now(), before);
    /* Frames that are no RAM at all are left alone. */
    p2m_ram_released(mem_u2, _mfn(0));
    p2m_ram_released(mem_u2, INVALID_MFN);
}

static void test_set_memory_map(void)
{
    struct memmap_entry e[2] = {
        { .addr = 0, .size = 0xa0000, .type = MEMMAP_RAM },
        { .addr = 0x100000, .size = 0x700000, .type = MEMMAP_RAM },
    };
    struct memmap_entry bad;

    CU_ASSERT_EQUAL(domain_set_memory_map(mem_u1, e, 2), 0);
    CU_ASSERT_EQUAL(mem_u1->memmap->nr, 2);
    ORR_ASSERT_EQ_U64(mem_u1->memmap->e[1].addr, 0x100000);
    ORR_ASSERT_EQ_U64(mem_u1->memmap->e[1].size, 0x700000);
    /* Replaced, not leaked (teardown checks the heap). */
    CU_ASSERT_EQUAL(domain_set_memory_map(mem_u1, e, 1), 0);
    CU_ASSERT_EQUAL(mem_u1->memmap->nr, 1);

    CU_ASSERT_EQUAL(domain_set_memory_map(mem_u1, NULL, 1), -EINVAL);
    CU_ASSERT_EQUAL(domain_set_memory_map(mem_u1, e, 0), -EINVAL);
    CU_ASSERT_EQUAL(domain_set_memory_map(mem_u1, e,
                                          DOMAIN_MEMMAP_MAX + 1), -EINVAL);
    bad = e[0];
    bad.size = 0;
    CU_ASSERT_EQUAL(domain_set_memory_map(mem_u1, &bad, 1), -EINVAL);
    bad = e[0];
    bad.type = 0;
    CU_ASSERT_EQUAL(domain_set_memory_map(mem_u1, &bad, 1), -EINVAL);
    bad.type = MEMMAP_RAM;
    bad.addr = ~0ULL - 0xfff;
    bad.size = 0x2000;
    CU_ASSERT_EQUAL(domain_set_memory_map(mem_u1, &bad, 1), -EINVAL);
    /* The failures changed nothing. */
    CU_ASSERT_EQUAL(mem_u1->memmap->nr, 1);
}

CU_TestInfo pages_tests[] = {
    ORR_CASE(test_alloc_charges_owner_and_limit),
    ORR_CASE(test_alloc_bad_arguments),
    ORR_CASE(test_frames_free_alone),
    ORR_CASE(test_references_keep_a_page),
    ORR_CASE(test_get_page_refuses_other_frames),
    ORR_CASE(test_put_page_without_reference_panics),
    ORR_CASE(test_orphan_outlives_its_owner),
    ORR_CASE(test_destroy_returns_unmapped_pages),
    ORR_CASE(test_new_domain_never_sees_old_bytes),
    ORR_CASE(test_dying_domain_gets_nothing),
    ORR_CASE(test_address_bits),
    ORR_CASE(test_p2m_release_of_heap_frame),
    ORR_CASE(test_set_memory_map),
    CU_TEST_INFO_NULL,
};
