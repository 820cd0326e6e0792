/* SPDX-License-Identifier: MIT */
/*
 * A guest's clock (reference §1.5: vcpu_time_info in each vcpu_info).
 * The guest's TSC is the host's (no offset), and its system time is the
 * hypervisor's: system_time at tsc_timestamp, then
 * ((tsc - tsc_timestamp) << tsc_shift) * tsc_to_system_mul >> 32 more.
 * Written before each entry into the guest, with the version odd while
 * the fields change (the guest retries a read that saw an odd version or
 * a version that moved).
 */
#include <orrery/domain.h>
#include <asm/x86.h>

#include <public/xen.h>

#include "../apic/apic.h"
#include "hvm.h"


void hvm_update_guest_time(struct vcpu *v)
{
    struct vcpu_time_info *t;
    uint64_t tsc;

    if ( !v->vcpu_info )
        return;
    t = &v->vcpu_info->time;
    __atomic_store_n(&t->version, t->version | 1, __ATOMIC_SEQ_CST);
    tsc = rdtsc();
    t->tsc_timestamp = tsc;
    t->system_time = (uint64_t)x86_tsc_to_ns(tsc);
    x86_tsc_scale(&t->tsc_to_system_mul, &t->tsc_shift);
    t->flags = XEN_PVCLOCK_TSC_STABLE_BIT;
    __atomic_store_n(&t->version, t->version + 1, __ATOMIC_SEQ_CST);
}
