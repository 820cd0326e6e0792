/* SPDX-License-Identifier: MIT */
/*
 * The ELF reader against images built here byte by byte: a PVH-style
 * ELF-64 and ELF-32 kernel with Xen's PHYS32_ENTRY note, then one broken
 * image per check the reader makes.
 */
#include <orrery/elf.h>
#include <orrery/errno.h>
#include <string.h>

#include "orr_test.h"

static uint8_t img[8192];

static void put(unsigned int off, uint64_t v, unsigned int bytes)
{
    for ( unsigned int i = 0; i < bytes; i++ )
        img[off + i] = (uint8_t)(v >> (8 * i));
}

/* A Xen note at @off: "Xen\0", type 18, desc @descsz bytes of @entry. */
static unsigned int put_note(unsigned int off, uint32_t entry,
                             unsigned int descsz)
{
    put(off, 4, 4);
    put(off + 4, descsz, 4);
    put(off + 8, XEN_ELFNOTE_PHYS32_ENTRY, 4);
    memcpy(img + off + 12, "Xen", 4);
    put(off + 16, entry, descsz);
    return 16 + ((descsz + 3) & ~3u);
}

/*
 * ELF-64: header, 3 program headers at 64 (LOAD .text 0x100000 from file
 * 0x1000, 0x200 bytes; LOAD .bss-ish 0x200000, 0x100 file bytes of 0x3000;
 * NOTE at 0x1800), entry 0xffffffff80001000.
 */
static size_t build64(void)
{
    unsigned int ph = 64, notelen;

    memset(img, 0, sizeof(img));
    memcpy(img, "\x7f" "ELF", 4);
    img[4] = 2;                 /* ELFCLASS64 */
    img[5] = 1;                 /* little-endian */
    img[6] = 1;
    put(16, 2, 2);              /* ET_EXEC */
    put(18, ELF_EM_X86_64, 2);
    put(20, 1, 4);
    put(24, 0xffffffff80001000ULL, 8);
    put(32, ph, 8);
    put(52, 64, 2);
    put(54, 56, 2);
    put(56, 3, 2);

    put(ph, 1, 4);                      /* PT_LOAD */
    put(ph + 8, 0x1000, 8);
    put(ph + 24, 0x100000, 8);
    put(ph + 32, 0x200, 8);
    put(ph + 40, 0x200, 8);
    ph += 56;
    put(ph, 1, 4);
    put(ph + 8, 0x1400, 8);
    put(ph + 24, 0x200000, 8);
    put(ph + 32, 0x100, 8);
    put(ph + 40, 0x3000, 8);
    ph += 56;
    notelen = put_note(0x1800, 0x100040, 4);
    put(ph, 4, 4);                      /* PT_NOTE */
    put(ph + 8, 0x1800, 8);
    put(ph + 32, notelen, 8);
    for ( unsigned int i = 0; i < 0x200; i++ )
        img[0x1000 + i] = (uint8_t)i;
    memset(img + 0x1400, 0xab, 0x100);
    return 0x2000;
}

static size_t build32(void)
{
    unsigned int notelen;

    memset(img, 0, sizeof(img));
    memcpy(img, "\x7f" "ELF", 4);
    img[4] = 1;                 /* ELFCLASS32 */
    img[5] = 1;
    put(16, 2, 2);
    put(18, ELF_EM_386, 2);
    put(20, 1, 4);
    put(24, 0x101000, 4);
    put(28, 52, 4);
    put(42, 32, 2);
    put(44, 2, 2);
    put(52, 1, 4);              /* PT_LOAD */
    put(52 + 4, 0x1000, 4);
    put(52 + 12, 0x101000, 4);
    put(52 + 16, 0x80, 4);
    put(52 + 20, 0x1000, 4);
    notelen = put_note(0x1100, 0x101000, 8);
    put(84, 4, 4);              /* PT_NOTE */
    put(84 + 4, 0x1100, 4);
    put(84 + 16, notelen, 4);
    return 0x1200;
}

static struct elf_image e;
static const char *why;

static void test_elf64_pvh_kernel(void)
{
    size_t n = build64();

    CU_ASSERT_EQUAL_FATAL(elf_parse(img, n, &e, &why), 0);
    CU_ASSERT(e.is64);
    CU_ASSERT_EQUAL(e.machine, ELF_EM_X86_64);
    ORR_ASSERT_EQ_U64(e.entry, 0xffffffff80001000ULL);
    CU_ASSERT(e.has_phys32_entry);
    CU_ASSERT_EQUAL(e.phys32_entry, 0x100040);
    CU_ASSERT_EQUAL(e.nr_segments, 2);
    ORR_ASSERT_EQ_U64(e.lowest, 0x100000);
    ORR_ASSERT_EQ_U64(e.highest, 0x203000);
}

static void test_elf32_note_of_8_bytes(void)
{
    size_t n = build32();

    CU_ASSERT_EQUAL_FATAL(elf_parse(img, n, &e, &why), 0);
    CU_ASSERT(!e.is64);
    CU_ASSERT_EQUAL(e.machine, ELF_EM_386);
    CU_ASSERT(e.has_phys32_entry);
    CU_ASSERT_EQUAL(e.phys32_entry, 0x101000);
    ORR_ASSERT_EQ_U64(e.seg[0].memsz, 0x1000);
}

/* Memory for elf_load: 4 MiB of "guest", recording what was written. */
static uint8_t mem[0x400000];
static unsigned int copies, zeroes;

static int mem_copy(void *ctx, uint64_t pa, const void *src, size_t n)
{
    (void)ctx;
    if ( pa > sizeof(mem) || n > sizeof(mem) - pa )
        return -EFAULT;
    memcpy(mem + pa, src, n);
    copies++;
    return 0;
}

