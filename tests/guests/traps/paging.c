/* SPDX-License-Identifier: MIT */
/*
 * The guest's own page tables under NPT: its PTE bits, CR0.WP and INVLPG
 * act with no help from the hypervisor (AMD APM vol. 2 §5). The 2 MiB
 * page head.S maps at 8 MiB is split into a table of 4 KiB pages here,
 * and single entries are changed, each followed by INVLPG:
 *
 *   - a read-only page: with CR0.WP clear a supervisor store goes
 *     through; with WP set it is #PF (error P|W, CR2 the address); made
 *     writable again it takes stores, read-only again it faults again;
 *   - a page re-pointed at another frame reads that frame's bytes;
 *   - a not-present page is #PF with P clear, a no-execute page #PF with
 *     I/D set when called (EFER.NXE is set by head.S).
 *
 * paging_init() also sets the U bit where user.c's ring-3 code runs.
 */
#include "traps.h"

#define PTE_P   (1ULL << 0)
#define PTE_W   (1ULL << 1)
#define PTE_U   (1ULL << 2)
#define PTE_PS  (1ULL << 7)
#define PTE_NX  (1ULL << 63)
#define CR0_WP  (1ULL << 16)

#define PF_P    (1u << 0)
#define PF_W    (1u << 1)
#define PF_U    (1u << 2)
#define PF_I    (1u << 4)

#define REGION  0x800000ULL     /* the 2 MiB split into 4 KiB pages */
#define VA(i)   (REGION + (uint64_t)(i) * 4096)
#define RO_PAGE     1
#define SUP_PAGE    2           /* user.c: not for ring 3 */
#define REMAP_PAGE  3
#define FRAME_A     4
#define FRAME_B     5
#define ABSENT_PAGE 6
#define NX_PAGE     7

static uint64_t pt[512] __attribute__((aligned(4096)));
static bool split;

static uint64_t *table(uint64_t entry)
{
    return (uint64_t *)(uintptr_t)(entry & 0x000ffffffffff000ULL);
}

/* head.S's tables, found through CR3 (identity-mapped). */
static uint64_t *pd_of_first_gib(void)
{
    uint64_t *pml4 = table(read_cr3());

    return table(table(pml4[0])[0]);
}

static void set_pte(unsigned int i, uint64_t val)
{
    pt[i] = val;
    invlpg(VA(i));
}

void paging_init(void)
{
    uint64_t *pml4 = table(read_cr3()), *pdpt = table(pml4[0]);
    uint64_t *pd = pd_of_first_gib();

    if ( split )
        return;
    for ( unsigned int i = 0; i < 512; i++ )
        pt[i] = VA(i) | PTE_P | PTE_W | PTE_U;
    pt[SUP_PAGE] &= ~PTE_U;
    /* Ring 3 may use the first 2 MiB (the kernel, its stacks, the
     * hypercall page) and this region; U must be set at every level. */
    pml4[0] |= PTE_U;
    pdpt[0] |= PTE_U;
    pd[0] |= PTE_U;
    pd[REGION >> 21] = (uintptr_t)pt | PTE_P | PTE_W | PTE_U;
    /* A move to CR3 flushes the old 2 MiB translations. */
    asm volatile ( "mov %0, %%cr3" :: "r" (read_cr3()) : "memory" );
    split = true;
}

