/* SPDX-License-Identifier: MIT */
/*
 * SCHEDOP_block and SCHEDOP_poll (xen-abi-facts §1.1). The clock is the
 * pvclock, the event a singleshot timer on VIRQ_TIMER; the guest runs
 * with IF clear and no callback, so events are only seen in
 * shared_info, never taken as interrupts.
 *
 * block: returns once an event is pending -- not before the timer's
 *   deadline, with the timer's port and the upcall flag set; at once if
 *   the upcall flag is already set (Xen checks after blocking).
 * poll: 0 when a listed port is pending, or when the timeout passes
 *   (the port then still clear); at once for a port already pending,
 *   even a masked one; 0 ports with a timeout is a sleep; a port past
 *   the ABI's range or more than 128 ports is -EINVAL, an unreadable
 *   argument or port list -EFAULT, and a bad list blocks nothing.
 */
#include <public/vcpu.h>

#include "schedop.h"

#define BAD_PTR 0x7fff00000000ULL   /* past the guest's 4 GiB map */

static evtchn_port_t timer_port;
static evtchn_port_t loop_a, loop_b; /* a loopback pair: send on b -> a */

static void stop_timer(void)
{
    hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_stop_singleshot_timer, 0, 0);
}

static void setup_ports(void)
{
    if ( timer_port )
        return;
    timer_port = evtchn_bind_timer();
    evtchn_loopback(&loop_a, &loop_b);
}

void test_block(void)
{
    uint64_t t0, t1;
    long rc;

    setup_ports();

    /* Blocks until the timer's event, not before its deadline. */
    events_clear();
    t0 = now_ns();
    timer_at(t0 + MS(5));
    rc = sched_op(SCHEDOP_block, NULL);
    t1 = now_ns();
    check(rc == 0, "SCHEDOP_block gave %ld", rc);
    check(t1 >= t0 + MS(5), "block returned %llu ns before the timer",
          (unsigned long long)(t0 + MS(5) - t1));
    check(evtchn_is_pending(timer_port),
          "block returned, timer port not pending");
    check(shared_info()->vcpu_info[0].evtchn_upcall_pending,
          "block returned without the upcall flag");

    /* An event already pending: at once (a 2 s timer stops a hang). */
    events_clear();
    evtchn_notify(loop_b);
    check(shared_info()->vcpu_info[0].evtchn_upcall_pending,
          "loopback send did not raise the upcall flag");
    t0 = now_ns();
    timer_at(t0 + MS(2000));
    rc = sched_op(SCHEDOP_block, NULL);
    t1 = now_ns();
    stop_timer();
    check(rc == 0, "SCHEDOP_block with an event pending gave %ld", rc);
    check(t1 - t0 < MS(500), "block with an event pending took %llu ms",
          (unsigned long long)((t1 - t0) / MS(1)));
    check(!evtchn_is_pending(timer_port), "the safety timer fired");
    events_clear();
}

static long poll(evtchn_port_t *ports, unsigned int n, uint64_t timeout)
{
    struct sched_poll p = { .nr_ports = n, .timeout = timeout };

    p.ports = (uintptr_t)ports;
    return sched_op(SCHEDOP_poll, &p);
}

/* Poll that must return at once: a 2 s timeout bounds a wrong block. */
static void poll_now(evtchn_port_t *ports, unsigned int n, const char *what)
{
    uint64_t t0 = now_ns(), t1;
    long rc = poll(ports, n, t0 + MS(2000));

    t1 = now_ns();
    check(rc == 0, "poll (%s) gave %ld", what, rc);
    check(t1 - t0 < MS(500), "poll (%s) took %llu ms", what,
          (unsigned long long)((t1 - t0) / MS(1)));
}

