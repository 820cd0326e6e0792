/* SPDX-License-Identifier: MIT */
/* sysctl cpupool_op: pools, their pCPUs and domains, with Xen's errors. */
#include "ctl_test.h"

#define OP(x) ORR_SYSCTL_CPUPOOL_OP_##x

static void test_create_info_destroy(void)
{
    struct orr_sysctl_cpupool_op i;

    CU_ASSERT_EQUAL(ctl_pool(OP(CREATE), 1, ORR_SCHEDULER_CREDIT2, 0, 0), 0);
    CU_ASSERT_EQUAL(ctl_pool(OP(CREATE), 1, ORR_SCHEDULER_CREDIT, 0, 0),
                    -EEXIST);
    i = ctl_pool_info(1);
    CU_ASSERT_EQUAL(i.cpupool_id, 1);
    CU_ASSERT_EQUAL(i.sched_id, ORR_SCHEDULER_CREDIT2);
    CU_ASSERT_EQUAL(i.n_dom, 0);
    ORR_ASSERT_EQ_U64(i.cpumap, 0);
    i = ctl_pool_info(0);
    CU_ASSERT_EQUAL(i.sched_id, ORR_SCHEDULER_CREDIT);
    CU_ASSERT_EQUAL(i.n_dom, 2);
    ORR_ASSERT_EQ_U64(i.cpumap, 1);
    CU_ASSERT_EQUAL(ctl_pool(OP(DESTROY), 1, 0, 0, 0), 0);
    CU_ASSERT_EQUAL(ctl_pool(OP(DESTROY), 1, 0, 0, 0), -ESRCH);
    CU_ASSERT_EQUAL(ctl_pool(OP(INFO), 1, 0, 0, 0), -ENOENT);
}

static void test_create_any_id(void)
{
    struct orr_sysctl s = {
        .cmd = ORR_SYSCTL_cpupool_op,
        .u.cpupool_op = { .op = OP(CREATE), .cpupool_id = ORR_CPUPOOLID_ANY,
                          .sched_id = ORR_SCHEDULER_RTDS },
    };

    CU_ASSERT_EQUAL(ctl_pool(OP(CREATE), 1, ORR_SCHEDULER_NULL, 0, 0), 0);
    CU_ASSERT_EQUAL(ctl_sysctl(ctl_d0, &s), 0);
    CU_ASSERT_EQUAL(s.u.cpupool_op.cpupool_id, 2);  /* 0, 1 taken */
    CU_ASSERT_EQUAL(ctl_pool_info(2).sched_id, ORR_SCHEDULER_RTDS);
    CU_ASSERT_EQUAL(ctl_pool(OP(DESTROY), 2, 0, 0, 0), 0);
    CU_ASSERT_EQUAL(ctl_pool(OP(DESTROY), 1, 0, 0, 0), 0);
}

/* INFO walks the pools as Xen's does: the id asked for or the next one
 * up, whose id comes back in cpupool_id; -ENOENT past the last. */
static void test_info_walk(void)
{
    uint32_t seen[4], n = 0;

    CU_ASSERT_EQUAL(ctl_pool(OP(CREATE), 7, ORR_SCHEDULER_NULL, 0, 0), 0);
    CU_ASSERT_EQUAL(ctl_pool(OP(CREATE), 3, ORR_SCHEDULER_RTDS, 0, 0), 0);
    CU_ASSERT_EQUAL(ctl_pool_info(1).cpupool_id, 3);
    CU_ASSERT_EQUAL(ctl_pool_info(1).sched_id, ORR_SCHEDULER_RTDS);
    CU_ASSERT_EQUAL(ctl_pool_info(4).cpupool_id, 7);
    CU_ASSERT_EQUAL(ctl_pool_info(7).sched_id, ORR_SCHEDULER_NULL);
    CU_ASSERT_EQUAL(ctl_pool(OP(INFO), 8, 0, 0, 0), -ENOENT);
    CU_ASSERT_EQUAL(ctl_pool(OP(INFO), ORR_CPUPOOLID_ANY, 0, 0, 0), -ENOENT);
    for ( uint32_t id = 0; n < 4; id = seen[n - 1] + 1 )
    {
        struct orr_sysctl s = {
            .cmd = ORR_SYSCTL_cpupool_op,
            .u.cpupool_op = { .op = OP(INFO), .cpupool_id = id },
        };

        if ( ctl_sysctl(ctl_d0, &s) )
            break;
        seen[n++] = s.u.cpupool_op.cpupool_id;
    }
    CU_ASSERT_EQUAL(n, 3);
    CU_ASSERT_EQUAL(seen[0], 0);
    CU_ASSERT_EQUAL(seen[1], 3);
    CU_ASSERT_EQUAL(seen[2], 7);
    CU_ASSERT_EQUAL(ctl_pool(OP(DESTROY), 3, 0, 0, 0), 0);
    CU_ASSERT_EQUAL(ctl_pool(OP(DESTROY), 7, 0, 0, 0), 0);
}

