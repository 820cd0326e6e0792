/* SPDX-License-Identifier: MIT */
/*
 * Guest page-table walks in every paging mode (AMD APM vol. 2 §5), with
 * tables built in the guest's RAM: translations, superpages, each #PF
 * error code, accessed/dirty bits, and tables outside the guest's RAM.
 */
#include "hvm_test.h"

#define P  0x1ULL
#define RW 0x2ULL
#define US 0x4ULL
#define A  0x20ULL
#define D  0x40ULL
#define PS 0x80ULL
#define NX (1ULL << 63)

#define CR0_PE 0x1ULL
#define CR0_WP (1ULL << 16)
#define CR0_PG (1ULL << 31)
#define CR4_PSE 0x10ULL
#define CR4_PAE 0x20ULL
#define EFER_LME 0x100ULL
#define EFER_LMA 0x400ULL
#define EFER_NXE 0x800ULL

static void put64(uint64_t gpa, uint64_t v)
{
    CU_ASSERT_FATAL(copy_to_guest(hvm_vcpu, gpa, &v, 8) == 0);
}

static void put32(uint64_t gpa, uint32_t v)
{
    CU_ASSERT_FATAL(copy_to_guest(hvm_vcpu, gpa, &v, 4) == 0);
}

static uint64_t get64(uint64_t gpa)
{
    uint64_t v = 0;

    CU_ASSERT(copy_from_guest(hvm_vcpu, &v, gpa, 8) == 0);
    return v;
}

static void zero_pages(uint64_t gpa, unsigned int n)
{
    static const uint8_t z[PAGE_SIZE];

    for ( unsigned int i = 0; i < n; i++ )
        CU_ASSERT_FATAL(copy_to_guest(hvm_vcpu, gpa + i * PAGE_SIZE, z,
                                      PAGE_SIZE) == 0);
}

static const struct hvm_paging long_mode = {
    .cr0 = CR0_PE | CR0_PG | CR0_WP, .cr3 = 0x10000, .cr4 = CR4_PAE,
    .efer = EFER_LME | EFER_LMA | EFER_NXE, .cpl = 0,
};

/* PML4 0x10000 -> PDPT 0x11000 -> PD 0x12000 -> PT 0x13000:
 *   0x400000 (PD[2] -> PT[0]) 4 KiB -> 0x20000, user, writable
 *   0x401000                   4 KiB -> 0x21000, supervisor, read-only, NX
 *   0x600000 (PD[3], PS)       2 MiB -> 0x000000 (gpa 0), writable
 *   0x40000000 (PDPT[1], PS)   1 GiB -> 0, read-only */
static void build_long_mode(void)
{
    zero_pages(0x10000, 4);
    put64(0x10000, 0x11000 | P | RW | US);
    put64(0x11000, 0x12000 | P | RW | US);
    put64(0x11008, 0x0 | P | US | PS);
    put64(0x12000 + 2 * 8, 0x13000 | P | RW | US);
    put64(0x12000 + 3 * 8, 0x0 | P | RW | US | PS);
    put64(0x13000, 0x20000 | P | RW | US);
    put64(0x13008, 0x21000 | P | NX);
}

static int walk(const struct hvm_paging *pg, uint64_t lin,
                enum hvm_access acc, uint64_t *gpa, uint32_t *pfec)
{
    *gpa = ~0ULL;
    *pfec = ~0u;
    return hvm_linear_to_phys(hvm_vcpu, pg, lin, acc, gpa, pfec);
}

static void test_no_paging(void)
{
    struct hvm_paging pg = { .cr0 = CR0_PE };
    uint64_t gpa;
    uint32_t pfec;

    CU_ASSERT_EQUAL(walk(&pg, 0x123456789ULL, HVM_READ, &gpa, &pfec), 0);
    ORR_ASSERT_EQ_U64(gpa, 0x23456789ULL);      /* 32-bit linear space */
}

