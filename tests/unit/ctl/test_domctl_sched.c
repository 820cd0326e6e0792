/* SPDX-License-Identifier: MIT */
/* domctl scheduler_op: per-domain and per-vCPU scheduler parameters. */
#include "ctl_test.h"

static int64_t schedop(domid_t dom, uint32_t sched_id, uint32_t c,
                       struct orr_domctl_scheduler_op *io)
{
    struct orr_domctl op = { .cmd = ORR_DOMCTL_scheduler_op, .domain = dom };
    int64_t rc;

    if ( io )
        op.u.scheduler_op = *io;
    op.u.scheduler_op.sched_id = sched_id;
    op.u.scheduler_op.cmd = c;
    rc = ctl_domctl(ctl_d0, &op);
    if ( io )
        *io = op.u.scheduler_op;
    return rc;
}

static struct orr_sched_credit credit_get(uint32_t sched_id)
{
    struct orr_domctl_scheduler_op s = { 0 };

    CU_ASSERT_EQUAL(schedop(ctl_u1->domain_id, sched_id,
                            ORR_DOMCTL_SCHEDOP_getinfo, &s), 0);
    return s.u.credit;
}

static int64_t credit_put(uint32_t sched_id, uint32_t weight, uint32_t cap)
{
    struct orr_domctl_scheduler_op s = {
        .u.credit = { .weight = weight, .cap = cap },
    };

    return schedop(ctl_u1->domain_id, sched_id, ORR_DOMCTL_SCHEDOP_putinfo,
                   &s);
}

static void test_credit_weight_cap(void)
{
    struct orr_sched_credit c = credit_get(ORR_SCHEDULER_CREDIT);

    CU_ASSERT_EQUAL(c.weight, 256);
    CU_ASSERT_EQUAL(c.cap, 0);
    CU_ASSERT_EQUAL(credit_put(ORR_SCHEDULER_CREDIT, 512, 150), 0);
    c = credit_get(ORR_SCHEDULER_CREDIT);
    CU_ASSERT_EQUAL(c.weight, 512);
    CU_ASSERT_EQUAL(c.cap, 150);
}

/* Weight 0 and a cap above 100 per vCPU are -EINVAL; nothing changes. */
static void test_credit_bad_values(void)
{
    struct orr_sched_credit c;

    CU_ASSERT_EQUAL(credit_put(ORR_SCHEDULER_CREDIT, 0, 0), -EINVAL);
    CU_ASSERT_EQUAL(credit_put(ORR_SCHEDULER_CREDIT, 300,
                               100 * CTL_VCPUS + 1), -EINVAL);
    c = credit_get(ORR_SCHEDULER_CREDIT);
    CU_ASSERT_EQUAL(c.weight, 256);
    CU_ASSERT_EQUAL(c.cap, 0);
}

/* u1 is in pool 0 (credit): naming credit2 is -EINVAL, get and put. */
static void test_wrong_sched_id(void)
{
    struct orr_domctl_scheduler_op s = { 0 };

    CU_ASSERT_EQUAL(credit_put(ORR_SCHEDULER_CREDIT2, 512, 0), -EINVAL);
    CU_ASSERT_EQUAL(schedop(ctl_u1->domain_id, ORR_SCHEDULER_CREDIT2,
                            ORR_DOMCTL_SCHEDOP_getinfo, &s), -EINVAL);
    CU_ASSERT_EQUAL(schedop(ctl_u1->domain_id, 1234,
                            ORR_DOMCTL_SCHEDOP_getinfo, &s), -EINVAL);
    CU_ASSERT_EQUAL(credit_get(ORR_SCHEDULER_CREDIT).weight, 256);
}

static void test_bad_schedop_cmd(void)
{
    struct orr_domctl_scheduler_op s = { 0 };

    CU_ASSERT_EQUAL(schedop(ctl_u1->domain_id, ORR_SCHEDULER_CREDIT, 9, &s),
                    -EINVAL);
}

/* A control domain makes a credit2 pool, moves u1 there, and from then
 * on reads and sets u1's weight as credit2's. */