static void test_create_bad_scheduler(void)
{
    CU_ASSERT_EQUAL(ctl_pool(OP(CREATE), 1, 42, 0, 0), -EINVAL);
    CU_ASSERT_EQUAL(ctl_pool(OP(INFO), 1, 0, 0, 0), -ENOENT);
}

static void test_cpus(void)
{
    CU_ASSERT_EQUAL(ctl_pool(OP(CREATE), 1, ORR_SCHEDULER_CREDIT2, 0, 0), 0);
    CU_ASSERT_EQUAL(ctl_pool(OP(CREATE), 2, ORR_SCHEDULER_CREDIT, 0, 0), 0);
    CU_ASSERT_EQUAL(ctl_pool(OP(ADDCPU), 1, 0, 0, 1), 0);
    ORR_ASSERT_EQ_U64(ctl_pool_info(1).cpumap, 2);
    CU_ASSERT_EQUAL(cpupool_of_cpu(1), 1);
    /* In pool 1 already; in pool 0; offline; past NR_CPUS. */
    CU_ASSERT_EQUAL(ctl_pool(OP(ADDCPU), 2, 0, 0, 1), -EBUSY);
    CU_ASSERT_EQUAL(ctl_pool(OP(ADDCPU), 2, 0, 0, 0), -EBUSY);
    CU_ASSERT_EQUAL(ctl_pool(OP(ADDCPU), 2, 0, 0, CTL_CPUS), -EINVAL);
    CU_ASSERT_EQUAL(ctl_pool(OP(ADDCPU), 2, 0, 0, 1000), -EINVAL);
    /* Every online pCPU is in a pool. */
    CU_ASSERT_EQUAL(ctl_pool(OP(ADDCPU), 2, 0, 0, ORR_CPUPOOL_PAR_ANY),
                    -ENODEV);
    CU_ASSERT_EQUAL(ctl_pool(OP(ADDCPU), 7, 0, 0, 1), -ESRCH);
    /* Not in that pool; unknown pool. */
    CU_ASSERT_EQUAL(ctl_pool(OP(RMCPU), 2, 0, 0, 1), -EINVAL);
    CU_ASSERT_EQUAL(ctl_pool(OP(RMCPU), 7, 0, 0, 1), -ESRCH);
    CU_ASSERT_EQUAL(ctl_pool(OP(RMCPU), 1, 0, 0, 1), 0);
    ORR_ASSERT_EQ_U64(ctl_pool_info(1).cpumap, 0);
    CU_ASSERT_EQUAL(cpupool_of_cpu(1), CPUPOOL_ID_NONE);

    /* _ANY picks the free pCPU and says which. */
    {
        struct orr_sysctl s = {
            .cmd = ORR_SYSCTL_cpupool_op,
            .u.cpupool_op = { .op = OP(ADDCPU), .cpupool_id = 2,
                              .cpu = ORR_CPUPOOL_PAR_ANY },
        };

        CU_ASSERT_EQUAL(ctl_sysctl(ctl_d0, &s), 0);
        CU_ASSERT_EQUAL(s.u.cpupool_op.cpu, 1);
        CU_ASSERT_EQUAL(cpupool_of_cpu(1), 2);
    }
    CU_ASSERT_EQUAL(ctl_pool(OP(DESTROY), 2, 0, 0, 0), 0);
    CU_ASSERT_EQUAL(cpupool_of_cpu(1), CPUPOOL_ID_NONE);
    CU_ASSERT_EQUAL(ctl_pool(OP(DESTROY), 1, 0, 0, 0), 0);
}