static void test_long_mode_4k(void)
{
    uint64_t gpa;
    uint32_t pfec;

    build_long_mode();
    CU_ASSERT_EQUAL(walk(&long_mode, 0x400abc, HVM_READ, &gpa, &pfec), 0);
    ORR_ASSERT_EQ_U64(gpa, 0x20abc);
    /* Accessed on every level, not dirty after a read ... */
    CU_ASSERT(get64(0x10000) & A);
    CU_ASSERT(get64(0x12010) & A);
    CU_ASSERT((get64(0x13000) & (A | D)) == A);
    /* ... dirty after a write. */
    CU_ASSERT_EQUAL(walk(&long_mode, 0x400abc, HVM_WRITE, &gpa, &pfec), 0);
    CU_ASSERT(get64(0x13000) & D);
    CU_ASSERT(!(get64(0x12010) & D));           /* only the leaf */
}

static void test_long_mode_superpages(void)
{
    uint64_t gpa;
    uint32_t pfec;

    build_long_mode();
    CU_ASSERT_EQUAL(walk(&long_mode, 0x612345, HVM_WRITE, &gpa, &pfec), 0);
    ORR_ASSERT_EQ_U64(gpa, 0x12345);
    CU_ASSERT_EQUAL(walk(&long_mode, 0x40012345, HVM_READ, &gpa, &pfec), 0);
    ORR_ASSERT_EQ_U64(gpa, 0x12345);
    /* The 1 GiB page is read-only: a supervisor write with CR0.WP faults. */
    CU_ASSERT_EQUAL(walk(&long_mode, 0x40012345, HVM_WRITE, &gpa, &pfec),
                    -EFAULT);
    CU_ASSERT_EQUAL(pfec, PFEC_PRESENT | PFEC_WRITE);
}

static void test_fault_codes(void)
{
    struct hvm_paging user = long_mode, nowp = long_mode, nonxe = long_mode;
    uint64_t gpa;
    uint32_t pfec;

    build_long_mode();
    user.cpl = 3;
    nowp.cr0 &= ~CR0_WP;
    nonxe.efer &= ~EFER_NXE;

    /* Not present: P clear, W as the access. */
    CU_ASSERT_EQUAL(walk(&long_mode, 0x402000, HVM_WRITE, &gpa, &pfec),
                    -EFAULT);
    CU_ASSERT_EQUAL(pfec, PFEC_WRITE);
    /* A user read of a supervisor page. */
    CU_ASSERT_EQUAL(walk(&user, 0x401000, HVM_READ, &gpa, &pfec), -EFAULT);
    CU_ASSERT_EQUAL(pfec, PFEC_PRESENT | PFEC_USER);
    /* The user page works for a user. */
    CU_ASSERT_EQUAL(walk(&user, 0x400000, HVM_WRITE, &gpa, &pfec), 0);
    /* A supervisor write to a read-only page: faults with WP only. */
    CU_ASSERT_EQUAL(walk(&long_mode, 0x401000, HVM_WRITE, &gpa, &pfec),
                    -EFAULT);
    CU_ASSERT_EQUAL(pfec, PFEC_PRESENT | PFEC_WRITE);
    CU_ASSERT_EQUAL(walk(&nowp, 0x401000, HVM_WRITE, &gpa, &pfec), 0);
    ORR_ASSERT_EQ_U64(gpa, 0x21000);
    /* A fetch from an NX page. */
    CU_ASSERT_EQUAL(walk(&long_mode, 0x401000, HVM_FETCH, &gpa, &pfec),
                    -EFAULT);
    CU_ASSERT_EQUAL(pfec, PFEC_PRESENT | PFEC_FETCH);
    CU_ASSERT_EQUAL(walk(&long_mode, 0x400000, HVM_FETCH, &gpa, &pfec), 0);
    /* NX without EFER.NXE is a reserved bit. */
    CU_ASSERT_EQUAL(walk(&nonxe, 0x401000, HVM_READ, &gpa, &pfec), -EFAULT);
    CU_ASSERT_EQUAL(pfec, PFEC_PRESENT | PFEC_RSVD);
}

