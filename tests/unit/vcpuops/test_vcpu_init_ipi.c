/* SPDX-License-Identifier: MIT */
/*
 * The vLAPIC's INIT and STARTUP IPIs through core (vcpu_init_ipi,
 * vcpu_startup_ipi): INIT takes an initialised vCPU down and forgets its
 * start state, STARTUP gives one without a state the real-mode start of
 * its vector and brings it up, and a new life does not start blocked.
 */
#include <orrery/vcpu_context.h>

#include "vo_test.h"

static int64_t vcpu_op(struct domain *d, unsigned int vcpu, uint64_t cmd,
                       uint64_t id, uint64_t arg)
{
    return vo_call(d, vcpu, __HYPERVISOR_vcpu_op, cmd, id, arg);
}

/* INIT IPI: an initialised vCPU goes down and loses its start state. */
static void test_init_ipi(void)
{
    struct vcpu *v1 = vo_u1->vcpu[1];

    CU_ASSERT_FALSE(vcpu_init_ipi(v1));         /* no state: nothing */
    CU_ASSERT_EQUAL(vo_initialise(vo_u1, 1), 0);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_up, 1, 0), 0);
    CU_ASSERT_TRUE(vcpu_init_ipi(v1));
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_is_up, 1, 0), 0);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_up, 1, 0), -EINVAL);
    CU_ASSERT_EQUAL(vo_initialise(vo_u1, 1), 0);    /* not -EEXIST */
    CU_ASSERT_FALSE(vo_u1->is_shut_down);
    vo_check_join(vo_u1);
}

/* INIT to the last vCPU up powers the domain off, as VCPUOP_down. */
static void test_init_ipi_last_vcpu(void)
{
    CU_ASSERT_TRUE(vcpu_init_ipi(vo_u1->vcpu[0]));
    CU_ASSERT_TRUE(vo_u1->is_shut_down);
    CU_ASSERT_EQUAL(vo_u1->shutdown_reason, SHUTDOWN_poweroff);
}

/* STARTUP IPI: real mode at vector << 8 : 0, and up; a second one (or
 * one to a vCPU that has a state, even down) is ignored. */
static void test_startup_ipi(void)
{
    struct vcpu *v1 = vo_u1->vcpu[1];
    const struct hvm_vcpu_state *s;

    CU_ASSERT_TRUE(vcpu_startup_ipi(v1, 0x9a));
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_is_up, 1, 0), 1);
    s = sim_vcpu_context(v1);
    CU_ASSERT_FATAL(s != NULL);
    CU_ASSERT_EQUAL(s->cs.sel, 0x9a00);
    ORR_ASSERT_EQ_U64(s->cs.base, 0x9a000);
    CU_ASSERT_EQUAL(s->cs.limit, 0xffff);
    CU_ASSERT_EQUAL(s->cs.attr, 0x9b);
    ORR_ASSERT_EQ_U64(s->rip, 0);
    ORR_ASSERT_EQ_U64(s->cr0, 0x10);
    ORR_ASSERT_EQ_U64(s->efer, 0);
    CU_ASSERT_FALSE(vcpu_startup_ipi(v1, 0x10));
    ORR_ASSERT_EQ_U64(sim_vcpu_context(v1)->cs.base, 0x9a000);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_initialise, 1, VO_ARG), -EEXIST);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_down, 1, 0), 0);
    CU_ASSERT_FALSE(vcpu_startup_ipi(v1, 0x10));
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_is_up, 1, 0), 0);
    /* INIT while halted, then STARTUP: the new vector, and runnable (a
     * new life is not halted: it came up blocked before). */
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_up, 1, 0), 0);
    vcpu_block(v1);
    CU_ASSERT_TRUE(vcpu_init_ipi(v1));
    CU_ASSERT_TRUE(vcpu_startup_ipi(v1, 0x10));
    ORR_ASSERT_EQ_U64(sim_vcpu_context(v1)->cs.base, 0x10000);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_is_up, 1, 0), 1);
    CU_ASSERT_TRUE(vcpu_runnable(v1));
    /* The same through INIT + VCPUOP_initialise + up. */
    vcpu_block(v1);
    CU_ASSERT_TRUE(vcpu_init_ipi(v1));
    CU_ASSERT_EQUAL(vo_initialise(vo_u1, 1), 0);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_up, 1, 0), 0);
    CU_ASSERT_TRUE(vcpu_runnable(v1));
    vo_check_join(vo_u1);
}

CU_TestInfo vcpu_init_ipi_tests[] = {
    ORR_CASE(test_init_ipi),
    ORR_CASE(test_init_ipi_last_vcpu),
    ORR_CASE(test_startup_ipi),
    CU_TEST_INFO_NULL,
};
