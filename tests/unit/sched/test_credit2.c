/* SPDX-License-Identifier: MIT */
/*
 * credit2: parameters and their validation (one test per bad value),
 * credit burning and the reset, weights, caps as budget, ratelimit,
 * yield and the debug-key dump.
 */
#include "test_credit2.h"
#include "../../../core/sched/credit2.h"

static struct sched_domain dd[4];
static struct sched_unit uu[4][8];

/* ---- Parameters --------------------------------------------------------- */

static void test_c2_registered(void)
{
    CU_ASSERT_PTR_NOT_NULL(sched_find_ops("credit2"));
    CU_ASSERT_EQUAL(sched_id_of("credit2"), XEN_SCHEDULER_CREDIT2);
}

static void test_c2_dom_defaults(void)
{
    struct sched_dom_params p;

    fresh("credit2", 2);
    make_dom(&dd[0], uu[0], 2, 1, 0, 0);
    CU_ASSERT_EQUAL(sched_domain_get_params(&dd[0], &p), 0);
    CU_ASSERT_EQUAL(p.sched_id, XEN_SCHEDULER_CREDIT2);
    CU_ASSERT_EQUAL(p.u.credit2.weight, 256);
    CU_ASSERT_EQUAL(p.u.credit2.cap, 0);
    c2_set_dom(&dd[0], 65535, 200);     /* the largest of each */
    CU_ASSERT_EQUAL(sched_domain_get_params(&dd[0], &p), 0);
    CU_ASSERT_EQUAL(p.u.credit2.weight, 65535);
    CU_ASSERT_EQUAL(p.u.credit2.cap, 200);
    c2_set_dom(&dd[0], 1, 0);
    CU_ASSERT_EQUAL(sched_domain_get_params(&dd[0], &p), 0);
    CU_ASSERT_EQUAL(p.u.credit2.weight, 1);
    CU_ASSERT_EQUAL(p.u.credit2.cap, 0);
}

/* Set @weight/@cap on a fresh two-vCPU domain: what comes back, and
 * that the old values stay on failure. */
static int try_dom(unsigned int sched_id, uint32_t weight, uint32_t cap)
{
    struct sched_dom_params p = { .sched_id = sched_id };
    int rc;

    fresh("credit2", 2);
    make_dom(&dd[0], uu[0], 2, 1, 0, 0);
    p.u.credit2.weight = weight;
    p.u.credit2.cap = cap;
    rc = sched_domain_set_params(&dd[0], &p);
    if ( rc )
    {
        CU_ASSERT_EQUAL(sched_domain_get_params(&dd[0], &p), 0);
        CU_ASSERT_EQUAL(p.u.credit2.weight, 256);
        CU_ASSERT_EQUAL(p.u.credit2.cap, 0);
    }
    return rc;
}

static void test_c2_weight_zero(void)
{
    CU_ASSERT_EQUAL(try_dom(XEN_SCHEDULER_CREDIT2, 0, 0), -EINVAL);
}

static void test_c2_weight_too_big(void)
{
    CU_ASSERT_EQUAL(try_dom(XEN_SCHEDULER_CREDIT2, 65536, 0), -EINVAL);
}

static void test_c2_cap_too_big(void)
{
    /* Two vCPUs: 200% at most. */
    CU_ASSERT_EQUAL(try_dom(XEN_SCHEDULER_CREDIT2, 256, 201), -EINVAL);
}

static void test_c2_wrong_sched_id(void)
{
    CU_ASSERT_EQUAL(try_dom(XEN_SCHEDULER_CREDIT, 512, 0), -EINVAL);
}