static void test_move_to_credit2_pool(void)
{
    struct orr_sched_credit c;

    ctl_pool_with_u1(1, ORR_SCHEDULER_CREDIT2);
    CU_ASSERT_EQUAL(ctl_pool_info(1).n_dom, 1);
    c = credit_get(ORR_SCHEDULER_CREDIT2);
    CU_ASSERT_EQUAL(c.weight, 256);
    CU_ASSERT_EQUAL(credit_put(ORR_SCHEDULER_CREDIT2, 1000, 0), 0);
    CU_ASSERT_EQUAL(credit_get(ORR_SCHEDULER_CREDIT2).weight, 1000);
    /* No longer credit's. */
    CU_ASSERT_EQUAL(credit_put(ORR_SCHEDULER_CREDIT, 100, 0), -EINVAL);
    CU_ASSERT_EQUAL(credit_put(ORR_SCHEDULER_CREDIT2, 65536, 0), -EINVAL);
    CU_ASSERT_EQUAL(credit_get(ORR_SCHEDULER_CREDIT2).weight, 1000);
    ctl_pool_drop(1);
}

static int64_t vcpus(uint32_t c, struct orr_sched_vcpu *e, uint32_t n,
                     uint64_t where)
{
    struct orr_domctl_scheduler_op s = {
        .u.v = { .vcpus = where, .nr_vcpus = n },
    };
    int64_t rc;

    if ( n && where == CTL_ARRAY )
        ctl_poke(ctl_d0, CTL_ARRAY, e, n * sizeof(*e));
    rc = schedop(ctl_u1->domain_id, ORR_SCHEDULER_RTDS, c, &s);
    if ( n && where == CTL_ARRAY )
        ctl_peek(ctl_d0, CTL_ARRAY, e, n * sizeof(*e));
    return rc;
}

static void rtds_read(struct orr_sched_vcpu e[CTL_VCPUS])
{
    e[0] = (struct orr_sched_vcpu){ .vcpuid = 0 };
    e[1] = (struct orr_sched_vcpu){ .vcpuid = 1 };
    CU_ASSERT_EQUAL(vcpus(ORR_DOMCTL_SCHEDOP_getvcpuinfo, e, 2, CTL_ARRAY),
                    0);
}

static void test_rtds_per_vcpu(void)
{
    struct orr_sched_vcpu e[CTL_VCPUS] = {
        { .vcpuid = 1, .rtds = { .period_us = 20000, .budget_us = 5000,
                                 .flags = ORR_RTDS_extratime } },
        { .vcpuid = 0, .rtds = { .period_us = 10000, .budget_us = 2000 } },
    };

    ctl_pool_with_u1(2, ORR_SCHEDULER_RTDS);
    CU_ASSERT_EQUAL(vcpus(ORR_DOMCTL_SCHEDOP_putvcpuinfo, e, 2, CTL_ARRAY),
                    0);
    rtds_read(e);
    CU_ASSERT_EQUAL(e[0].rtds.period_us, 10000);
    CU_ASSERT_EQUAL(e[0].rtds.budget_us, 2000);
    CU_ASSERT_EQUAL(e[0].rtds.flags, 0);
    CU_ASSERT_EQUAL(e[1].rtds.period_us, 20000);
    CU_ASSERT_EQUAL(e[1].rtds.budget_us, 5000);
    CU_ASSERT_EQUAL(e[1].rtds.flags, ORR_RTDS_extratime);
    ctl_pool_drop(2);
}

/* A put whose second element is bad changes neither vCPU. */
static void test_rtds_put_all_or_nothing(void)
{
    struct orr_sched_vcpu before[CTL_VCPUS], after[CTL_VCPUS];
    struct orr_sched_vcpu e[CTL_VCPUS] = {
        { .vcpuid = 0, .rtds = { .period_us = 30000, .budget_us = 3000 } },
        { .vcpuid = 1, .rtds = { .period_us = 1000, .budget_us = 2000 } },
    };

    ctl_pool_with_u1(2, ORR_SCHEDULER_RTDS);
    rtds_read(before);
    CU_ASSERT_EQUAL(vcpus(ORR_DOMCTL_SCHEDOP_putvcpuinfo, e, 2, CTL_ARRAY),
                    -EINVAL);
    e[1].rtds = (struct orr_sched_rtds){ .period_us = 1000,
                                         .budget_us = 100, .flags = 4 };
    CU_ASSERT_EQUAL(vcpus(ORR_DOMCTL_SCHEDOP_putvcpuinfo, e, 2, CTL_ARRAY),
                    -EINVAL);
    e[1] = (struct orr_sched_vcpu){ .vcpuid = CTL_VCPUS,
                                    .rtds = { 1000, 100, 0, 0 } };
    CU_ASSERT_EQUAL(vcpus(ORR_DOMCTL_SCHEDOP_putvcpuinfo, e, 2, CTL_ARRAY),
                    -EINVAL);
    rtds_read(after);
    CU_ASSERT_EQUAL(memcmp(before, after, sizeof(before)), 0);
    ctl_pool_drop(2);
}

