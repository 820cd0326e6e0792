/* SPDX-License-Identifier: MIT */
/* Xen's CPUID leaves (reference §1.2) and the host leaves a guest sees. */
#include "hvm_test.h"

static struct cpuid_leaf ask(struct vcpu *v, uint32_t leaf,
                             struct cpuid_leaf host)
{
    hvm_cpuid(v, leaf, 0, &host);
    return host;
}

static void test_signature_and_leaves(void)
{
    struct cpuid_leaf r = ask(hvm_vcpu, 0x40000000, (struct cpuid_leaf){ 1, 2, 3, 4 });
    char sig[13];

    memcpy(sig, &r.b, 4);
    memcpy(sig + 4, &r.c, 4);
    memcpy(sig + 8, &r.d, 4);
    sig[12] = '\0';
    ORR_ASSERT_STREQ(sig, "XenVMMXenVMM");
    /* Linux and XTF need at least two leaves after the base. */
    CU_ASSERT(r.a >= 0x40000002);

    r = ask(hvm_vcpu, 0x40000001, (struct cpuid_leaf){ 0 });
    CU_ASSERT_EQUAL(r.a, (4u << 16) | 18u);
    r = ask(hvm_vcpu, 0x40000002, (struct cpuid_leaf){ 0 });
    CU_ASSERT_EQUAL(r.a, 1);                    /* one page */
    CU_ASSERT_EQUAL(r.b, 0x40000000);           /* its MSR */
}

static void test_hvm_leaf_ids(void)
{
    struct cpuid_leaf r = ask(hvm_dom->vcpu[1], 0x40000004,
                              (struct cpuid_leaf){ 0 });

    CU_ASSERT(r.a & (1u << 3));                 /* vcpu id present */
    CU_ASSERT(r.a & (1u << 4));                 /* domid present */
    CU_ASSERT_EQUAL(r.b, 1);
    CU_ASSERT_EQUAL(r.c, hvm_dom->domain_id);
}

static void test_only_one_base(void)
{
    /* XTF scans in 0x100 steps: the next bases, and leaves past the
     * maximum, read as zero whatever the host says. */
    struct cpuid_leaf r = ask(hvm_vcpu, 0x40000100, (struct cpuid_leaf){ 9, 9, 9, 9 });

    CU_ASSERT(!r.a && !r.b && !r.c && !r.d);
    r = ask(hvm_vcpu, 0x40000005, (struct cpuid_leaf){ 9, 9, 9, 9 });
    CU_ASSERT(!r.a && !r.b && !r.c && !r.d);
}

static void test_host_leaves_filtered(void)
{
    struct cpuid_leaf r = ask(hvm_dom->vcpu[1], 1,
                              (struct cpuid_leaf){ 0x600, 0x07000800, 0x28,
                                                   0x4081 });

    CU_ASSERT(r.c & (1u << 31));                /* hypervisor present */
    CU_ASSERT(r.c & (1u << 21));                /* x2APIC (the vLAPIC's) */
    CU_ASSERT(r.c & (1u << 24));                /* TSC-deadline timer */
    CU_ASSERT(!(r.c & (1u << 5)));              /* no VMX */
    CU_ASSERT(!(r.c & (1u << 3)));              /* no MONITOR */
    CU_ASSERT_EQUAL(r.b >> 24, 1);              /* initial APIC id */
    CU_ASSERT_EQUAL(r.b & 0xffffff, 0x000800);
    CU_ASSERT_EQUAL(r.a, 0x600);                /* the rest passes */
    /* No vMCE: MCE (EDX 7) and MCA (EDX 14) hidden, or Linux panics on
     * the #GP of MCG_CAP; FPU (EDX 0) passes. */
    CU_ASSERT_EQUAL(r.d, 0x1);
    r = ask(hvm_vcpu, 0x80000001, (struct cpuid_leaf){ 0, 0, 0x4 | 0x1, 0 });
    CU_ASSERT_EQUAL(r.c, 0x1);                  /* SVM hidden */
    r = ask(hvm_vcpu, 0x8000000a, (struct cpuid_leaf){ 1, 16, 0, 0xff });
    CU_ASSERT(!r.a && !r.b && !r.d);
}

CU_TestInfo cpuid_tests[] = {
    ORR_CASE(test_signature_and_leaves),
    ORR_CASE(test_hvm_leaf_ids),
    ORR_CASE(test_only_one_base),
    ORR_CASE(test_host_leaves_filtered),
    CU_TEST_INFO_NULL,
};
