/* SPDX-License-Identifier: MIT */
/* The hypercall page (reference §1.3) written through the MSR path. */
#include "hvm_test.h"

static uint8_t page[PAGE_SIZE];

static void test_stub_layout(void)
{
    static const uint8_t stub0[] = { 0xb8, 0, 0, 0, 0, 0x0f, 0x01, 0xd9,
                                     0xc3, 0xcc };
    static const uint8_t stub17[] = { 0xb8, 17, 0, 0, 0, 0x0f, 0x01, 0xd9,
                                      0xc3 };

    CU_ASSERT_EQUAL(hvm_write_hypercall_page(hvm_vcpu, 0x5000,
                                             hvm_vmmcall_insn), 0);
    CU_ASSERT_EQUAL(copy_from_guest(hvm_vcpu, page, 0x5000, PAGE_SIZE), 0);
    CU_ASSERT(memcmp(page, stub0, sizeof(stub0)) == 0);
    CU_ASSERT(memcmp(page + 17 * 32, stub17, sizeof(stub17)) == 0);
    /* Stub 23 (iret) is ud2, then padding. */
    CU_ASSERT(page[23 * 32] == 0x0f && page[23 * 32 + 1] == 0x0b &&
              page[23 * 32 + 2] == 0xcc);
    CU_ASSERT_EQUAL(page[PAGE_SIZE - 1], 0xcc);
    /* XTF's check: byte 0 is no longer its 0xC3 poison. */
    CU_ASSERT_NOT_EQUAL(page[0], 0xc3);
}

static void test_vmcall_variant(void)
{
    static uint8_t want[PAGE_SIZE];

    CU_ASSERT_EQUAL(hvm_write_hypercall_page(hvm_vcpu, 0x6000,
                                             hvm_vmcall_insn), 0);
    CU_ASSERT_EQUAL(copy_from_guest(hvm_vcpu, page, 0x6000, PAGE_SIZE), 0);
    hvm_fill_hypercall_page(want, hvm_vmcall_insn);
    CU_ASSERT(memcmp(page, want, PAGE_SIZE) == 0);
    CU_ASSERT(page[32 + 7] == 0xc1);
}

static void test_bad_addresses(void)
{
    /* Low bits set: #GP. */
    CU_ASSERT_EQUAL(hvm_write_hypercall_page(hvm_vcpu, 0x5001,
                                             hvm_vmmcall_insn), -EINVAL);
    /* Beyond the guest's RAM, or far beyond any address: #GP, and
     * nothing written anywhere. */
    CU_ASSERT_EQUAL(hvm_write_hypercall_page(hvm_vcpu,
                                             (uint64_t)HVM_TEST_PAGES << 12,
                                             hvm_vmmcall_insn), -EINVAL);
    CU_ASSERT_EQUAL(hvm_write_hypercall_page(hvm_vcpu, ~0xfffULL,
                                             hvm_vmmcall_insn), -EINVAL);
    /* A read-only page of the guest is refused too. */
    {
        struct p2m_entry e;

        p2m_get_entry(hvm_dom, _gfn(7), &e);
        CU_ASSERT_EQUAL(p2m_set_entry(hvm_dom, _gfn(7), e.mfn, p2m_ram_ro,
                                      p2m_access_rwx), 0);
        CU_ASSERT_EQUAL(hvm_write_hypercall_page(hvm_vcpu, 0x7000,
                                                 hvm_vmmcall_insn), -EINVAL);
        CU_ASSERT_EQUAL(p2m_set_entry(hvm_dom, _gfn(7), e.mfn, p2m_ram_rw,
                                      p2m_access_rwx), 0);
    }
}

CU_TestInfo hypercall_page_tests[] = {
    ORR_CASE(test_stub_layout),
    ORR_CASE(test_vmcall_variant),
    ORR_CASE(test_bad_addresses),
    CU_TEST_INFO_NULL,
};
