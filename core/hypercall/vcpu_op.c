/* SPDX-License-Identifier: MIT */
/*
 * vcpu_op(cmd, vcpuid, arg) (xen-abi-facts §1.1): bring the domain's own
 * vCPUs up and down, place their vcpu_info and runstate areas, drive
 * their timers. Errors as Xen's: -ENOENT for a vCPU id the domain does
 * not have, -EFAULT for an argument that cannot be read or written,
 * -EINVAL for bad values, -ENOSYS for other subops.
 */
#include <orrery/errno.h>
#include <orrery/hypercall.h>
#include <orrery/lib.h>
#include <orrery/platform.h>
#include <orrery/spinlock.h>
#include <orrery/vcpu_context.h>
#include <orrery/vcpu_sched.h>

#include <public/hvm/hvm_vcpu.h>
#include <public/sched.h>
#include <public/vcpu.h>

#include "vcpu_hc.h"

/* Any other vCPU of the domain still up? */
static bool others_up(const struct domain *d, unsigned int except)
{
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( i != except && d->vcpu[i]->is_up )
            return true;
    return false;
}

/*
 * VCPUOP_initialise with Xen's order of errors: -EINVAL for a vCPU with
 * no vcpu_info, -EFAULT for an unreadable argument, -EEXIST once
 * initialised, then the context's own checks (vcpu_context.c). The
 * domain's lock makes check-and-set one step against a racing
 * initialise or up from another vCPU.
 */
static int64_t op_initialise(struct vcpu *v, struct vcpu *target,
                             uint64_t arg)
{
    struct domain *d = target->domain;
    struct vcpu_hvm_context ctx;
    struct hvm_vcpu_state s;
    int rc;

    if ( !target->vcpu_info )
        return -EINVAL;
    if ( copy_from_guest(v, &ctx, arg, sizeof(ctx)) )
        return -EFAULT;
    spin_lock(&d->lock);
    if ( vhc(target)->initialised )
        rc = -EEXIST;
    else if ( !(rc = hvm_vcpu_context_check(&ctx, &s)) &&
              !(rc = arch_vcpu_initialise(target, &s)) )
        vhc(target)->initialised = true;
    spin_unlock(&d->lock);
    /* A new life does not start halted: a vCPU taken down by an INIT
     * while in HLT would otherwise come up still blocked (Xen's
     * vcpu_reset clears the blocked flag too). */
    if ( !rc )
        vcpu_unblock(target);
    return rc;
}

/* VCPUOP_up: only a vCPU with a start state (Xen: -EINVAL). */
static int64_t op_up(struct vcpu *target)
{
    struct domain *d = target->domain;
    bool ok;

    spin_lock(&d->lock);
    ok = vhc(target)->initialised;
    spin_unlock(&d->lock);
    if ( !ok )
        return -EINVAL;
    vcpu_up(target);
    return 0;
}

static int64_t op_down(struct vcpu *target)
{
    struct domain *d = target->domain;

    /* The last vCPU going down powers the domain off (Xen does). */
    if ( !others_up(d, target->vcpu_id) )
        return vcpu_domain_shutdown(d, SHUTDOWN_poweroff);
    vcpu_down(target);
    return 0;
}

/* INIT and STARTUP IPIs (vcpu_context.h): the vLAPIC's way to do what
 * VCPUOP_down and VCPUOP_initialise + up do, under the same lock. */
bool vcpu_init_ipi(struct vcpu *v)
{
    struct domain *d = v->domain;
    bool was;

    if ( !vhc(v) )
        return false;
    spin_lock(&d->lock);
    was = vhc(v)->initialised;
    vhc(v)->initialised = false;
    spin_unlock(&d->lock);
    if ( was )
        op_down(v);
    return was;
}

