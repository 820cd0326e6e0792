/* SPDX-License-Identifier: MIT */
/*
 * core/time: per-CPU timer heaps driven by the platform's one-shot timer,
 * and softirqs. Virtual time moves only when a test moves it, so every
 * expectation below is exact.
 */
#include <stdlib.h>

#include <orrery/memmap.h>
#include <orrery/mm.h>
#include <orrery/smp.h>
#include <orrery/softirq.h>
#include <orrery/timer.h>
#include <sim/sim.h>

#include "orr_sim_heap.h"
#include "orr_test.h"

#define NCPUS 4

/* Run every CPU's pending softirqs, as each CPU's idle loop would. */
static void run_softirqs(void)
{
    for ( unsigned int cpu = 0; cpu < NCPUS; cpu++ )
    {
        sim_set_cpu(cpu);
        do_softirq();
    }
    sim_set_cpu(0);
}

/* Move time in 100 us steps, running softirqs after each. */
static void advance(s_time_t ns)
{
    for ( s_time_t done = 0; done < ns; done += MICROSECS(100) )
    {
        sim_advance(MIN(MICROSECS(100), ns - done));
        sim_deliver_ipis();
        run_softirqs();
    }
}

static void setup(void)
{
    static bool once;

    sim_init(NCPUS, 0);
    /* The heaps grow with xmalloc: give the sim a page allocator. */
    orr_sim_heap_init_once(16 << 20);
    if ( !once )
    {
        timer_init();
        once = true;
    }
    for ( unsigned int cpu = 0; cpu < NCPUS; cpu++ )
        smp_mark_online(cpu);
}

/* ---- A log of callbacks ------------------------------------------------- */

struct fired {
    int id;
    s_time_t when;
    unsigned int cpu;
};
static struct fired fired[4096];
static unsigned int nr_fired;

struct probe {
    struct timer t;
    int id;
    s_time_t period;        /* re-arm by this much; 0: one-shot */
};

static void probe_fn(void *data)
{
    struct probe *p = data;

    fired[nr_fired++] = (struct fired){ p->id, NOW(), arch_cpu_id() };
    if ( p->period )
        set_timer(&p->t, p->t.expires + p->period);
}

static void probe_init(struct probe *p, int id, unsigned int cpu)
{
    p->id = id;
    p->period = 0;
    init_timer(&p->t, probe_fn, p, cpu);
}

static void reset_log(void)
{
    nr_fired = 0;
}

/* ---- Tests -------------------------------------------------------------- */

/* Timers armed out of order fire in expiry order, each at its time. */
static void test_fire_in_expiry_order(void)
{
    struct probe p[3];
    s_time_t t0 = NOW();

    reset_log();
    for ( int i = 0; i < 3; i++ )
        probe_init(&p[i], i, 0);
    set_timer(&p[2].t, t0 + MILLISECS(3));
    set_timer(&p[0].t, t0 + MILLISECS(1));
    set_timer(&p[1].t, t0 + MILLISECS(2));
    /* The hardware deadline is the earliest of the three. */
    ORR_ASSERT_EQ_U64(sim_timer_deadline(0), t0 + MILLISECS(1));

    advance(MILLISECS(4));
    for ( int i = 0; i < 3; i++ )
        stop_timer(&p[i].t);
    CU_ASSERT_EQUAL_FATAL(nr_fired, 3);
    for ( int i = 0; i < 3; i++ )
    {
        CU_ASSERT_EQUAL(fired[i].id, i);
        /* Fired within one 100 us step of its expiry, never before. */
        CU_ASSERT(fired[i].when >= t0 + MILLISECS(i + 1));
        CU_ASSERT(fired[i].when <= t0 + MILLISECS(i + 1) + MICROSECS(100));
    }
    /* Nothing pending: the one-shot timer is off. */
    ORR_ASSERT_EQ_U64(sim_timer_deadline(0), 0);
}

/* stop_timer() removes a timer; re-arming moves it instead of adding it. */
static void test_stop_and_rearm(void)
{
    struct probe a, b;
    s_time_t t0 = NOW();

    reset_log();
    probe_init(&a, 1, 0);
    probe_init(&b, 2, 0);
    set_timer(&a.t, t0 + MILLISECS(1));
    set_timer(&b.t, t0 + MILLISECS(2));
    stop_timer(&a.t);
    CU_ASSERT_FALSE(timer_is_active(&a.t));
    CU_ASSERT_TRUE(timer_is_active(&b.t));
    set_timer(&b.t, t0 + MILLISECS(5));     /* moved, not duplicated */
    ORR_ASSERT_EQ_U64(sim_timer_deadline(0), t0 + MILLISECS(5));

    advance(MILLISECS(6));
    stop_timer(&a.t);
    stop_timer(&b.t);
    CU_ASSERT_EQUAL_FATAL(nr_fired, 1);
    CU_ASSERT_EQUAL(fired[0].id, 2);
    CU_ASSERT(fired[0].when >= t0 + MILLISECS(5));
    stop_timer(&b.t);                        /* stopping an idle timer */
    CU_ASSERT_FALSE(timer_is_active(&b.t));
}

