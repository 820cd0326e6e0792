/* SPDX-License-Identifier: MIT */
/* sysctl: version and access checks, a pool's scheduler parameters. */
#include <orrery/console.h>
#include <orrery/mm.h>

#include "ctl_test.h"

static int64_t poolop(uint32_t poolid, uint32_t sched_id, uint32_t c,
                      struct orr_sysctl_scheduler_op *io)
{
    struct orr_sysctl op = { .cmd = ORR_SYSCTL_scheduler_op };
    int64_t rc;

    op.u.scheduler_op = *io;
    op.u.scheduler_op.cpupool_id = poolid;
    op.u.scheduler_op.sched_id = sched_id;
    op.u.scheduler_op.cmd = c;
    rc = ctl_sysctl(ctl_d0, &op);
    *io = op.u.scheduler_op;
    return rc;
}

static void test_version_mismatch(void)
{
    struct orr_sysctl op = {
        .cmd = ORR_SYSCTL_cpupool_op,
        .interface_version = ORRERY_DOMCTL_INTERFACE_VERSION,
        .u.cpupool_op = { .op = ORR_SYSCTL_CPUPOOL_OP_CREATE,
                          .cpupool_id = 5,
                          .sched_id = ORR_SCHEDULER_CREDIT },
    };

    CU_ASSERT_EQUAL(ctl_sysctl(ctl_d0, &op), -EACCES);
    CU_ASSERT_PTR_NULL(cpupool_sched_name(5));
}

static void test_bad_pointer(void)
{
    CU_ASSERT_EQUAL(ctl_call(ctl_d0, __HYPERVISOR_sysctl, CTL_HOLE),
                    -EFAULT);
}

static void test_domu_refused(void)
{
    struct orr_sysctl op = {
        .cmd = ORR_SYSCTL_cpupool_op,
        .u.cpupool_op = { .op = ORR_SYSCTL_CPUPOOL_OP_CREATE,
                          .cpupool_id = 5,
                          .sched_id = ORR_SCHEDULER_CREDIT },
    };
    struct orr_sysctl_scheduler_op s = { 0 };

    CU_ASSERT_EQUAL(ctl_sysctl(ctl_u1, &op), -EPERM);
    CU_ASSERT_PTR_NULL(cpupool_sched_name(5));
    op = (struct orr_sysctl){ .cmd = ORR_SYSCTL_scheduler_op };
    op.u.scheduler_op = s;
    op.u.scheduler_op.sched_id = ORR_SCHEDULER_CREDIT;
    op.u.scheduler_op.cmd = ORR_SYSCTL_SCHEDOP_getinfo;
    CU_ASSERT_EQUAL(ctl_sysctl(ctl_u1, &op), -EPERM);
    CU_ASSERT_EQUAL(op.u.scheduler_op.u.credit.tslice_ms, 0);
}

static void test_unknown_command(void)
{
    struct orr_sysctl op = { .cmd = 99 };

    CU_ASSERT_EQUAL(ctl_sysctl(ctl_d0, &op), -ENOSYS);
}