static void test_tables_outside_ram(void)
{
    struct hvm_paging pg = long_mode;
    uint64_t gpa;
    uint32_t pfec;

    build_long_mode();
    pg.cr3 = 0x7ff000000ULL;                    /* not the guest's RAM */
    CU_ASSERT_EQUAL(walk(&pg, 0x400000, HVM_READ, &gpa, &pfec), -ENXIO);
    put64(0x13010, 0x99000000ULL | P | RW);     /* a leaf outside is fine: */
    CU_ASSERT_EQUAL(walk(&long_mode, 0x402000, HVM_READ, &gpa, &pfec), 0);
    ORR_ASSERT_EQ_U64(gpa, 0x99000000ULL);      /* the access will fault */
    put64(0x12020, 0x7ff000000ULL | P | RW);    /* a table outside is not */
    CU_ASSERT_EQUAL(walk(&long_mode, 0x800000, HVM_READ, &gpa, &pfec),
                    -ENXIO);
}

static void test_32bit(void)
{
    struct hvm_paging pg = { .cr0 = CR0_PE | CR0_PG, .cr3 = 0x30000,
                             .cr4 = CR4_PSE };
    struct hvm_paging nopse = pg;
    uint64_t gpa;
    uint32_t pfec;

    nopse.cr4 = 0;
    zero_pages(0x30000, 2);
    put32(0x30000 + 1 * 4, 0x31000 | P | RW);           /* 4 MiB at 4 MiB */
    put32(0x31000 + 5 * 4, 0x25000 | P | RW);           /* 0x405000 */
    put32(0x30000 + 2 * 4, 0x00400000 | P | RW | PS);   /* 8 MiB: 4 MiB page */
    CU_ASSERT_EQUAL(walk(&pg, 0x405010, HVM_READ, &gpa, &pfec), 0);
    ORR_ASSERT_EQ_U64(gpa, 0x25010);
    CU_ASSERT_EQUAL(walk(&pg, 0x812345, HVM_READ, &gpa, &pfec), 0);
    ORR_ASSERT_EQ_U64(gpa, 0x412345);
    /* Without CR4.PSE the PS bit is ignored: the PDE names a table. */
    CU_ASSERT_EQUAL(walk(&nopse, 0x812345, HVM_READ, &gpa, &pfec), -ENXIO);
    CU_ASSERT_EQUAL(walk(&pg, 0xc00000, HVM_READ, &gpa, &pfec), -EFAULT);
    CU_ASSERT_EQUAL(pfec, 0);
}

static void test_pae(void)
{
    struct hvm_paging pg = { .cr0 = CR0_PE | CR0_PG, .cr3 = 0x40020,
                             .cr4 = CR4_PAE, .efer = EFER_NXE };
    uint64_t gpa;
    uint32_t pfec;

    zero_pages(0x40000, 3);
    put64(0x40020 + 3 * 8, 0x41000 | P);                /* 3 GiB slot */
    put64(0x41000 + 1 * 8, 0x200000 | P | RW | PS);     /* 2 MiB page */
    put64(0x41000 + 2 * 8, 0x42000 | P | RW);
    put64(0x42000 + 3 * 8, 0x27000 | P | NX);
    CU_ASSERT_EQUAL(walk(&pg, 0xc0234567ULL, HVM_WRITE, &gpa, &pfec), 0);
    ORR_ASSERT_EQ_U64(gpa, 0x234567);
    CU_ASSERT_EQUAL(walk(&pg, 0xc0403004ULL, HVM_READ, &gpa, &pfec), 0);
    ORR_ASSERT_EQ_U64(gpa, 0x27004);
    CU_ASSERT_EQUAL(walk(&pg, 0xc0403004ULL, HVM_FETCH, &gpa, &pfec),
                    -EFAULT);
    CU_ASSERT_EQUAL(pfec, PFEC_PRESENT | PFEC_FETCH);
    /* An absent PDPTE. */
    CU_ASSERT_EQUAL(walk(&pg, 0x1000, HVM_READ, &gpa, &pfec), -EFAULT);
    CU_ASSERT_EQUAL(pfec, 0);
}

CU_TestInfo guest_walk_tests[] = {
    ORR_CASE(test_no_paging),
    ORR_CASE(test_long_mode_4k),
    ORR_CASE(test_long_mode_superpages),
    ORR_CASE(test_fault_codes),
    ORR_CASE(test_tables_outside_ram),
    ORR_CASE(test_32bit),
    ORR_CASE(test_pae),
    CU_TEST_INFO_NULL,
};
