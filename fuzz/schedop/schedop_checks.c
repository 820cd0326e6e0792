/* SPDX-License-Identifier: MIT */
/*
 * fuzz-schedop's invariants, checked after every step of an input
 * (schedop_fuzz.c says what each one means).
 */
#include <orrery/domain.h>
#include <orrery/mm.h>
#include <orrery/sched.h>
#include <orrery/vcpu_ops.h>
#include <orrery/vcpu_sched.h>
#include <public/hvm/params.h>
#include <sim/sim.h>

#include "schedop_fuzz.h"

/* ---- Invariants --------------------------------------------------------- */

static void check_vcpu(const struct domain *d, unsigned int di,
                       const struct vcpu *v)
{
    const struct sched_unit *u = vcpu_sched_unit(v);
    const struct vcpu_hc *h = vhc(v);
    s_time_t t[NR_RUNSTATES], sum = 0;

    if ( !u || !h )
        fail("vCPU without unit or state", d);
    if ( u->pause_count != d->pause_count + v->pause_count +
         (d->is_shut_down ? 1 : 0) )
        fail("two pause counts disagree", d);
    if ( u->down != !v->is_up )
        fail("unit down != !is_up", d);
    if ( vcpu_runnable(v) != sched_unit_runnable(u) )
        fail("vcpu_runnable and the unit disagree", d);
    sched_unit_runstate(u, NOW(), t);
    for ( unsigned int i = 0; i < NR_RUNSTATES; i++ )
    {
        if ( t[i] < 0 )
            fail("negative runstate time", d);
        sum += t[i];
    }
    if ( sum != NOW() - born[di] )
        fail("runstate times do not add up", d);
    if ( h->vcpu_info_page )
    {
        const uint8_t *p = (const uint8_t *)v->vcpu_info;
        const uint8_t *pg = arch_mfn_to_virt(page_to_mfn(h->vcpu_info_page));

        if ( p < pg || p + sizeof(struct vcpu_info) > pg + PAGE_SIZE )
            fail("vcpu_info outside its page", d);
        if ( page_refcount(h->vcpu_info_page) < 1 )
            fail("vcpu_info page not referenced", d);
    }
    else if ( v->vcpu_info != &d->shared_info->vcpu_info[v->vcpu_id] )
        fail("vcpu_info neither moved nor in shared_info", d);
}

void check(void)
{
    for ( unsigned int i = 0; i < NR_DOMS; i++ )
        if ( doms[i] )
            for ( unsigned int k = 0; k < doms[i]->max_vcpus; k++ )
                check_vcpu(doms[i], i, doms[i]->vcpu[k]);
    for ( unsigned int cpu = 0; cpu < sim_nr_cpus(); cpu++ )
    {
        const struct sched_unit *u = sched_curr(cpu);

        if ( u && !sched_unit_runnable(u) && !sched_need_resched(cpu) )
            fail("a unit that may not run keeps its CPU", NULL);
    }
}

/* Guest-writable HVM params (hvm_op.c); the others are the toolstack's. */
static bool guest_may_write(unsigned int index)
{
    switch ( index )
    {
    case HVM_PARAM_CALLBACK_IRQ: case HVM_PARAM_VM86_TSS:
    case HVM_PARAM_VM86_TSS_SIZED: case HVM_PARAM_ACPI_IOPORTS_LOCATION:
    case HVM_PARAM_VM_GENERATION_ID_ADDR: case HVM_PARAM_STORE_EVTCHN:
    case HVM_PARAM_CONSOLE_EVTCHN: case HVM_PARAM_X87_FIP_WIDTH:
        return true;
    default:
        return false;
    }
}

void check_params(const struct domain *caller,
                         uint64_t before[NR_DOMS][HVM_NR_PARAMS])
{
    if ( caller->is_privileged )
        return;
    for ( unsigned int i = 0; i < NR_DOMS; i++ )
        for ( unsigned int p = 0; doms[i] && p < HVM_NR_PARAMS; p++ )
            if ( hvm_param_read(doms[i], p) != before[i][p] &&
                 (doms[i] != caller || !guest_may_write(p)) )
                fail("a domU changed a parameter not its own", doms[i]);
}
