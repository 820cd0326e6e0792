/* SPDX-License-Identifier: MIT */
/*
 * ARINC653: windows exact to the ns, the idle rest of the major frame,
 * no work conservation, Xen's default schedule (dom0's vCPUs), entries
 * naming absent domains, and a pool of two pCPUs (Xen 4.18: allowed,
 * still one window at a time).
 */
#include "test_rt.h"

/* Install a schedule of @n windows (domid, vcpu, runtime ns). */
static int set_schedule(s_time_t major, unsigned int n,
                        const struct arinc653_entry *e)
{
    struct sched_pool_params p = { .sched_id = XEN_SCHEDULER_ARINC653 };

    p.u.arinc653.major_frame = major;
    p.u.arinc653.nr_entries = n;
    for ( unsigned int i = 0; i < n; i++ )
        p.u.arinc653.entry[i] = e[i];
    return sched_pool_set_params(0, &p);
}

/*
 * d1 for 30 ms, d2 for 20 ms, idle for the 50 ms left of a 100 ms frame.
 * The frame starts at the first decision after the schedule is set (T0),
 * and every boundary after is T0 + an exact sum of runtimes, also when
 * the pCPU is called late.
 */
static void test_a653_windows_exact(void)
{
    static const struct arinc653_entry e[] = {
        { .domid = 1, .vcpu_id = 0, .runtime = MS(30) },
        { .domid = 2, .vcpu_id = 0, .runtime = MS(20) },
    };
    const s_time_t t0 = 1234567;
    struct sched_domain d1, d2;
    struct sched_unit u1[1], u2[1];
    s_time_t next;

    fresh("arinc653", 1);
    make_dom(&d1, u1, 1, 1, 0, 0);
    make_dom(&d2, u2, 1, 2, 0, 0);
    /* No schedule names them yet: the pCPU idles for good. */
    CU_ASSERT_PTR_NULL(sched_schedule(0, 0, &next));
    CU_ASSERT_EQUAL(next, S_TIME_NEVER);

    CU_ASSERT_EQUAL(set_schedule(MS(100), 2, e), 0);
    CU_ASSERT(sched_need_resched(0));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, t0, &next), &u1[0]);
    CU_ASSERT_EQUAL(next, t0 + MS(30));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next - 1, &next), &u1[0]);
    CU_ASSERT_EQUAL(next, t0 + MS(30));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), &u2[0]);
    CU_ASSERT_EQUAL(next, t0 + MS(50));
    /* Past the windows: idle to the end of the major frame. */
    CU_ASSERT_PTR_NULL(sched_schedule(0, next, &next));
    CU_ASSERT_EQUAL(next, t0 + MS(100));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), &u1[0]);
    CU_ASSERT_EQUAL(next, t0 + MS(130));
    /* Called 5 ms late: d2's window, ending on time. */
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, t0 + MS(135), &next), &u2[0]);
    CU_ASSERT_EQUAL(next, t0 + MS(150));
    /* Many frames later, still aligned to t0. */
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, t0 + MS(100000) + 7, &next),
                        &u1[0]);
    CU_ASSERT_EQUAL(next, t0 + MS(100030));
}

/* Not work conserving: a window whose unit is blocked idles, though
 * another unit could run; a wake inside the window takes the rest. */
static void test_a653_blocked_window_idles(void)
{
    static const struct arinc653_entry e[] = {
        { .domid = 1, .vcpu_id = 0, .runtime = MS(10) },
        { .domid = 2, .vcpu_id = 0, .runtime = MS(10) },
    };
    struct sched_domain d1, d2;
    struct sched_unit u1[1], u2[1];
    s_time_t next;

    fresh("arinc653", 1);
    make_dom(&d1, u1, 1, 1, 0, 0);
    make_dom(&d2, u2, 1, 2, 0, 0);
    CU_ASSERT_EQUAL(set_schedule(MS(20), 2, e), 0);
    sched_unit_block(&u1[0], 0);
    CU_ASSERT_PTR_NULL(sched_schedule(0, 0, &next));
    CU_ASSERT_EQUAL(next, MS(10));
    /* A wake outside its window changes nothing now. */
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), &u2[0]);
    sched_unit_wake(&u1[0], MS(15));
    CU_ASSERT_FALSE(sched_need_resched(0));
    /* d2 blocks in its window: idle, d1 does not get the time. */
    sched_unit_block(&u2[0], MS(16));
    CU_ASSERT_PTR_NULL(sched_schedule(0, MS(16), &next));
    CU_ASSERT_EQUAL(next, MS(20));
    /* d1 in its window, blocks and wakes: it gets the rest only. */
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), &u1[0]);
    sched_unit_block(&u1[0], MS(22));
    CU_ASSERT_PTR_NULL(sched_schedule(0, MS(22), &next));
    CU_ASSERT_EQUAL(next, MS(30));
    sched_unit_wake(&u1[0], MS(25));
    CU_ASSERT(sched_need_resched(0));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(25), &next), &u1[0]);
    CU_ASSERT_EQUAL(next, MS(30));
}

