/* SPDX-License-Identifier: MIT */
/*
 * SCHEDOP_watchdog (xen-abi-facts §1.1): a domain has two watchdog
 * timers. {id 0, timeout} takes a free one, armed timeout seconds
 * ahead, and answers its id (1 or 2; -ENOSPC when both are taken);
 * {id, timeout} re-arms a taken one, {id, 0} frees it; an id past 2 or
 * one not taken is -EINVAL. A timer that fires shuts its domain down
 * with SHUTDOWN_watchdog (the domain's shutdown code, if set, as every
 * shutdown) unless it is already shut down or dying -- Xen's domain
 * watchdog.
 *
 * A timer runs on the CPU of the vCPU that armed it last, as the vCPU
 * timers do.
 */
#include <orrery/console.h>
#include <orrery/errno.h>
#include <orrery/hypercall.h>

#include <public/sched.h>

#include "vcpu_hc.h"

static void watchdog_fn(void *data)
{
    struct sched_watchdog_timer *w = data;
    struct domain *d = w->d;

    if ( d->is_shut_down || d->is_dying )
        return;
    printk(LOG_INFO "%s: watchdog %u fired\n", d->name, w->id);
    vcpu_domain_shutdown(d, SHUTDOWN_watchdog);
}

void sched_watchdog_init(struct domain *d, struct domain_hc *dh)
{
    for ( unsigned int i = 0; i < NR_SCHED_WATCHDOGS; i++ )
    {
        struct sched_watchdog_timer *w = &dh->watchdog[i];

        w->d = d;
        w->id = i + 1;
        init_timer(&w->timer, watchdog_fn, w, 0);
    }
}

void sched_watchdog_kill(struct domain_hc *dh)
{
    for ( unsigned int i = 0; i < NR_SCHED_WATCHDOGS; i++ )
        kill_timer(&dh->watchdog[i].timer);
    dh->watchdog_inuse = 0;
}

/* Arm @w @timeout seconds from now, on this CPU. */
static void arm(struct sched_watchdog_timer *w, uint32_t timeout)
{
    stop_timer(&w->timer);
    if ( w->timer.cpu != arch_cpu_id() )
        init_timer(&w->timer, watchdog_fn, w, arch_cpu_id());
    set_timer(&w->timer, NOW() + SECONDS(timeout));
}

int64_t sched_watchdog_op(struct vcpu *v, uint64_t arg)
{
    struct domain *d = v->domain;
    struct domain_hc *dh = dhc(d);
    struct sched_watchdog s;
    unsigned int i;
    int64_t rc = 0;

    if ( copy_from_guest(v, &s, arg, sizeof(s)) )
        return -EFAULT;
    if ( s.id > NR_SCHED_WATCHDOGS )
        return -EINVAL;

    spin_lock(&d->lock);
    if ( s.id == 0 )
    {
        for ( i = 0; i < NR_SCHED_WATCHDOGS; i++ )
            if ( !(dh->watchdog_inuse & (1u << i)) )
                break;
        if ( i == NR_SCHED_WATCHDOGS )
            rc = -ENOSPC;
        else
        {
            dh->watchdog_inuse |= 1u << i;
            arm(&dh->watchdog[i], s.timeout);
            rc = i + 1;
        }
    }
    else if ( !(dh->watchdog_inuse & (1u << (s.id - 1))) )
        rc = -EINVAL;
    else if ( s.timeout == 0 )
    {
        stop_timer(&dh->watchdog[s.id - 1].timer);
        dh->watchdog_inuse &= ~(1u << (s.id - 1));
    }
    else
        arm(&dh->watchdog[s.id - 1], s.timeout);
    spin_unlock(&d->lock);
    return rc;
}