/* A callback that re-arms itself makes a periodic timer (the boot banner's
 * tick counter works this way): 10 ms period, 100 ms -> 10 ticks. */
static void test_periodic(void)
{
    struct probe p;
    s_time_t t0 = NOW();

    reset_log();
    probe_init(&p, 7, 0);
    p.period = MILLISECS(10);
    set_timer(&p.t, t0 + MILLISECS(10));
    advance(MILLISECS(100) + MICROSECS(50));
    stop_timer(&p.t);
    CU_ASSERT_EQUAL(nr_fired, 10);
}

/* An expiry in the past fires at the next chance, not never. */
static void test_past_expiry(void)
{
    struct probe p;

    reset_log();
    advance(MILLISECS(1));
    probe_init(&p, 3, 0);
    set_timer(&p.t, NOW() - MILLISECS(1));
    advance(MICROSECS(100));
    CU_ASSERT_EQUAL(nr_fired, 1);
    stop_timer(&p.t);
}

/* Regression: an expiry of exactly 0 used to program deadline 0, which
 * the platform reads as "cancel", so the timer never fired. */
static void test_expiry_zero_fires(void)
{
    struct probe p;

    reset_log();
    probe_init(&p, 4, 0);
    set_timer(&p.t, 0);
    CU_ASSERT(sim_timer_deadline(0) != 0);
    advance(MICROSECS(100));
    CU_ASSERT_EQUAL(nr_fired, 1);
    stop_timer(&p.t);
}

/* A timer belongs to a CPU: arming CPU2's timer from CPU0 reprograms
 * CPU2's deadline (through an IPI and its softirq) and runs there. */
static void test_remote_cpu(void)
{
    struct probe p;
    s_time_t t0 = NOW();

    reset_log();
    probe_init(&p, 9, 2);
    sim_set_cpu(0);
    set_timer(&p.t, t0 + MILLISECS(2));
    CU_ASSERT_TRUE(softirq_pending(2));
    ORR_ASSERT_EQ_U64(sim_timer_deadline(0), 0);
    advance(MICROSECS(100));
    ORR_ASSERT_EQ_U64(sim_timer_deadline(2), t0 + MILLISECS(2));
    advance(MILLISECS(3));
    stop_timer(&p.t);
    CU_ASSERT_EQUAL_FATAL(nr_fired, 1);
    CU_ASSERT_EQUAL(fired[0].cpu, 2);
}

/* 2000 timers with random expiries on every CPU (the heaps grow past their
 * first size several times): each fires exactly once, never early, and
 * per CPU in expiry order. */
static void test_random_heap(void)
{
    enum { N = 2000 };
    static struct probe p[N];
    static s_time_t expiry[N];
    s_time_t t0 = NOW(), last[NCPUS] = { 0 };
    unsigned int count[N] = { 0 };

    srand(1234);
    reset_log();
    for ( int i = 0; i < N; i++ )
    {
        probe_init(&p[i], i, (unsigned int)i % NCPUS);
        expiry[i] = t0 + MICROSECS(rand() % 50000);
        sim_set_cpu((unsigned int)rand() % NCPUS);
        set_timer(&p[i].t, expiry[i]);
    }
    /* Stop every tenth one again. */
    for ( int i = 0; i < N; i += 10 )
        stop_timer(&p[i].t);
    sim_set_cpu(0);
    advance(MILLISECS(51));
    for ( int i = 0; i < N; i++ )
        stop_timer(&p[i].t);

    CU_ASSERT_EQUAL_FATAL(nr_fired, N - N / 10);
    for ( unsigned int i = 0; i < nr_fired; i++ )
    {
        int id = fired[i].id;

        count[id]++;
        CU_ASSERT(id % 10 != 0);
        CU_ASSERT(fired[i].when >= expiry[id]);
        CU_ASSERT_EQUAL(fired[i].cpu, (unsigned int)id % NCPUS);
        CU_ASSERT(expiry[id] >= last[fired[i].cpu]);
        last[fired[i].cpu] = expiry[id];
    }
    for ( int i = 0; i < N; i++ )
        CU_ASSERT_EQUAL(count[i], i % 10 ? 1u : 0u);
}

