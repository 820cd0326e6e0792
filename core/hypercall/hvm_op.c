/* SPDX-License-Identifier: MIT */
/*
 * hvm_op(cmd, arg): HVMOP_set_param / get_param and
 * HVMOP_set_evtchn_upcall_vector (xen-abi-facts §1.1, §1.6).
 *
 * Parameters are per domain, 0 until set. Who may touch which is Xen's
 * rule (hvm_allow_set_param / hvm_allow_get_param): a guest may read its
 * callback, xenstore and console parameters and write the few it owns
 * (callback, the event channels, ...); everything else is the
 * toolstack's, i.e. a control domain acting on another domain. Acting on
 * a foreign domain needs privilege (the dummy policy, Xen's XSM_TARGET).
 */
#include <orrery/errno.h>
#include <orrery/hypercall.h>

#include <public/hvm/params.h>

#include "vcpu_hc.h"

/* The guest-settable ones, and those nobody may set any more. */
static int allow_set(const struct domain *caller, const struct domain *d,
                     uint32_t index, uint64_t old, uint64_t value)
{
    switch ( index )
    {
    case HVM_PARAM_CALLBACK_IRQ:
    case HVM_PARAM_VM86_TSS:
    case HVM_PARAM_VM86_TSS_SIZED:
    case HVM_PARAM_ACPI_IOPORTS_LOCATION:
    case HVM_PARAM_VM_GENERATION_ID_ADDR:
    case HVM_PARAM_STORE_EVTCHN:
    case HVM_PARAM_CONSOLE_EVTCHN:
    case HVM_PARAM_X87_FIP_WIDTH:
        return 0;

    case HVM_PARAM_PAE_ENABLED:
    case HVM_PARAM_DM_DOMAIN:
    case 20: case 21: case 22: case 23: case 25: case 30:
        return -EPERM;      /* deprecated: refused to everyone */

    /* Set once: a change of a value already set is -EEXIST. */
    case HVM_PARAM_VIRIDIAN:
    case HVM_PARAM_IOREQ_SERVER_PFN:
    case HVM_PARAM_NR_IOREQ_SERVER_PAGES:
    case HVM_PARAM_ALTP2M:
    case HVM_PARAM_MCA_CAP:
        if ( d == caller )
            return -EPERM;
        return old != 0 && value != old ? -EEXIST : 0;

    default:
        return d == caller ? -EPERM : 0;
    }
}

static int allow_get(const struct domain *caller, const struct domain *d,
                     uint32_t index)
{
    switch ( index )
    {
    case HVM_PARAM_CALLBACK_IRQ:
    case HVM_PARAM_STORE_PFN:
    case HVM_PARAM_STORE_EVTCHN:
    case HVM_PARAM_CONSOLE_PFN:
    case HVM_PARAM_CONSOLE_EVTCHN:
    case HVM_PARAM_ALTP2M:
    case HVM_PARAM_X87_FIP_WIDTH:
        return 0;
    default:
        return d == caller ? -EPERM : 0;
    }
}

/* Read the argument, find the domain and check who asks. */
static int param_begin(struct vcpu *v, uint64_t arg, struct xen_hvm_param *a,
                       struct domain **d)
{
    int rc;

    *d = NULL;
    if ( copy_from_guest(v, a, arg, sizeof(*a)) )
        return -EFAULT;
    if ( a->index >= HVM_NR_PARAMS )
        return -EINVAL;
    rc = domain_lookup(v->domain, a->domid, d);
    if ( rc )
        return rc;
    if ( *d != v->domain && !v->domain->is_privileged )
        rc = -EPERM;
    else if ( !dhc(*d) )
        rc = -EINVAL;
    if ( rc )
    {
        domain_put(*d);
        *d = NULL;
    }
    return rc;
}

static int64_t op_set_param(struct vcpu *v, uint64_t arg)
{
    struct xen_hvm_param a;
    struct domain *d;
    int rc = param_begin(v, arg, &a, &d);

    if ( rc )
        return rc;
    spin_lock(&d->lock);
    rc = allow_set(v->domain, d, a.index, dhc(d)->params[a.index], a.value);
    if ( !rc )
        dhc(d)->params[a.index] = a.value;
    spin_unlock(&d->lock);
    domain_put(d);
    return rc;
}

static int64_t op_get_param(struct vcpu *v, uint64_t arg)
{
    struct xen_hvm_param a;
    struct domain *d;
    int rc = param_begin(v, arg, &a, &d);

    if ( rc )
        return rc;
    rc = allow_get(v->domain, d, a.index);
    if ( !rc )
    {
        a.value = dhc(d)->params[a.index];
        rc = copy_to_guest(v, arg, &a, sizeof(a)) ? -EFAULT : 0;
    }
    domain_put(d);
    return rc;
}

/* Per-vCPU vector for the upcall through the vLAPIC (§1.5); stored for
 * the arch's injection (issue 7). Vectors below 0x10 are exceptions. */
static int64_t op_upcall_vector(struct vcpu *v, uint64_t arg)
{
    struct xen_hvm_evtchn_upcall_vector uv;
    struct domain *d = v->domain;

    if ( d->guest_type == ORR_GUEST_ARM )
        return -ENOSYS;     /* x86 only */
    if ( copy_from_guest(v, &uv, arg, sizeof(uv)) )
        return -EFAULT;
    if ( uv.vector < HVM_UPCALL_VECTOR_MIN )
        return -EINVAL;
    if ( uv.vcpu >= d->max_vcpus || !vhc(d->vcpu[uv.vcpu]) )
        return -ENOENT;
    vhc(d->vcpu[uv.vcpu])->upcall_vector = uv.vector;
    return 0;
}

int64_t do_hvm_op(struct vcpu *v, struct hypercall_regs *r)
{
    switch ( r->args[0] )
    {
    case HVMOP_set_param:
        return op_set_param(v, r->args[1]);
    case HVMOP_get_param:
        return op_get_param(v, r->args[1]);
    case HVMOP_set_evtchn_upcall_vector:
        return op_upcall_vector(v, r->args[1]);
    default:
        return -ENOSYS;
    }
}