bool vcpu_startup_ipi(struct vcpu *v, uint8_t vector)
{
    struct domain *d = v->domain;
    struct hvm_vcpu_state s;
    bool started = false;

    if ( !vhc(v) )
        return false;
    hvm_vcpu_state_sipi(&s, vector);
    spin_lock(&d->lock);
    if ( !vhc(v)->initialised && !arch_vcpu_initialise(v, &s) )
        started = vhc(v)->initialised = true;
    spin_unlock(&d->lock);
    if ( started )
    {
        vcpu_unblock(v);            /* as in op_initialise */
        vcpu_up(v);
    }
    return started;
}

static int64_t op_singleshot(struct vcpu *v, struct vcpu *target,
                             uint64_t arg)
{
    struct vcpu_set_singleshot_timer set;

    /* Only a vCPU's own timer (Xen: v != current is -EINVAL). */
    if ( target != v )
        return -EINVAL;
    if ( copy_from_guest(v, &set, arg, sizeof(set)) )
        return -EFAULT;
    if ( (set.flags & VCPU_SSHOTTMR_future) &&
         (s_time_t)set.timeout_abs_ns < NOW() )
        return -ETIME;
    vcpu_singleshot_set(vhc(target), (s_time_t)set.timeout_abs_ns);
    return 0;
}

static int64_t op_periodic(struct vcpu *v, struct vcpu *target, uint64_t arg)
{
    struct vcpu_set_periodic_timer set;

    if ( copy_from_guest(v, &set, arg, sizeof(set)) )
        return -EFAULT;
    if ( set.period_ns < VCPU_PERIODIC_MIN_NS ||
         set.period_ns > (uint64_t)VCPU_PERIODIC_MAX_NS )
        return -EINVAL;
    vcpu_periodic_set(vhc(target), (s_time_t)set.period_ns);
    return 0;
}

int64_t do_vcpu_op(struct vcpu *v, struct hypercall_regs *r)
{
    struct domain *d = v->domain;
    uint64_t cmd = r->args[0], id = r->args[1], arg = r->args[2];
    struct vcpu *target;

    if ( id >= d->max_vcpus || !vhc(d->vcpu[id]) )
        return -ENOENT;
    target = d->vcpu[id];

    switch ( cmd )
    {
    case VCPUOP_initialise:
        return op_initialise(v, target, arg);

    case VCPUOP_up:
        return op_up(target);

    case VCPUOP_down:
        return op_down(target);

    case VCPUOP_is_up:
        return target->is_up;

    case VCPUOP_get_runstate_info:
    {
        struct vcpu_runstate_info ri;

        vcpu_runstate_get(target, &ri, true);
        return copy_to_guest(v, arg, &ri, sizeof(ri)) ? -EFAULT : 0;
    }

    case VCPUOP_register_runstate_memory_area:
    {
        struct vcpu_register_runstate_memory_area area;

        if ( copy_from_guest(v, &area, arg, sizeof(area)) )
            return -EFAULT;
        return vcpu_register_runstate(target, area.addr);
    }

    case VCPUOP_set_periodic_timer:
        return op_periodic(v, target, arg);

    case VCPUOP_stop_periodic_timer:
        vcpu_periodic_set(vhc(target), 0);
        return 0;

    case VCPUOP_set_singleshot_timer:
        return op_singleshot(v, target, arg);

    case VCPUOP_stop_singleshot_timer:
        if ( target != v )
            return -EINVAL;
        vcpu_singleshot_stop(vhc(target));
        return 0;

    case VCPUOP_register_vcpu_info:
    {
        struct vcpu_register_vcpu_info info;

        if ( copy_from_guest(v, &info, arg, sizeof(info)) )
            return -EFAULT;
        /* Its own, or another vCPU's while that one is down (Xen's rule:
         * a running vCPU's events must not move under it). */
        if ( target != v && target->is_up )
            return -EINVAL;
        /* rsvd is not checked: Linux leaves it uninitialised. */
        return vcpu_register_vcpu_info(target, info.mfn, info.offset);
    }

    /* register_vcpu_time_memory_area is optional for guests (Linux
     * copes with its failure). */
    default:
        return -ENOSYS;
    }
}
