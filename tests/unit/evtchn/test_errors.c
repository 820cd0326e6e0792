/* SPDX-License-Identifier: MIT */
/*
 * Bad input, one case per test: each gets Xen's error, and the state of
 * every domain is as before (ledgers compared; ev_teardown checks leaks).
 */
#include <public/event_channel.h>

#include "ev_test.h"

static uint64_t ports(struct domain *d)
{
    return ledger_read(d, LEDGER_PORTS);
}

static void test_nonexistent_domains(void)
{
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = 999 };
    struct evtchn_bind_interdomain b = { .remote_dom = 999, .remote_port = 1 };
    struct evtchn_status s = { .dom = 999, .port = 1 };

    CU_ASSERT_EQUAL(evtchn_alloc_unbound(u1, &a), -ESRCH);
    a.dom = 998;
    a.remote_dom = DOMID_SELF;
    CU_ASSERT_EQUAL(evtchn_alloc_unbound(u1, &a), -ESRCH);
    a.dom = DOMID_IO;
    CU_ASSERT_EQUAL(evtchn_alloc_unbound(u1, &a), -ESRCH);
    CU_ASSERT_EQUAL(evtchn_bind_interdomain(u1, &b), -ESRCH);
    CU_ASSERT_EQUAL(evtchn_status(u1, &s), -ESRCH);
    CU_ASSERT_EQUAL(evtchn_reset(d0, 999), -ESRCH);
    ORR_ASSERT_EQ_U64(ports(u1), 1);
}

/* A dying domain is as good as gone for new bindings. */
static void test_dying_domain(void)
{
    evtchn_port_t p = ev_unbound(u2, u1);
    struct evtchn_bind_interdomain b = {
        .remote_dom = u2->domain_id, .remote_port = p,
    };

    domain_get_ref(u2);
    CU_ASSERT_EQUAL(domain_destroy(u2), 0);
    CU_ASSERT_EQUAL(evtchn_bind_interdomain(u1, &b), -ESRCH);
    domain_put(u2);
    u2 = NULL;
    ORR_ASSERT_EQ_U64(ports(u1), 1);
}

/* Acting for another domain needs privilege; self is always fine. */
static void test_other_domain_needs_privilege(void)
{
    struct evtchn_alloc_unbound a = {
        .dom = u2->domain_id, .remote_dom = d0->domain_id,
    };
    struct evtchn_status s = { .dom = u2->domain_id, .port = 0 };

    CU_ASSERT_EQUAL(evtchn_alloc_unbound(u1, &a), -EPERM);
    CU_ASSERT_EQUAL(evtchn_status(u1, &s), -EPERM);
    ORR_ASSERT_EQ_U64(ports(u2), 1);
    CU_ASSERT_EQUAL(evtchn_alloc_unbound(d0, &a), 0);
    ORR_ASSERT_EQ_U64(ports(u2), 2);
    a.dom = u1->domain_id;
    a.remote_dom = u1->domain_id;
    CU_ASSERT_EQUAL(evtchn_alloc_unbound(u1, &a), 0);
}

/* Binding to a port that is not unbound-for-us. */
static void test_bind_to_wrong_port(void)
{
    evtchn_port_t for_u2 = ev_unbound(d0, u2);
    struct evtchn_bind_interdomain b = {
        .remote_dom = d0->domain_id, .remote_port = for_u2,
    };

    CU_ASSERT_EQUAL(evtchn_bind_interdomain(u1, &b), -EINVAL);  /* not us */
    b.remote_port = 0;
    CU_ASSERT_EQUAL(evtchn_bind_interdomain(u1, &b), -EINVAL);  /* reserved */
    b.remote_port = 77;
    CU_ASSERT_EQUAL(evtchn_bind_interdomain(u1, &b), -EINVAL);  /* free */
    b.remote_port = 5000;
    CU_ASSERT_EQUAL(evtchn_bind_interdomain(u1, &b), -EINVAL);  /* range */
    b.remote_port = for_u2;
    CU_ASSERT_EQUAL(evtchn_bind_interdomain(u2, &b), 0);
    /* Bound now: a second bind fails. */
    CU_ASSERT_EQUAL(evtchn_bind_interdomain(u2, &b), -EINVAL);
    ORR_ASSERT_EQ_U64(ports(u1), 1);
    ORR_ASSERT_EQ_U64(ports(u2), 2);
}

