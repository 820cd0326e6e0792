/* SPDX-License-Identifier: MIT */
/* Pause counts, shutdown, and what they mean for vcpu_runnable(). */
#include "dom_test.h"

static void test_pause_is_counted(void)
{
    struct domain *d = dom_new(0, 2, 0);
    struct vcpu *v0 = d->vcpu[0];

    CU_ASSERT_FALSE(vcpu_runnable(v0));     /* created paused */
    CU_ASSERT_EQUAL(domain_unpause(d), 0);
    CU_ASSERT_TRUE(vcpu_runnable(v0));
    domain_pause(d);
    domain_pause(d);
    CU_ASSERT_EQUAL(domain_unpause(d), 0);
    CU_ASSERT_FALSE(vcpu_runnable(v0));     /* one pause still held */
    CU_ASSERT_EQUAL(domain_unpause(d), 0);
    CU_ASSERT_TRUE(vcpu_runnable(v0));
    /* Unbalanced: an error, and the count stays at zero. */
    CU_ASSERT_EQUAL(domain_unpause(d), -EINVAL);
    CU_ASSERT_EQUAL(d->pause_count, 0);
    CU_ASSERT_TRUE(vcpu_runnable(v0));
    dom_kill(d);
}

static void test_vcpu_pause_and_up(void)
{
    struct domain *d = dom_new(0, 2, 0);

    CU_ASSERT_EQUAL(domain_unpause(d), 0);
    vcpu_pause(d->vcpu[0]);
    CU_ASSERT_FALSE(vcpu_runnable(d->vcpu[0]));
    CU_ASSERT_EQUAL(vcpu_unpause(d->vcpu[0]), 0);
    CU_ASSERT_TRUE(vcpu_runnable(d->vcpu[0]));
    CU_ASSERT_EQUAL(vcpu_unpause(d->vcpu[0]), -EINVAL);
    /* vCPU 1 is down until VCPUOP_up. */
    CU_ASSERT_FALSE(vcpu_runnable(d->vcpu[1]));
    dom_kill(d);
}

static void test_shutdown_reason_sticks(void)
{
    struct domain *d = dom_new(0, 1, 0);

    CU_ASSERT_EQUAL(domain_unpause(d), 0);
    CU_ASSERT_EQUAL(domain_shutdown(d, SHUTDOWN_MAX + 1), -EINVAL);
    CU_ASSERT_FALSE(d->is_shut_down);
    CU_ASSERT_TRUE(vcpu_runnable(d->vcpu[0]));
    CU_ASSERT_EQUAL(domain_shutdown(d, SHUTDOWN_reboot), 0);
    CU_ASSERT_TRUE(d->is_shut_down);
    CU_ASSERT_FALSE(vcpu_runnable(d->vcpu[0]));
    CU_ASSERT_EQUAL(domain_shutdown(d, SHUTDOWN_crash), 0);
    CU_ASSERT_EQUAL(d->shutdown_reason, SHUTDOWN_reboot);
    dom_kill(d);
}

/* Another domain's state is never touched. */
static void test_state_is_per_domain(void)
{
    struct domain *a = dom_new(0, 1, 0), *b = dom_new(0, 1, 0);

    CU_ASSERT_EQUAL(domain_unpause(a), 0);
    CU_ASSERT_EQUAL(domain_unpause(b), 0);
    domain_shutdown(a, SHUTDOWN_poweroff);
    domain_pause(a);
    CU_ASSERT_FALSE(b->is_shut_down);
    CU_ASSERT_EQUAL(b->pause_count, 0);
    CU_ASSERT_TRUE(vcpu_runnable(b->vcpu[0]));
    dom_kill(a);
    CU_ASSERT_TRUE(vcpu_runnable(b->vcpu[0]));
    dom_kill(b);
}

CU_TestInfo state_tests[] = {
    ORR_CASE(test_pause_is_counted),
    ORR_CASE(test_vcpu_pause_and_up),
    ORR_CASE(test_shutdown_reason_sticks),
    ORR_CASE(test_state_is_per_domain),
    CU_TEST_INFO_NULL,
};
