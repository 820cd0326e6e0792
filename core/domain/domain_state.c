/* SPDX-License-Identifier: MIT */
/*
 * Pause, unpause and shutdown: the counts that decide whether a vCPU may
 * run. The scheduler asks vcpu_runnable(); nothing here runs or stops a
 * vCPU itself.
 */
#include <orrery/domain.h>
#include <orrery/errno.h>

#include <public/sched.h>

void domain_pause(struct domain *d)
{
    spin_lock(&d->lock);
    d->pause_count++;
    spin_unlock(&d->lock);
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
    return rc;
}

void vcpu_pause(struct vcpu *v)
{
    spin_lock(&v->domain->lock);
    v->pause_count++;
    spin_unlock(&v->domain->lock);
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
    return rc;
}

int domain_shutdown(struct domain *d, unsigned int reason)
{
    if ( reason > SHUTDOWN_MAX )
        return -EINVAL;
    spin_lock(&d->lock);
    /* The first reason is the one the toolstack acts on (Xen keeps it). */
    if ( !d->is_shut_down )
    {
        d->is_shut_down = true;
        d->shutdown_reason = reason;
    }
    spin_unlock(&d->lock);
    return 0;
}

bool vcpu_runnable(const struct vcpu *v)
{
    const struct domain *d = v->domain;

    return v->is_up && !v->pause_count && !d->pause_count &&
           !d->is_shut_down && !d->is_dying;
}