static int mem_zero(void *ctx, uint64_t pa, size_t n)
{
    (void)ctx;
    if ( pa > sizeof(mem) || n > sizeof(mem) - pa )
        return -EFAULT;
    memset(mem + pa, 0, n);
    zeroes++;
    return 0;
}

static void test_load(void)
{
    size_t n = build64();

    memset(mem, 0x5a, sizeof(mem));
    copies = zeroes = 0;
    CU_ASSERT_EQUAL_FATAL(elf_parse(img, n, &e, &why), 0);
    CU_ASSERT_EQUAL(elf_load(&e, mem_copy, mem_zero, NULL), 0);
    CU_ASSERT_EQUAL(copies, 2);
    CU_ASSERT_EQUAL(zeroes, 1);             /* only the second has a tail */
    CU_ASSERT_EQUAL(mem[0x100000 + 0x1ff], 0xff);
    CU_ASSERT_EQUAL(mem[0x100200], 0x5a);   /* nothing past memsz */
    CU_ASSERT_EQUAL(mem[0x2000ff], 0xab);
    CU_ASSERT_EQUAL(mem[0x200100], 0);      /* zeroed tail */
    CU_ASSERT_EQUAL(mem[0x202fff], 0);
    CU_ASSERT_EQUAL(mem[0x203000], 0x5a);
    /* A destination that refuses stops the load with its error. */
    e.seg[1].paddr = sizeof(mem);
    CU_ASSERT_EQUAL(elf_load(&e, mem_copy, mem_zero, NULL), -EFAULT);
}

/* One broken image per check: each must fail with its own message. */
static void expect_bad(size_t n, const char *msg)
{
    why = NULL;
    CU_ASSERT_EQUAL(elf_parse(img, n, &e, &why), -EINVAL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(why);
    ORR_ASSERT_STREQ(why, msg);
}

static void test_bad_headers(void)
{
    build64();
    expect_bad(40, "not an ELF file");
    img[0] = 0x7e;
    expect_bad(0x2000, "not an ELF file");
    build64();
    img[4] = 3;
    expect_bad(0x2000, "unknown ELF class");
    build64();
    img[5] = 2;
    expect_bad(0x2000, "not a little-endian ELF file");
    build64();
    expect_bad(60, "the ELF header is truncated");
    put(16, 3, 2);                          /* ET_DYN */
    expect_bad(0x2000, "not an executable (ET_EXEC) ELF file");
    build64();
    put(20, 2, 4);
    expect_bad(0x2000, "unknown ELF version");
    build64();
    put(54, 40, 2);
    expect_bad(0x2000, "program headers are too small");
    build64();
    put(32, 0x1ff0, 8);                     /* phdrs past the end */
    expect_bad(0x2000, "the program headers lie outside the file");
    build64();
    put(32, ~0ULL - 8, 8);                  /* offset + size wraps */
    expect_bad(0x2000, "the program headers lie outside the file");
    build64();
    put(56, 0, 2);
    expect_bad(0x2000, "the program headers lie outside the file");
}

static void test_bad_segments(void)
{
    build64();
    put(64 + 32, 0x201, 8);                 /* filesz > memsz */
    expect_bad(0x2000, "a segment has more file bytes than memory bytes");
    build64();
    put(64 + 8, 0x1f00, 8);                 /* bytes past the file */
    expect_bad(0x2000, "a segment lies outside the file");
    build64();
    put(64 + 24, ~0ULL - 0x100, 8);         /* paddr + memsz wraps */
    expect_bad(0x2000, "a segment wraps around the address space");
    build64();
    put(64, 0, 4);                          /* PT_NULL: skipped */
    put(64 + 56, 6, 4);                     /* PT_PHDR: skipped */
    expect_bad(0x2000, "no loadable segment");
}

static void test_bad_notes(void)
{
    build64();
    put(0x1800 + 4, 0x100, 4);              /* descsz past the segment */
    expect_bad(0x2000, "an ELF note runs past its segment");
    build64();
    put(0x1800 + 4, 2, 4);                  /* a 2-byte entry */
    expect_bad(0x2000, "the PHYS32_ENTRY note is not 4 or 8 bytes");
    build64();
    put(64 + 112 + 8, 0x1ff8, 8);           /* note segment outside */
    expect_bad(0x2000, "a note segment lies outside the file");
    /* Another owner's note with the same type is not Xen's. */
    build64();
    memcpy(img + 0x1800 + 12, "Gnu", 4);
    CU_ASSERT_EQUAL(elf_parse(img, 0x2000, &e, &why), 0);
    CU_ASSERT(!e.has_phys32_entry);
}

static void test_too_many_segments(void)
{
    build64();
    put(56, 40, 2);                         /* 40 headers from 64 */
    for ( unsigned int i = 0; i < 40; i++ )
    {
        unsigned int ph = 64 + i * 56;

        memset(img + ph, 0, 56);
        put(ph, 1, 4);
        put(ph + 24, 0x100000 + i * 0x1000, 8);
        put(ph + 40, 0x1000, 8);
    }
    expect_bad(0x2000 + 40 * 56, "too many loadable segments");
}

static CU_TestInfo tests[] = {
    ORR_CASE(test_elf64_pvh_kernel),
    ORR_CASE(test_elf32_note_of_8_bytes),
    ORR_CASE(test_load),
    ORR_CASE(test_bad_headers),
    ORR_CASE(test_bad_segments),
    ORR_CASE(test_bad_notes),
    ORR_CASE(test_too_many_segments),
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "elf", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
