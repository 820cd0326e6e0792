/* SPDX-License-Identifier: MIT */
/*
 * Switching ABIs: 2-level to FIFO with ports bound (they stay bound, a
 * pending one stays pending), EVTCHNOP_reset back to 2-level (also
 * preempted and continued through the hypercall path), the FIFO subops
 * through event_channel_op, and destroying a FIFO domain.
 */
#include <orrery/softirq.h>

#include "ev_test.h"

#define ARG 0x200

static void *arg_of(struct domain *d)
{
    return (uint8_t *)fg_frame(d, 0) + ARG;
}

static int64_t op(struct domain *d, struct hypercall_regs *r,
                  unsigned int cmd, const void *in, size_t size)
{
    *r = (struct hypercall_regs){
        .nr = __HYPERVISOR_event_channel_op, .args = { cmd, ARG },
    };
    memcpy(arg_of(d), in, size);
    hypercall_dispatch(d->vcpu[0], r);
    return r->ret;
}

static void test_switch_keeps_bound_ports(void)
{
    evtchn_port_t a = ev_unbound(d0, u1), la = ev_connect(u1, d0, a);
    evtchn_port_t b = ev_unbound(d0, u1), lb = ev_connect(u1, d0, b);
    struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 1 };
    struct evtchn_status st = { .dom = DOMID_SELF };
    evtchn_port_t out[4];

    CU_ASSERT_EQUAL(evtchn_bind_virq(u1, &bv), 0);
    ev_ack_all(u1);
    CU_ASSERT_EQUAL(evtchn_send(d0, a), 0);         /* la pending */
    CU_ASSERT_TRUE(ev_pending(u1, la));

    CU_ASSERT_EQUAL(fg_init(u1, 0), 0);
    CU_ASSERT_EQUAL(fg_init(u1, 1), 0);
    /* Bound as before; la's pending moved out of shared_info. */
    st.port = lb;
    CU_ASSERT_EQUAL(evtchn_status(u1, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_interdomain);
    CU_ASSERT_EQUAL(st.u.interdomain.port, b);
    st.port = bv.port;
    CU_ASSERT_EQUAL(evtchn_status(u1, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_virq);
    CU_ASSERT_EQUAL(st.vcpu, 1);
    CU_ASSERT_FALSE(ev_pending(u1, la));
    CU_ASSERT_TRUE(u1->evtchn->ops->is_pending(u1, la));
    CU_ASSERT_FALSE(u1->evtchn->ops->is_pending(u1, lb));

    /* The array page arrives unmasked: la is delivered at once. */
    memset(fg_frame(u1, FG_ARRAY_GFN), 0, PAGE_SIZE);
    {
        struct evtchn_expand_array e = { .array_gfn = FG_ARRAY_GFN };

        CU_ASSERT_EQUAL(evtchn_expand_array(u1, &e), 0);
    }
    CU_ASSERT_EQUAL(fg_drain(u1, 0, out, 4), 1);
    CU_ASSERT_EQUAL(out[0], la);
    /* And the others work as bound. */
    CU_ASSERT_EQUAL(evtchn_send(d0, b), 0);
    send_guest_vcpu_virq(u1->vcpu[1], VIRQ_TIMER);
    CU_ASSERT_EQUAL(fg_drain(u1, 0, out, 4), 1);
    CU_ASSERT_EQUAL(out[0], lb);
    CU_ASSERT_EQUAL(fg_drain(u1, 1, out, 4), 1);
    CU_ASSERT_EQUAL(out[0], bv.port);
    /* The peer still sends to u1 the same way. */
    CU_ASSERT_EQUAL(evtchn_send(u1, la), 0);
    CU_ASSERT_TRUE(ev_pending(d0, a));
}

/* Reset closes every port and goes back to 2-level; FIFO can be set up
 * again afterwards. */
static void test_reset_back_to_2l(void)
{
    evtchn_port_t a = ev_unbound(d0, u1), la = ev_connect(u1, d0, a);
    struct evtchn_status st = { .dom = d0->domain_id, .port = a };

    fg_setup(u1);
    CU_ASSERT_EQUAL(evtchn_reset(u1, DOMID_SELF), 0);
    CU_ASSERT_PTR_EQUAL(u1->evtchn->ops, &evtchn_2l_ops);
    CU_ASSERT_PTR_NULL(u1->evtchn->fifo);
    CU_ASSERT_PTR_NULL(u1->vcpu[1]->evtchn->fifo);
    ORR_ASSERT_EQ_U64(ledger_read(u1, LEDGER_PORTS), 1);
    /* The peer's end waits for a new binding. */
    CU_ASSERT_EQUAL(evtchn_status(d0, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
    /* 2-level delivery again. */
    la = ev_connect(u1, d0, a);
    ev_ack_all(u1);
    CU_ASSERT_EQUAL(evtchn_send(d0, a), 0);
    CU_ASSERT_TRUE(ev_pending(u1, la));
    /* And FIFO once more. */
    fg_reset();
    fg_setup(u1);
    CU_ASSERT_PTR_EQUAL(u1->evtchn->ops, &evtchn_fifo_ops);
}

/* Another domain's ports are reset only while it is paused (Xen). */
static void test_reset_other_needs_pause(void)
{
    CU_ASSERT_EQUAL(domain_unpause(u1), 0);
    CU_ASSERT_EQUAL(evtchn_reset(d0, u1->domain_id), -EINVAL);
    domain_pause(u1);
    CU_ASSERT_EQUAL(evtchn_reset(d0, u1->domain_id), 0);
}

/* Through the hypercall, with a small budget: reset returns to the guest
 * as a continuation (cmd rewritten to reset_cont) until done. */
static void test_reset_continuation(void)
{
    struct evtchn_reset rs = { .dom = DOMID_SELF };
    struct hypercall_regs r;
    unsigned int i, rounds = 0;

    fg_setup(u1);
    for ( i = 0; i < 2000; i++ )
        ev_unbound(u1, d0);
    hypercall_set_budget(1);
    op(u1, &r, EVTCHNOP_reset, &rs, sizeof(rs));
    while ( r.restart )
    {
        CU_ASSERT_EQUAL_FATAL(r.args[0], EVTCHNOP_reset_cont);
        CU_ASSERT_EQUAL(r.args[1], ARG);
        CU_ASSERT_PTR_EQUAL(u1->evtchn->ops, &evtchn_fifo_ops);
        hypercall_dispatch(u1->vcpu[0], &r);
        CU_ASSERT_FATAL(++rounds < 100);
    }
    hypercall_set_budget(0);
    CU_ASSERT(rounds >= 2);
    CU_ASSERT_EQUAL(r.ret, 0);
    ORR_ASSERT_EQ_U64(ledger_read(u1, LEDGER_PORTS), 1);
    CU_ASSERT_PTR_EQUAL(u1->evtchn->ops, &evtchn_2l_ops);
}

/* A softirq that stays pending (nobody runs it between entries) asks
 * for preemption at every check: each entry still closes a bucket, so
 * the reset finishes. */
static void test_reset_progress_under_softirq(void)
{
    struct evtchn_reset rs = { .dom = DOMID_SELF };
    struct hypercall_regs r;
    unsigned int i, rounds = 0;

    for ( i = 0; i < 600; i++ )
        ev_unbound(u1, d0);
    raise_softirq(KEYPRESS_SOFTIRQ);
    op(u1, &r, EVTCHNOP_reset, &rs, sizeof(rs));
    while ( r.restart )
    {
        hypercall_dispatch(u1->vcpu[0], &r);
        CU_ASSERT_FATAL(++rounds < 100);
    }
    do_softirq();
    CU_ASSERT(rounds >= 4);
    CU_ASSERT_EQUAL(r.ret, 0);
    ORR_ASSERT_EQ_U64(ledger_read(u1, LEDGER_PORTS), 1);
}

/* reset_cont with nothing to resume is a whole reset. */
static void test_reset_cont_alone(void)
{
    struct evtchn_reset rs = { .dom = DOMID_SELF };
    struct hypercall_regs r;

    ev_unbound(u1, d0);
    CU_ASSERT_EQUAL(op(u1, &r, EVTCHNOP_reset_cont, &rs, sizeof(rs)), 0);
    CU_ASSERT_FALSE(r.restart);
    ORR_ASSERT_EQ_U64(ledger_read(u1, LEDGER_PORTS), 1);
    rs.dom = 999;
    CU_ASSERT_EQUAL(op(u1, &r, EVTCHNOP_reset_cont, &rs, sizeof(rs)),
                    -ESRCH);
}

static void test_hypercall_fifo_subops(void)
{
    struct evtchn_init_control c = {
        .control_gfn = FG_CB_GFN, .offset = 64, .vcpu = 0, .link_bits = 0,
    };
    struct evtchn_expand_array e = { .array_gfn = FG_ARRAY_GFN };
    struct evtchn_set_priority s = { .port = 1, .priority = 4 };
    struct hypercall_regs r;
    evtchn_port_t p = ev_unbound(u1, d0);

    CU_ASSERT_EQUAL(p, 1);
    CU_ASSERT_EQUAL(op(u1, &r, EVTCHNOP_set_priority, &s, sizeof(s)),
                    -ENOSYS);
    CU_ASSERT_EQUAL(op(u1, &r, EVTCHNOP_expand_array, &e, sizeof(e)),
                    -EOPNOTSUPP);
    CU_ASSERT_EQUAL(op(u1, &r, EVTCHNOP_init_control, &c, sizeof(c)), 0);
    CU_ASSERT_EQUAL(((struct evtchn_init_control *)arg_of(u1))->link_bits,
                    EVTCHN_FIFO_LINK_BITS);
    CU_ASSERT_EQUAL(op(u1, &r, EVTCHNOP_expand_array, &e, sizeof(e)), 0);
    CU_ASSERT_EQUAL(op(u1, &r, EVTCHNOP_set_priority, &s, sizeof(s)), 0);
    CU_ASSERT_EQUAL(evtchn_from_port(u1, p)->priority, 4);
    /* A failing init_control writes nothing back. */
    c.vcpu = 7;
    CU_ASSERT_EQUAL(op(u1, &r, EVTCHNOP_init_control, &c, sizeof(c)),
                    -ENOENT);
    CU_ASSERT_EQUAL(((struct evtchn_init_control *)arg_of(u1))->link_bits,
                    0);
}

/* The argument struct must be in the guest's memory. */
static void test_hypercall_fifo_bad_pointer(void)
{
    struct hypercall_regs r = {
        .nr = __HYPERVISOR_event_channel_op,
        .args = { EVTCHNOP_init_control, 4 * PAGE_SIZE - 8 },
    };

    hypercall_dispatch(u1->vcpu[0], &r);
    CU_ASSERT_EQUAL(r.ret, -EFAULT);
    r.args[0] = EVTCHNOP_expand_array;
    r.args[1] = 1ULL << 50;
    hypercall_dispatch(u1->vcpu[0], &r);
    CU_ASSERT_EQUAL(r.ret, -EFAULT);
    r.args[0] = EVTCHNOP_set_priority;
    r.args[1] = ~0ULL - 3;
    hypercall_dispatch(u1->vcpu[0], &r);
    CU_ASSERT_EQUAL(r.ret, -EFAULT);
    CU_ASSERT_PTR_EQUAL(u1->evtchn->ops, &evtchn_2l_ops);
}

/* No domain has physical IRQs: every pirq is out of range (-EINVAL, as
 * Xen for pirq >= nr_pirqs), after the argument has been read. */
static void test_bind_pirq(void)
{
    struct evtchn_bind_pirq bp = { .pirq = 0 };
    struct hypercall_regs r;

    CU_ASSERT_EQUAL(op(u1, &r, EVTCHNOP_bind_pirq, &bp, sizeof(bp)),
                    -EINVAL);
    bp.pirq = 0xffffffff;
    CU_ASSERT_EQUAL(op(d0, &r, EVTCHNOP_bind_pirq, &bp, sizeof(bp)),
                    -EINVAL);
    r.args[1] = 1ULL << 50;
    hypercall_dispatch(u1->vcpu[0], &r);
    CU_ASSERT_EQUAL(r.ret, -EFAULT);
    ORR_ASSERT_EQ_U64(ledger_read(u1, LEDGER_PORTS), 1);
}

static void test_unknown_subop(void)
{
    struct hypercall_regs r;
    uint8_t zero[32] = { 0 };

    CU_ASSERT_EQUAL(op(u1, &r, 15, zero, sizeof(zero)), -ENOSYS);
    CU_ASSERT_EQUAL(op(u1, &r, 0xffffffff, zero, sizeof(zero)), -ENOSYS);
}

/* Destroying a FIFO domain with ports bound to a peer: the peer's ends
 * go back to unbound, every page reference is dropped (ev_teardown checks
 * the ledger and the free page count). */
static void test_destroy_fifo_domain(void)
{
    evtchn_port_t a = ev_unbound(d0, u1);
    struct evtchn_status st = { .dom = DOMID_SELF, .port = a };

    ev_connect(u1, d0, a);
    fg_setup(u1);
    CU_ASSERT_EQUAL(domain_destroy(u1), 0);
    u1 = NULL;
    CU_ASSERT_EQUAL(evtchn_status(d0, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
    CU_ASSERT_EQUAL(evtchn_send(d0, a), 0);
}

/* Debug key 'e' names the ABI and each port's priority. */
static void test_dump_fifo(void)
{
    evtchn_port_t p = ev_unbound(u1, d0);
    struct evtchn_set_priority s = { .port = p, .priority = 3 };

    fg_setup(u1);
    CU_ASSERT_EQUAL(evtchn_set_priority(u1, &s), 0);
    sim_console_clear();
    evtchn_dump();
    CU_ASSERT_PTR_NOT_NULL(strstr(sim_console_text(), "(FIFO,"));
    CU_ASSERT_PTR_NOT_NULL(strstr(sim_console_text(), "prio 3"));
}

CU_TestInfo fifo_switch_tests[] = {
    ORR_CASE(test_switch_keeps_bound_ports),
    ORR_CASE(test_reset_back_to_2l),
    ORR_CASE(test_reset_other_needs_pause),
    ORR_CASE(test_reset_continuation),
    ORR_CASE(test_reset_progress_under_softirq),
    ORR_CASE(test_reset_cont_alone),
    ORR_CASE(test_hypercall_fifo_subops),
    ORR_CASE(test_hypercall_fifo_bad_pointer),
    ORR_CASE(test_bind_pirq),
    ORR_CASE(test_unknown_subop),
    ORR_CASE(test_destroy_fifo_domain),
    ORR_CASE(test_dump_fifo),
    CU_TEST_INFO_NULL,
};