static void test_credit_pool_params(void)
{
    struct orr_sysctl_scheduler_op s = { 0 };

    CU_ASSERT_EQUAL(poolop(0, ORR_SCHEDULER_CREDIT,
                           ORR_SYSCTL_SCHEDOP_getinfo, &s), 0);
    CU_ASSERT(s.u.credit.tslice_ms >= 1 && s.u.credit.tslice_ms <= 1000);
    s.u.credit.tslice_ms = 5;
    s.u.credit.ratelimit_us = 1000;
    CU_ASSERT_EQUAL(poolop(0, ORR_SCHEDULER_CREDIT,
                           ORR_SYSCTL_SCHEDOP_putinfo, &s), 0);
    memset(&s, 0, sizeof(s));
    CU_ASSERT_EQUAL(poolop(0, ORR_SCHEDULER_CREDIT,
                           ORR_SYSCTL_SCHEDOP_getinfo, &s), 0);
    CU_ASSERT_EQUAL(s.u.credit.tslice_ms, 5);
    CU_ASSERT_EQUAL(s.u.credit.ratelimit_us, 1000);

    /* Out of range: nothing changes. */
    s.u.credit.tslice_ms = 0;
    CU_ASSERT_EQUAL(poolop(0, ORR_SCHEDULER_CREDIT,
                           ORR_SYSCTL_SCHEDOP_putinfo, &s), -EINVAL);
    s.u.credit.tslice_ms = 2;
    s.u.credit.ratelimit_us = 3000;     /* over the slice */
    CU_ASSERT_EQUAL(poolop(0, ORR_SCHEDULER_CREDIT,
                           ORR_SYSCTL_SCHEDOP_putinfo, &s), -EINVAL);
    memset(&s, 0, sizeof(s));
    CU_ASSERT_EQUAL(poolop(0, ORR_SCHEDULER_CREDIT,
                           ORR_SYSCTL_SCHEDOP_getinfo, &s), 0);
    CU_ASSERT_EQUAL(s.u.credit.tslice_ms, 5);
}

static void test_pool_params_errors(void)
{
    struct orr_sysctl_scheduler_op s = { 0 };

    CU_ASSERT_EQUAL(poolop(9, ORR_SCHEDULER_CREDIT,
                           ORR_SYSCTL_SCHEDOP_getinfo, &s), -ESRCH);
    CU_ASSERT_EQUAL(poolop(9, ORR_SCHEDULER_CREDIT,
                           ORR_SYSCTL_SCHEDOP_putinfo, &s), -ESRCH);
    CU_ASSERT_EQUAL(poolop(0, ORR_SCHEDULER_CREDIT2,
                           ORR_SYSCTL_SCHEDOP_getinfo, &s), -EINVAL);
    CU_ASSERT_EQUAL(poolop(0, ORR_SCHEDULER_CREDIT2,
                           ORR_SYSCTL_SCHEDOP_putinfo, &s), -EINVAL);
    CU_ASSERT_EQUAL(poolop(0, ORR_SCHEDULER_CREDIT, 7, &s), -EINVAL);
}

/* credit2's runqueue arrangement is fixed once the pool has pCPUs. */
static void test_credit2_pool_params(void)
{
    struct orr_sysctl_scheduler_op s = { 0 };

    CU_ASSERT_EQUAL(ctl_pool(ORR_SYSCTL_CPUPOOL_OP_CREATE, 1,
                             ORR_SCHEDULER_CREDIT2, 0, 0), 0);
    s.u.credit2.runqueue = ORR_CREDIT2_RQ_all + 1;
    CU_ASSERT_EQUAL(poolop(1, ORR_SCHEDULER_CREDIT2,
                           ORR_SYSCTL_SCHEDOP_putinfo, &s), -EINVAL);
    s.u.credit2.runqueue = ORR_CREDIT2_RQ_cpu;
    s.u.credit2.ratelimit_us = 200;
    CU_ASSERT_EQUAL(poolop(1, ORR_SCHEDULER_CREDIT2,
                           ORR_SYSCTL_SCHEDOP_putinfo, &s), 0);
    memset(&s, 0, sizeof(s));
    CU_ASSERT_EQUAL(poolop(1, ORR_SCHEDULER_CREDIT2,
                           ORR_SYSCTL_SCHEDOP_getinfo, &s), 0);
    CU_ASSERT_EQUAL(s.u.credit2.runqueue, ORR_CREDIT2_RQ_cpu);
    CU_ASSERT_EQUAL(s.u.credit2.ratelimit_us, 200);
    s.u.credit2.ratelimit_us = 50;      /* 0 or 100 .. 500000 */
    CU_ASSERT_EQUAL(poolop(1, ORR_SCHEDULER_CREDIT2,
                           ORR_SYSCTL_SCHEDOP_putinfo, &s), -EINVAL);
    CU_ASSERT_EQUAL(ctl_pool(ORR_SYSCTL_CPUPOOL_OP_DESTROY, 1, 0, 0, 0), 0);
}

