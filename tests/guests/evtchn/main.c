/* SPDX-License-Identifier: MIT */
/*
 * evtchn: event channels from inside a guest, 2-level ABI (reference
 * §1.5, §2.2). shared_info is mapped with XENMEM_add_to_physmap; VIRQ_TIMER
 * is bound and a singleshot timer 5 ms ahead (on the pvclock) is waited
 * for with SCHEDOP_poll, which must not return early; a loopback pair (alloc_unbound + bind_interdomain to
 * itself) carries a send; masking holds the upcall flag back until
 * unmask; EVTCHNOP_status reports each port; and bad ports, VIRQs and
 * vCPUs get Xen's errors.
 */
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <public/event_channel.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>

#include "guest.h"

const char test_title[] = "evtchn: VIRQ_TIMER, poll, loopback, mask, status";

static volatile struct shared_info *shinfo;

static void test_virq_timer(void)
{
    struct evtchn_bind_virq bind = { .virq = VIRQ_TIMER, .vcpu = 0 };
    struct sched_poll poll;
    evtchn_port_t port;
    uint64_t before;
    long rc;

    rc = evtchn_op(EVTCHNOP_bind_virq, &bind);
    check(rc == 0, "bind_virq(VIRQ_TIMER) gave %ld", rc);
    port = bind.port;
    check(port != 0, "VIRQ_TIMER bound to port 0");
    rc = evtchn_op(EVTCHNOP_bind_virq, &bind);
    check(rc == -EEXIST, "a second bind of VIRQ_TIMER gave %ld", rc);

    before = now_ns();
    timer_at(before + 5000000);
    check(!evtchn_is_pending(port), "timer port pending before its time");
    poll = (struct sched_poll){ .nr_ports = 1 };
    poll.ports = (uintptr_t)&port;
    /* A poll may end for other wake-ups too: repeat until the port is
     * pending (bounded, so a lost timer fails rather than hangs). */
    for ( unsigned int i = 0; i < 1000 && !evtchn_is_pending(port); i++ )
    {
        rc = hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll, &poll);
        check(rc == 0, "SCHEDOP_poll gave %ld", rc);
    }
    check(evtchn_is_pending(port), "the timer port never became pending");
    check(now_ns() >= before + 5000000, "woke %llu ns early",
          (unsigned long long)(before + 5000000 - now_ns()));
    evtchn_clear(port);
}

static void test_loopback_and_mask(void)
{
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF,
                                      .remote_dom = DOMID_SELF };
    struct evtchn_bind_interdomain b = { .remote_dom = DOMID_SELF };
    struct evtchn_status st;
    struct evtchn_send send;
    struct evtchn_unmask um;
    long rc;

    rc = evtchn_op(EVTCHNOP_alloc_unbound, &a);
    check(rc == 0, "alloc_unbound gave %ld", rc);
    st = (struct evtchn_status){ .dom = DOMID_SELF, .port = a.port };
    rc = evtchn_op(EVTCHNOP_status, &st);
    check(rc == 0 && st.status == EVTCHNSTAT_unbound, "status %ld/%u", rc,
          st.status);

    b.remote_port = a.port;
    rc = evtchn_op(EVTCHNOP_bind_interdomain, &b);
    check(rc == 0, "bind_interdomain to itself gave %ld", rc);
    st = (struct evtchn_status){ .dom = DOMID_SELF, .port = b.local_port };
    rc = evtchn_op(EVTCHNOP_status, &st);
    check(rc == 0 && st.status == EVTCHNSTAT_interdomain, "status %ld/%u",
          rc, st.status);

    /* A send on one end makes the other end pending (the selector and
     * upcall flag cleared first, as a guest's handler does). */
    shinfo->vcpu_info[0].evtchn_pending_sel = 0;
    shinfo->vcpu_info[0].evtchn_upcall_pending = 0;
    send.port = b.local_port;
    rc = evtchn_op(EVTCHNOP_send, &send);
    check(rc == 0, "send gave %ld", rc);
    check(evtchn_is_pending(a.port), "the other end is not pending");
    check(shinfo->vcpu_info[0].evtchn_upcall_pending,
          "upcall_pending not set");
    evtchn_clear(a.port);

    /* Masked: pending, but no upcall until unmask. */
    __atomic_fetch_or(&shinfo->evtchn_mask[a.port / 64],
                      1ULL << (a.port % 64), __ATOMIC_SEQ_CST);
    shinfo->vcpu_info[0].evtchn_upcall_pending = 0;
    shinfo->vcpu_info[0].evtchn_pending_sel = 0;
    rc = evtchn_op(EVTCHNOP_send, &send);
    check(rc == 0 && evtchn_is_pending(a.port), "masked send not pending");
    check(!shinfo->vcpu_info[0].evtchn_upcall_pending,
          "a masked port raised the upcall flag");
    um.port = a.port;
    rc = evtchn_op(EVTCHNOP_unmask, &um);
    check(rc == 0, "unmask gave %ld", rc);
    check(shinfo->vcpu_info[0].evtchn_upcall_pending,
          "unmask of a pending port did not raise the upcall flag");
    evtchn_clear(a.port);

    /* Close one end: the other goes back to unbound. */
    rc = evtchn_op(EVTCHNOP_close, &(struct evtchn_close){ b.local_port });
    check(rc == 0, "close gave %ld", rc);
    st = (struct evtchn_status){ .dom = DOMID_SELF, .port = a.port };
    rc = evtchn_op(EVTCHNOP_status, &st);
    check(rc == 0 && st.status == EVTCHNSTAT_unbound,
          "after close the peer is %u", st.status);
}

static void test_bad_arguments(void)
{
    struct evtchn_bind_virq bind = { .virq = VIRQ_TIMER, .vcpu = 7 };
    long rc;

    rc = evtchn_op(EVTCHNOP_send, &(struct evtchn_send){ 100000 });
    check(rc == -EINVAL, "send to port 100000 gave %ld", rc);
    rc = evtchn_op(EVTCHNOP_close, &(struct evtchn_close){ 4095 });
    check(rc == -EINVAL || rc == 0, "close of a free port gave %ld", rc);
    rc = evtchn_op(EVTCHNOP_bind_virq, &bind);
    check(rc == -ENOENT, "bind_virq on vCPU 7 of 1 gave %ld", rc);
    bind = (struct evtchn_bind_virq){ .virq = 99, .vcpu = 0 };
    rc = evtchn_op(EVTCHNOP_bind_virq, &bind);
    check(rc == -EINVAL, "bind_virq(99) gave %ld", rc);
    rc = evtchn_op(0x7fff, &bind);
    check(rc == -38, "unknown EVTCHNOP gave %ld", rc);
    rc = evtchn_op(EVTCHNOP_send, (void *)0x7fff00000000ULL);
    check(rc == -14, "send with a bad pointer gave %ld", rc);
}

void test_main(const struct hvm_start_info *si)
{
    (void)si;
    shinfo = shared_info();
    test_virq_timer();
    test_loopback_and_mask();
    test_bad_arguments();
}