static void test_ports_out_of_range_or_wrong_state(void)
{
    evtchn_port_t p = ev_unbound(u1, d0);
    struct evtchn_status s = { .dom = DOMID_SELF, .port = 4096 };

    CU_ASSERT_EQUAL(evtchn_send(u1, 4096), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_send(u1, ~0U), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_send(u1, 0), -EINVAL);       /* reserved */
    CU_ASSERT_EQUAL(evtchn_send(u1, p + 1), -EINVAL);   /* free */
    CU_ASSERT_EQUAL(evtchn_close(u1, 0), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_close(u1, 4096), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_close(u1, p + 1), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_unmask(u1, 4096), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_status(u1, &s), -EINVAL);
    /* In range but past every port allocated so far: not a port yet,
     * as Xen's port_is_valid(); a free port in an allocated bucket
     * reads as closed. */
    s.port = 4000;
    CU_ASSERT_EQUAL(evtchn_status(u1, &s), -EINVAL);
    s.port = 100;
    CU_ASSERT_EQUAL(evtchn_status(u1, &s), 0);
    CU_ASSERT_EQUAL(s.status, EVTCHNSTAT_closed);
    /* Closed twice. */
    CU_ASSERT_EQUAL(evtchn_close(u1, p), 0);
    CU_ASSERT_EQUAL(evtchn_close(u1, p), -EINVAL);
    ORR_ASSERT_EQ_U64(ports(u1), 1);
}

static void test_bad_virq_and_vcpu(void)
{
    struct evtchn_bind_virq v = { .virq = NR_VIRQS, .vcpu = 0 };
    struct evtchn_bind_ipi i = { .vcpu = 2 };
    struct evtchn_bind_vcpu bv = { .port = 1, .vcpu = 0 };

    CU_ASSERT_EQUAL(evtchn_bind_virq(u1, &v), -EINVAL);
    v.virq = VIRQ_CONSOLE;
    v.vcpu = 1;                     /* global VIRQs bind on vCPU 0 */
    CU_ASSERT_EQUAL(evtchn_bind_virq(u1, &v), -EINVAL);
    v.virq = VIRQ_TIMER;
    v.vcpu = 2;
    CU_ASSERT_EQUAL(evtchn_bind_virq(u1, &v), -ENOENT);
    v.vcpu = 0;
    CU_ASSERT_EQUAL(evtchn_bind_virq(u1, &v), 0);
    CU_ASSERT_EQUAL(evtchn_bind_virq(u1, &v), -EEXIST);
    CU_ASSERT_EQUAL(evtchn_bind_ipi(u1, &i), -ENOENT);
    i.vcpu = ~0U;
    CU_ASSERT_EQUAL(evtchn_bind_ipi(u1, &i), -ENOENT);
    /* Per-vCPU VIRQ and IPI ports cannot be moved. */
    bv.port = v.port;
    bv.vcpu = 1;
    CU_ASSERT_EQUAL(evtchn_bind_vcpu(u1, &bv), -EINVAL);
    i.vcpu = 0;
    CU_ASSERT_EQUAL(evtchn_bind_ipi(u1, &i), 0);
    bv.port = i.port;
    CU_ASSERT_EQUAL(evtchn_bind_vcpu(u1, &bv), -EINVAL);
    bv.vcpu = 9;
    CU_ASSERT_EQUAL(evtchn_bind_vcpu(u1, &bv), -ENOENT);
    bv.port = 3000;
    bv.vcpu = 1;
    CU_ASSERT_EQUAL(evtchn_bind_vcpu(u1, &bv), -EINVAL);
    ORR_ASSERT_EQ_U64(ports(u1), 3);
}

/* A domain created with a small port limit gets -ENOSPC past it. */
static void test_port_limit(void)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .max_vcpus = 1, .max_evtchn_port = 8,
    };
    struct domain *d;
    unsigned int i;

    CU_ASSERT_FATAL(domain_create(&cfg, &d) == 0);
    for ( i = 1; i < 8; i++ )
        CU_ASSERT_EQUAL(ev_unbound(d, d0), i);
    {
        struct evtchn_alloc_unbound a = {
            .dom = DOMID_SELF, .remote_dom = d0->domain_id,
        };
        struct evtchn_bind_ipi ipi = { .vcpu = 0 };

        CU_ASSERT_EQUAL(evtchn_alloc_unbound(d, &a), -ENOSPC);
        CU_ASSERT_EQUAL(evtchn_bind_ipi(d, &ipi), -ENOSPC);
        ORR_ASSERT_EQ_U64(ports(d), 8);
        CU_ASSERT_EQUAL(evtchn_send(d, 8), -EINVAL);
        CU_ASSERT_EQUAL(evtchn_close(d, 5), 0);
        CU_ASSERT_EQUAL(evtchn_alloc_unbound(d, &a), 0);
        CU_ASSERT_EQUAL(a.port, 5);
    }
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
}

/* SILO: two domUs cannot be connected, with either of them asking. */
static void test_silo_refuses_domu_pairs(void)
{
    struct evtchn_alloc_unbound a = {
        .dom = DOMID_SELF, .remote_dom = u2->domain_id,
    };
    evtchn_port_t p;
    struct evtchn_bind_interdomain b;

    p = ev_unbound(u1, u2);             /* made under dummy */
    CU_ASSERT_EQUAL(xsm_set_policy("silo"), 0);
    CU_ASSERT_EQUAL(evtchn_alloc_unbound(u1, &a), -EPERM);
    b = (struct evtchn_bind_interdomain){
        .remote_dom = u1->domain_id, .remote_port = p,
    };
    CU_ASSERT_EQUAL(evtchn_bind_interdomain(u2, &b), -EPERM);
    ORR_ASSERT_EQ_U64(ports(u2), 1);
    /* With the control domain: fine. */
    p = ev_unbound(u1, d0);
    ev_connect(d0, u1, p);
}