static int64_t a653_put(uint64_t frame, const struct orr_arinc653_entry *e,
                        uint32_t n, uint64_t where)
{
    struct orr_sysctl_scheduler_op s = {
        .u.arinc653 = { .major_frame_ns = frame, .entries = where,
                        .nr_entries = n },
    };

    if ( n && where == CTL_ARRAY )
        ctl_poke(ctl_d0, CTL_ARRAY, e, n * sizeof(*e));
    return poolop(3, ORR_SCHEDULER_ARINC653, ORR_SYSCTL_SCHEDOP_putinfo,
                  &s);
}

static int64_t a653_get(struct orr_sysctl_scheduler_op *s,
                        struct orr_arinc653_entry *e, uint32_t room)
{
    int64_t rc;

    memset(s, 0, sizeof(*s));
    s->u.arinc653.entries = CTL_ARRAY;
    s->u.arinc653.nr_entries = room;
    memset(e, 0, room * sizeof(*e));
    ctl_poke(ctl_d0, CTL_ARRAY, e, room * sizeof(*e));
    rc = poolop(3, ORR_SCHEDULER_ARINC653, ORR_SYSCTL_SCHEDOP_getinfo, s);
    ctl_peek(ctl_d0, CTL_ARRAY, e, room * sizeof(*e));
    return rc;
}

/* An arinc653 schedule for u1's two vCPUs through sysctl, and every way
 * of getting it wrong leaving the schedule as it was. */
static void test_arinc653_schedule(void)
{
    struct orr_arinc653_entry e[2] = {
        { .domid = ctl_u1->domain_id, .vcpu_id = 0,
          .runtime_ns = 4000000 },
        { .domid = ctl_u1->domain_id, .vcpu_id = 1,
          .runtime_ns = 5000000 },
    };
    struct orr_arinc653_entry got[2];
    struct orr_sysctl_scheduler_op s;

    ctl_pool_with_u1(3, ORR_SCHEDULER_ARINC653);
    CU_ASSERT_EQUAL(a653_put(10000000, e, 2, CTL_ARRAY), 0);
    CU_ASSERT_EQUAL(a653_get(&s, got, 2), 0);
    ORR_ASSERT_EQ_U64(s.u.arinc653.major_frame_ns, 10000000);
    CU_ASSERT_EQUAL(s.u.arinc653.nr_entries, 2);
    CU_ASSERT_EQUAL(memcmp(got, e, sizeof(e)), 0);

    /* Too small a buffer for the schedule. */
    CU_ASSERT_EQUAL(a653_get(&s, got, 1), -ENOBUFS);

    /* Frame shorter than the entries; too many; none; bad pointer. */
    e[1].runtime_ns = 7000000;
    CU_ASSERT_EQUAL(a653_put(10000000, e, 2, CTL_ARRAY), -EINVAL);
    CU_ASSERT_EQUAL(a653_put(10000000, e, ORR_ARINC653_MAX_ENTRIES + 1,
                             CTL_HOLE), -EINVAL);
    CU_ASSERT_EQUAL(a653_put(10000000, e, 0, CTL_ARRAY), -EINVAL);
    CU_ASSERT_EQUAL(a653_put(10000000, e, 2, CTL_HOLE), -EFAULT);
    CU_ASSERT_EQUAL(a653_put((uint64_t)-1, e, 2, CTL_ARRAY), -EINVAL);

    CU_ASSERT_EQUAL(a653_get(&s, got, 2), 0);
    ORR_ASSERT_EQ_U64(got[1].runtime_ns, 5000000);
    ORR_ASSERT_EQ_U64(s.u.arinc653.major_frame_ns, 10000000);
    ctl_pool_drop(3);
}

