/* SPDX-License-Identifier: MIT */
/* vcpu_op: up, down, is_up, get_runstate_info, and every bad input. */
#include "vo_test.h"

static int64_t vcpu_op(struct domain *d, unsigned int vcpu, uint64_t cmd,
                       uint64_t id, uint64_t arg)
{
    return vo_call(d, vcpu, __HYPERVISOR_vcpu_op, cmd, id, arg);
}

static void test_up_down_is_up(void)
{
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_is_up, 1, 0), 0);
    CU_ASSERT_EQUAL(vo_initialise(vo_u1, 1), 0);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_up, 1, 0), 0);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_is_up, 1, 0), 1);
    CU_ASSERT_TRUE(vcpu_runnable(vo_u1->vcpu[1]));
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_up, 1, 0), 0);   /* again */
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_down, 1, 0), 0);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_is_up, 1, 0), 0);
    CU_ASSERT_FALSE(vcpu_runnable(vo_u1->vcpu[1]));
    CU_ASSERT_FALSE(vo_u1->is_shut_down);
    vo_check_join(vo_u1);
}

/* The up vCPU is scheduled: with two runnable vCPUs of u1 on one CPU and
 * d0 paused, both get time. */
static void test_up_vcpu_runs(void)
{
    s_time_t t[NR_RUNSTATES];

    domain_pause(vo_d0);
    CU_ASSERT_EQUAL(vo_initialise(vo_u1, 1), 0);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_up, 1, 0), 0);
    vo_run_until(MILLISECS(100));
    sched_unit_runstate(vcpu_sched_unit(vo_u1->vcpu[1]), NOW(), t);
    CU_ASSERT_TRUE(t[RUNSTATE_running] > 0);
    CU_ASSERT_EQUAL(domain_unpause(vo_d0), 0);
}

/* The last vCPU going down powers the domain off, as Xen does. */
static void test_last_vcpu_down_powers_off(void)
{
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_down, 0, 0), 0);
    CU_ASSERT_TRUE(vo_u1->is_shut_down);
    CU_ASSERT_EQUAL(vo_u1->shutdown_reason, SHUTDOWN_poweroff);
    CU_ASSERT_TRUE(vo_u1->vcpu[0]->is_up);
}

static void test_bad_vcpu_id(void)
{
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_up, VO_VCPUS, 0), -ENOENT);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_is_up, ~0ULL, 0), -ENOENT);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_down, 1ULL << 32, 0),
                    -ENOENT);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_get_runstate_info,
                            DOMAIN_MAX_VCPUS, VO_ARG), -ENOENT);
}

static void test_unknown_subops(void)
{
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_register_vcpu_time_memory_area,
                            0, VO_ARG), -ENOSYS);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, 99, 0, VO_ARG), -ENOSYS);
}

/* get_runstate_info counts up to now, through the hypercall path. */
static void test_get_runstate_info(void)
{
    struct vcpu_runstate_info *ri = vo_guest_ptr(vo_u1, VO_ARG);

    domain_pause(vo_d0);
    vo_run_until(MILLISECS(4));
    domain_pause(vo_u1);
    vo_run_until(MILLISECS(9));
    memset(ri, 0xa5, sizeof(*ri));
    CU_ASSERT_EQUAL(vcpu_op(vo_d0, 0, VCPUOP_get_runstate_info, 0, VO_ARG),
                    0);     /* d0's own vCPU 0, written into d0 */
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_get_runstate_info, 0, VO_ARG),
                    0);
    CU_ASSERT_EQUAL(ri->state, RUNSTATE_offline);
    ORR_ASSERT_EQ_U64(ri->state_entry_time, MILLISECS(4));
    ORR_ASSERT_EQ_U64(ri->time[RUNSTATE_running], MILLISECS(4));
    ORR_ASSERT_EQ_U64(ri->time[RUNSTATE_offline], MILLISECS(5));
    ORR_ASSERT_EQ_U64(ri->time[RUNSTATE_runnable], 0);
    /* vCPU 1, never up: offline all along. */
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_get_runstate_info, 1, VO_ARG),
                    0);
    ORR_ASSERT_EQ_U64(ri->time[RUNSTATE_offline], MILLISECS(9));
    CU_ASSERT_EQUAL(domain_unpause(vo_u1), 0);
    CU_ASSERT_EQUAL(domain_unpause(vo_d0), 0);
}

static void test_get_runstate_info_bad_pointer(void)
{
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_get_runstate_info, 0,
                            (uint64_t)VO_GFN_HOLE << PAGE_SHIFT), -EFAULT);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_get_runstate_info, 0,
                            (uint64_t)VO_RAM_PAGES * PAGE_SIZE - 16),
                    -EFAULT);
}

static void test_other_domain_untouched(void)
{
    CU_ASSERT_EQUAL(vo_initialise(vo_u1, 1), 0);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_up, 1, 0), 0);
    CU_ASSERT_FALSE(vo_d0->vcpu[1]->is_up);
    CU_ASSERT_EQUAL(vcpu_op(vo_u1, 0, VCPUOP_down, 0, 0), 0);
    CU_ASSERT_TRUE(vo_d0->vcpu[0]->is_up);
    vo_check_join(vo_d0);
}

CU_TestInfo vcpu_op_tests[] = {
    ORR_CASE(test_up_down_is_up),
    ORR_CASE(test_up_vcpu_runs),
    ORR_CASE(test_last_vcpu_down_powers_off),
    ORR_CASE(test_bad_vcpu_id),
    ORR_CASE(test_unknown_subops),
    ORR_CASE(test_get_runstate_info),
    ORR_CASE(test_get_runstate_info_bad_pointer),
    ORR_CASE(test_other_domain_untouched),
    CU_TEST_INFO_NULL,
};
