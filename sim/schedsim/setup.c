/* SPDX-License-Identifier: MIT */
/*
 * A run's machine: memory and the scheduler framework brought up as at
 * boot, the CPU topology, the pools with their parameters, the domains
 * and their vCPUs; and the scenario's timed events (pause, move...).
 */
#include <stdio.h>
#include <stdlib.h>

#include <orrery/memmap.h>
#include <orrery/mm.h>
#include <orrery/sched-if.h>
#include <sim/sim.h>

#include "engine_int.h"
#include "trace.h"
#include "params.h"

void scenario_event(const struct scn_event *e)
{
    struct sim_domain *d = &cur->doms[e->domain];
    int rc = 0;

    switch ( e->action )
    {
    case SCN_PAUSE:
        for ( size_t i = 0; i < d->nvcpus; i++ )
        {
            trace_vcpu(TRC_SCHED_SLEEP, &d->vcpus[i]);
            sched_unit_pause(&d->vcpus[i].unit, cur->now);
        }
        break;
    case SCN_UNPAUSE:
        for ( size_t i = 0; i < d->nvcpus; i++ )
        {
            struct sim_vcpu *v = &d->vcpus[i];

            if ( v->unit.pause_count == 0 )
            {
                fprintf(stderr, "%s: unpause of %s, which is not paused\n",
                        cur->sc->file, d->spec->name);
                cur->violations++;
                return;
            }
            trace_vcpu(TRC_SCHED_WAKE, v);
            sched_unit_unpause(&v->unit, cur->now);
        }
        break;
    case SCN_MOVE:
        /* The new pool's scheduler starts from its defaults; then the
         * domain's parameters for it, as the scenario gives them. */
        rc = cpupool_move_domain(&d->sdom, e->value, cur->now);
        if ( !rc )
            rc = params_domain(&d->sdom, d->spec, d->weight, d->cap);
        break;
    case SCN_WEIGHT:
    case SCN_CAP:
        if ( e->action == SCN_WEIGHT )
            d->weight = e->value;
        else
            d->cap = e->value;
        rc = params_domain(&d->sdom, d->spec, d->weight, d->cap);
        break;
    }
    if ( rc )
    {
        fprintf(stderr, "%s: event on %s at %lld ns failed: error %d\n",
                cur->sc->file, d->spec->name, (long long)e->at_ns, rc);
        cur->violations++;
    }
}

/* A pool with its parameters, then its pCPUs (credit2's runqueue
 * arrangement may only change while the pool has none). */
static bool make_pool(const struct scn_pool *p, const char *sched)
{
    unsigned int cpu;
    int rc;

    rc = p->id ? cpupool_create(p->id, sched) : sched_init(sched,
                                                           CPUMASK_NONE);
    if ( !rc && (rc = params_pool(p->id, &p->params)) )
    {
        fprintf(stderr, "schedsim: pool %u (%s): its parameters: error "
                "%d\n", p->id, sched, rc);
        return false;
    }
    for_each_cpu(cpu, p->cpus)
        if ( !rc )
            rc = cpupool_add_cpu(p->id, cpu, 0);
    if ( rc )
        fprintf(stderr, "schedsim: pool %u (%s): error %d\n", p->id, sched,
                rc);
    return !rc;
}

static bool make_domain(struct sim_run *r, size_t i)
{
    const struct scenario *sc = r->sc;
    const struct scn_domain *ds = &sc->domains[i];
    struct sim_domain *d = &r->doms[i];
    int rc;

    d->spec = ds;
    d->nvcpus = ds->nvcpus;
    d->vcpus = calloc(ds->nvcpus, sizeof(*d->vcpus));
    d->first_pool = ds->pool;
    d->weight = ds->weight;
    d->cap = ds->cap;
    rc = sched_domain_init(&d->sdom, (domid_t)(i + 1), ds->pool);
    if ( rc )
    {
        fprintf(stderr, "%s: domain %s: error %d\n", sc->file, ds->name,
                rc);
        return false;
    }
    snprintf(d->first_sched, sizeof(d->first_sched), "%s",
             cpupool_sched_name(ds->pool));
    for ( size_t k = 0; k < ds->nvcpus; k++ )
    {
        struct sim_vcpu *v = &d->vcpus[k];

        v->dom = d;
        v->spec = &ds->vcpus[k];
        v->id = (unsigned int)k;
        v->on_cpu = NR_CPUS;
        v->woke_at = -1;
        workload_start(v);
        rc = sched_unit_init(&v->unit, &d->sdom, (unsigned int)k, 0);
        if ( !rc )
            rc = sched_unit_set_affinity(&v->unit, &v->spec->hard,
                                         &v->spec->soft, 0);
        if ( rc )
        {
            fprintf(stderr, "%s: domain %s vCPU %zu: %s (error %d)\n",
                    sc->file, ds->name, k, rc == -22 ?
                    "its affinity has no pCPU of its pool" : "failed", rc);
            return false;
        }
    }
    if ( (ds->weight || ds->cap || ds->rtds.set) &&
         (rc = params_domain(&d->sdom, ds, d->weight, d->cap)) )
    {
        fprintf(stderr, "%s: domain %s: bad parameters for %s (error "
                "%d)\n", sc->file, ds->name, d->first_sched, rc);
        return false;
    }
    return true;
}

bool setup(struct sim_run *r)
{
    const struct scenario *sc = r->sc;
    struct memmap map = { 0 };
    int rc;

    /* A fresh machine: memory, boot allocator, buddy, then the
     * framework, as the hypervisor brings them up at boot. */
    sim_init(1, 0);
    sim_memory_init(64UL << 20);
    sim_memory_map(&map);
    bootmem_init(&map, NULL, 0);
    page_alloc_init();
    sched_set_resched_hook(on_resched);

    /* Where each pCPU sits, before any joins a pool; every CPU, since
     * the table outlives sched_init() and an earlier run's topology. */
    for ( unsigned int cpu = 0; cpu < NR_CPUS; cpu++ )
    {
        struct cpu_topology t = { .core = (uint16_t)cpu };

        if ( sc->has_topology && cpu < sc->pcpus )
            t = sc->topo[cpu];
        sched_set_cpu_topology(cpu, &t);
    }
    for ( size_t i = 0; i < sc->npools; i++ )
        if ( !make_pool(&sc->pools[i], i && sc->pools[i].sched[0]
                                       ? sc->pools[i].sched : r->sched) )
            return false;

    r->doms = calloc(sc->ndomains, sizeof(*r->doms));
    for ( size_t i = 0; i < sc->ndomains; i++ )
        if ( !make_domain(r, i) )
            return false;
    /* ARINC653 schedules name domains and vCPUs: now they exist. */
    for ( size_t i = 0; i < sc->npools; i++ )
        if ( (rc = params_pool_a653(sc->pools[i].id, &sc->pools[i].params)) )
        {
            fprintf(stderr, "schedsim: pool %u: its ARINC653 schedule: "
                    "error %d\n", sc->pools[i].id, rc);
            return false;
        }
    for ( size_t i = 0; i < sc->ndomains; i++ )
        for ( size_t k = 0; k < r->doms[i].nvcpus; k++ )
            sched_unit_up(&r->doms[i].vcpus[k].unit, 0);
    for ( size_t i = 0; i < sc->nevents; i++ )
        push(sc->events[i].at_ns, EV_SCN, (uint32_t)i, 0, NULL);
    return true;
}
