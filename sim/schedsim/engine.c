/* SPDX-License-Identifier: MIT */
/*
 * schedsim's event loop. Events: a pCPU must schedule (its slice ended or
 * the scheduler tickled it), a vCPU finished a run phase, a vCPU's sleep
 * ended, a scenario event (pause, move...). Equal times go in the order
 * they were queued, so a run is a pure function of scenario and seed.
 *
 * Invariants are checked on every decision (no vCPU on two pCPUs, hard
 * affinity obeyed) and at the end (each vCPU's runstate times add up to
 * the run's length, and its "running" time equals the time the driver
 * saw it on a pCPU).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <orrery/memmap.h>
#include <orrery/mm.h>
#include <orrery/sched-if.h>
#include <sim/sim.h>

#include "engine.h"
#include "params.h"

enum ev_type { EV_SCHED, EV_RESCHED, EV_RUN_DONE, EV_WAKE, EV_RELEASE,
               EV_SCN };

struct event {
    int64_t t;
    uint64_t seq;
    uint32_t type, gen, idx;
    void *p;
};

static struct {
    struct event *h;
    size_t n, cap;
    uint64_t seq;
} heap;

static struct sim_run *cur;
static uint64_t rng;

static bool before(const struct event *a, const struct event *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void push(int64_t t, uint32_t type, uint32_t idx, uint32_t gen,
                 void *p)
{
    size_t i;

    if ( heap.n == heap.cap )
    {
        heap.cap = heap.cap ? heap.cap * 2 : 1024;
        heap.h = realloc(heap.h, heap.cap * sizeof(*heap.h));
        if ( !heap.h )
        {
            fprintf(stderr, "schedsim: out of memory\n");
            exit(1);
        }
    }
    i = heap.n++;
    heap.h[i] = (struct event){ t, heap.seq++, type, gen, idx, p };
    while ( i && before(&heap.h[i], &heap.h[(i - 1) / 2]) )
    {
        struct event tmp = heap.h[i];

        heap.h[i] = heap.h[(i - 1) / 2];
        heap.h[(i - 1) / 2] = tmp;
        i = (i - 1) / 2;
    }
}

static struct event pop(void)
{
    struct event top = heap.h[0];
    size_t i = 0;

    heap.h[0] = heap.h[--heap.n];
    for ( ;; )
    {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        struct event tmp;

        if ( l < heap.n && before(&heap.h[l], &heap.h[m]) )
            m = l;
        if ( r < heap.n && before(&heap.h[r], &heap.h[m]) )
            m = r;
        if ( m == i )
            break;
        tmp = heap.h[i];
        heap.h[i] = heap.h[m];
        heap.h[m] = tmp;
        i = m;
    }
    return top;
}

/* xorshift64*: small, fast, and the same everywhere. */
static double rand01(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (double)((rng * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static int64_t draw(const struct scn_vcpu *s, int64_t mean)
{
    if ( !s->random || mean == 0 )
        return mean;
    return (int64_t)(-(double)mean * log(1.0 - rand01())) + 1;
}

static void violation(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static void violation(const char *fmt, ...)
{
    va_list ap;

    if ( cur->violations++ < 20 )
    {
        fprintf(stderr, "schedsim: INVARIANT at %lld ns: ",
                (long long)cur->now);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
    }
}

/* Book @v's time on its pCPU up to now. */
static void account(struct sim_vcpu *v)
{
    int64_t now = cur->now, useful;

    v->oncpu_ns += now - v->start;
    if ( v->on_cpu < NR_CPUS )
        cur->pcpus[v->on_cpu].busy_ns += now - v->start;
    useful = now > v->useful_from ? now - v->useful_from : 0;
    v->cpu_ns += useful;
    if ( !v->spec->cpu_bound )
        v->remaining -= useful;
    v->start = now;
    if ( v->useful_from < now )
        v->useful_from = now;
}

static void append(int64_t **a, size_t *n, size_t *cap, int64_t x)
{
    if ( *n == *cap )
    {
        *cap = *cap ? *cap * 2 : 64;
        *a = realloc(*a, *cap * sizeof(**a));
        if ( !*a )
        {
            fprintf(stderr, "schedsim: out of memory\n");
            exit(1);
        }
    }
    (*a)[(*n)++] = x;
}

static void on_resched(unsigned int cpu)
{
    push(cur->now, EV_RESCHED, cpu, 0, NULL);
}

static void schedule_cpu(unsigned int cpu)
{
    struct sim_pcpu *pc = &cur->pcpus[cpu];
    struct sim_vcpu *prev = pc->curr, *nv;
    struct sched_unit *n;
    int64_t next, now = cur->now;

    if ( prev )
        account(prev);
    n = sched_schedule(cpu, now, &next);
    cur->decisions++;
    nv = n ? container_of(n, struct sim_vcpu, unit) : NULL;

    if ( prev && prev != nv )
    {
        prev->on_cpu = NR_CPUS;
        prev->gen++;
    }
    if ( nv )
    {
        bool switched = nv != prev;

        if ( switched && nv->on_cpu != NR_CPUS )
            violation("d%u v%u picked by CPU%u while on CPU%u",
                      nv->unit.dom->domid, nv->id, cpu, nv->on_cpu);
        if ( !cpumask_test(&nv->spec->hard, cpu) )
            violation("d%u v%u on CPU%u, outside its hard affinity",
                      nv->unit.dom->domid, nv->id, cpu);
        if ( switched )
        {
            nv->switches++;
            pc->switches++;
            nv->migrations = nv->unit.nr_migrations;
            nv->cpus_used |= 1ULL << cpu;
            if ( nv->woke_at >= 0 )
            {
                append(&nv->lat, &nv->nlat, &nv->lat_cap, now - nv->woke_at);
                nv->woke_at = -1;
            }
        }
        nv->on_cpu = cpu;
        nv->start = now;
        nv->useful_from = now + cur->sc->decision_ns +
                          (switched ? cur->sc->switch_ns : 0);
        nv->gen++;
        if ( !nv->spec->cpu_bound )
            push(nv->useful_from + nv->remaining, EV_RUN_DONE, 0, nv->gen,
                 nv);
    }
    pc->curr = nv;
    pc->gen++;
    if ( next != S_TIME_NEVER )
        push(next, EV_SCHED, cpu, pc->gen, NULL);
}

static void wake(struct sim_vcpu *v);

/* A periodic vCPU finished its current job: the next one if released,
 * else block until the next release. */
static void job_done(struct sim_vcpu *v)
{
    const struct scn_periodic *job = &v->spec->job;
    int64_t resp = cur->now - (int64_t)v->jobs_done * job->t_ns;

    append(&v->resp, &v->nresp, &v->resp_cap, resp);
    if ( resp > job->d_ns )
        v->deadline_misses++;
    v->jobs_done++;
    v->remaining = job->c_ns;
    if ( v->jobs_released > v->jobs_done )
        push(v->useful_from + v->remaining, EV_RUN_DONE, 0, v->gen, v);
    else
    {
        v->gen++;
        sched_unit_block(&v->unit, cur->now);
    }
}

/* Job number jobs_released comes out; the vCPU wakes if it was idle. */
static void job_release(struct sim_vcpu *v)
{
    bool idle = v->jobs_released == v->jobs_done;

    v->jobs_released++;
    push(cur->now + v->spec->job.t_ns, EV_RELEASE, 0, 0, v);
    if ( idle )
        wake(v);
}

/* @v used up its run phase: sleep (block) if the phase says so. */
static void run_done(struct sim_vcpu *v)
{
    const struct scn_phase *ph;

    account(v);
    if ( v->spec->periodic )
    {
        job_done(v);
        return;
    }
    ph = &v->spec->phases[v->phase];
    v->phase = (v->phase + 1) % v->spec->nphases;
    v->remaining = draw(v->spec, v->spec->phases[v->phase].run_ns);
    if ( ph->sleep_ns > 0 )
    {
        v->gen++;
        sched_unit_block(&v->unit, cur->now);
        push(cur->now + draw(v->spec, ph->sleep_ns), EV_WAKE, 0, 0, v);
    }
    else
        push(v->useful_from + v->remaining, EV_RUN_DONE, 0, v->gen, v);
}

static void wake(struct sim_vcpu *v)
{
    v->wakes++;
    sched_unit_wake(&v->unit, cur->now);
    v->woke_at = sched_unit_runnable(&v->unit) ? cur->now : -1;
}

static void scenario_event(const struct scn_event *e)
{
    struct sim_domain *d = &cur->doms[e->domain];
    int rc = 0;

    switch ( e->action )
    {
    case SCN_PAUSE:
        for ( size_t i = 0; i < d->nvcpus; i++ )
            sched_unit_pause(&d->vcpus[i].unit, cur->now);
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

/* ---- Setup and the loop ------------------------------------------------- */

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
        if ( v->spec->periodic )
        {
            /* Job 0 comes out at time 0, with the vCPU. */
            v->remaining = v->spec->job.c_ns;
            v->jobs_released = 1;
            push(v->spec->job.t_ns, EV_RELEASE, 0, 0, v);
        }
        else if ( !v->spec->cpu_bound )
            v->remaining = draw(v->spec, v->spec->phases[0].run_ns);
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

static bool setup(struct sim_run *r)
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

/* The end: book the running vCPUs and check the runstate books. */
static void finish(struct sim_run *r)
{
    for ( unsigned int cpu = 0; cpu < NR_CPUS; cpu++ )
        if ( r->pcpus[cpu].curr )
            account(r->pcpus[cpu].curr);
    for ( size_t i = 0; i < r->sc->ndomains; i++ )
    {
        struct sim_domain *d = &r->doms[i];

        snprintf(d->last_sched, sizeof(d->last_sched), "%s",
                 d->sdom.pool->sched.ops->opt_name);
        for ( size_t k = 0; k < d->nvcpus; k++ )
        {
            struct sim_vcpu *v = &d->vcpus[k];
            s_time_t t[NR_RUNSTATES], sum = 0;

            /* Jobs still unfinished past their deadline missed it. */
            for ( uint64_t j = v->jobs_done; v->spec->periodic &&
                  j < v->jobs_released; j++ )
                if ( (int64_t)j * v->spec->job.t_ns + v->spec->job.d_ns <
                     r->duration )
                    v->deadline_misses++;
            sched_unit_runstate(&v->unit, r->duration, t);
            for ( int s = 0; s < NR_RUNSTATES; s++ )
                sum += t[s];
            if ( sum != r->duration )
                violation("d%zu v%zu: runstates add up to %lld ns, not %lld",
                          i + 1, k, (long long)sum,
                          (long long)r->duration);
            if ( t[RUNSTATE_running] != v->oncpu_ns )
                violation("d%zu v%zu: runstate running %lld ns, on a pCPU "
                          "%lld ns", i + 1, k,
                          (long long)t[RUNSTATE_running],
                          (long long)v->oncpu_ns);
        }
    }
}

/* Long runs say how far they are on stderr, about once a second. */
static void progress(const struct sim_run *r, const struct timespec *t0)
{
    static double last;
    struct timespec t;
    double wall;

    clock_gettime(CLOCK_MONOTONIC, &t);
    wall = (double)(t.tv_sec - t0->tv_sec) +
           (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
    if ( wall < 2 )
    {
        last = 0;
        return;
    }
    if ( wall - last < 1 )
        return;
    last = wall;
    fprintf(stderr, "schedsim: %s: %.1f of %.1f s simulated, %.0f s\n",
            r->sched, (double)r->now / 1e9, (double)r->duration / 1e9, wall);
}

bool sim_run(struct sim_run *r, const struct scenario *sc, const char *sched,
             uint64_t seed, int64_t duration)
{
    struct timespec t0, t1;

    memset(r, 0, sizeof(*r));
    r->sc = sc;
    r->sched = sched;
    r->seed = seed;
    r->duration = duration;
    cur = r;
    heap.n = 0;
    heap.seq = 0;
    rng = seed * 0x9e3779b97f4a7c15ULL + 1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if ( !setup(r) )
        return false;

    while ( heap.n && heap.h[0].t <= duration )
    {
        struct event e = pop();

        if ( (r->events & 0xfffff) == 0 )
            progress(r, &t0);

        r->now = e.t;
        r->events++;
        switch ( e.type )
        {
        case EV_SCHED:
            if ( e.gen == r->pcpus[e.idx].gen )
                schedule_cpu(e.idx);
            break;
        case EV_RESCHED:
            if ( sched_need_resched(e.idx) )
                schedule_cpu(e.idx);
            break;
        case EV_RUN_DONE:
            if ( e.gen == ((struct sim_vcpu *)e.p)->gen )
                run_done(e.p);
            break;
        case EV_WAKE:
            wake(e.p);
            break;
        case EV_RELEASE:
            job_release(e.p);
            break;
        case EV_SCN:
            scenario_event(&sc->events[e.idx]);
            break;
        }
    }
    r->now = duration;
    finish(r);
    sched_set_resched_hook(NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r->wall_s = (double)(t1.tv_sec - t0.tv_sec) +
                (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return true;
}

void sim_run_free(struct sim_run *r)
{
    for ( size_t i = 0; r->doms && i < r->sc->ndomains; i++ )
    {
        for ( size_t k = 0; k < r->doms[i].nvcpus; k++ )
        {
            free(r->doms[i].vcpus[k].lat);
            free(r->doms[i].vcpus[k].resp);
        }
        free(r->doms[i].vcpus);
    }
    free(r->doms);
    r->doms = NULL;
}
