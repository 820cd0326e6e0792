/* SPDX-License-Identifier: MIT */
/*
 * Domains joined to the scheduler (orrery/vcpu_sched.h): a domain hook
 * gives each domain a sched_domain and each vCPU a unit, and the vCPU
 * state changes of core/domain (pause, up/down, shutdown) and of the
 * hypercalls (block, poll, yield) become unit state changes. The unit is
 * the only place a vCPU's runnability is kept.
 */
#include <orrery/console.h>
#include <orrery/errno.h>
#include <orrery/mm.h>
#include <orrery/timer.h>
#include <orrery/vcpu_sched.h>

#include "domain_private.h"

/* Per vCPU: the unit, and the SCHEDOP_poll state (Xen's poll_mask bit,
 * poll_evtchn and poll_timer). */
struct vcpu_sched {
    struct sched_unit unit;
    struct timer poll_timer;
    bool polling;
    int poll_port;              /* VCPU_POLL_ANY or the one port */
};

struct domain_sched {
    struct sched_domain sd;
    unsigned int nr_polling;    /* vCPUs polling: skip the scan if none */
};

static unsigned int join_pool;

static struct vcpu_sched *vs_of(const struct vcpu *v)
{
    return v->sched_priv;
}

struct sched_unit *vcpu_sched_unit(const struct vcpu *v)
{
    struct vcpu_sched *vs = vs_of(v);

    return vs ? &vs->unit : NULL;
}

static void poll_timeout(void *data)
{
    vcpu_unblock(data);
}

static void free_units(struct domain *d)
{
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu *v = d->vcpu[i];
        struct vcpu_sched *vs = vs_of(v);

        if ( !vs )
            continue;
        kill_timer(&vs->poll_timer);
        sched_unit_destroy(&vs->unit, NOW());
        xfree(vs);
        v->sched_priv = NULL;
    }
}

static int join_init(struct domain *d)
{
    struct domain_sched *ds = xzalloc(struct domain_sched);
    s_time_t now = NOW();
    int rc;

    if ( !ds )
        return -ENOMEM;
    rc = sched_domain_init(&ds->sd, d->domain_id, join_pool);
    if ( rc )
    {
        xfree(ds);
        return rc;
    }
    ds->sd.domain = d;
    d->sched_priv = ds;

    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu *v = d->vcpu[i];
        struct vcpu_sched *vs = xzalloc(struct vcpu_sched);
        unsigned int pauses;

        if ( !vs )
            goto nomem;
        rc = sched_unit_init(&vs->unit, &ds->sd, i, now);
        if ( rc )
        {
            xfree(vs);
            goto fail;
        }
        vs->unit.vcpu = v;
        vs->poll_port = VCPU_POLL_ANY;
        init_timer(&vs->poll_timer, poll_timeout, v, 0);
        v->sched_priv = vs;

        /* The counts core/domain kept before the unit existed (the
         * creation pause), so that the invariant holds from here on. */
        pauses = d->pause_count + v->pause_count + (d->is_shut_down ? 1 : 0);
        while ( pauses-- )
            sched_unit_pause(&vs->unit, now);
        if ( v->is_up )
            sched_unit_up(&vs->unit, now);
    }
    return 0;

 nomem:
    rc = -ENOMEM;
 fail:
    free_units(d);
    sched_domain_destroy(&ds->sd);
    xfree(ds);
    d->sched_priv = NULL;
    return rc;
}

static void join_teardown(struct domain *d)
{
    struct domain_sched *ds = d->sched_priv;

    free_units(d);
    sched_domain_destroy(&ds->sd);
    xfree(ds);
    d->sched_priv = NULL;
}

static const struct domain_hooks join_hooks = {
    .name = "sched",
    .domain_init = join_init,
    .domain_teardown = join_teardown,
};

int domain_sched_register(unsigned int poolid)
{
    int rc = domain_register_hooks(&join_hooks);

    if ( !rc )
        join_pool = poolid;
    return rc;
}

/* ---- State changes ------------------------------------------------------ */

void vcpu_sched_pause(struct vcpu *v)
{
    if ( vs_of(v) )
        sched_unit_pause(&vs_of(v)->unit, NOW());
}