/* ---- Softirqs ----------------------------------------------------------- */

static unsigned int key_runs;
static void count_key_softirq(void)
{
    key_runs++;
}

/* Raising twice before it runs runs the handler once; running clears the
 * pending bit; raising on another CPU leaves this one alone. */
static void test_softirq_pending_and_once(void)
{
    open_softirq(KEYPRESS_SOFTIRQ, count_key_softirq);
    key_runs = 0;
    sim_set_cpu(1);
    raise_softirq(KEYPRESS_SOFTIRQ);
    raise_softirq(KEYPRESS_SOFTIRQ);
    CU_ASSERT_TRUE(softirq_pending(1));
    CU_ASSERT_FALSE(softirq_pending(3));
    do_softirq();
    CU_ASSERT_EQUAL(key_runs, 1);
    CU_ASSERT_FALSE(softirq_pending(1));

    cpu_raise_softirq(3, KEYPRESS_SOFTIRQ);
    CU_ASSERT_TRUE(softirq_pending(3));
    do_softirq();                           /* still CPU1: nothing to do */
    CU_ASSERT_EQUAL(key_runs, 1);
    sim_set_cpu(3);
    do_softirq();
    CU_ASSERT_EQUAL(key_runs, 2);
    sim_set_cpu(0);
}

/* do_softirq() leaves the interrupt state as it found it. */
static void test_softirq_restores_irq_state(void)
{
    sim_set_cpu(0);
    arch_irq_disable();
    do_softirq();
    CU_ASSERT_FALSE(arch_irqs_enabled());
    arch_irq_enable();
    do_softirq();
    CU_ASSERT_TRUE(arch_irqs_enabled());
    arch_irq_disable();
}

/* kill_timer(): a pending timer never fires, re-arming it is ignored
 * until init_timer(), and killing an idle timer is harmless. */
static void test_kill(void)
{
    struct probe a;
    s_time_t t0 = NOW();

    reset_log();
    probe_init(&a, 7, 0);
    set_timer(&a.t, t0 + MILLISECS(1));
    kill_timer(&a.t);
    CU_ASSERT_FALSE(timer_is_active(&a.t));
    set_timer(&a.t, t0 + MILLISECS(2));
    CU_ASSERT_FALSE(timer_is_active(&a.t));
    advance(MILLISECS(3));
    CU_ASSERT_EQUAL(nr_fired, 0);
    kill_timer(&a.t);

    probe_init(&a, 8, 0);                   /* alive again */
    set_timer(&a.t, NOW() + MILLISECS(1));
    advance(MILLISECS(2));
    CU_ASSERT_EQUAL_FATAL(nr_fired, 1);
    CU_ASSERT_EQUAL(fired[0].id, 8);
}

/* A periodic callback that kills its own timer: no wait (it would never
 * end), and its own re-arm afterwards is ignored. */
static struct probe self_killer;

static void kill_self_fn(void *data)
{
    struct probe *p = data;

    fired[nr_fired++] = (struct fired){ p->id, NOW(), arch_cpu_id() };
    kill_timer(&p->t);
    set_timer(&p->t, NOW() + MILLISECS(1));
}

static void test_kill_from_own_callback(void)
{
    reset_log();
    self_killer.id = 9;
    init_timer(&self_killer.t, kill_self_fn, &self_killer, 1);
    set_timer(&self_killer.t, NOW() + MILLISECS(1));
    advance(MILLISECS(5));
    CU_ASSERT_EQUAL(nr_fired, 1);
    CU_ASSERT_FALSE(timer_is_active(&self_killer.t));
}

static CU_TestInfo timer_tests[] = {
    ORR_CASE(test_kill),
    ORR_CASE(test_kill_from_own_callback),
    ORR_CASE(test_fire_in_expiry_order),
    ORR_CASE(test_stop_and_rearm),
    ORR_CASE(test_periodic),
    ORR_CASE(test_past_expiry),
    ORR_CASE(test_expiry_zero_fires),
    ORR_CASE(test_remote_cpu),
    ORR_CASE(test_random_heap),
    CU_TEST_INFO_NULL,
};

static CU_TestInfo softirq_tests[] = {
    ORR_CASE(test_softirq_pending_and_once),
    ORR_CASE(test_softirq_restores_irq_state),
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    ORR_SUITE_EACH("timer", setup, NULL, timer_tests),
    ORR_SUITE_EACH("softirq", setup, NULL, softirq_tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