/* Several things wrong at once: Xen's order decides the error -- no
 * free local port (-ENOSPC) before a bad remote port (-EINVAL) before
 * the policy (-EPERM) -- and the local port taken for the check is
 * given back. */
static void test_bind_interdomain_error_order(void)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .max_vcpus = 1, .max_evtchn_port = 2,
    };
    struct evtchn_bind_interdomain b = {
        .remote_dom = d0->domain_id, .remote_port = 77,
    };
    struct domain *d;

    CU_ASSERT_FATAL(domain_create(&cfg, &d) == 0);
    CU_ASSERT_EQUAL(ev_unbound(d, d0), 1);      /* d is full now */
    CU_ASSERT_EQUAL(evtchn_bind_interdomain(d, &b), -ENOSPC);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);

    CU_ASSERT_EQUAL(xsm_set_policy("silo"), 0);
    b.remote_dom = u2->domain_id;
    CU_ASSERT_EQUAL(evtchn_bind_interdomain(u1, &b), -EINVAL);
    b.remote_port = ev_unbound(u2, u2);         /* waits for u2, not u1 */
    CU_ASSERT_EQUAL(evtchn_bind_interdomain(u1, &b), -EINVAL);
    ORR_ASSERT_EQ_U64(ports(u1), 1);
}

/* Through the hypercall: bad pointers fault and allocate nothing. */
static void test_hypercall_path(void)
{
    struct evtchn_alloc_unbound *a;
    struct hypercall_regs r = {
        .nr = __HYPERVISOR_event_channel_op,
        .args = { EVTCHNOP_alloc_unbound, 0x100 },
    };
    struct p2m_entry e;

    p2m_get_entry(u1, _gfn(0), &e);
    a = (struct evtchn_alloc_unbound *)((uint8_t *)arch_mfn_to_virt(e.mfn) +
                                        0x100);
    a->dom = DOMID_SELF;
    a->remote_dom = d0->domain_id;
    a->port = 0xdead;
    hypercall_dispatch(u1->vcpu[0], &r);
    CU_ASSERT_EQUAL(r.ret, 0);
    CU_ASSERT_EQUAL(a->port, 1);

    /* Unmapped argument, and one running off the end of RAM. */
    r.args[1] = 0x40000;
    hypercall_dispatch(u1->vcpu[0], &r);
    CU_ASSERT_EQUAL(r.ret, -EFAULT);
    r.args[1] = 4 * PAGE_SIZE - 4;
    hypercall_dispatch(u1->vcpu[0], &r);
    CU_ASSERT_EQUAL(r.ret, -EFAULT);
    ORR_ASSERT_EQ_U64(ports(u1), 2);

    /* Unknown subops (FIFO and bind_pirq: test_fifo_switch.c). */
    r.args[0] = EVTCHNOP_reset_cont + 1;
    r.args[1] = 0x100;
    hypercall_dispatch(u1->vcpu[0], &r);
    CU_ASSERT_EQUAL(r.ret, -ENOSYS);
    r.args[0] = 1ULL << 40;
    hypercall_dispatch(u1->vcpu[0], &r);
    CU_ASSERT_EQUAL(r.ret, -ENOSYS);

    /* send through the hypercall. */
    {
        struct evtchn_send *s = (struct evtchn_send *)a;
        struct evtchn_bind_ipi ipi = { .vcpu = 1 };

        CU_ASSERT_EQUAL(evtchn_bind_ipi(u1, &ipi), 0);
        ev_ack_all(u1);
        s->port = ipi.port;
        r.args[0] = EVTCHNOP_send;
        hypercall_dispatch(u1->vcpu[0], &r);
        CU_ASSERT_EQUAL(r.ret, 0);
        CU_ASSERT_EQUAL(ev_upcall_pending(u1, 1), 1);
    }
}

CU_TestInfo error_tests[] = {
    ORR_CASE(test_nonexistent_domains),
    ORR_CASE(test_dying_domain),
    ORR_CASE(test_other_domain_needs_privilege),
    ORR_CASE(test_bind_to_wrong_port),
    ORR_CASE(test_ports_out_of_range_or_wrong_state),
    ORR_CASE(test_bad_virq_and_vcpu),
    ORR_CASE(test_port_limit),
    ORR_CASE(test_silo_refuses_domu_pairs),
    ORR_CASE(test_bind_interdomain_error_order),
    ORR_CASE(test_hypercall_path),
    CU_TEST_INFO_NULL,
};