void vcpu_sched_unpause(struct vcpu *v)
{
    if ( vs_of(v) )
        sched_unit_unpause(&vs_of(v)->unit, NOW());
}

bool vcpu_up(struct vcpu *v)
{
    bool was = __atomic_exchange_n(&v->is_up, true, __ATOMIC_SEQ_CST);

    if ( !was && vs_of(v) )
        sched_unit_up(&vs_of(v)->unit, NOW());
    return !was;
}

bool vcpu_down(struct vcpu *v)
{
    bool was = __atomic_exchange_n(&v->is_up, false, __ATOMIC_SEQ_CST);

    if ( was && vs_of(v) )
        sched_unit_down(&vs_of(v)->unit, NOW());
    return was;
}

/* Xen's local_events_need_delivery() for an HVM vCPU: the upcall flag. */
static bool events_pending(const struct vcpu *v)
{
    return v->vcpu_info &&
           __atomic_load_n(&v->vcpu_info->evtchn_upcall_pending,
                           __ATOMIC_SEQ_CST);
}

void vcpu_block(struct vcpu *v)
{
    struct vcpu_sched *vs = vs_of(v);

    if ( !vs )
        return;
    sched_unit_block(&vs->unit, NOW());
    /*
     * After the block: an event set before it is seen here, one set
     * after it finds the unit blocked and wakes it. The fence keeps the
     * flag's load after the store of "blocked" (a store-load pair the
     * CPU may otherwise reorder; the event side's exchange is a full
     * barrier).
     */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if ( events_pending(v) )
        vcpu_unblock(v);
}

void vcpu_unblock(struct vcpu *v)
{
    struct vcpu_sched *vs = vs_of(v);

    if ( !vs )
        return;
    if ( __atomic_exchange_n(&vs->polling, false, __ATOMIC_SEQ_CST) )
    {
        struct domain_sched *ds = v->domain->sched_priv;

        __atomic_fetch_sub(&ds->nr_polling, 1, __ATOMIC_SEQ_CST);
        stop_timer(&vs->poll_timer);
    }
    if ( __atomic_load_n(&vs->unit.blocked, __ATOMIC_SEQ_CST) )
        sched_unit_wake(&vs->unit, NOW());
}

void vcpu_yield(struct vcpu *v)
{
    if ( vs_of(v) )
        sched_unit_yield(&vs_of(v)->unit, NOW());
}

bool vcpu_is_blocked(const struct vcpu *v)
{
    return vs_of(v) && vs_of(v)->unit.blocked;
}

bool vcpu_is_polling(const struct vcpu *v)
{
    return vs_of(v) && __atomic_load_n(&vs_of(v)->polling, __ATOMIC_SEQ_CST);
}

void vcpu_poll_start(struct vcpu *v, int port, s_time_t timeout)
{
    struct vcpu_sched *vs = vs_of(v);
    struct domain_sched *ds = v->domain->sched_priv;

    if ( !vs )
        return;
    vs->poll_port = port;
    if ( !__atomic_exchange_n(&vs->polling, true, __ATOMIC_SEQ_CST) )
        __atomic_fetch_add(&ds->nr_polling, 1, __ATOMIC_SEQ_CST);
    sched_unit_block(&vs->unit, NOW());
    /* The caller checks the ports next: after the block (as above). */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if ( timeout )
    {
        /* The timer runs where the poller is, as Xen migrates it. */
        stop_timer(&vs->poll_timer);
        init_timer(&vs->poll_timer, poll_timeout, v, arch_cpu_id());
        set_timer(&vs->poll_timer, timeout);
    }
}

void vcpu_poll_check(struct domain *d, evtchn_port_t port)
{
    struct domain_sched *ds = d->sched_priv;

    if ( !ds || !__atomic_load_n(&ds->nr_polling, __ATOMIC_SEQ_CST) )
        return;
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu_sched *vs = vs_of(d->vcpu[i]);

        if ( vs && __atomic_load_n(&vs->polling, __ATOMIC_SEQ_CST) &&
             (vs->poll_port == VCPU_POLL_ANY ||
              vs->poll_port == (int)port) )
            vcpu_unblock(d->vcpu[i]);
    }
}
