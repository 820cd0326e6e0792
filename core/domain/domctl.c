/* SPDX-License-Identifier: MIT */
/*
 * do_domctl: the control domain's interface for building and managing
 * domains (include/public/domctl.h). Order of checks, as Xen's domctl:
 * copy the request in, the interface version (-EACCES on a mismatch),
 * the target domain (-ESRCH), then XSM (-EPERM), then the command. The
 * whole struct is copied back for commands that return data, so a
 * toolstack reads its OUT fields where it wrote the IN ones.
 */
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/hypercall.h>
#include <orrery/lib.h>
#include <orrery/xsm.h>

#include <public/domctl.h>
#include <public/xen.h>

#include "domctl_private.h"

static int createdomain(struct vcpu *v, struct orr_domctl *op)
{
    const struct orr_domctl_createdomain *c = &op->u.createdomain;
    struct domain_create_config cfg = {
        .flags = c->flags, .guest_type = c->guest_type,
        .max_vcpus = c->max_vcpus, .max_pages = c->max_pages,
        .max_evtchn_port = c->max_evtchn_port,
    };
    struct domain *d;
    int rc;

    (void)v;
    /* p2m_ops stays NULL: the software p2m. There is no platform hook
     * yet for the hardware format (NPT, stage-2) that arch/ passes for
     * the domains it builds itself, so a domain made here can be managed
     * but not yet run on hardware. */
    /* Xen picks a free id for 0 or a reserved one; any other is asked. */
    cfg.domid = op->domain && op->domain < DOMID_FIRST_RESERVED
                ? op->domain : DOMID_INVALID;
    rc = domain_create(&cfg, &d);
    if ( rc )
        return rc;
    op->domain = d->domain_id;
    return 0;
}

static void getdomaininfo(struct domain *d, struct orr_domctl *op)
{
    struct orr_domctl_getdomaininfo *i = &op->u.getdomaininfo;

    memset(i, 0, sizeof(*i));
    i->domid = d->domain_id;
    i->flags = (d->is_dying ? ORR_DOMINF_dying : 0) |
               (d->is_shut_down ? ORR_DOMINF_shutdown : 0) |
               (d->pause_count ? ORR_DOMINF_paused : 0) |
               (d->is_privileged ? ORR_DOMINF_privileged : 0);
    i->shutdown_reason = d->is_shut_down ? d->shutdown_reason : 0;
    i->nr_vcpus = d->max_vcpus;
    i->tot_pages = ledger_read(d, LEDGER_GUEST_PAGES);
    i->max_pages = d->max_pages;
}

/* A command on an existing domain @d; @out set when @op goes back. */
static int on_domain(struct vcpu *v, struct domain *d, struct orr_domctl *op,
                     bool *out)
{
    struct domain *caller = v->domain;

    switch ( op->cmd )
    {
    case ORR_DOMCTL_destroydomain:
        /* Xen refuses a domain destroying or pausing itself (-EINVAL):
         * the calling vCPU could not return. */
        if ( d == caller )
            return -EINVAL;
        return domain_destroy(d);
    case ORR_DOMCTL_pausedomain:
        if ( d == caller )
            return -EINVAL;
        domain_pause(d);
        return 0;
    case ORR_DOMCTL_unpausedomain:
        return domain_unpause(d);
    case ORR_DOMCTL_getdomaininfo:
        getdomaininfo(d, op);
        *out = true;
        return 0;
    case ORR_DOMCTL_max_mem:
        /* As Xen: a limit below what the domain holds is allowed; it
         * only stops further growth. */
        d->max_pages = op->u.max_mem.max_pages;
        return 0;
    case ORR_DOMCTL_shutdown:
        return domain_shutdown(d, op->u.shutdown.reason);
    case ORR_DOMCTL_scheduler_op:
        return domctl_scheduler_op(v, d, &op->u.scheduler_op, out);
    default:
        return -ENOSYS;
    }
}

int64_t do_domctl(struct vcpu *v, struct hypercall_regs *r)
{
    uint64_t arg = r->args[0];
    struct orr_domctl op;
    struct domain *d = NULL;
    bool out = false;
    int rc;

    if ( copy_from_guest(v, &op, arg, sizeof(op)) )
        return -EFAULT;
    if ( op.interface_version != ORRERY_DOMCTL_INTERFACE_VERSION )
        return -EACCES;

    if ( op.cmd == ORR_DOMCTL_createdomain )
    {
        rc = xsm()->domctl(v->domain, NULL, op.cmd);
        if ( rc )
            return rc;
        rc = createdomain(v, &op);
        if ( rc )
            return rc;
        /* The new id goes back; a fault here leaves the domain, as in
         * Xen, for the toolstack to find and destroy. */
        return copy_to_guest(v, arg, &op, sizeof(op)) ? -EFAULT : 0;
    }

    rc = domain_lookup(v->domain, op.domain, &d);
    if ( rc )
        return rc;
    rc = xsm()->domctl(v->domain, d, op.cmd);
    if ( !rc )
        rc = on_domain(v, d, &op, &out);
    domain_put(d);
    if ( !rc && out && copy_to_guest(v, arg, &op, sizeof(op)) )
        rc = -EFAULT;
    return rc;
}