static void test_rtds_bad_array(void)
{
    struct orr_sched_vcpu e[CTL_VCPUS + 1] = { { .vcpuid = 0 } };

    ctl_pool_with_u1(2, ORR_SCHEDULER_RTDS);
    CU_ASSERT_EQUAL(vcpus(ORR_DOMCTL_SCHEDOP_getvcpuinfo, e, 0, CTL_ARRAY),
                    -EINVAL);
    CU_ASSERT_EQUAL(vcpus(ORR_DOMCTL_SCHEDOP_getvcpuinfo, e, CTL_VCPUS + 1,
                          CTL_ARRAY), -EINVAL);
    CU_ASSERT_EQUAL(vcpus(ORR_DOMCTL_SCHEDOP_getvcpuinfo, e, 1, CTL_HOLE),
                    -EFAULT);
    CU_ASSERT_EQUAL(vcpus(ORR_DOMCTL_SCHEDOP_putvcpuinfo, e, 1, CTL_HOLE),
                    -EFAULT);
    ctl_pool_drop(2);
}

/* Domain-wide RTDS put sets every vCPU; get reads vCPU 0's. */
static void test_rtds_domain_wide(void)
{
    struct orr_domctl_scheduler_op s = {
        .u.rtds = { .period_us = 40000, .budget_us = 4000,
                    .flags = ORR_RTDS_extratime },
    };
    struct orr_sched_vcpu e[CTL_VCPUS];

    ctl_pool_with_u1(2, ORR_SCHEDULER_RTDS);
    CU_ASSERT_EQUAL(schedop(ctl_u1->domain_id, ORR_SCHEDULER_RTDS,
                            ORR_DOMCTL_SCHEDOP_putinfo, &s), 0);
    rtds_read(e);
    CU_ASSERT_EQUAL(e[1].rtds.period_us, 40000);
    CU_ASSERT_EQUAL(e[1].rtds.budget_us, 4000);
    memset(&s, 0, sizeof(s));
    CU_ASSERT_EQUAL(schedop(ctl_u1->domain_id, ORR_SCHEDULER_RTDS,
                            ORR_DOMCTL_SCHEDOP_getinfo, &s), 0);
    CU_ASSERT_EQUAL(s.u.rtds.budget_us, 4000);
    CU_ASSERT_EQUAL(s.u.rtds.flags, ORR_RTDS_extratime);
    s.u.rtds.budget_us = 50000;         /* over the period */
    CU_ASSERT_EQUAL(schedop(ctl_u1->domain_id, ORR_SCHEDULER_RTDS,
                            ORR_DOMCTL_SCHEDOP_putinfo, &s), -EINVAL);
    ctl_pool_drop(2);
}

/* A credit domain has no per-vCPU parameters under RTDS's id. */
static void test_vcpuinfo_wrong_sched(void)
{
    struct orr_sched_vcpu e[1] = { { .vcpuid = 0 } };

    CU_ASSERT_EQUAL(vcpus(ORR_DOMCTL_SCHEDOP_getvcpuinfo, e, 1, CTL_ARRAY),
                    -EINVAL);
}

CU_TestInfo domctl_sched_tests[] = {
    { "credit weight and cap", test_credit_weight_cap },
    { "credit bad values change nothing", test_credit_bad_values },
    { "sched_id not the pool's is -EINVAL", test_wrong_sched_id },
    { "unknown SCHEDOP is -EINVAL", test_bad_schedop_cmd },
    { "moved to a credit2 pool: its weight there",
      test_move_to_credit2_pool },
    { "RTDS per-vCPU put/get", test_rtds_per_vcpu },
    { "RTDS per-vCPU put is all or nothing", test_rtds_put_all_or_nothing },
    { "RTDS per-vCPU bad array", test_rtds_bad_array },
    { "RTDS domain-wide put/get", test_rtds_domain_wide },
    { "vcpuinfo under another scheduler", test_vcpuinfo_wrong_sched },
    CU_TEST_INFO_NULL,
};
