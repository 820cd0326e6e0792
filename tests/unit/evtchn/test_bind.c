/* SPDX-License-Identifier: MIT */
/* Making, describing and closing ports. */
#include <orrery/keyhandler.h>

#include "ev_test.h"

static void status_of(struct domain *caller, struct domain *d,
                      evtchn_port_t port, struct evtchn_status *s)
{
    memset(s, 0, sizeof(*s));
    s->dom = d->domain_id;
    s->port = port;
    CU_ASSERT_EQUAL(evtchn_status(caller, s), 0);
}

static void test_interdomain_pair(void)
{
    evtchn_port_t p0 = ev_unbound(d0, u1), p1;
    struct evtchn_status s;

    CU_ASSERT_EQUAL(p0, 1);                 /* port 0 is reserved */
    status_of(d0, d0, p0, &s);
    CU_ASSERT_EQUAL(s.status, EVTCHNSTAT_unbound);
    CU_ASSERT_EQUAL(s.u.unbound.dom, u1->domain_id);

    p1 = ev_connect(u1, d0, p0);
    CU_ASSERT_EQUAL(p1, 1);
    status_of(u1, u1, p1, &s);
    CU_ASSERT_EQUAL(s.status, EVTCHNSTAT_interdomain);
    CU_ASSERT_EQUAL(s.u.interdomain.dom, d0->domain_id);
    CU_ASSERT_EQUAL(s.u.interdomain.port, p0);
    status_of(d0, d0, p0, &s);
    CU_ASSERT_EQUAL(s.status, EVTCHNSTAT_interdomain);
    CU_ASSERT_EQUAL(s.u.interdomain.port, p1);
    /* The new local port starts pending (a send while unbound is not
     * lost); the peer's does not. */
    CU_ASSERT_TRUE(ev_pending(u1, p1));
    CU_ASSERT_FALSE(ev_pending(d0, p0));
    /* Reserved port 0 + one bound port each. */
    ORR_ASSERT_EQ_U64(ledger_read(d0, LEDGER_PORTS), 2);
    ORR_ASSERT_EQ_U64(ledger_read(u1, LEDGER_PORTS), 2);
}

/* A domain may connect a port to itself (loopback). */
static void test_loopback(void)
{
    evtchn_port_t a = ev_unbound(u1, u1), b = ev_connect(u1, u1, a);

    CU_ASSERT_NOT_EQUAL(a, b);
    ev_ack_all(u1);
    CU_ASSERT_EQUAL(evtchn_send(u1, a), 0);
    CU_ASSERT_TRUE(ev_pending(u1, b));
    CU_ASSERT_FALSE(ev_pending(u1, a));
    CU_ASSERT_EQUAL(evtchn_close(u1, a), 0);
    CU_ASSERT_EQUAL(evtchn_close(u1, b), 0);
    ORR_ASSERT_EQ_U64(ledger_read(u1, LEDGER_PORTS), 1);
}

/* Closing one end leaves the other unbound, waiting for the closer. */
static void test_close_reverts_peer(void)
{
    evtchn_port_t p0 = ev_unbound(d0, u1), p1 = ev_connect(u1, d0, p0);
    struct evtchn_status s;

    CU_ASSERT_EQUAL(evtchn_close(u1, p1), 0);
    status_of(d0, d0, p0, &s);
    CU_ASSERT_EQUAL(s.status, EVTCHNSTAT_unbound);
    CU_ASSERT_EQUAL(s.u.unbound.dom, u1->domain_id);
    status_of(u1, u1, p1, &s);
    CU_ASSERT_EQUAL(s.status, EVTCHNSTAT_closed);
    CU_ASSERT_FALSE(ev_pending(u1, p1));    /* cleared on close */
    /* u1 can bind to it again, and gets the lowest free port. */
    CU_ASSERT_EQUAL(ev_connect(u1, d0, p0), p1);
}

static void test_virq_and_ipi(void)
{
    struct evtchn_bind_virq v = { .virq = VIRQ_TIMER, .vcpu = 1 };
    struct evtchn_bind_ipi i = { .vcpu = 1 };
    struct evtchn_status s;

    CU_ASSERT_EQUAL(evtchn_bind_virq(u1, &v), 0);
    status_of(u1, u1, v.port, &s);
    CU_ASSERT_EQUAL(s.status, EVTCHNSTAT_virq);
    CU_ASSERT_EQUAL(s.u.virq, VIRQ_TIMER);
    CU_ASSERT_EQUAL(s.vcpu, 1);
    CU_ASSERT_EQUAL(evtchn_bind_ipi(u1, &i), 0);
    status_of(u1, u1, i.port, &s);
    CU_ASSERT_EQUAL(s.status, EVTCHNSTAT_ipi);
    CU_ASSERT_EQUAL(s.vcpu, 1);
    /* Once closed, the VIRQ can be bound again. */
    CU_ASSERT_EQUAL(evtchn_close(u1, v.port), 0);
    CU_ASSERT_EQUAL(evtchn_bind_virq(u1, &v), 0);
}