static void poll_timeouts(void)
{
    evtchn_port_t three[3];
    uint64_t t0, t1;
    long rc;

    /* Timeout, nothing pending: 0 after the timeout, port still clear. */
    events_clear();
    t0 = now_ns();
    rc = poll(&timer_port, 1, t0 + MS(5));
    t1 = now_ns();
    check(rc == 0, "poll until timeout gave %ld", rc);
    check(t1 >= t0 + MS(5), "poll timed out %llu ns early",
          (unsigned long long)(t0 + MS(5) - t1));
    check(!evtchn_is_pending(timer_port), "timed-out poll: port pending");

    /* No timeout, one port: the timer's event ends it. */
    events_clear();
    t0 = now_ns();
    timer_at(t0 + MS(5));
    rc = poll(&timer_port, 1, 0);
    t1 = now_ns();
    check(rc == 0, "poll without timeout gave %ld", rc);
    check(t1 >= t0 + MS(5), "poll returned %llu ns before the timer",
          (unsigned long long)(t0 + MS(5) - t1));
    check(evtchn_is_pending(timer_port),
          "poll returned, timer port not pending");

    /* Several ports, the timer's among them. */
    events_clear();
    three[0] = loop_a, three[1] = timer_port, three[2] = loop_b;
    t0 = now_ns();
    timer_at(t0 + MS(5));
    rc = poll(three, 3, 0);
    t1 = now_ns();
    check(rc == 0, "poll on three ports gave %ld", rc);
    check(t1 >= t0 + MS(5) && evtchn_is_pending(timer_port),
          "poll on three ports ended early or without the timer");

    /* No ports, a timeout: a sleep. */
    events_clear();
    t0 = now_ns();
    rc = poll(NULL, 0, t0 + MS(5));
    t1 = now_ns();
    check(rc == 0 && t1 >= t0 + MS(5), "poll on no ports gave %ld after "
          "%llu us", rc, (unsigned long long)((t1 - t0) / 1000));

    /* A timeout already past: back at once, with 0. */
    events_clear();
    t0 = now_ns();
    rc = poll(&timer_port, 1, 1);
    t1 = now_ns();
    check(rc == 0 && t1 - t0 < MS(500), "poll with a past timeout gave %ld "
          "after %llu ms", rc, (unsigned long long)((t1 - t0) / MS(1)));
}

static void poll_pending(void)
{
    evtchn_port_t two[2] = { timer_port, loop_a };
    volatile struct shared_info *s = shared_info();

    /* The port already pending, but masked so that the upcall flag
     * stays clear: the port itself must end the poll. */
    events_clear();
    __atomic_fetch_or(&s->evtchn_mask[loop_a / 64], 1ULL << (loop_a % 64),
                      __ATOMIC_SEQ_CST);
    evtchn_notify(loop_b);
    check(evtchn_is_pending(loop_a) &&
          !s->vcpu_info[0].evtchn_upcall_pending,
          "masked loopback send: pending %d upcall %d",
          evtchn_is_pending(loop_a), s->vcpu_info[0].evtchn_upcall_pending);
    poll_now(&loop_a, 1, "one port already pending");
    poll_now(two, 2, "second of two ports already pending");
    __atomic_fetch_and(&s->evtchn_mask[loop_a / 64],
                       ~(1ULL << (loop_a % 64)), __ATOMIC_SEQ_CST);
    events_clear();
}

static void poll_errors(void)
{
    static evtchn_port_t many[129];
    evtchn_port_t bad[2];
    struct sched_poll p = { .nr_ports = 1 };
    uint64_t t0;
    long rc;

    events_clear();
    t0 = now_ns();
    bad[0] = 4096;              /* past the 2-level ABI's 4096 ports */
    rc = poll(bad, 1, t0 + MS(2000));
    check(rc == -EINVAL, "poll on port 4096 gave %ld", rc);
    bad[0] = 1u << 20;
    rc = poll(bad, 1, t0 + MS(2000));
    check(rc == -EINVAL, "poll on port 2^20 gave %ld", rc);
    bad[0] = timer_port, bad[1] = 0xffffffffu;
    rc = poll(bad, 2, t0 + MS(2000));
    check(rc == -EINVAL, "poll on a good and a bad port gave %ld", rc);
    check(now_ns() - t0 < MS(500), "a refused poll blocked");

    for ( unsigned int i = 0; i < 129; i++ )
        many[i] = timer_port;
    rc = poll(many, 129, t0 + MS(2000));
    check(rc == -EINVAL, "poll on 129 ports gave %ld", rc);
    /* 128 is the limit (SCHED_POLL_MAX_PORTS): allowed. */
    rc = poll(many, 128, now_ns() + MS(1));
    check(rc == 0, "poll on 128 ports gave %ld", rc);

    rc = sched_op(SCHEDOP_poll, (void *)BAD_PTR);
    check(rc == -EFAULT, "poll with a bad argument pointer gave %ld", rc);
    p.ports = BAD_PTR;
    rc = sched_op(SCHEDOP_poll, &p);
    check(rc == -EFAULT, "poll with a bad port list gave %ld", rc);
    /* The list on the local APIC's page: mapped by the guest, but
     * emulated MMIO, not memory a hypercall may read. */
    p.ports = 0xfee00000ULL;
    rc = sched_op(SCHEDOP_poll, &p);
    check(rc == -EFAULT, "poll with a port list on the APIC gave %ld", rc);
    check(now_ns() - t0 < MS(1000), "the refused polls blocked");
}

void test_poll(void)
{
    setup_ports();
    poll_timeouts();
    poll_pending();
    poll_errors();
}
