/* SPDX-License-Identifier: MIT */
/*
 * Bad frees must panic and say what was wrong -- and leave the heap as it
 * was, so that the panic message describes the state a debugger sees.
 * Each test checks the stats afterwards and that the heap still works.
 */
#include "mm_test.h"

static struct page_alloc_stats before;

/* 16 MiB at 1 MiB with the first 64 KiB reserved by the "loader". */
static void boot_small(void)
{
    mm_machine_flat(SIM_MEMORY_DEFAULT_BASE, 16 * MiB);
    mm_m.res[0].start = SIM_MEMORY_DEFAULT_BASE;
    mm_m.res[0].end = SIM_MEMORY_DEFAULT_BASE + 64 * 1024;
    mm_m.res[0].what = "loader";
    mm_m.nr_res = 1;
    mm_boot_heap();
}

static void snapshot(void)
{
    page_alloc_stats(&before);
}

/* Nothing changed, and alloc/free still work. */
static void check_heap_intact(void)
{
    struct page_alloc_stats now;
    mfn_t m;

    page_alloc_stats(&now);
    CU_ASSERT(!memcmp(&before, &now, sizeof(now)));
    m = alloc_pages(1, 0);
    CU_ASSERT_FATAL(mfn_x(m) != mfn_x(INVALID_MFN));
    free_pages(m, 1);
    page_alloc_stats(&now);
    CU_ASSERT(!memcmp(&before, &now, sizeof(now)));
}

static void test_free_pages_double_free_panics(void)
{
    mfn_t m;

    boot_small();
    m = alloc_pages(2, 0);
    free_pages(m, 2);
    snapshot();
    MM_EXPECT_PANIC(free_pages(m, 2), "is already free (double free");
    check_heap_intact();
}

/* A frame that is free RAM but inside a free block (not its head). */
static void test_free_pages_of_never_allocated_frame_panics(void)
{
    mfn_t m;

    boot_small();
    snapshot();
    m = _mfn((SIM_MEMORY_DEFAULT_BASE >> PAGE_SHIFT) + 1000);
    CU_ASSERT(mfn_to_page(m)->count_info & PGC_free);
    MM_EXPECT_PANIC(free_pages(m, 0), "already free (double free, or never "
                    "allocated)");
    check_heap_intact();
}

static void test_free_pages_of_reserved_frame_panics(void)
{
    mfn_t loader = paddr_to_mfn(SIM_MEMORY_DEFAULT_BASE + 8192);
    mfn_t table;

    boot_small();
    snapshot();
    MM_EXPECT_PANIC(free_pages(loader, 0), "is reserved");

    /* The frame table sits in the last frames; it is reserved too. */
    table = _mfn(((SIM_MEMORY_DEFAULT_BASE + 16 * MiB) >> PAGE_SHIFT) - 1);
    MM_EXPECT_PANIC(free_pages(table, 0), "is reserved");
    check_heap_intact();
}

static void test_free_pages_of_hole_frame_panics(void)
{
    mfn_t hole = paddr_to_mfn(SIM_MEMORY_DEFAULT_BASE + 16 * MiB + 4096);

    mm_machine_holes();
    mm_boot_heap();
    snapshot();
    CU_ASSERT(mfn_valid(hole));
    MM_EXPECT_PANIC(free_pages(hole, 0), "0x1101 is reserved");
    check_heap_intact();
}

static void test_free_pages_outside_ram_panics(void)
{
    boot_small();
    snapshot();
    MM_EXPECT_PANIC(free_pages(_mfn(0), 0),
                    "frame 0x0 is not RAM known to the page allocator");
    MM_EXPECT_PANIC(free_pages(_mfn(0x1100), 0), "frame 0x1100 is not RAM");
    MM_EXPECT_PANIC(free_pages(INVALID_MFN, 0), "is not RAM");
    MM_EXPECT_PANIC(mfn_to_page(_mfn(0x1100)),
                    "frame 0x1100 has no frame table entry");
    check_heap_intact();
}

static void test_free_pages_with_wrong_order_panics(void)
{
    mfn_t m;

    boot_small();
    m = alloc_pages(3, 0);
    snapshot();
    MM_EXPECT_PANIC(free_pages(m, 2), "freed with order 2, allocated with "
                    "order 3");
    MM_EXPECT_PANIC(free_pages(m, MAX_ORDER + 1), "bad order 19");
    check_heap_intact();
    free_pages(m, 3);
}

static void test_free_pages_inside_a_block_panics(void)
{
    mfn_t m;

    boot_small();
    m = alloc_pages(3, 0);
    snapshot();
    MM_EXPECT_PANIC(free_pages(_mfn(mfn_x(m) + 4), 2),
                    "is inside an allocated block, not its first frame");
    check_heap_intact();
    free_pages(m, 3);
}

static void test_free_pages_of_xmalloc_memory_panics(void)
{
    void *small, *large;

    boot_small();
    small = xmalloc_bytes(100);
    large = xmalloc_bytes(3 * PAGE_SIZE);
    snapshot();
    MM_EXPECT_PANIC(free_pages(arch_virt_to_mfn(small), 0),
                    "belongs to xmalloc-pool, freed as heap");
    MM_EXPECT_PANIC(free_page_virt(large, 2),
                    "belongs to xmalloc-large, freed as heap");
    check_heap_intact();
    xfree(small);
    xfree(large);
}

static void test_free_page_virt_of_unaligned_pointer_panics(void)
{
    uint8_t *va;

    boot_small();
    va = alloc_page_virt(0, 0);
    snapshot();
    MM_EXPECT_PANIC(free_page_virt(va + 8, 0), "is not page aligned");
    check_heap_intact();
    free_page_virt(va, 0);
}

CU_TestInfo buddy_misuse_tests[] = {
    ORR_CASE(test_free_pages_double_free_panics),
    ORR_CASE(test_free_pages_of_never_allocated_frame_panics),
    ORR_CASE(test_free_pages_of_reserved_frame_panics),
    ORR_CASE(test_free_pages_of_hole_frame_panics),
    ORR_CASE(test_free_pages_outside_ram_panics),
    ORR_CASE(test_free_pages_with_wrong_order_panics),
    ORR_CASE(test_free_pages_inside_a_block_panics),
    ORR_CASE(test_free_pages_of_xmalloc_memory_panics),
    ORR_CASE(test_free_page_virt_of_unaligned_pointer_panics),
    CU_TEST_INFO_NULL,
};
