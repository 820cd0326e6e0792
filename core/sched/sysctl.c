/* SPDX-License-Identifier: MIT */
/*
 * do_sysctl: host-wide control for the control domain
 * (include/public/sysctl.h): physical information, the console ring,
 * the schedulers' pool parameters and the cpupools. Checks in Xen's order: copy in, interface version (-EACCES),
 * XSM (-EPERM), the command (-ENOSYS for one not implemented).
 */
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/hypercall.h>
#include <orrery/xsm.h>

#include <public/sysctl.h>

#include "sched_private.h"
#include "sysctl_private.h"

const struct sched_ops *sysctl_sched_ops(uint32_t sched_id)
{
    for ( unsigned int i = 0; sched_registry[i]; i++ )
        if ( sched_registry[i]->sched_id == sched_id )
            return sched_registry[i];
    return NULL;
}

int64_t do_sysctl(struct vcpu *v, struct hypercall_regs *r)
{
    uint64_t arg = r->args[0];
    struct orr_sysctl op;
    bool out = false;
    int rc;

    if ( copy_from_guest(v, &op, arg, sizeof(op)) )
        return -EFAULT;
    if ( op.interface_version != ORRERY_SYSCTL_INTERFACE_VERSION )
        return -EACCES;
    rc = xsm()->sysctl(v->domain, op.cmd);
    if ( rc )
        return rc;

    switch ( op.cmd )
    {
    case ORR_SYSCTL_physinfo:
        rc = sysctl_physinfo(&op.u.physinfo);
        out = true;
        break;
    case ORR_SYSCTL_readconsole:
        rc = sysctl_readconsole(v, &op.u.readconsole);
        out = true;
        break;
    case ORR_SYSCTL_scheduler_op:
        rc = sysctl_scheduler_op(v, &op.u.scheduler_op, &out);
        break;
    case ORR_SYSCTL_cpupool_op:
        rc = sysctl_cpupool_op(&op.u.cpupool_op, &out);
        break;
    default:
        return -ENOSYS;
    }
    if ( !rc && out && copy_to_guest(v, arg, &op, sizeof(op)) )
        rc = -EFAULT;
    return rc;
}