static void test_c2_pool_defaults(void)
{
    struct sched_pool_params p;

    fresh("credit2", 2);
    CU_ASSERT_EQUAL(sched_pool_get_params(0, &p), 0);
    CU_ASSERT_EQUAL(p.sched_id, XEN_SCHEDULER_CREDIT2);
    CU_ASSERT_EQUAL(p.u.credit2.ratelimit_us, 1000);
    CU_ASSERT_EQUAL(p.u.credit2.runqueue, CREDIT2_RQ_SOCKET);
    c2_set_pool(CREDIT2_RQ_CPU, 0);     /* 0: ratelimit off */
    CU_ASSERT_EQUAL(sched_pool_get_params(0, &p), 0);
    CU_ASSERT_EQUAL(p.u.credit2.ratelimit_us, 0);
    CU_ASSERT_EQUAL(p.u.credit2.runqueue, CREDIT2_RQ_CPU);
    c2_set_pool(CREDIT2_RQ_ALL, 100);
    c2_set_pool(CREDIT2_RQ_NODE, 500000);
    CU_ASSERT_EQUAL(sched_pool_get_params(0, &p), 0);
    CU_ASSERT_EQUAL(p.u.credit2.ratelimit_us, 500000);
    CU_ASSERT_EQUAL(p.u.credit2.runqueue, CREDIT2_RQ_NODE);
}

static int try_pool(unsigned int poolid, uint32_t rl, unsigned int rq)
{
    struct sched_pool_params p = { .sched_id = XEN_SCHEDULER_CREDIT2 };
    int rc;

    fresh("credit2", 2);
    p.u.credit2.ratelimit_us = rl;
    p.u.credit2.runqueue = (enum credit2_runqueue)rq;
    rc = sched_pool_set_params(poolid, &p);
    CU_ASSERT_EQUAL(sched_pool_get_params(0, &p), 0);
    if ( rc )
    {
        CU_ASSERT_EQUAL(p.u.credit2.ratelimit_us, 1000);
        CU_ASSERT_EQUAL(p.u.credit2.runqueue, CREDIT2_RQ_SOCKET);
    }
    return rc;
}

static void test_c2_ratelimit_too_small(void)
{
    CU_ASSERT_EQUAL(try_pool(0, 99, CREDIT2_RQ_SOCKET), -EINVAL);
}

static void test_c2_ratelimit_too_big(void)
{
    CU_ASSERT_EQUAL(try_pool(0, 500001, CREDIT2_RQ_SOCKET), -EINVAL);
}

static void test_c2_runqueue_unknown(void)
{
    CU_ASSERT_EQUAL(try_pool(0, 1000, CREDIT2_RQ_ALL + 1), -EINVAL);
}

static void test_c2_pool_unknown(void)
{
    CU_ASSERT_EQUAL(try_pool(3, 1000, CREDIT2_RQ_SOCKET), -ESRCH);
}

/* ---- Credit ------------------------------------------------------------- */

/*
 * The only unit burns its 10 ms of credit in one slice; at the next
 * decision it is the front runner with none left, so every unit of the
 * runqueue gets CREDIT_INIT more -- a blocked one with credit to spare
 * keeps no more than CARRYOVER_MAX of surplus.
 */
static void test_c2_reset(void)
{
    s_time_t next;

    fresh("credit2", 1);
    make_dom(&dd[0], uu[0], 2, 1, 0, 0);
    sched_unit_block(&uu[0][1], 0);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, 0, &next), &uu[0][0]);
    CU_ASSERT_EQUAL(next, C2_CREDIT_INIT);  /* all its credit, max timer */
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), &uu[0][0]);
    CU_ASSERT_EQUAL(c2_unit(&uu[0][0])->credit, C2_CREDIT_INIT);
    CU_ASSERT_EQUAL(c2_unit(&uu[0][1])->credit,
                    C2_CREDIT_INIT + C2_CARRYOVER_MAX);
}

/*
 * Weight 1 next to weight 65535 burns 65535 times as fast: one
 * ratelimit's run is a debt of over a minute. The reset adds as many
 * CREDIT_INITs as bring it back above zero, not one.
 */
static void test_c2_reset_deep_debt(void)
{
    s_time_t next;
    struct c2_unit *light;

    fresh("credit2", 1);
    make_dom(&dd[0], uu[0], 1, 1, 0, 0);
    make_dom(&dd[1], uu[1], 1, 2, 0, 0);
    c2_set_dom(&dd[0], 65535, 0);
    c2_set_dom(&dd[1], 1, 0);
    sched_unit_block(&uu[0][0], 0);
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, 0, &next), &uu[1][0]);
    CU_ASSERT_EQUAL(next, MS(1));           /* the ratelimit */
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), &uu[1][0]);
    light = c2_unit(&uu[1][0]);
    CU_ASSERT(light->credit > 0 && light->credit <= C2_CREDIT_INIT);
}

