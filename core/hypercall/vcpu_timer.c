/* SPDX-License-Identifier: MIT */
/*
 * The guest's timers: one singleshot and one periodic per vCPU, each
 * raising VIRQ_TIMER on that vCPU when it fires (xen-abi-facts §1.1), and
 * set_timer_op, the singleshot's older entry point.
 *
 * A timer lives on the CPU of the vCPU that armed it (Xen migrates the
 * vCPU's timers to its processor). The periodic timer runs only while the
 * vCPU does, as Xen's: it is stopped when the vCPU is switched out, and at
 * the switch back in a period that passed meanwhile gives one VIRQ_TIMER
 * at once (not one per missed period), the next a period later.
 */
#include <orrery/errno.h>
#include <orrery/event.h>
#include <orrery/hypercall.h>
#include <orrery/vcpu_sched.h>

#include <public/xen.h>

#include "vcpu_hc.h"

static void singleshot_fn(void *data)
{
    struct vcpu_hc *h = data;

    send_guest_vcpu_virq(h->v, VIRQ_TIMER);
}

static void to_this_cpu(struct timer *t, void (*fn)(void *), void *data);
static void periodic_fn(void *data);

/* Called with the vCPU on this CPU: tick if a period has passed since
 * the last tick, and arm the timer for the next (Xen's
 * vcpu_periodic_timer_work). */
static void periodic_work(struct vcpu_hc *h)
{
    s_time_t now = NOW(), next;

    if ( !h->period )
        return;
    next = h->periodic_last + h->period;
    if ( now >= next )
    {
        h->periodic_last = now;
        next = now + h->period;
        send_guest_vcpu_virq(h->v, VIRQ_TIMER);
    }
    to_this_cpu(&h->periodic, periodic_fn, h);
    set_timer(&h->periodic, next);
}

static void periodic_fn(void *data)
{
    periodic_work(data);
}

void vcpu_periodic_switch(struct vcpu_hc *h, bool in)
{
    if ( in )
        periodic_work(h);
    else
        stop_timer(&h->periodic);
}

void vcpu_timers_init(struct vcpu_hc *h)
{
    init_timer(&h->singleshot, singleshot_fn, h, 0);
    init_timer(&h->periodic, periodic_fn, h, 0);
}

void vcpu_timers_kill(struct vcpu_hc *h)
{
    kill_timer(&h->singleshot);
    kill_timer(&h->periodic);
    h->period = 0;
}

/* Move @t to the calling CPU (stopped) before arming it there. */
static void to_this_cpu(struct timer *t, void (*fn)(void *), void *data)
{
    stop_timer(t);
    if ( t->cpu != arch_cpu_id() )
        init_timer(t, fn, data, arch_cpu_id());
}

void vcpu_singleshot_set(struct vcpu_hc *h, s_time_t deadline)
{
    to_this_cpu(&h->singleshot, singleshot_fn, h);
    /* A deadline already past fires at the next timer softirq: Xen sends
     * VIRQ_TIMER at once for it. */
    set_timer(&h->singleshot, deadline);
}

void vcpu_singleshot_stop(struct vcpu_hc *h)
{
    stop_timer(&h->singleshot);
}

/* A vCPU changing its own period runs, and sees the change at once;
 * another vCPU's takes effect when that one is next switched in. */
void vcpu_periodic_set(struct vcpu_hc *h, s_time_t period)
{
    const struct sched_unit *u = vcpu_sched_unit(h->v);

    stop_timer(&h->periodic);
    h->period = period;
    if ( period && u && u->running && u->res == arch_cpu_id() )
        periodic_work(h);
}

bool vcpu_singleshot_pending(const struct vcpu *v, s_time_t *deadline)
{
    const struct vcpu_hc *h = vhc(v);

    if ( !h || !timer_is_active(&h->singleshot) )
        return false;
    if ( deadline )
        *deadline = h->singleshot.expires;
    return true;
}

bool vcpu_periodic_pending(const struct vcpu *v, s_time_t *deadline)
{
    const struct vcpu_hc *h = vhc(v);

    if ( !h || !timer_is_active(&h->periodic) )
        return false;
    if ( deadline )
        *deadline = h->periodic.expires;
    return true;
}

/*
 * set_timer_op(timeout): 0 stops the singleshot timer. A deadline more
 * than 2^50 ns (about 13 days) ahead is a guest's wrapped time: Xen
 * fires in 100 ms instead, neither at once (a guest with no timers pending
 * would spin) nor never (one with work would hang).
 */
int64_t do_set_timer_op(struct vcpu *v, struct hypercall_regs *r)
{
    struct vcpu_hc *h = vhc(v);
    s_time_t timeout = (s_time_t)r->args[0], now = NOW();

    if ( !h )
        return -ENOSYS;
    if ( r->args[0] == 0 )
        vcpu_singleshot_stop(h);
    else if ( timeout > now && timeout - now > SET_TIMER_OP_MAX_AHEAD )
        vcpu_singleshot_set(h, now + SET_TIMER_OP_FALLBACK_NS);
    else
        vcpu_singleshot_set(h, timeout);
    return 0;
}
