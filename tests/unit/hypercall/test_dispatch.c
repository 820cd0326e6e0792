/* SPDX-License-Identifier: MIT */
/* The dispatch table, allow lists and continuations. */
#include <public/version.h>

#include "hc_test.h"

static void test_unknown_numbers_are_enosys(void)
{
    CU_ASSERT_EQUAL(hc_call(hc_u1, NR_HYPERCALLS, 0, 0, 0), -ENOSYS);
    CU_ASSERT_EQUAL(hc_call(hc_u1, ~0ULL, 0, 0, 0), -ENOSYS);
    CU_ASSERT_EQUAL(hc_call(hc_u1, __HYPERVISOR_arch_0, 0, 0, 0), -ENOSYS);
    /* Not implemented yet: also -ENOSYS, never a crash. */
    CU_ASSERT_EQUAL(hc_call(hc_u1, __HYPERVISOR_iret, 0, 0, 0), -ENOSYS);
    CU_ASSERT_EQUAL(hc_call(hc_u1, 0, 0, 0, 0), -ENOSYS);
}

static void test_allow_lists(void)
{
    unsigned int t;

    for ( t = 0; t < ORR_GUEST_TYPES; t++ )
    {
        CU_ASSERT_TRUE(hypercall_allowed(t, __HYPERVISOR_xen_version));
        CU_ASSERT_TRUE(hypercall_allowed(t, __HYPERVISOR_console_io));
        CU_ASSERT_FALSE(hypercall_allowed(t, __HYPERVISOR_mmu_update));
    }
    CU_ASSERT_FALSE(hypercall_allowed(ORR_GUEST_TYPES,
                                      __HYPERVISOR_xen_version));
    /* Every guest type reaches xen_version through dispatch. */
    hc_u1->guest_type = ORR_GUEST_ARM;
    CU_ASSERT_EQUAL(hc_call(hc_u1, __HYPERVISOR_xen_version,
                            XENVER_pagesize, 0, 0), 4096);
    hc_u1->guest_type = ORR_GUEST_PVH;
}

/* A console write longer than the budget allows continues: the guest
 * re-enters with arguments that record the progress, until done. */
static void test_continuation(void)
{
    struct hypercall_regs r = {
        .nr = __HYPERVISOR_console_io,
        .args = { CONSOLEIO_write, 3 * 128 + 5, 0x100 },
    };
    uint8_t *buf = hc_guest_ptr(hc_d0, 0x100);
    const char *out, *p;
    unsigned int xs = 0;

    memset(buf, 'x', 3 * 128 + 5);
    /* One preemption check passes per entry: two chunks per entry. */
    hypercall_set_budget(1);
    hypercall_dispatch(hc_d0->vcpu[0], &r);
    CU_ASSERT_TRUE(r.restart);
    CU_ASSERT_EQUAL(r.ret, 0);
    CU_ASSERT_EQUAL(r.nr, __HYPERVISOR_console_io);
    CU_ASSERT_EQUAL(r.args[0], CONSOLEIO_write);
    CU_ASSERT_EQUAL(r.args[1], 128 + 5);
    CU_ASSERT_EQUAL(r.args[2], 0x100 + 2 * 128);

    hypercall_dispatch(hc_d0->vcpu[0], &r);
    CU_ASSERT_FALSE(r.restart);
    CU_ASSERT_EQUAL(r.ret, 0);
    hypercall_set_budget(0);

    /* Every byte came out once. */
    out = sim_console_text();
    for ( p = out; *p; p++ )
        xs += *p == 'x';
    CU_ASSERT_EQUAL(xs, 3 * 128 + 5);
}

CU_TestInfo dispatch_tests[] = {
    ORR_CASE(test_unknown_numbers_are_enosys),
    ORR_CASE(test_allow_lists),
    ORR_CASE(test_continuation),
    CU_TEST_INFO_NULL,
};