/* Weights 1:2:4 on one saturated pCPU: 1/7, 2/7, 4/7 of it. */
static void test_c2_weights(void)
{
    static const uint32_t w[3] = { 64, 128, 256 };
    const s_time_t end = MS(3000);

    fresh("credit2", 1);
    for ( unsigned int i = 0; i < 3; i++ )
    {
        make_dom(&dd[i], uu[i], 1, (domid_t)(i + 1), 0, 0);
        c2_set_dom(&dd[i], w[i], 0);
    }
    c2_run(1, 0, end);
    for ( unsigned int i = 0; i < 3; i++ )
        CU_ASSERT(c2_near(c2_ran(&uu[i][0], end), end * w[i] / 448, 2));
}

/* A new weight takes effect from then on. */
static void test_c2_weight_change(void)
{
    fresh("credit2", 1);
    make_dom(&dd[0], uu[0], 1, 1, 0, 0);
    make_dom(&dd[1], uu[1], 1, 2, 0, 0);
    c2_run(1, 0, MS(1000));
    CU_ASSERT(c2_near(c2_ran(&uu[0][0], MS(1000)), MS(500), 2));
    c2_set_dom(&dd[0], 768, 0);             /* 3:1 from now */
    c2_run(1, MS(1000), MS(3000));
    CU_ASSERT(c2_near(c2_ran(&uu[0][0], MS(3000)) - MS(500), MS(1500), 3));
}

/* ---- Caps --------------------------------------------------------------- */

/* A CPU-bound vCPU capped at 25% gets 25% of a pCPU nobody else wants. */
static void test_c2_cap(void)
{
    fresh("credit2", 1);
    make_dom(&dd[0], uu[0], 1, 1, 0, 0);
    c2_set_dom(&dd[0], 256, 25);
    c2_run(1, 0, MS(1000));
    CU_ASSERT(c2_near(c2_ran(&uu[0][0], MS(1000)), MS(250), 1));
    /* The rest of the time it waited, parked, runnable. */
    {
        s_time_t t[NR_RUNSTATES];

        sched_unit_runstate(&uu[0][0], MS(1000), t);
        CU_ASSERT(c2_near(t[RUNSTATE_runnable], MS(750), 1));
    }
}

/* A cap is per domain: two vCPUs at 50% together on two pCPUs. */
static void test_c2_cap_domain(void)
{
    fresh("credit2", 2);
    make_dom(&dd[0], uu[0], 2, 1, 0, 0);
    c2_set_dom(&dd[0], 256, 50);
    c2_run(2, 0, MS(1000));
    CU_ASSERT(c2_near(c2_ran(&uu[0][0], MS(1000)) +
                      c2_ran(&uu[0][1], MS(1000)), MS(500), 1));
}

/* A capped domain next to an uncapped one: the cap binds, the other
 * domain gets the rest; lifting the cap gives back the fair share. */
static void test_c2_cap_lifted(void)
{
    fresh("credit2", 1);
    make_dom(&dd[0], uu[0], 1, 1, 0, 0);
    make_dom(&dd[1], uu[1], 1, 2, 0, 0);
    c2_set_dom(&dd[0], 256, 10);
    c2_run(1, 0, MS(1000));
    CU_ASSERT(c2_near(c2_ran(&uu[0][0], MS(1000)), MS(100), 1));
    CU_ASSERT(c2_near(c2_ran(&uu[1][0], MS(1000)), MS(900), 1));
    c2_set_dom(&dd[0], 256, 0);
    c2_run(1, MS(1000), MS(3000));
    CU_ASSERT(c2_near(c2_ran(&uu[0][0], MS(3000)) - MS(100), MS(1000), 3));
}

/* ---- Ratelimit and yield ------------------------------------------------ */

/* A unit with more credit waking shortly after another got the pCPU
 * waits for the ratelimit (1 ms) to pass; with ratelimit 0 it does not. */
