/* SPDX-License-Identifier: MIT */
/*
 * Delivery into shared_info and vcpu_info, step by step as reference §1.5
 * describes the 2-level ABI.
 */
#include "ev_test.h"

/* A port above 64, so that the selector bit is not bit 0. */
static evtchn_port_t high_port(struct domain *d, struct domain *remote)
{
    evtchn_port_t p = 0;
    unsigned int i;

    for ( i = 0; i < 70; i++ )
        p = ev_unbound(d, remote);
    return p;
}

static void test_send_sets_three_levels(void)
{
    evtchn_port_t p0 = ev_unbound(d0, u1), p1 = ev_connect(u1, d0, p0);

    ev_ack_all(d0);
    ev_ack_all(u1);
    upcalls = 0;
    CU_ASSERT_EQUAL(evtchn_send(u1, p1), 0);
    CU_ASSERT_TRUE(ev_pending(d0, p0));
    CU_ASSERT_TRUE(ev_sel(d0, 0, p0));
    CU_ASSERT_EQUAL(ev_upcall_pending(d0, 0), 1);
    CU_ASSERT_EQUAL(upcalls, 1);
    CU_ASSERT_PTR_EQUAL(last_upcall, d0->vcpu[0]);
    /* Already pending: step 1 stops, no second upcall. */
    CU_ASSERT_EQUAL(evtchn_send(u1, p1), 0);
    CU_ASSERT_EQUAL(upcalls, 1);
    /* Nothing reached the other vCPU or the sender. */
    CU_ASSERT_EQUAL(ev_upcall_pending(d0, 1), 0);
    CU_ASSERT_FALSE(ev_pending(u1, p1));
    CU_ASSERT_EQUAL(ev_upcall_pending(u1, 0), 0);
}

static void test_selector_word(void)
{
    evtchn_port_t p = high_port(u2, d0), r;

    CU_ASSERT(p >= 64);
    r = ev_connect(d0, u2, p);
    ev_ack_all(u2);
    CU_ASSERT_EQUAL(evtchn_send(d0, r), 0);
    CU_ASSERT_EQUAL(u2->shared_info->vcpu_info[0].evtchn_pending_sel,
                    1ULL << (p / 64));
    CU_ASSERT_EQUAL(u2->shared_info->evtchn_pending[p / 64],
                    1ULL << (p % 64));
}

/* A pending port in a selector word that is already set: no new upcall
 * (step 3 only on a newly set selector bit). */
static void test_selector_already_set(void)
{
    evtchn_port_t a = ev_unbound(d0, u1), b = ev_unbound(d0, u1);
    evtchn_port_t la = ev_connect(u1, d0, a), lb = ev_connect(u1, d0, b);

    (void)la;
    (void)lb;
    ev_ack_all(d0);
    upcalls = 0;
    CU_ASSERT_EQUAL(evtchn_send(u1, la), 0);
    CU_ASSERT_EQUAL(upcalls, 1);
    d0->shared_info->vcpu_info[0].evtchn_upcall_pending = 0;
    CU_ASSERT_EQUAL(evtchn_send(u1, lb), 0);
    CU_ASSERT_TRUE(ev_pending(d0, b));
    CU_ASSERT_EQUAL(ev_upcall_pending(d0, 0), 0);
    CU_ASSERT_EQUAL(upcalls, 1);
}

static void test_masked_then_unmask(void)
{
    evtchn_port_t p0 = ev_unbound(d0, u1), p1 = ev_connect(u1, d0, p0);

    ev_ack_all(d0);
    ev_mask(d0, p0);
    upcalls = 0;
    CU_ASSERT_EQUAL(evtchn_send(u1, p1), 0);
    CU_ASSERT_TRUE(ev_pending(d0, p0));         /* step 1 happens */
    CU_ASSERT_FALSE(ev_sel(d0, 0, p0));         /* step 2 does not */
    CU_ASSERT_EQUAL(ev_upcall_pending(d0, 0), 0);
    CU_ASSERT_EQUAL(upcalls, 0);
    /* Unmask redelivers the pending port (step 4). */
    CU_ASSERT_EQUAL(evtchn_unmask(d0, p0), 0);
    CU_ASSERT_TRUE(ev_sel(d0, 0, p0));
    CU_ASSERT_EQUAL(ev_upcall_pending(d0, 0), 1);
    CU_ASSERT_EQUAL(upcalls, 1);
    /* Unmasking an unmasked port changes nothing. */
    CU_ASSERT_EQUAL(evtchn_unmask(d0, p0), 0);
    CU_ASSERT_EQUAL(upcalls, 1);
}

static void test_ipi_and_virq_target_vcpu(void)
{
    struct evtchn_bind_ipi i = { .vcpu = 1 };
    struct evtchn_bind_virq t = { .virq = VIRQ_TIMER, .vcpu = 1 };

    CU_ASSERT_EQUAL(evtchn_bind_ipi(u1, &i), 0);
    CU_ASSERT_EQUAL(evtchn_bind_virq(u1, &t), 0);
    ev_ack_all(u1);
    CU_ASSERT_EQUAL(evtchn_send(u1, i.port), 0);
    CU_ASSERT_EQUAL(ev_upcall_pending(u1, 1), 1);
    CU_ASSERT_EQUAL(ev_upcall_pending(u1, 0), 0);
    ev_ack_all(u1);
    send_guest_vcpu_virq(u1->vcpu[0], VIRQ_TIMER);  /* not bound on v0 */
    CU_ASSERT_FALSE(ev_pending(u1, t.port));
    send_guest_vcpu_virq(u1->vcpu[1], VIRQ_TIMER);
    CU_ASSERT_TRUE(ev_pending(u1, t.port));
    CU_ASSERT_EQUAL(ev_upcall_pending(u1, 1), 1);
    /* Guests cannot send on VIRQ ports. */
    CU_ASSERT_EQUAL(evtchn_send(u1, t.port), -EINVAL);
}

/* Sending on an unbound port is accepted and goes nowhere. */
static void test_send_unbound(void)
{
    evtchn_port_t p = ev_unbound(u1, d0);

    ev_ack_all(u1);
    ev_ack_all(d0);
    CU_ASSERT_EQUAL(evtchn_send(u1, p), 0);
    CU_ASSERT_FALSE(ev_pending(u1, p));
    CU_ASSERT_EQUAL(ev_upcall_pending(d0, 0), 0);
}

CU_TestInfo deliver_tests[] = {
    ORR_CASE(test_send_sets_three_levels),
    ORR_CASE(test_selector_word),
    ORR_CASE(test_selector_already_set),
    ORR_CASE(test_masked_then_unmask),
    ORR_CASE(test_ipi_and_virq_target_vcpu),
    ORR_CASE(test_send_unbound),
    CU_TEST_INFO_NULL,
};