static void test_physinfo(void)
{
    struct orr_sysctl op = { .cmd = ORR_SYSCTL_physinfo };
    struct page_alloc_stats st;

    CU_ASSERT_EQUAL(ctl_sysctl(ctl_d0, &op), 0);
    page_alloc_stats(&st);
    CU_ASSERT_EQUAL(op.u.physinfo.nr_cpus, CTL_CPUS);
    ORR_ASSERT_EQ_U64(op.u.physinfo.total_pages, st.total_pages);
    ORR_ASSERT_EQ_U64(op.u.physinfo.free_pages, st.free_pages);
    CU_ASSERT(op.u.physinfo.total_pages > op.u.physinfo.free_pages);
    op = (struct orr_sysctl){ .cmd = ORR_SYSCTL_physinfo };
    CU_ASSERT_EQUAL(ctl_sysctl(ctl_u1, &op), -EPERM);
    CU_ASSERT_EQUAL(op.u.physinfo.nr_cpus, 0);
}

static int64_t readconsole(struct domain *caller, uint64_t buf,
                           uint32_t count, uint32_t clear, uint32_t *n)
{
    struct orr_sysctl op = {
        .cmd = ORR_SYSCTL_readconsole,
        .u.readconsole = { .buffer = buf, .count = count, .clear = clear },
    };
    int64_t rc = ctl_sysctl(caller, &op);

    *n = op.u.readconsole.count;
    return rc;
}

/* xl dmesg: the newest bytes that fit; -c empties the ring, but only
 * once the copy worked. */
static void test_readconsole(void)
{
    static const char marker[] = "ctl-ring-marker-0123456789\n";
    size_t len = sizeof(marker) - 1;
    char got[128];
    uint32_t n;

    /* The ring holds printk's line with its prefix: the marker ends it. */
    console_ring_clear();
    printk("%s", marker);
    CU_ASSERT_EQUAL(readconsole(ctl_d0, CTL_ARRAY, sizeof(got), 0, &n), 0);
    CU_ASSERT_FATAL(n >= len && n < sizeof(got));
    ctl_peek(ctl_d0, CTL_ARRAY, got, n);
    CU_ASSERT_EQUAL(memcmp(got + n - len, marker, len), 0);
    CU_ASSERT_EQUAL(readconsole(ctl_d0, CTL_ARRAY, 5, 0, &n), 0);
    CU_ASSERT_EQUAL(n, 5);
    ctl_peek(ctl_d0, CTL_ARRAY, got, n);
    CU_ASSERT_EQUAL(memcmp(got, "6789\n", 5), 0);

    CU_ASSERT_EQUAL(readconsole(ctl_d0, CTL_HOLE, sizeof(got), 1, &n),
                    -EFAULT);
    CU_ASSERT_EQUAL(readconsole(ctl_u1, CTL_ARRAY, sizeof(got), 1, &n),
                    -EPERM);
    CU_ASSERT_EQUAL(readconsole(ctl_d0, CTL_ARRAY, sizeof(got), 1, &n), 0);
    CU_ASSERT(n > 0);
    CU_ASSERT_EQUAL(readconsole(ctl_d0, CTL_ARRAY, sizeof(got), 0, &n), 0);
    CU_ASSERT_EQUAL(n, 0);
}

CU_TestInfo sysctl_tests[] = {
    { "physinfo", test_physinfo },
    { "readconsole", test_readconsole },
    { "version mismatch is -EACCES", test_version_mismatch },
    { "bad pointer is -EFAULT", test_bad_pointer },
    { "a domU is refused", test_domu_refused },
    { "unknown command is -ENOSYS", test_unknown_command },
    { "credit pool parameters", test_credit_pool_params },
    { "pool parameter errors", test_pool_params_errors },
    { "credit2 pool parameters", test_credit2_pool_params },
    { "arinc653 schedule", test_arinc653_schedule },
    CU_TEST_INFO_NULL,
};
