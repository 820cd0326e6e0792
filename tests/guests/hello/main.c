/* SPDX-License-Identifier: MIT */
/*
 * hello: the first things every Xen guest does (reference §1.2-1.3,
 * xen-guest-startup.md): find the CPUID leaves, install the hypercall
 * page, ask xen_version, print. Each answer is checked against the ABI,
 * through the page and through VMMCALL directly; output buffers must be
 * written whole (no stale bytes left from before the call).
 */
#include <orrery/lib.h>
#include <public/version.h>
#include <public/xen.h>

#include "guest.h"

const char test_title[] = "hello: CPUID leaves, hypercall page, xen_version";

static void test_cpuid(void)
{
    uint32_t r[4];

    cpuid(xen_cpuid_base, 0, r);
    check(r[0] >= xen_cpuid_base + 2, "max leaf %#x", r[0]);
    cpuid(xen_cpuid_base + 1, 0, r);
    check(r[0] == ((4u << 16) | 18u), "version leaf %#x", r[0]);
    cpuid(xen_cpuid_base + 2, 0, r);
    check(r[0] == 1 && r[1] == 0x40000000, "hypercall leaf %#x %#x", r[0],
          r[1]);
    cpuid(xen_cpuid_base + 4, 0, r);
    check((r[0] & 0x18) == 0x18, "HVM leaf flags %#x", r[0]);
    check(r[1] == 0, "vcpu id %u", r[1]);
    cpuid(1, 0, r);
    check(r[2] & (1u << 31), "hypervisor bit clear in leaf 1");
}

static void test_hypercall_page(void)
{
    /* Stub 17 is xen_version: mov eax,17; vmmcall; ret. */
    static const uint8_t stub[] = { 0xb8, 17, 0, 0, 0, 0x0f, 0x01, 0xd9,
                                    0xc3 };

    check(memcmp(hypercall_page + 17 * 32, stub, sizeof(stub)) == 0,
          "stub 17 is not mov eax,17; vmmcall; ret");
    check(hypercall_page[23 * 32] == 0x0f && hypercall_page[23 * 32 + 1] == 0x0b,
          "stub 23 (iret) is not ud2");
}

static void test_xen_version(void)
{
    xen_extraversion_t extra;
    long v;

    v = hypercall2(__HYPERVISOR_xen_version, XENVER_version, 0);
    check(v == ((4 << 16) | 18), "XENVER_version %#lx", v);
    v = hypercall_vmmcall(__HYPERVISOR_xen_version, XENVER_version, 0, 0);
    check(v == ((4 << 16) | 18), "XENVER_version by VMMCALL %#lx", v);

    memset(extra, 'Z', sizeof(extra));
    v = hypercall2(__HYPERVISOR_xen_version, XENVER_extraversion, extra);
    check(v == 0, "XENVER_extraversion returned %ld", v);
    check(extra[sizeof(extra) - 1] == '\0', "extraversion not terminated");
    for ( unsigned int i = strlen(extra); i < sizeof(extra); i++ )
        check(extra[i] == '\0', "stale byte %u of extraversion", i);
    printf("Xen %ld.%ld%s\n", (long)(4), (long)(18), extra);

    v = hypercall2(__HYPERVISOR_xen_version, XENVER_pagesize, 0);
    check(v == 4096, "XENVER_pagesize %ld", v);
    /* A number nobody implements: Xen's XSM dummy policy answers an
     * unknown subop from an unprivileged domain with -EPERM before the
     * -ENOSYS of the switch's default case. */
    v = hypercall2(__HYPERVISOR_xen_version, 0x7fff, 0);
    check(v == -1, "unknown xen_version subop gave %ld, not -EPERM", v);
    /* A bad buffer: the hypervisor refuses, and survives. */
    v = hypercall2(__HYPERVISOR_xen_version, XENVER_extraversion,
                   0x7fff0000000ULL);
    check(v == -14, "extraversion to a bad pointer gave %ld, not -EFAULT", v);
}

/* The round trip of the cheapest hypercall, in guest TSC cycles: the
 * median of 101 (for information; not judged). */
static void measure_round_trip(void)
{
    uint64_t t[101];

    for ( unsigned int i = 0; i < 101; i++ )
    {
        uint64_t t0 = rdtsc_ordered();

        hypercall2(__HYPERVISOR_xen_version, XENVER_version, 0);
        t[i] = rdtsc_ordered() - t0;
    }
    sort_u64(t, 101);
    printf("xen_version round trip: median %llu TSC cycles (of 101)\n",
           (unsigned long long)t[50]);
}

void test_main(const struct hvm_start_info *si)
{
    (void)si;
    test_cpuid();
    test_hypercall_page();
    test_xen_version();
    measure_round_trip();
}
