/* SPDX-License-Identifier: MIT */
/*
 * Pause, unpause and shutdown: the counts that decide whether a vCPU may
 * run. The scheduler asks vcpu_runnable(); nothing here runs or stops a
 * vCPU itself.
 */
#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/vcpu_sched.h>

#include <public/sched.h>

#include "domain_private.h"

/* Every pause below is also one pause of the vCPUs' units: the unit's
 * count is the one the scheduler obeys (orrery/vcpu_sched.h). */
static void pause_units(struct domain *d)
{
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        vcpu_sched_pause(d->vcpu[i]);
}

void domain_pause(struct domain *d)
{
    spin_lock(&d->lock);
    d->pause_count++;
    spin_unlock(&d->lock);
    pause_units(d);
}

int domain_unpause(struct domain *d)
{
    int rc = 0;

    spin_lock(&d->lock);
    if ( d->pause_count == 0 )
        rc = -EINVAL;           /* unbalanced: change nothing */
    else
        d->pause_count--;
    spin_unlock(&d->lock);
    if ( !rc )
        for ( unsigned int i = 0; i < d->max_vcpus; i++ )
            vcpu_sched_unpause(d->vcpu[i]);
    return rc;
}

void vcpu_pause(struct vcpu *v)
{
    spin_lock(&v->domain->lock);
    v->pause_count++;
    spin_unlock(&v->domain->lock);
    vcpu_sched_pause(v);
}

int vcpu_unpause(struct vcpu *v)
{
    int rc = 0;

    spin_lock(&v->domain->lock);
    if ( v->pause_count == 0 )
        rc = -EINVAL;
    else
        v->pause_count--;
    spin_unlock(&v->domain->lock);
    if ( !rc )
        vcpu_sched_unpause(v);
    return rc;
}

int domain_shutdown(struct domain *d, unsigned int reason)
{
    bool first = false;

    if ( reason > SHUTDOWN_MAX )
        return -EINVAL;
    spin_lock(&d->lock);
    /* The first reason is the one the toolstack acts on (Xen keeps it). */
    if ( !d->is_shut_down )
    {
        d->is_shut_down = true;
        d->shutdown_reason = reason;
        first = true;
    }
    spin_unlock(&d->lock);
    if ( first )
    {
        static const char *const names[SHUTDOWN_MAX + 1] = {
            "poweroff", "reboot", "suspend", "crash", "watchdog",
            "soft_reset",
        };

        printk(LOG_INFO "%s: shut down (%s)\n", d->name, names[reason]);
        /* Xen pauses every vCPU for the shutdown, once. */
        pause_units(d);
        domain_hooks_exception(d);
    }
    return 0;
}

bool vcpu_runnable(const struct vcpu *v)
{
    const struct domain *d = v->domain;
    const struct sched_unit *u = vcpu_sched_unit(v);

    if ( u )
        return sched_unit_runnable(u);
    return v->is_up && !v->pause_count && !d->pause_count &&
           !d->is_shut_down && !d->is_dying;
}
