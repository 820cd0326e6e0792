/* SPDX-License-Identifier: MIT */
/*
 * Guest memory a vCPU registers with the hypervisor:
 *
 *  - its vcpu_info (VCPUOP_register_vcpu_info): moved out of shared_info
 *    into a guest page, which is then written by event delivery at any
 *    time -- so the page is held with a reference (get_page) for as long
 *    as it is registered, and a guest giving the page back cannot make
 *    the hypervisor write into a freed frame;
 *  - its runstate area (VCPUOP_register_runstate_memory_area): rewritten
 *    at every context switch through copy_to_guest(), so it needs no
 *    reference (a copy that fails is skipped, as Xen skips it).
 */
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/sched.h>
#include <orrery/vcpu_sched.h>

#include <public/vcpu.h>
#include <public/xen.h>

#include "vcpu_hc.h"

/* The atomics of event delivery need natural alignment of the words. */
#define VCPU_INFO_ALIGN 8

int vcpu_register_vcpu_info(struct vcpu *v, uint64_t gfn, uint32_t offset)
{
    struct vcpu_hc *h = vhc(v);
    struct domain *d = v->domain;
    struct vcpu_info *new;
    struct page_info *pg;
    struct p2m_entry e;

    if ( offset > PAGE_SIZE - sizeof(struct vcpu_info) ||
         (offset & (VCPU_INFO_ALIGN - 1)) )
        return -EINVAL;
    /* Once moved it stays (reference §1.1: a second call is -EBUSY). */
    if ( h->vcpu_info_page )
        return -EBUSY;
    if ( gfn > P2M_MAX_GFN )
        return -EINVAL;
    p2m_get_entry(d, _gfn(gfn), &e);
    if ( e.type != p2m_ram_rw || !(e.access & p2m_access_w) ||
         !mfn_valid(e.mfn) )
        return -EINVAL;
    pg = mfn_to_page(e.mfn);
    /* Only a page the domain owns (not a grant or hypervisor frame). */
    if ( !get_page(pg, d) )
        return -EINVAL;

    new = (struct vcpu_info *)((uint8_t *)arch_mfn_to_virt(e.mfn) + offset);
    if ( v->vcpu_info )
        memcpy(new, v->vcpu_info, sizeof(*new));
    else
        memset(new, 0, sizeof(*new));
    h->vcpu_info_page = pg;
    __atomic_store_n(&v->vcpu_info, new, __ATOMIC_SEQ_CST);

    /*
     * An event set in the old copy between the memcpy and the switch
     * would be lost: mark every selector bit pending, as Xen does. The
     * guest scans and finds nothing new at worst.
     */
    __atomic_store_n(&new->evtchn_pending_sel, ~(xen_ulong_t)0,
                     __ATOMIC_SEQ_CST);
    __atomic_store_n(&new->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
    vcpu_unblock(v);
    return 0;
}

/* Teardown: drop the page and point back at shared_info's slot. */
void vcpu_area_release(struct vcpu *v)
{
    struct vcpu_hc *h = vhc(v);
    struct domain *d = v->domain;

    h->runstate_registered = false;
    if ( !h->vcpu_info_page )
        return;
    v->vcpu_info = v->vcpu_id < XEN_LEGACY_MAX_VCPUS ?
                   &d->shared_info->vcpu_info[v->vcpu_id] : NULL;
    put_page(h->vcpu_info_page);
    h->vcpu_info_page = NULL;
}

void vcpu_runstate_get(const struct vcpu *v, struct vcpu_runstate_info *ri,
                       bool up_to_now)
{
    const struct sched_unit *u = vcpu_sched_unit(v);
    s_time_t t[NR_RUNSTATES];

    memset(ri, 0, sizeof(*ri));
    if ( !u )
    {
        ri->state = RUNSTATE_offline;
        return;
    }
    if ( up_to_now )
        sched_unit_runstate(u, NOW(), t);
    else
        for ( unsigned int i = 0; i < NR_RUNSTATES; i++ )
            t[i] = u->runstate.time[i];
    ri->state = (int32_t)u->runstate.state;
    ri->state_entry_time = (uint64_t)u->runstate.entry_time;
    for ( unsigned int i = 0; i < NR_RUNSTATES; i++ )
        ri->time[i] = (uint64_t)t[i];
}

/*
 * The area holds the times up to state_entry_time, as Xen's does: the
 * guest adds (now - state_entry_time) to the current state itself.
 */
int vcpu_runstate_area_update(struct vcpu *v)
{
    struct vcpu_hc *h = vhc(v);
    struct vcpu_runstate_info ri;

    if ( !h || !h->runstate_registered )
        return -ENOENT;
    vcpu_runstate_get(v, &ri, false);
    return copy_to_guest(v, h->runstate_gaddr, &ri, sizeof(ri));
}

/*
 * Address 0 unregisters. An area that cannot be written now is refused
 * (-EFAULT) rather than silently never updated: the guest would read a
 * runstate that never changes.
 */
int vcpu_register_runstate(struct vcpu *v, uint64_t gaddr)
{
    struct vcpu_hc *h = vhc(v);
    int rc;

    h->runstate_registered = false;
    if ( gaddr == 0 )
        return 0;
    h->runstate_gaddr = gaddr;
    h->runstate_registered = true;
    rc = vcpu_runstate_area_update(v);
    if ( rc )
        h->runstate_registered = false;
    return rc;
}
