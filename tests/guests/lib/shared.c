/* SPDX-License-Identifier: MIT */
/*
 * shared_info and the clock. shared_info is mapped on first use with
 * XENMEM_add_to_physmap at SHARED_INFO_GPFN (15 MiB: test kernels run
 * with at least 16 MiB and use far less). The clock is Xen's pvclock:
 * system_time at tsc_timestamp plus the scaled TSC delta, read again if
 * the version was odd or moved (reference §1.5).
 */
#include <public/memory.h>
#include <public/xen.h>

#include "guest.h"

#define SHARED_INFO_GPFN 0xf00

static volatile struct shared_info *si;

volatile struct shared_info *shared_info(void)
{
    struct xen_add_to_physmap xatp = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_shared_info, .idx = 0,
        .gpfn = SHARED_INFO_GPFN,
    };
    long rc;

    if ( si )
        return si;
    rc = hypercall2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &xatp);
    if ( rc )
        panic("add_to_physmap(shared_info) gave %ld", rc);
    si = (void *)((uintptr_t)SHARED_INFO_GPFN << 12);
    return si;
}

uint64_t now_ns(void)
{
    volatile struct vcpu_time_info *t = &shared_info()->vcpu_info[0].time;
    uint32_t ver;
    uint64_t ns;

    do {
        ver = __atomic_load_n(&t->version, __ATOMIC_ACQUIRE);
        uint64_t delta = rdtsc() - t->tsc_timestamp;

        if ( t->tsc_shift >= 0 )
            delta <<= t->tsc_shift;
        else
            delta >>= -t->tsc_shift;
        ns = t->system_time +
             (uint64_t)(((unsigned __int128)delta * t->tsc_to_system_mul) >> 32);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ( (ver & 1) || ver != t->version );
    return ns;
}

/* Busy-wait @ns of Xen system time, interrupts as they are (no HLT: for
 * when nothing may be there to wake the vCPU). */
void spin_ns(uint64_t ns)
{
    uint64_t end = now_ns() + ns;

    while ( now_ns() < end )
        asm volatile ( "pause" ::: "memory" );
}