static void test_bind_vcpu(void)
{
    evtchn_port_t p0 = ev_unbound(d0, u1), p1 = ev_connect(u1, d0, p0);
    struct evtchn_bind_vcpu b = { .port = p1, .vcpu = 1 };
    struct evtchn_bind_virq con = { .virq = VIRQ_CONSOLE, .vcpu = 0 };
    struct evtchn_status s;

    CU_ASSERT_EQUAL(evtchn_bind_vcpu(u1, &b), 0);
    status_of(u1, u1, p1, &s);
    CU_ASSERT_EQUAL(s.vcpu, 1);
    ev_ack_all(u1);
    CU_ASSERT_EQUAL(evtchn_send(d0, p0), 0);
    CU_ASSERT_EQUAL(ev_upcall_pending(u1, 1), 1);
    CU_ASSERT_EQUAL(ev_upcall_pending(u1, 0), 0);
    /* A global VIRQ may move; it is then delivered to vCPU 1. */
    CU_ASSERT_EQUAL(evtchn_bind_virq(u1, &con), 0);
    b.port = con.port;
    CU_ASSERT_EQUAL(evtchn_bind_vcpu(u1, &b), 0);
    ev_ack_all(u1);
    send_guest_global_virq(u1, VIRQ_CONSOLE);
    CU_ASSERT_TRUE(ev_pending(u1, con.port));
    CU_ASSERT_EQUAL(ev_upcall_pending(u1, 1), 1);
    CU_ASSERT_EQUAL(evtchn_close(u1, con.port), 0);
}

static void test_reset_closes_everything(void)
{
    evtchn_port_t p0 = ev_unbound(d0, u1);
    struct evtchn_bind_ipi i = { .vcpu = 0 };
    struct evtchn_status s;

    ev_connect(u1, d0, p0);
    CU_ASSERT_EQUAL(evtchn_bind_ipi(u1, &i), 0);
    ev_unbound(u1, u2);
    ORR_ASSERT_EQ_U64(ledger_read(u1, LEDGER_PORTS), 4);
    CU_ASSERT_EQUAL(evtchn_reset(u1, DOMID_SELF), 0);
    ORR_ASSERT_EQ_U64(ledger_read(u1, LEDGER_PORTS), 1);
    status_of(d0, d0, p0, &s);
    CU_ASSERT_EQUAL(s.status, EVTCHNSTAT_unbound);
    /* Only the control domain resets another domain. */
    CU_ASSERT_EQUAL(evtchn_reset(u2, u1->domain_id), -EPERM);
    CU_ASSERT_EQUAL(evtchn_reset(d0, u1->domain_id), 0);
}

/* A domain destroyed while connected: the survivor's port is unbound,
 * sending on it is a silent no-op, and nothing leaks (ev_teardown). */
static void test_peer_destroyed(void)
{
    evtchn_port_t p0 = ev_unbound(d0, u1), p1 = ev_connect(u1, d0, p0);
    struct evtchn_status s;
    domid_t gone = u1->domain_id;

    (void)p1;
    CU_ASSERT_EQUAL(domain_destroy(u1), 0);
    u1 = NULL;
    status_of(d0, d0, p0, &s);
    CU_ASSERT_EQUAL(s.status, EVTCHNSTAT_unbound);
    CU_ASSERT_EQUAL(s.u.unbound.dom, gone);
    ev_ack_all(d0);
    CU_ASSERT_EQUAL(evtchn_send(d0, p0), 0);
    CU_ASSERT_FALSE(ev_pending(d0, p0));
    /* Nobody can bind to it: that domain is gone. */
    {
        struct evtchn_bind_interdomain b = {
            .remote_dom = d0->domain_id, .remote_port = p0,
        };

        CU_ASSERT_EQUAL(evtchn_bind_interdomain(u2, &b), -EINVAL);
    }
    ORR_ASSERT_EQ_U64(ledger_read(d0, LEDGER_PORTS), 2);
    CU_ASSERT_EQUAL(evtchn_close(d0, p0), 0);
}

static void test_debug_key_e(void)
{
    evtchn_port_t p0 = ev_unbound(d0, u1);

    ev_connect(u1, d0, p0);
    sim_console_clear();
    handle_keypress('e');
    ORR_ASSERT_CONTAINS(sim_console_text(), "Event channels:");
    ORR_ASSERT_CONTAINS(sim_console_text(), "2-level, 4096 ports max");
    ORR_ASSERT_CONTAINS(sim_console_text(), "port 1: interdomain v0");
}

CU_TestInfo bind_tests[] = {
    ORR_CASE(test_interdomain_pair),
    ORR_CASE(test_loopback),
    ORR_CASE(test_close_reverts_peer),
    ORR_CASE(test_virq_and_ipi),
    ORR_CASE(test_bind_vcpu),
    ORR_CASE(test_reset_closes_everything),
    ORR_CASE(test_peer_destroyed),
    ORR_CASE(test_debug_key_e),
    CU_TEST_INFO_NULL,
};