/* Xen's default schedule: a 10 ms window per dom0 vCPU, others idle. */
static void test_a653_default_schedule(void)
{
    struct sched_domain d0, d1;
    struct sched_unit u0[2], u1[1];
    struct sched_pool_params p;
    s_time_t next;

    fresh("arinc653", 1);
    make_dom(&d0, u0, 2, 0, 0, 0);
    make_dom(&d1, u1, 1, 1, 0, 0);
    CU_ASSERT_EQUAL(sched_pool_get_params(0, &p), 0);
    CU_ASSERT_EQUAL(p.sched_id, XEN_SCHEDULER_ARINC653);
    CU_ASSERT_EQUAL(p.u.arinc653.major_frame, MS(20));
    CU_ASSERT_EQUAL(p.u.arinc653.nr_entries, 2);
    CU_ASSERT_EQUAL(p.u.arinc653.entry[1].domid, 0);
    CU_ASSERT_EQUAL(p.u.arinc653.entry[1].vcpu_id, 1);
    CU_ASSERT_EQUAL(p.u.arinc653.entry[1].runtime, MS(10));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, 0, &next), &u0[0]);
    CU_ASSERT_EQUAL(next, MS(10));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), &u0[1]);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), &u0[0]);
    CU_ASSERT_EQUAL(u1[0].nr_switches_in, 0);
}

/*
 * An entry naming a domain that does not exist is accepted; its window
 * idles until a domain with that id appears, which then fills it without
 * shifting the frame.
 */
static void test_a653_absent_domain(void)
{
    static const struct arinc653_entry e[] = {
        { .domid = 1, .vcpu_id = 0, .runtime = MS(10) },
        { .domid = 7, .vcpu_id = 0, .runtime = MS(10) },
    };
    struct sched_domain d1, d7;
    struct sched_unit u1[1], u7[1];
    s_time_t next;

    fresh("arinc653", 1);
    make_dom(&d1, u1, 1, 1, 0, 0);
    CU_ASSERT_EQUAL(set_schedule(MS(20), 2, e), 0);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, 0, &next), &u1[0]);
    CU_ASSERT_PTR_NULL(sched_schedule(0, next, &next));
    CU_ASSERT_EQUAL(next, MS(20));
    make_dom(&d7, u7, 1, 7, 0, MS(25));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(25), &next), &u1[0]);
    CU_ASSERT_EQUAL(next, MS(30));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), &u7[0]);
    CU_ASSERT_EQUAL(next, MS(40));
    /* It goes away: its window idles again. */
    sched_unit_destroy(&u7[0], MS(35));
    sched_domain_destroy(&d7);
    CU_ASSERT_PTR_NULL(sched_schedule(0, MS(35), &next));
    CU_ASSERT_EQUAL(next, MS(40));
}

/*
 * Two pCPUs (Xen 4.18 lets a second one join): each unit runs only on
 * its home pCPU, so the pool still runs one window's unit at a time and
 * the other pCPU idles.
 */
static void test_a653_two_cpus(void)
{
    static const struct arinc653_entry e[] = {
        { .domid = 1, .vcpu_id = 0, .runtime = MS(10) },
        { .domid = 1, .vcpu_id = 1, .runtime = MS(10) },
    };
    struct sched_domain d1;
    struct sched_unit u[2];
    s_time_t next0, next1;

    fresh("arinc653", 1);
    CU_ASSERT_EQUAL(cpupool_add_cpu(0, 1, 0), 0);
    make_dom(&d1, u, 2, 1, 0, 0);
    CU_ASSERT_EQUAL(set_schedule(MS(20), 2, e), 0);
    for ( s_time_t t = 0; t < MS(60); t += MS(10) )
    {
        struct sched_unit *a = sched_schedule(0, t, &next0);
        struct sched_unit *b = sched_schedule(1, t, &next1);

        CU_ASSERT(!a || !b);                /* never two at once */
        CU_ASSERT_PTR_EQUAL(a ? a : b, (t / MS(10)) % 2 ? &u[1] : &u[0]);
        CU_ASSERT_EQUAL(next0, t + MS(10));
        CU_ASSERT_EQUAL(next1, t + MS(10));
    }
    CU_ASSERT_EQUAL(u[0].nr_migrations + u[1].nr_migrations, 0);
}

