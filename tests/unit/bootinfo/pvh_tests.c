/* SPDX-License-Identifier: MIT */
/*
 * pvh.c against malformed start infos. Each test names the flaw the
 * parser had when it trusted the loader's pointers and counts; a read
 * outside the block aborts (loader_mem.c) or is an ASan report.
 */
#include <orr_test.h>
#include <orrery/console.h>
#include <public/hvm/start_info.h>
#include <sim/sim.h>
#include "block.h"

#define PA(off) (LOADER_BASE + (off))

static struct hvm_start_info si;

static void si_init(uint32_t version)
{
    si = (struct hvm_start_info){ .magic = XEN_HVM_START_MAGIC_VALUE,
                                  .version = version };
}

/* Put the start info first (its pointers patched in at the end). */
static void si_put(size_t size)
{
    put_bytes(&si, size);
}

static void si_patch(void)
{
    block_patch(0, &si, sizeof(si));
}

static void put_memmap_entry(uint64_t addr, uint64_t size, uint32_t type)
{
    struct hvm_memmap_table_entry e = { addr, size, type, 0 };

    put_bytes(&e, sizeof(e));
}

static void put_module(uint64_t paddr, uint64_t size, uint64_t cmdline)
{
    struct hvm_modlist_entry m = { paddr, size, cmdline, 0 };

    put_bytes(&m, sizeof(m));
}

static void test_valid_start_info(void)
{
    si_init(1);
    si_put(sizeof(si));
    si.cmdline_paddr = PA(put_bytes("console=com1", 13));
    pad8();
    si.memmap_paddr = PA(block_len());
    put_memmap_entry(0, 0x9fc00, 1);
    put_memmap_entry(0x100000, 0x3ff00000, 1);
    si.memmap_entries = 2;
    si.modlist_paddr = PA(block_len());
    si.nr_modules = 1;
    put_module(0x400000, 0x1000, PA(sizeof(si)));
    si_patch();
    run_pvh(-1);

    ORR_ASSERT_STREQ(bi.loader, "PVH");
    ORR_ASSERT_STREQ(bi.cmdline, "console=com1");
    ORR_ASSERT_EQ_U64(bi.map.nr, 2);
    ORR_ASSERT_EQ_U64(bi.map.e[1].size, 0x3ff00000);
    ORR_ASSERT_EQ_U64(bi.nr_modules, 1);
    ORR_ASSERT_STREQ(bi.modules[0].cmdline, "console=com1");
    ORR_ASSERT_NOT_CONTAINS(ring(), "PVH:");
}

/* Flaw: 56 bytes were read whatever the version; a version 0 start info
 * is 40 bytes long, so the last 16 came from past its end. */
static void test_version0_is_40_bytes(void)
{
    si_init(0);
    si_put(40);
    run_pvh(-1);
    ORR_ASSERT_EQ_U64(bi.map.nr, 0);
    ORR_ASSERT_EQ_U64(bi.nr_reserved, 1);

    block_reset();
    si_init(1);
    si_put(40);
    run_pvh(-1);
    ORR_ASSERT_CONTAINS(ring(), "version 1 start info at 0x100000 runs past "
                        "mapped memory, read as version 0");
}

/* Flaw: the memory map array was read wherever it pointed, for as many
 * entries as it claimed. */
static void test_memmap_unmapped(void)
{
    si_init(1);
    si_put(sizeof(si));
    put_memmap_entry(0, 0x1000, 1);
    si.memmap_paddr = PA(sizeof(si));
    si.memmap_entries = 3;
    si_patch();
    run_pvh(-1);
    ORR_ASSERT_EQ_U64(bi.map.nr, 0);
    ORR_ASSERT_CONTAINS(ring(), "memory map (3 entries at 0x100038) runs "
                        "past mapped memory, ignored");
}

/* Flaw: one warning per dropped entry: a count of 2^32 - 1 meant four
 * billion printks. Now the count is cut to what the map can hold. */
static void test_memmap_too_many(void)
{
    si_init(1);
    si_put(sizeof(si));
    for ( unsigned int i = 0; i < MEMMAP_MAX + 10; i++ )
        put_memmap_entry(i * 0x2000ULL, 0x1000, 1);
    si.memmap_paddr = PA(sizeof(si));
    si.memmap_entries = 0xffffffff;
    si_patch();
    run_pvh(-1);
    ORR_ASSERT_EQ_U64(bi.map.nr, MEMMAP_MAX);
    ORR_ASSERT_CONTAINS(ring(), "4294967295 memory map entries, only the "
                        "first 128 are kept");
}