static void test_move_domain(void)
{
    ctl_pool_with_u1(1, ORR_SCHEDULER_CREDIT2);
    CU_ASSERT_EQUAL(ctl_pool_info(1).n_dom, 1);
    CU_ASSERT_EQUAL(ctl_pool_info(0).n_dom, 1);
    /* The last pCPU of a pool with domains; a pool with domains. */
    CU_ASSERT_EQUAL(ctl_pool(OP(RMCPU), 1, 0, 0, 1), -EBUSY);
    CU_ASSERT_EQUAL(ctl_pool(OP(DESTROY), 1, 0, 0, 0), -EBUSY);
    CU_ASSERT_EQUAL(ctl_pool_info(1).n_dom, 1);
    ORR_ASSERT_EQ_U64(ctl_pool_info(1).cpumap, 2);
    ctl_pool_drop(1);
    CU_ASSERT_EQUAL(ctl_pool_info(0).n_dom, 2);
}

static void test_move_domain_errors(void)
{
    CU_ASSERT_EQUAL(ctl_pool(OP(CREATE), 1, ORR_SCHEDULER_CREDIT2, 0, 0), 0);
    /* Unknown domain, reserved id, unknown pool, a pool with no pCPU. */
    CU_ASSERT_EQUAL(ctl_pool(OP(MOVEDOMAIN), 1, 0, CTL_NO_DOMAIN, 0), -ESRCH);
    CU_ASSERT_EQUAL(ctl_pool(OP(MOVEDOMAIN), 1, 0, DOMID_SELF, 0), -ESRCH);
    CU_ASSERT_EQUAL(ctl_pool(OP(MOVEDOMAIN), 1, 0, 1U << 20, 0), -ESRCH);
    CU_ASSERT_EQUAL(ctl_pool(OP(MOVEDOMAIN), 7, 0, ctl_u1->domain_id, 0),
                    -ESRCH);
    CU_ASSERT_EQUAL(ctl_pool(OP(MOVEDOMAIN), 1, 0, ctl_u1->domain_id, 0),
                    -EINVAL);
    CU_ASSERT_EQUAL(ctl_pool_info(0).n_dom, 2);
    CU_ASSERT_EQUAL(ctl_pool(OP(DESTROY), 1, 0, 0, 0), 0);
}

static void test_pool0_and_unknown_op(void)
{
    CU_ASSERT_EQUAL(ctl_pool(OP(DESTROY), 0, 0, 0, 0), -EBUSY);
    CU_ASSERT_EQUAL(ctl_pool(OP(DESTROY), 9, 0, 0, 0), -ESRCH);
    CU_ASSERT_EQUAL(ctl_pool(0, 0, 0, 0, 0), -EINVAL);
    CU_ASSERT_EQUAL(ctl_pool(99, 0, 0, 0, 0), -EINVAL);
}

CU_TestInfo cpupool_tests[] = {
    { "create, info, destroy; -EEXIST, -ESRCH", test_create_info_destroy },
    { "create with CPUPOOLID_ANY", test_create_any_id },
    { "info walks the pools, next at or above", test_info_walk },
    { "create with an unknown scheduler", test_create_bad_scheduler },
    { "add and remove pCPUs", test_cpus },
    { "move a domain; -EBUSY", test_move_domain },
    { "move a domain: errors", test_move_domain_errors },
    { "pool 0, unknown op", test_pool0_and_unknown_op },
    CU_TEST_INFO_NULL,
};
