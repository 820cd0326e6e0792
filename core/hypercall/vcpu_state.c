/* SPDX-License-Identifier: MIT */
/*
 * The per-vCPU and per-domain state of the vCPU hypercalls, as domain
 * hooks; the scheduler's switch hook; VIRQ_DOM_EXC for the control
 * domain when a domain shuts down or dies (as Xen's domain_shutdown and
 * domain destruction raise it).
 */
#include <orrery/console.h>
#include <orrery/errno.h>
#include <orrery/event.h>
#include <orrery/mm.h>
#include <orrery/sched.h>
#include <orrery/vcpu_sched.h>

#include "vcpu_hc.h"

static void free_state(struct domain *d)
{
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu *v = d->vcpu[i];
        struct vcpu_hc *h = vhc(v);

        if ( !h )
            continue;
        vcpu_timers_kill(h);
        vcpu_area_release(v);
        if ( h->test )
            test_vcpu_free(h->test);
        xfree(h);
        v->hc_priv = NULL;
    }
    if ( d->hc_priv )
        sched_watchdog_kill(d->hc_priv);
    xfree(d->hc_priv);
    d->hc_priv = NULL;
}

static int state_init(struct domain *d)
{
    struct domain_hc *dh = xzalloc(struct domain_hc);

    if ( !dh )
        return -ENOMEM;
    dh->shutdown_code = SHUTDOWN_CODE_NONE;
    sched_watchdog_init(d, dh);
    d->hc_priv = dh;
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu_hc *h = xzalloc(struct vcpu_hc);

        if ( !h )
        {
            free_state(d);
            return -ENOMEM;
        }
        h->v = d->vcpu[i];
        h->initialised = i == 0;    /* the builder's start state */
        vcpu_timers_init(h);
        d->vcpu[i]->hc_priv = h;
    }
    return 0;
}

/*
 * VIRQ_DOM_EXC to every live control domain but @d itself. Their ids are
 * collected under the domain list lock and the VIRQs sent after it is
 * dropped: event delivery takes the event and scheduler locks, and
 * event-channel code takes the list lock (lookups) under its own.
 */
#define DOM_EXC_MAX_TOLD 8

struct to_tell {
    const struct domain *exclude;
    domid_t id[DOM_EXC_MAX_TOLD];
    unsigned int nr;
};

static void collect(struct domain *c, void *arg)
{
    struct to_tell *t = arg;

    if ( c != t->exclude && c->is_privileged && !c->is_dying &&
         t->nr < DOM_EXC_MAX_TOLD )
        t->id[t->nr++] = c->domain_id;
}

static void state_exception(struct domain *d)
{
    struct to_tell t = { .exclude = d };

    domain_for_each(collect, &t);
    for ( unsigned int i = 0; i < t.nr; i++ )
    {
        struct domain *c = domain_get(t.id[i]);

        if ( !c )
            continue;       /* died meanwhile */
        send_guest_global_virq(c, VIRQ_DOM_EXC);
        domain_put(c);
    }
}

static const struct domain_hooks state_hooks = {
    .name = "vcpu_ops",
    .domain_init = state_init,
    .domain_teardown = free_state,
    .domain_exception = state_exception,
};

/*
 * The scheduler switched @cpu from @prev to @next: the platform switches
 * register state, the periodic timer follows the vCPU (it runs only while
 * its vCPU does), and both runstate areas are written, as Xen's context
 * switch does (update_runstate_area).
 */
static void switch_vcpus(unsigned int cpu, struct sched_unit *prev,
                         struct sched_unit *next)
{
    struct vcpu *pv = sched_unit_vcpu(prev), *nv = sched_unit_vcpu(next);

    (void)cpu;
    arch_vcpu_switch(pv, nv);
    if ( pv && vhc(pv) )
    {
        vcpu_periodic_switch(vhc(pv), false);
        vcpu_runstate_area_update(pv);
    }
    if ( nv && vhc(nv) )
    {
        vcpu_periodic_switch(vhc(nv), true);
        vcpu_runstate_area_update(nv);
        if ( vhc(nv)->test )
            test_vcpu_switched_in(nv);
    }
}

int vcpu_ops_register(void)
{
    int rc = domain_register_hooks(&state_hooks);

    if ( !rc )
        sched_set_switch_hook(switch_vcpus);
    return rc;
}

void vcpu_ops_init(void)
{
    /* Domains join pool 0's scheduler first: without it no vCPU of a
     * domain would ever run. */
    int rc = domain_sched_register(0);

    if ( !rc )
        rc = vcpu_ops_register();
    if ( rc )
        panic("vcpu_ops: cannot register domain hooks (%d)", rc);
}

/* ---- Accessors ---------------------------------------------------------- */

uint8_t vcpu_upcall_vector(const struct vcpu *v)
{
    return vhc(v) ? vhc(v)->upcall_vector : 0;
}

uint64_t hvm_param_read(const struct domain *d, unsigned int index)
{
    if ( !dhc(d) || index >= HVM_NR_PARAMS )
        return 0;
    return dhc(d)->params[index];
}

int hvm_param_write(struct domain *d, unsigned int index, uint64_t value)
{
    if ( !dhc(d) || index >= HVM_NR_PARAMS )
        return -EINVAL;
    dhc(d)->params[index] = value;
    return 0;
}
