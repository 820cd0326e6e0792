/* SPDX-License-Identifier: MIT */
/*
 * One table keyed by hypercall number. Each entry names its handler and
 * the guest types allowed to call it, as Xen's hypercall-defs.c does per
 * guest type (reference §1.1): a call outside a guest type's list is
 * -ENOSYS, the same as an unimplemented number.
 */
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/event.h>
#include <orrery/grant.h>
#include <orrery/hypercall.h>
#include <orrery/mm.h>
#include <orrery/sched.h>
#include <orrery/vcpu_ops.h>

#include <public/xen.h>

#include "hypercall_private.h"

#define ALLOW_PVH (1U << ORR_GUEST_PVH)
#define ALLOW_HVM (1U << ORR_GUEST_HVM)
#define ALLOW_ARM (1U << ORR_GUEST_ARM)
#define ALLOW_ALL (ALLOW_PVH | ALLOW_HVM | ALLOW_ARM)

struct hypercall_entry {
    hypercall_fn *fn;
    const char *name;
    unsigned int allow;         /* ALLOW_* guest types */
};

/*
 * Subsystems add their entry here as they land (grant_table_op,
 * memory_op, sched_op, vcpu_op, hvm_op ... next).
 */
static const struct hypercall_entry table[NR_HYPERCALLS] = {
    [__HYPERVISOR_xen_version] = { do_xen_version, "xen_version",
                                   ALLOW_ALL },
    [__HYPERVISOR_console_io] = { do_console_io, "console_io", ALLOW_ALL },
    [__HYPERVISOR_memory_op] = { do_memory_op, "memory_op", ALLOW_ALL },
    [__HYPERVISOR_event_channel_op] = { do_event_channel_op,
                                        "event_channel_op", ALLOW_ALL },
    [__HYPERVISOR_grant_table_op] = { do_grant_table_op, "grant_table_op",
                                      ALLOW_ALL },
    [__HYPERVISOR_sched_op] = { do_sched_op, "sched_op", ALLOW_ALL },
    [__HYPERVISOR_vcpu_op] = { do_vcpu_op, "vcpu_op", ALLOW_ALL },
    [__HYPERVISOR_set_timer_op] = { do_set_timer_op, "set_timer_op",
                                    ALLOW_ALL },
    [__HYPERVISOR_hvm_op] = { do_hvm_op, "hvm_op", ALLOW_ALL },
    [__HYPERVISOR_sysctl] = { do_sysctl, "sysctl", ALLOW_ALL },
    [__HYPERVISOR_domctl] = { do_domctl, "domctl", ALLOW_ALL },
};

bool hypercall_allowed(unsigned int guest_type, uint64_t nr)
{
    return nr < NR_HYPERCALLS && guest_type < ORR_GUEST_TYPES &&
           table[nr].fn && (table[nr].allow & (1U << guest_type));
}

void hypercall_dispatch(struct vcpu *v, struct hypercall_regs *r)
{
    r->restart = false;
    if ( !hypercall_allowed(v->domain->guest_type, r->nr) )
    {
        r->ret = -ENOSYS;
        return;
    }
    hypercall_budget_reset();
    r->ret = table[r->nr].fn(v, r);
}