static void test_c2_ratelimit(void)
{
    s_time_t next;

    for ( unsigned int rl = 0; rl <= 1000; rl += 1000 )
    {
        fresh("credit2", 1);
        c2_set_pool(CREDIT2_RQ_SOCKET, rl);
        make_dom(&dd[0], uu[0], 2, 1, 0, 0);
        sched_unit_block(&uu[0][1], 0);
        CU_ASSERT_PTR_EQUAL(sched_schedule(0, 0, &next), &uu[0][0]);
        sched_unit_wake(&uu[0][1], MICROSECS(300));
        CU_ASSERT(sched_need_resched(0));
        if ( rl )
        {
            CU_ASSERT_PTR_EQUAL(sched_schedule(0, MICROSECS(300), &next),
                                &uu[0][0]);
            CU_ASSERT_EQUAL(next, MS(1));
            CU_ASSERT_PTR_EQUAL(sched_schedule(0, next, &next), &uu[0][1]);
        }
        else
            CU_ASSERT_PTR_EQUAL(sched_schedule(0, MICROSECS(300), &next),
                                &uu[0][1]);
    }
}

/* A yielding unit loses the pCPU even to a unit with less credit. */
static void test_c2_yield(void)
{
    struct sched_unit *first, *second;
    s_time_t next;

    fresh("credit2", 1);
    make_dom(&dd[0], uu[0], 2, 1, 0, 0);
    first = sched_schedule(0, 0, &next);
    CU_ASSERT_PTR_NOT_NULL_FATAL(first);
    second = sched_schedule(0, next, &next);    /* they alternate */
    CU_ASSERT_PTR_NOT_EQUAL(second, first);
    sched_unit_yield(second, next - MICROSECS(100));
    CU_ASSERT(sched_need_resched(0));
    CU_ASSERT_PTR_EQUAL(sched_schedule(0, next - MICROSECS(100), &next),
                        first);
}

/* ---- Debug key 'r' ------------------------------------------------------ */

static void test_c2_dump(void)
{
    s_time_t next;

    fresh("credit2", 2);
    make_dom(&dd[0], uu[0], 3, 3, 0, 0);
    c2_set_dom(&dd[0], 512, 150);
    sched_schedule(0, MS(1), &next);
    sched_schedule(1, MS(1), &next);
    sim_console_clear();
    sched_dump();
    ORR_ASSERT_CONTAINS(sim_console_text(),
                        "Pool 0 (SMP Credit Scheduler rev2)");
    ORR_ASSERT_CONTAINS(sim_console_text(),
                        "ratelimit 1000 us, runqueue per socket");
    ORR_ASSERT_CONTAINS(sim_console_text(), "runqueue 0: cpus 0x3, load 3");
    ORR_ASSERT_CONTAINS(sim_console_text(), "queued: d3v2(credit 10000 us)");
    ORR_ASSERT_CONTAINS(sim_console_text(), "d3: weight 512, cap 150");
}

CU_TestInfo credit2_tests[] = {
    ORR_CASE(test_c2_registered),
    ORR_CASE(test_c2_dom_defaults),
    ORR_CASE(test_c2_weight_zero),
    ORR_CASE(test_c2_weight_too_big),
    ORR_CASE(test_c2_cap_too_big),
    ORR_CASE(test_c2_wrong_sched_id),
    ORR_CASE(test_c2_pool_defaults),
    ORR_CASE(test_c2_ratelimit_too_small),
    ORR_CASE(test_c2_ratelimit_too_big),
    ORR_CASE(test_c2_runqueue_unknown),
    ORR_CASE(test_c2_pool_unknown),
    ORR_CASE(test_c2_reset),
    ORR_CASE(test_c2_reset_deep_debt),
    ORR_CASE(test_c2_weights),
    ORR_CASE(test_c2_weight_change),
    ORR_CASE(test_c2_cap),
    ORR_CASE(test_c2_cap_domain),
    ORR_CASE(test_c2_cap_lifted),
    ORR_CASE(test_c2_ratelimit),
    ORR_CASE(test_c2_yield),
    ORR_CASE(test_c2_dump),
    CU_TEST_INFO_NULL,
};