static void test_read_only(void)
{
    volatile uint8_t *p = (volatile uint8_t *)VA(RO_PAGE);
    uint64_t start = read_cr0(), cr0 = start & ~CR0_WP;

    /* From WP clear, whatever head.S left. */
    write_cr0(cr0);
    *p = 0;
    set_pte(RO_PAGE, pt[RO_PAGE] & ~PTE_W);

    /* WP clear: the supervisor writes read-only pages. */
    expect_no_trap("store to a read-only page, WP clear", do_store,
                   VA(RO_PAGE));
    check(*p == 0x5a, "the store with WP clear did not land");

    write_cr0(cr0 | CR0_WP);
    check(read_cr0() & CR0_WP, "CR0.WP does not read back");
    *(volatile uint8_t *)VA(0) = 1;     /* a writable page still is */
    expect_trap("store to a read-only page, WP set", do_store, VA(RO_PAGE) + 8,
                at_store, after_store, 14, PF_P | PF_W);
    check(last_trap.cr2 == VA(RO_PAGE) + 8, "CR2 %#llx, not %#llx",
          (unsigned long long)last_trap.cr2,
          (unsigned long long)(VA(RO_PAGE) + 8));
    check(p[8] == 0, "the refused store landed");
    expect_no_trap("load from a read-only page", do_load, VA(RO_PAGE));

    /* INVLPG after each change of the entry. */
    set_pte(RO_PAGE, pt[RO_PAGE] | PTE_W);
    expect_no_trap("store after making the page writable", do_store,
                   VA(RO_PAGE) + 16);
    check(p[16] == 0x5a, "the store to the writable page did not land");
    set_pte(RO_PAGE, pt[RO_PAGE] & ~PTE_W);
    expect_trap("store after making it read-only again", do_store,
                VA(RO_PAGE) + 24, at_store, after_store, 14, PF_P | PF_W);

    write_cr0(cr0);
    check(!(read_cr0() & CR0_WP), "CR0.WP does not clear");
    expect_no_trap("store with WP cleared again", do_store, VA(RO_PAGE) + 24);
    set_pte(RO_PAGE, pt[RO_PAGE] | PTE_W);
    write_cr0(start);
}

static void test_remap(void)
{
    volatile uint64_t *v = (volatile uint64_t *)VA(REMAP_PAGE);

    *(volatile uint64_t *)VA(FRAME_A) = 0xaaaa5555aaaa5555ULL;
    *(volatile uint64_t *)VA(FRAME_B) = 0xbbbb6666bbbb6666ULL;
    *v = 0x1111;
    check(*v == 0x1111, "the page's own frame");
    set_pte(REMAP_PAGE, VA(FRAME_A) | PTE_P | PTE_W | PTE_U);
    check(*v == 0xaaaa5555aaaa5555ULL, "after INVLPG to frame A: %#llx",
          (unsigned long long)*v);
    set_pte(REMAP_PAGE, VA(FRAME_B) | PTE_P | PTE_W | PTE_U);
    check(*v == 0xbbbb6666bbbb6666ULL, "after INVLPG to frame B: %#llx",
          (unsigned long long)*v);
    set_pte(REMAP_PAGE, VA(REMAP_PAGE) | PTE_P | PTE_W | PTE_U);
    check(*v == 0x1111, "back on its own frame: %#llx",
          (unsigned long long)*v);
}

static void test_absent_and_nx(void)
{
    uint64_t pte = pt[ABSENT_PAGE];

    set_pte(ABSENT_PAGE, 0);
    expect_trap("load from a not-present 4 KiB page", do_load,
                VA(ABSENT_PAGE) + 0x10, at_load, after_load, 14, 0);
    check(last_trap.cr2 == VA(ABSENT_PAGE) + 0x10, "CR2 %#llx",
          (unsigned long long)last_trap.cr2);
    expect_trap("store to a not-present 4 KiB page", do_store,
                VA(ABSENT_PAGE), at_store, after_store, 14, PF_W);
    set_pte(ABSENT_PAGE, pte);
    expect_no_trap("load once present again", do_load, VA(ABSENT_PAGE));

    /* A `ret` on a no-execute page: the fetch faults at the page. */
    *(volatile uint8_t *)VA(NX_PAGE) = 0xc3;
    set_pte(NX_PAGE, pt[NX_PAGE] | PTE_NX);
    expect_trap("call into a no-execute page", do_call, VA(NX_PAGE),
                (const char *)VA(NX_PAGE), after_call, 14, PF_P | PF_I);
    check(last_trap.cr2 == VA(NX_PAGE), "CR2 %#llx after the fetch",
          (unsigned long long)last_trap.cr2);
    set_pte(NX_PAGE, pt[NX_PAGE] & ~PTE_NX);
    expect_no_trap("call once executable", do_call, VA(NX_PAGE));
}

void test_paging(void)
{
    paging_init();
    test_read_only();
    test_remap();
    test_absent_and_nx();
}
