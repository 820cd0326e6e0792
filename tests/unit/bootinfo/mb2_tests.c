/* SPDX-License-Identifier: MIT */
/*
 * multiboot2.c against malformed info blocks. Each test names the flaw
 * the parser had when it trusted the loader; ASan (the block is an
 * exactly sized heap copy) and loader_mem.c's out-of-bounds abort catch
 * any read past the block, so "returns with the warning" is the check.
 */
#include <orr_test.h>
#include "block.h"

/* Start a block: total (patched by mb2_end), reserved. */
static void mb2_begin(void)
{
    put32(0);
    put32(0);
}

/* A tag with @n bytes of payload, padded to 8; returns its offset. */
static size_t mb2_tag(uint32_t type, const void *payload, size_t n)
{
    size_t at = put32(type);

    put32(8 + n);
    put_bytes(payload, n);
    pad8();
    return at;
}

static void mb2_end(void)
{
    put32(0);
    put32(8);
    set32(0, block_len());
}

static void mb2_mmap_tag(uint32_t entry_size, unsigned int n)
{
    size_t at = put32(6);

    put32(0);
    put32(entry_size);
    put32(0);
    for ( unsigned int i = 0; i < n; i++ )
    {
        put64(0x100000ULL * (i + 1));
        put64(0x100000);
        put32(1);
        put32(0);
        for ( uint32_t k = 24; k < entry_size; k++ )
            put_bytes("", 1);
    }
    set32(at + 4, block_len() - at);
    pad8();
}

static void test_valid_block(void)
{
    static const uint8_t mod[] = { 0, 0, 0x40, 0, 0, 0, 0x50, 0, 'd', 'o',
                                   'm', '0', 0 };
    static const char rsdp[20] = "RSD PTR ";

    mb2_begin();
    mb2_tag(1, "/boot/orrery loglvl=all", 24);
    mb2_tag(2, "GRUB 2.06", 10);
    mb2_tag(3, mod, sizeof(mod));
    mb2_mmap_tag(24, 2);
    mb2_tag(14, rsdp, sizeof(rsdp));
    mb2_end();
    run_mb2(-1);

    ORR_ASSERT_STREQ(bi.cmdline, "loglvl=all");
    ORR_ASSERT_STREQ(bi.loader, "multiboot2 (GRUB 2.06)");
    ORR_ASSERT_EQ_U64(bi.nr_modules, 1);
    ORR_ASSERT_EQ_U64(bi.modules[0].start, 0x400000);
    ORR_ASSERT_EQ_U64(bi.modules[0].size, 0x100000);
    ORR_ASSERT_STREQ(bi.modules[0].cmdline, "dom0");
    ORR_ASSERT_EQ_U64(bi.map.nr, 2);
    ORR_ASSERT_EQ_U64(bi.map.e[1].addr, 0x200000);
    CU_ASSERT(x86_rsdp_paddr != 0);
    ORR_ASSERT_NOT_CONTAINS(ring(), "multiboot2:");
}

/* Flaw: a tag's size was not checked against the total size, so a tag
 * claiming more than the block read (and walked) past it. */
static void test_tag_past_total(void)
{
    size_t at;

    mb2_begin();
    mb2_tag(2, "ok", 3);
    at = mb2_tag(1, "console=com1", 13);
    mb2_end();
    set32(at + 4, 4096);
    run_mb2(-1);

    ORR_ASSERT_STREQ(bi.loader, "multiboot2 (ok)");
    ORR_ASSERT_STREQ(bi.cmdline, "");
    ORR_ASSERT_CONTAINS(ring(), "tag type 1 at offset 24 has size 4096, "
                        "outside the");
}

/* Flaw: ROUNDUP(size, 8) in 32 bits wrapped to 0 for a size near 4 GiB,
 * so the walk stood still on one tag forever. */
static void test_tag_size_wraps(void)
{
    size_t at;

    mb2_begin();
    at = mb2_tag(7, "", 0);
    mb2_end();
    set32(at + 4, 0xfffffff9);
    run_mb2(-1);
    ORR_ASSERT_CONTAINS(ring(), "has size 4294967289, outside the");
}

/* Flaw: the memory-map walk was bounded by the tag only, and the tag was
 * not bounded by the block: entries were read past the info block. */
static void test_mmap_bounded_by_block(void)
{
    mb2_begin();
    mb2_mmap_tag(24, 2);
    mb2_end();
    set32(8 + 4, 16 + 24 * 100);
    run_mb2(-1);
    ORR_ASSERT_EQ_U64(bi.map.nr, 0);
    ORR_ASSERT_CONTAINS(ring(), "tag type 6 at offset 8");
}

/* Flaw: an entry size below 24 was a panic; it is a bad tag, not a
 * reason to stop the machine (memory_init() says so if no map is left). */
static void test_mmap_entry_size_too_small(void)
{
    mb2_begin();
    mb2_mmap_tag(16, 0);
    mb2_end();
    run_mb2(-1);
    ORR_ASSERT_EQ_U64(bi.map.nr, 0);
    ORR_ASSERT_CONTAINS(ring(), "memory map entry size 16 is below 24");
}

