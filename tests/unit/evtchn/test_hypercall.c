/* SPDX-License-Identifier: MIT */
/*
 * Every subop through event_channel_op, with its struct in guest memory:
 * the inputs are read from the guest and the outputs written back.
 */
#include "ev_test.h"

#define ARG 0x200

/* @d's guest memory at ARG, as the guest sees it. */
static void *arg_of(struct domain *d)
{
    struct p2m_entry e;

    p2m_get_entry(d, _gfn(0), &e);
    return (uint8_t *)arch_mfn_to_virt(e.mfn) + ARG;
}

static int64_t op(struct domain *d, unsigned int cmd, const void *in,
                  size_t size)
{
    struct hypercall_regs r = {
        .nr = __HYPERVISOR_event_channel_op, .args = { cmd, ARG },
    };

    memcpy(arg_of(d), in, size);
    hypercall_dispatch(d->vcpu[0], &r);
    CU_ASSERT_FALSE(r.restart);
    return r.ret;
}

static void test_every_subop(void)
{
    struct evtchn_alloc_unbound au = {
        .dom = DOMID_SELF, .remote_dom = u1->domain_id,
    };
    struct evtchn_bind_interdomain bi;
    struct evtchn_bind_virq bv = { .virq = VIRQ_DEBUG, .vcpu = 1 };
    struct evtchn_bind_ipi ipi = { .vcpu = 1 };
    struct evtchn_status st;
    struct evtchn_bind_vcpu bvc;
    struct evtchn_unmask um;
    struct evtchn_close cl;
    struct evtchn_reset rs = { .dom = DOMID_SELF };

    CU_ASSERT_EQUAL(op(d0, EVTCHNOP_alloc_unbound, &au, sizeof(au)), 0);
    au = *(struct evtchn_alloc_unbound *)arg_of(d0);
    CU_ASSERT_EQUAL(au.port, 1);

    bi = (struct evtchn_bind_interdomain){
        .remote_dom = d0->domain_id, .remote_port = au.port,
    };
    CU_ASSERT_EQUAL(op(u1, EVTCHNOP_bind_interdomain, &bi, sizeof(bi)), 0);
    bi = *(struct evtchn_bind_interdomain *)arg_of(u1);
    CU_ASSERT_EQUAL(bi.local_port, 1);

    CU_ASSERT_EQUAL(op(u1, EVTCHNOP_bind_virq, &bv, sizeof(bv)), 0);
    CU_ASSERT_EQUAL(((struct evtchn_bind_virq *)arg_of(u1))->port, 2);
    CU_ASSERT_EQUAL(op(u1, EVTCHNOP_bind_ipi, &ipi, sizeof(ipi)), 0);
    CU_ASSERT_EQUAL(((struct evtchn_bind_ipi *)arg_of(u1))->port, 3);

    st = (struct evtchn_status){ .dom = DOMID_SELF, .port = 1 };
    CU_ASSERT_EQUAL(op(u1, EVTCHNOP_status, &st, sizeof(st)), 0);
    st = *(struct evtchn_status *)arg_of(u1);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_interdomain);
    CU_ASSERT_EQUAL(st.u.interdomain.dom, d0->domain_id);
    CU_ASSERT_EQUAL(st.u.interdomain.port, au.port);

    bvc = (struct evtchn_bind_vcpu){ .port = 1, .vcpu = 1 };
    CU_ASSERT_EQUAL(op(u1, EVTCHNOP_bind_vcpu, &bvc, sizeof(bvc)), 0);
    ev_mask(u1, 1);
    ev_ack_all(u1);
    CU_ASSERT_EQUAL(evtchn_send(d0, au.port), 0);
    CU_ASSERT_EQUAL(ev_upcall_pending(u1, 1), 0);   /* masked */
    um = (struct evtchn_unmask){ .port = 1 };
    CU_ASSERT_EQUAL(op(u1, EVTCHNOP_unmask, &um, sizeof(um)), 0);
    CU_ASSERT_EQUAL(ev_upcall_pending(u1, 1), 1);   /* on vCPU 1 */

    cl = (struct evtchn_close){ .port = 3 };
    CU_ASSERT_EQUAL(op(u1, EVTCHNOP_close, &cl, sizeof(cl)), 0);
    CU_ASSERT_EQUAL(op(u1, EVTCHNOP_close, &cl, sizeof(cl)), -EINVAL);
    ORR_ASSERT_EQ_U64(ledger_read(u1, LEDGER_PORTS), 3);
    CU_ASSERT_EQUAL(op(u1, EVTCHNOP_reset, &rs, sizeof(rs)), 0);
    ORR_ASSERT_EQ_U64(ledger_read(u1, LEDGER_PORTS), 1);

    /* A failing subop writes nothing back. */
    st = (struct evtchn_status){ .dom = 999, .port = 1, .status = 0xabc };
    CU_ASSERT_EQUAL(op(u1, EVTCHNOP_status, &st, sizeof(st)), -ESRCH);
    CU_ASSERT_EQUAL(((struct evtchn_status *)arg_of(u1))->status, 0xabc);
}

CU_TestInfo hypercall_tests[] = {
    ORR_CASE(test_every_subop),
    CU_TEST_INFO_NULL,
};
