/* SPDX-License-Identifier: MIT */
/*
 * schedsim's event loop. Events: a pCPU must schedule (its slice ended or
 * the scheduler tickled it), a vCPU finished a run phase, a vCPU's sleep
 * ended, a periodic job came out, a scenario event (pause, move...).
 * Equal times go in the order they were queued (evq.c), so a run is a
 * pure function of scenario and seed.
 *
 * Invariants are checked on every decision (no vCPU on two pCPUs, hard
 * affinity obeyed) and at the end (each vCPU's runstate times add up to
 * the run's length, and its "running" time equals the time the driver
 * saw it on a pCPU).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <orrery/sched-if.h>

#include "check.h"
#include "engine_int.h"
#include "trace.h"

struct sim_run *cur;

/* Book @v's time on its pCPU up to now. */
void account(struct sim_vcpu *v)
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

void append(int64_t **a, size_t *n, size_t *cap, int64_t x)
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

void on_resched(unsigned int cpu)
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
    else
        pc->idle_ns += now - pc->idle_since;
    pc->idle_since = now;
    n = sched_schedule(cpu, now, &next);
    cur->decisions++;
    nv = n ? container_of(n, struct sim_vcpu, unit) : NULL;
    if ( cur->trace )
        trace_switch(cpu, prev, nv);

    if ( prev && prev != nv )
    {
        timeline_end(prev, cpu);
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
            nv->on_since = now;
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
        pc->last_seen = nv;
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

/* The end: book the running vCPUs and check the runstate books. */
static void finish(struct sim_run *r)
{
    r->event = "the end";
    for ( unsigned int cpu = 0; cpu < NR_CPUS; cpu++ )
    {
        struct sim_pcpu *pc = &r->pcpus[cpu];

        if ( pc->curr )
        {
            account(pc->curr);
            timeline_end(pc->curr, cpu);
        }
        else
            pc->idle_ns += r->duration - pc->idle_since;
        if ( cpu < r->sc->pcpus && pc->busy_ns + pc->idle_ns != r->duration )
            violation("CPU%u: busy %lld + idle %lld ns is not the run's "
                      "%lld ns", cpu, (long long)pc->busy_ns,
                      (long long)pc->idle_ns, (long long)r->duration);
    }
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
             uint64_t seed, int64_t duration, const struct sim_opts *opts)
{
    struct timespec t0, t1, c0;
    struct event e;
    int64_t next_sample = 0;

    memset(r, 0, sizeof(*r));
#ifdef SCHEDSIM_CHECK_ALL
    r->check_all = true;
#endif
    if ( opts && opts->check_all )
        r->check_all = true;
    r->timeline = opts && opts->timeline;
    r->sc = sc;
    r->sched = sched;
    r->seed = seed;
    r->duration = duration;
    cur = r;
    evq_reset();
    rng_seed(seed);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    if ( opts && opts->trace && !(r->trace = trace_open(opts->trace)) )
        return false;
    if ( !setup(r) )
    {
        trace_close(r->trace);
        r->trace = NULL;
        return false;
    }
    if ( r->trace )
    {
        for ( size_t i = 0; i < sc->ndomains; i++ )
        {
            uint32_t w = r->doms[i].sdom.domid;

            trace_rec(r->trace, 0, 0, TRC_SCHED_DOM_ADD, 1, &w);
            for ( size_t k = 0; k < r->doms[i].nvcpus; k++ )
                r->doms[i].vcpus[k].traced_state = RUNSTATE_offline;
        }
        trace_runstates(r);
    }

    while ( evq_next(duration, &e) )
    {
        if ( (r->events & 0xfffff) == 0 )
            progress(r, &t0);

        while ( next_sample <= e.t )
        {
            r->now = next_sample;
            sample(r);
            next_sample += SIM_SAMPLE_NS;
        }
        r->now = e.t;
        r->events++;
        if ( r->check_all )
            r->event = describe(&e);
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
        if ( r->trace )
            trace_runstates(r);
        if ( r->check_all )
            check_event(r, evq_peek());
    }
    for ( ; next_sample < duration; next_sample += SIM_SAMPLE_NS )
    {
        r->now = next_sample;
        sample(r);
    }
    r->now = duration;
    finish(r);
    if ( r->trace && !trace_close(r->trace) )
        r->violations++;
    r->trace = NULL;
    sched_set_resched_hook(NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r->wall_s = (double)(t1.tv_sec - t0.tv_sec) +
                (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    r->cpu_s = (double)(t1.tv_sec - c0.tv_sec) +
               (double)(t1.tv_nsec - c0.tv_nsec) / 1e9;
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
    free(r->segs);
    r->segs = NULL;
    r->doms = NULL;
}
