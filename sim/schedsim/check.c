/* SPDX-License-Identifier: MIT */
/*
 * The invariant checker. Cheap checks run on every decision in every
 * build (engine.c: a vCPU picked while on another pCPU, outside its hard
 * affinity). In test builds (ASan, where SCHEDSIM_CHECK_ALL is defined)
 * these run after every event too, each failure aborting the run with the
 * event and the time:
 *  - the driver and the framework agree on what every pCPU runs (once
 *    the events of an instant are handled), and no vCPU is on two pCPUs;
 *  - each pCPU's time adds up: busy + idle = now;
 *  - no runnable vCPU waits for a pCPU longer than the scenario's
 *    starvation bound ("invariants": {"starvation_ms"}, default 1000),
 *    where the scheduler promises progress: not under null (a vCPU may
 *    wait for a free pCPU for ever) or arinc653 (only in its windows),
 *    nor under rtds for a domain without extratime (its budget ends);
 *  - work conservation, once every event of an instant has been handled:
 *    under credit and credit2 no pCPU idles while an uncapped runnable
 *    vCPU of its pool that may run there waits; under null a vCPU's own
 *    pCPU (where it last ran, still its assignment) does not idle while
 *    the vCPU waits.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <orrery/sched-if.h>

#include "check.h"
#include "engine_int.h"
#include "trace.h"

void violation(const char *fmt, ...)
{
    va_list ap;

    cur->violations++;
    fprintf(stderr, "schedsim: INVARIANT at %lld ns (%s): ",
            (long long)cur->now, cur->event ? cur->event : "setup");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    /* The first failure ends the run: later state is not to be trusted.
     * The trace, if any, is kept up to this event for the post-mortem. */
    fprintf(stderr, "schedsim: %s, seed %llu: stopped\n", cur->sc->file,
            (unsigned long long)cur->seed);
    if ( cur->trace )
    {
        trace_runstates(cur);
        trace_close(cur->trace);
        cur->trace = NULL;
    }
    exit(1);
}

static const char *sched_of(const struct sim_vcpu *v)
{
    return v->unit.dom->pool->sched.ops->opt_name;
}

/* Does @v's scheduler promise it a pCPU within a bounded wait? */
static bool promises_progress(const struct sim_vcpu *v)
{
    const char *s = sched_of(v);
    struct sched_dom_params p;

    if ( !strcmp(s, "null") || !strcmp(s, "arinc653") )
        return false;
    if ( !strcmp(s, "rtds") )
        return sched_domain_get_params(&v->dom->sdom, &p) == 0 &&
               p.u.rtds.extratime;
    return true;
}

static bool work_conserving(const char *s)
{
    return !strcmp(s, "credit") || !strcmp(s, "credit2");
}

static void check_pcpus(struct sim_run *r, bool settled)
{
    for ( unsigned int cpu = 0; cpu < r->sc->pcpus; cpu++ )
    {
        struct sim_pcpu *pc = &r->pcpus[cpu];
        struct sched_unit *u = sched_curr(cpu);
        int64_t t = pc->busy_ns + pc->idle_ns;

        /* The framework may take a unit off first (a pool move) and
         * let the reschedule it asked for, at the same instant, catch
         * up. */
        if ( settled && u != (pc->curr ? &pc->curr->unit : NULL) )
            violation("CPU%u runs %s for the framework, %s for schedsim",
                      cpu, u ? "a vCPU" : "idle",
                      pc->curr ? "a vCPU" : "idle");
        if ( pc->curr && pc->curr->on_cpu != cpu )
            violation("d%u v%u runs on CPU%u, but is booked on CPU%u",
                      pc->curr->unit.dom->domid, pc->curr->id, cpu,
                      pc->curr->on_cpu);
        t += pc->curr ? r->now - pc->curr->start : r->now - pc->idle_since;
        if ( t != r->now )
            violation("CPU%u: busy %lld + idle %lld ns is not the %lld ns "
                      "elapsed", cpu, (long long)pc->busy_ns,
                      (long long)pc->idle_ns, (long long)r->now);
    }
}

/* @v waits: may idle pCPU @cpu run it? */
static bool could_run_on(const struct sim_vcpu *v, unsigned int cpu)
{
    return cpumask_test(&v->unit.dom->pool->cpus, cpu) &&
           cpumask_test(&v->unit.hard_affinity, cpu);
}

static void check_vcpu(struct sim_run *r, struct sim_vcpu *v, bool settled)
{
    bool waiting = sched_unit_runnable(&v->unit) && v->on_cpu == NR_CPUS;
    const char *s;

    if ( !waiting )
    {
        v->wait_since = -1;
        return;
    }
    if ( v->wait_since < 0 )
        v->wait_since = r->now;
    if ( r->sc->starvation_ns &&
         r->now - v->wait_since > r->sc->starvation_ns &&
         promises_progress(v) )
        violation("d%u v%u (%s) runnable but off-CPU for %lld ns, more "
                  "than the %lld ns starvation bound", v->unit.dom->domid,
                  v->id, sched_of(v), (long long)(r->now - v->wait_since),
                  (long long)r->sc->starvation_ns);
    if ( !settled )
        return;
    s = sched_of(v);
    if ( work_conserving(s) && !v->dom->cap )
    {
        unsigned int cpu;

        for_each_cpu(cpu, v->unit.dom->pool->cpus)
            if ( !r->pcpus[cpu].curr && could_run_on(v, cpu) )
                violation("CPU%u idles while d%u v%u (%s) waits and may "
                          "run there", cpu, v->unit.dom->domid, v->id, s);
    }
    else if ( !strcmp(s, "null") && v->unit.last_cpu < NR_CPUS &&
              v->unit.res == v->unit.last_cpu &&
              r->pcpus[v->unit.last_cpu].last_seen == v &&
              !r->pcpus[v->unit.last_cpu].curr &&
              could_run_on(v, v->unit.last_cpu) )
        violation("CPU%u, d%u v%u's own pCPU under null, idles while it "
                  "waits", v->unit.last_cpu, v->unit.dom->domid, v->id);
}

void check_event(struct sim_run *r, int64_t next_event)
{
    /* Work conservation holds between instants, not while the events of
     * one (a wake, then the reschedule it asked for) are handled. */
    bool settled = next_event > r->now;

    if ( !r->check_all )
        return;
    check_pcpus(r, settled);
    for ( size_t i = 0; i < r->sc->ndomains; i++ )
        for ( size_t k = 0; k < r->doms[i].nvcpus; k++ )
            check_vcpu(r, &r->doms[i].vcpus[k], settled);
}
