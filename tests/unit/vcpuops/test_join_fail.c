/* SPDX-License-Identifier: MIT */
/*
 * Joining domains to a pool that cannot take them: domain_create fails
 * with the scheduler's error and leaves nothing behind; registering the
 * join once a domain exists is refused.
 */
#include "vo_test.h"

static uint64_t free_before;
static unsigned int leaks_before;

void vo_fail_setup(void)
{
    struct page_alloc_stats st;

    sim_init(1, 0);
    vo_heap();
    timer_init();
    domain_reset_hooks();
    CU_ASSERT_FATAL(sched_init("credit", cpumask_of(0)) == 0);
    sched_softirq_init();
    page_alloc_stats(&st);
    free_before = st.free_pages;
    leaks_before = domain_leaks();
}

void vo_fail_teardown(void)
{
    struct page_alloc_stats st;

    CU_ASSERT_EQUAL(domain_count(), 0);
    CU_ASSERT_EQUAL(domain_leaks(), leaks_before);
    page_alloc_stats(&st);
    ORR_ASSERT_EQ_U64(st.free_pages, free_before);
    domain_reset_hooks();
}

static int create(struct domain **d)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .max_vcpus = 3, .max_pages = 8,
    };

    return domain_create(&cfg, d);
}

static void test_unknown_pool(void)
{
    struct domain *d;

    CU_ASSERT_EQUAL(domain_sched_register(7), 0);
    evtchn_register_domain_hooks();
    CU_ASSERT_EQUAL(create(&d), -ESRCH);
    CU_ASSERT_PTR_NULL(d);
}

/* A pool without CPUs could never run the domain. */
static void test_pool_without_cpus(void)
{
    struct domain *d;

    CU_ASSERT_EQUAL(cpupool_create(3, "credit"), 0);
    CU_ASSERT_EQUAL(domain_sched_register(3), 0);
    CU_ASSERT_EQUAL(vcpu_ops_register(), 0);
    CU_ASSERT_EQUAL(create(&d), -EINVAL);
    CU_ASSERT_EQUAL(cpupool_destroy(3), 0);
}

static void test_register_too_late(void)
{
    struct domain *d;

    CU_ASSERT_EQUAL(create(&d), 0);
    CU_ASSERT_PTR_NULL(vcpu_sched_unit(d->vcpu[0]));
    /* Without a unit: no-ops, and the old rule for runnable. */
    vcpu_block(d->vcpu[0]);
    CU_ASSERT_FALSE(vcpu_is_blocked(d->vcpu[0]));
    CU_ASSERT_EQUAL(domain_unpause(d), 0);
    CU_ASSERT_TRUE(vcpu_runnable(d->vcpu[0]));
    CU_ASSERT_EQUAL(domain_sched_register(0), -EBUSY);
    CU_ASSERT_EQUAL(vcpu_ops_register(), -EBUSY);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
}

CU_TestInfo join_fail_tests[] = {
    ORR_CASE(test_unknown_pool),
    ORR_CASE(test_pool_without_cpus),
    ORR_CASE(test_register_too_late),
    CU_TEST_INFO_NULL,
};
