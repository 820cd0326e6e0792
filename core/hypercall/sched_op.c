/* SPDX-License-Identifier: MIT */
/*
 * sched_op(cmd, arg) (xen-abi-facts §1.1): yield, block, poll, shutdown,
 * shutdown_code, watchdog (watchdog.c) and, for the control domain,
 * remote_shutdown.
 *
 * Block and poll return to the caller at once with the vCPU blocked: the
 * scheduler takes it off its pCPU at the schedule softirq on the way back
 * to the guest, and an event (or the poll timeout) makes it runnable
 * again, as in Xen.
 */
#include <orrery/console.h>
#include <orrery/errno.h>
#include <orrery/event.h>
#include <orrery/hypercall.h>
#include <orrery/vcpu_sched.h>

#include <public/sched.h>

#include "vcpu_hc.h"

int vcpu_domain_shutdown(struct domain *d, unsigned int reason)
{
    struct domain_hc *dh = dhc(d);

    /* The code replaces the reason, as Xen's domain_shutdown() does; the
     * log says so, since the "shut down" line names only the result. */
    if ( dh && dh->shutdown_code != SHUTDOWN_CODE_NONE &&
         (unsigned int)dh->shutdown_code != reason )
    {
        printk(LOG_INFO "%s: shutdown code %d replaces reason %u\n",
               d->name, dh->shutdown_code, reason);
        reason = (unsigned int)dh->shutdown_code;
    }
    return domain_shutdown(d, reason);
}

static int64_t op_shutdown(struct vcpu *v, uint64_t arg)
{
    struct sched_shutdown s;

    if ( copy_from_guest(v, &s, arg, sizeof(s)) )
        return -EFAULT;
    if ( s.reason > SHUTDOWN_MAX )
        return -EINVAL;
    return vcpu_domain_shutdown(v->domain, s.reason);
}

/* The reason a later shutdown will report (suspend, for one); the first
 * code set sticks, as Xen's. */
static int64_t op_shutdown_code(struct vcpu *v, uint64_t arg)
{
    struct domain *d = v->domain;
    struct sched_shutdown s;

    if ( copy_from_guest(v, &s, arg, sizeof(s)) )
        return -EFAULT;
    if ( s.reason > SHUTDOWN_MAX )
        return -EINVAL;
    spin_lock(&d->lock);
    if ( dhc(d)->shutdown_code == SHUTDOWN_CODE_NONE )
        dhc(d)->shutdown_code = (int)s.reason;
    spin_unlock(&d->lock);
    return 0;
}

/* Only a control domain may shut another down (the dummy policy's rule,
 * Xen's XSM_DM_PRIV); the id must be a real one (DOMID_SELF is -ESRCH,
 * as Xen looks it up by id). */
static int64_t op_remote_shutdown(struct vcpu *v, uint64_t arg)
{
    struct sched_remote_shutdown s;
    struct domain *d;
    int rc;

    if ( copy_from_guest(v, &s, arg, sizeof(s)) )
        return -EFAULT;
    if ( s.domain_id >= DOMID_FIRST_RESERVED )
        return -ESRCH;
    d = domain_get(s.domain_id);
    if ( !d )
        return -ESRCH;
    if ( !v->domain->is_privileged )
        rc = -EPERM;
    else if ( s.reason > SHUTDOWN_MAX )
        rc = -EINVAL;
    else
        rc = vcpu_domain_shutdown(d, s.reason);
    domain_put(d);
    return rc;
}

static bool port_pending(const struct domain *d, evtchn_port_t port)
{
    return d->evtchn->ops->is_pending(d, port);
}

static bool upcall_pending(const struct vcpu *v)
{
    return v->vcpu_info &&
           __atomic_load_n(&v->vcpu_info->evtchn_upcall_pending,
                           __ATOMIC_SEQ_CST);
}

/*
 * Wait until one of the ports is pending, any event reaches the vCPU,
 * or the absolute @timeout (0: none) passes. The ports are read and
 * checked first, so a bad list blocks nothing; the vCPU is then marked
 * polling and blocked, and only then are the ports looked at, so that an
 * event sent in between wakes it rather than being missed.
 */
static int64_t op_poll(struct vcpu *v, uint64_t arg)
{
    struct domain *d = v->domain;
    evtchn_port_t ports[SCHED_POLL_MAX_PORTS];
    struct sched_poll p;
    unsigned int i;

    if ( copy_from_guest(v, &p, arg, sizeof(p)) )
        return -EFAULT;
    if ( p.nr_ports > SCHED_POLL_MAX_PORTS )
        return -EINVAL;
    if ( copy_from_guest(v, ports, p.ports, p.nr_ports * sizeof(ports[0])) )
        return -EFAULT;
    if ( !d->evtchn )
        return -ENOSYS;
    for ( i = 0; i < p.nr_ports; i++ )
        if ( ports[i] >= d->evtchn->max_ports )
            return -EINVAL;

    vcpu_poll_start(v, p.nr_ports == 1 ? (int)ports[0] : VCPU_POLL_ANY,
                    (s_time_t)p.timeout);
    if ( upcall_pending(v) )
        goto ready;
    for ( i = 0; i < p.nr_ports; i++ )
        if ( port_pending(d, ports[i]) )
            goto ready;
    return 0;

 ready:
    vcpu_unblock(v);
    return 0;
}

int64_t do_sched_op(struct vcpu *v, struct hypercall_regs *r)
{
    uint64_t cmd = r->args[0], arg = r->args[1];

    if ( !dhc(v->domain) )
        return -ENOSYS;
    switch ( cmd )
    {
    case SCHEDOP_yield:
        vcpu_yield(v);
        return 0;

    case SCHEDOP_block:
        vcpu_block(v);
        return 0;

    case SCHEDOP_shutdown:
        return op_shutdown(v, arg);

    case SCHEDOP_shutdown_code:
        return op_shutdown_code(v, arg);

    case SCHEDOP_poll:
        return op_poll(v, arg);

    case SCHEDOP_remote_shutdown:
        return op_remote_shutdown(v, arg);

    case SCHEDOP_watchdog:
        return sched_watchdog_op(v, arg);

    default:
        return -ENOSYS;
    }
}