/* Flaw: the module list was read for nr_modules entries wherever it
 * pointed; more than BOOT_MAX_MODULES were looked at one by one. */
static void test_modlist_bounded(void)
{
    si_init(1);
    si_put(sizeof(si));
    si.modlist_paddr = PA(block_len());
    si.nr_modules = 3;
    put_module(0x400000, 0x1000, 0);
    si_patch();
    run_pvh(-1);
    ORR_ASSERT_EQ_U64(bi.nr_modules, 0);
    ORR_ASSERT_CONTAINS(ring(), "module list (3 entries at 0x100038) runs "
                        "past mapped memory, ignored");

    block_reset();
    si_init(1);
    si_put(sizeof(si));
    si.modlist_paddr = PA(block_len());
    si.nr_modules = 1000;
    for ( unsigned int i = 0; i < BOOT_MAX_MODULES; i++ )
        put_module(0x400000 + i * 0x1000, 0x1000, 0);
    si_patch();
    run_pvh(-1);
    ORR_ASSERT_EQ_U64(bi.nr_modules, BOOT_MAX_MODULES);
    ORR_ASSERT_CONTAINS(ring(), "only 16 modules are kept");

    block_reset();
    si_init(1);
    si_put(sizeof(si));
    si.nr_modules = 2;
    si_patch();
    run_pvh(-1);
    ORR_ASSERT_CONTAINS(ring(), "2 modules but no module list");
}

/* Flaw: paddr + size of a module could wrap, reserving a reversed
 * range. */
static void test_module_wraps(void)
{
    si_init(1);
    si_put(sizeof(si));
    si.modlist_paddr = PA(block_len());
    si.nr_modules = 1;
    put_module(0xfffffffffffff000ULL, 0x2000, 0);
    si_patch();
    run_pvh(-1);
    ORR_ASSERT_EQ_U64(bi.nr_modules, 0);
    ORR_ASSERT_CONTAINS(ring(), "module 0 (0xfffffffffffff000, 0x2000 bytes) "
                        "wraps the address space, ignored");
}

/* Flaw: the command line was copied with strlcpy() from wherever it
 * pointed and read up to a NUL that might never come. */
static void test_cmdline_unmapped_or_unterminated(void)
{
    si_init(1);
    si.cmdline_paddr = 0x200000000ULL;
    si_put(sizeof(si));
    run_pvh(-1);
    ORR_ASSERT_STREQ(bi.cmdline, "");
    ORR_ASSERT_CONTAINS(ring(), "string at 0x200000000 is not mapped");

    block_reset();
    si_init(1);
    si_put(sizeof(si));
    si.cmdline_paddr = PA(put_bytes("loglvl", 6));   /* last bytes, no NUL */
    si_patch();
    run_pvh(-1);
    ORR_ASSERT_STREQ(bi.cmdline, "");
    ORR_ASSERT_CONTAINS(ring(), "string at 0x100038 runs past mapped "
                        "memory, ignored");
}

/* Without a readable start info with the right magic nothing can boot:
 * those stay panics, with the address in the message. */
static void test_bad_start_info_panics(void)
{
    static const uint32_t zero[14];

    put_bytes(zero, sizeof(zero));
    if ( SIM_CATCH_HALT() == 0 )
    {
        run_pvh(-1);
        CU_FAIL("a start info with magic 0 was accepted");
    }
    else
        ORR_ASSERT_CONTAINS(sim_console_text(), "PVH: start info at "
                            "0x100000 has magic 0");
    console_force_unlock();

    block_reset();
    put_bytes(zero, 8);
    if ( SIM_CATCH_HALT() == 0 )
    {
        run_pvh(-1);
        CU_FAIL("an 8-byte start info was accepted");
    }
    else
        ORR_ASSERT_CONTAINS(sim_console_text(), "PVH: start info at "
                            "0x100000 is not mapped");
    console_force_unlock();
}

CU_TestInfo pvh_tests[] = {
    ORR_CASE(test_valid_start_info),
    ORR_CASE(test_version0_is_40_bytes),
    ORR_CASE(test_memmap_unmapped),
    ORR_CASE(test_memmap_too_many),
    ORR_CASE(test_modlist_bounded),
    ORR_CASE(test_module_wraps),
    ORR_CASE(test_cmdline_unmapped_or_unterminated),
    ORR_CASE(test_bad_start_info_panics),
    CU_TEST_INFO_NULL,
};