/* An odd entry size (the spec wants multiples of 8) is read unaligned
 * with memcpy, not through a misaligned pointer (UBSan would stop it). */
static void test_mmap_odd_entry_size(void)
{
    mb2_begin();
    mb2_mmap_tag(25, 3);
    mb2_end();
    run_mb2(-1);
    ORR_ASSERT_EQ_U64(bi.map.nr, 3);
    ORR_ASSERT_EQ_U64(bi.map.e[2].addr, 0x300000);
}

/* Flaw: strings were copied with strlcpy(), which reads to the NUL
 * wherever it is: an unterminated command line at the end of the block
 * was read past it. Now it is cut at the end of its tag. */
static void test_string_unterminated(void)
{
    mb2_begin();
    mb2_tag(1, "loglvl=all", 10);       /* no NUL, then padding */
    mb2_end();
    run_mb2(8 + 8 + 10);                /* the block ends with the string */
    ORR_ASSERT_CONTAINS(ring(), "runs past mapped memory");

    block_reset();
    mb2_begin();
    put32(1);
    put32(8 + 10);
    put_bytes("loglvl=all", 10);
    put_bytes("xxxxxx", 6);             /* not NUL padding */
    mb2_end();
    run_mb2(-1);
    ORR_ASSERT_STREQ(bi.cmdline, "loglvl=all");
    ORR_ASSERT_CONTAINS(ring(), "command line not NUL-terminated within "
                        "its tag, cut at 10 bytes");
}

/* Flaw: a module tag shorter than its two addresses read them from the
 * next tag, and mod_end < mod_start gave a size near 2^64 and a
 * reversed reserved range. */
static void test_module_short_or_reversed(void)
{
    static const uint8_t rev[] = { 0, 0, 0x50, 0, 0, 0, 0x40, 0, 0 };

    mb2_begin();
    mb2_tag(3, "abcd", 4);
    mb2_tag(3, rev, sizeof(rev));
    mb2_end();
    run_mb2(-1);
    ORR_ASSERT_EQ_U64(bi.nr_modules, 0);
    ORR_ASSERT_EQ_U64(bi.nr_reserved, 1);
    ORR_ASSERT_CONTAINS(ring(), "module tag of 12 bytes is too short");
    ORR_ASSERT_CONTAINS(ring(), "module 0 ends (0x400000) before it starts "
                        "(0x500000)");
}

/* Flaw: the total size was used without a check: a block that is not all
 * mapped, or too small for its header, was read anyway. */
static void test_total_size_checked(void)
{
    mb2_begin();
    mb2_end();
    set32(0, 12);
    run_mb2(-1);
    ORR_ASSERT_EQ_U64(bi.nr_reserved, 0);
    ORR_ASSERT_CONTAINS(ring(), "info block of 12 bytes is too small");

    block_reset();
    mb2_begin();
    mb2_end();
    set32(0, 64);
    run_mb2(-1);
    ORR_ASSERT_EQ_U64(bi.nr_reserved, 0);
    ORR_ASSERT_CONTAINS(ring(), "(64 bytes) runs past mapped memory");

    block_reset();
    run_mb2(0);
    ORR_ASSERT_STREQ(bi.loader, "multiboot2");
    ORR_ASSERT_CONTAINS(ring(), "is not mapped, ignored");
}

static void test_no_end_tag(void)
{
    mb2_begin();
    mb2_tag(2, "L", 2);
    set32(0, block_len());
    run_mb2(-1);
    ORR_ASSERT_STREQ(bi.loader, "multiboot2 (L)");
    ORR_ASSERT_CONTAINS(ring(), "no end tag within the 24-byte info block");
}

/* Flaw: an ACPI tag shorter than an RSDP left stale bytes in the copy
 * that acpi.c then trusted. */
static void test_acpi_tag_too_short(void)
{
    mb2_begin();
    mb2_tag(15, "RSD PTR ", 8);
    mb2_end();
    run_mb2(-1);
    ORR_ASSERT_EQ_U64(x86_rsdp_paddr, 0);
    ORR_ASSERT_CONTAINS(ring(), "ACPI tag holds 8 bytes, less than an RSDP");
}

CU_TestInfo mb2_tests[] = {
    ORR_CASE(test_valid_block),
    ORR_CASE(test_tag_past_total),
    ORR_CASE(test_tag_size_wraps),
    ORR_CASE(test_mmap_bounded_by_block),
    ORR_CASE(test_mmap_entry_size_too_small),
    ORR_CASE(test_mmap_odd_entry_size),
    ORR_CASE(test_string_unterminated),
    ORR_CASE(test_module_short_or_reversed),
    ORR_CASE(test_total_size_checked),
    ORR_CASE(test_no_end_tag),
    ORR_CASE(test_acpi_tag_too_short),
    CU_TEST_INFO_NULL,
};