/* A pCPU that is nobody's home sleeps until something changes. */
static void test_a653_idle_cpu_sleeps(void)
{
    static const struct arinc653_entry e[] = {
        { .domid = 1, .vcpu_id = 0, .runtime = MS(10) },
    };
    struct sched_domain d1;
    struct sched_unit u[1];
    cpumask_t one = cpumask_of(1);
    s_time_t next;

    fresh("arinc653", 2);
    make_dom(&d1, u, 1, 1, 0, 0);
    CU_ASSERT_EQUAL(set_schedule(MS(20), 1, e), 0);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, 0, &next), &u[0]);
    CU_ASSERT_PTR_NULL(sched_schedule(1, 0, &next));
    CU_ASSERT_EQUAL(next, S_TIME_NEVER);
    /* Pinned to CPU1: it moves home there, in the same window. */
    CU_ASSERT_EQUAL(sched_unit_set_affinity(&u[0], &one, NULL, MS(5)), 0);
    CU_ASSERT(sched_need_resched(0));
    CU_ASSERT(sched_need_resched(1));
    CU_ASSERT_PTR_NULL(sched_schedule(0, MS(5), &next));
    CU_ASSERT_PTR_EQUAL(sched_schedule(1, MS(5), &next), &u[0]);
    CU_ASSERT_EQUAL(next, MS(10));
}

static void test_a653_dump(void)
{
    static const struct arinc653_entry e[] = {
        { .domid = 1, .vcpu_id = 0, .runtime = MS(30) },
        { .domid = 9, .vcpu_id = 0, .runtime = MS(20) },
    };
    struct sched_domain d1;
    struct sched_unit u[1];

    fresh("arinc653", 1);
    make_dom(&d1, u, 1, 1, 0, 0);
    CU_ASSERT_EQUAL(set_schedule(MS(100), 2, e), 0);
    sim_console_clear();
    sched_dump();
    ORR_ASSERT_CONTAINS(sim_console_text(), "Pool 0 (ARINC 653 Scheduler)");
    ORR_ASSERT_CONTAINS(sim_console_text(),
                        "arinc653: major frame 100000000 ns, 2 windows\n");
    ORR_ASSERT_CONTAINS(sim_console_text(), "[0, 30000000) d1v0 on CPU0");
    ORR_ASSERT_CONTAINS(sim_console_text(),
                        "[30000000, 50000000) d9v0 (absent)");
}

/*
 * A unit's home pCPU leaves the pool: it moves to one that stays and
 * keeps its windows; a domain moved to another pool leaves its windows
 * idle, and fills them again when it comes back.
 */
static void test_a653_cpu_leaves_and_moves(void)
{
    static const struct arinc653_entry e[] = {
        { .domid = 1, .vcpu_id = 0, .runtime = MS(10) },
        { .domid = 1, .vcpu_id = 1, .runtime = MS(10) },
    };
    struct sched_domain d1;
    struct sched_unit u[2];
    s_time_t next;

    fresh("arinc653", 2);
    make_dom(&d1, u, 2, 1, 0, 0);           /* v1's home: CPU1 */
    CU_ASSERT_EQUAL(set_schedule(MS(20), 2, e), 0);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, 0, &next), &u[0]);
    CU_ASSERT_PTR_EQUAL(sched_schedule(1, MS(10), &next), &u[1]);
    CU_ASSERT_EQUAL(cpupool_remove_cpu(0, 1, MS(12)), 0);
    CU_ASSERT(sched_need_resched(0));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(12), &next), &u[1]);
    CU_ASSERT_EQUAL(next, MS(20));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), &u[0]);

    CU_ASSERT_EQUAL(cpupool_create(1, "credit"), 0);
    CU_ASSERT_EQUAL(cpupool_add_cpu(1, 1, MS(21)), 0);
    CU_ASSERT_EQUAL(cpupool_move_domain(&d1, 1, MS(21)), 0);
    CU_ASSERT_PTR_NULL(sched_schedule(0, MS(21), &next));
    CU_ASSERT_EQUAL(next, S_TIME_NEVER);    /* nobody's home any more */
    CU_ASSERT_EQUAL(cpupool_move_domain(&d1, 0, MS(45)), 0);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, MS(45), &next), &u[0]);
    CU_ASSERT_EQUAL(next, MS(50));          /* the frame kept its pace */
}

CU_TestInfo arinc653_tests[] = {
    ORR_CASE(test_a653_windows_exact),
    ORR_CASE(test_a653_blocked_window_idles),
    ORR_CASE(test_a653_default_schedule),
    ORR_CASE(test_a653_absent_domain),
    ORR_CASE(test_a653_two_cpus),
    ORR_CASE(test_a653_idle_cpu_sleeps),
    ORR_CASE(test_a653_cpu_leaves_and_moves),
    ORR_CASE(test_a653_dump),
    CU_TEST_INFO_NULL,
};
