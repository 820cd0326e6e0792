/* SPDX-License-Identifier: MIT */
/*
 * What the engine records besides the metrics: xentrace records
 * (trace.c writes them), the timeline of stints for Gantt charts,
 * runqueue-length samples, and the words naming the current event for
 * invariant reports.
 */
#include <stdio.h>
#include <stdlib.h>

#include <orrery/sched-if.h>

#include "engine_int.h"
#include "trace.h"

void trace_vcpu(uint32_t event, const struct sim_vcpu *v)
{
    uint32_t w[2] = { v->unit.dom->domid, v->id };

    if ( cur->trace )
        trace_rec(cur->trace, v->on_cpu < NR_CPUS ? v->on_cpu : v->unit.res,
                  cur->now, event, 2, w);
}

/* Runstate changes since the last look, as TRC_SCHED_RUNSTATE_CHANGE
 * records: (domain << 16 | vCPU, old state, new state). */
void trace_runstates(struct sim_run *r)
{
    for ( size_t i = 0; i < r->sc->ndomains; i++ )
        for ( size_t k = 0; k < r->doms[i].nvcpus; k++ )
        {
            struct sim_vcpu *v = &r->doms[i].vcpus[k];
            uint32_t w[3] = { (uint32_t)v->unit.dom->domid << 16 | v->id,
                              v->traced_state, v->unit.runstate.state };

            if ( w[1] == w[2] )
                continue;
            trace_rec(r->trace, v->on_cpu < NR_CPUS ? v->on_cpu
                                                    : v->unit.res,
                      r->now, TRC_SCHED_RUNSTATE_CHANGE, 3, w);
            v->traced_state = w[2];
        }
}

void trace_switch(unsigned int cpu, const struct sim_vcpu *prev,
                         const struct sim_vcpu *next)
{
    uint32_t w[4] = {
        prev ? prev->unit.dom->domid : TRACE_DOMID_IDLE,
        prev ? prev->id : cpu,
        next ? next->unit.dom->domid : TRACE_DOMID_IDLE,
        next ? next->id : cpu };

    if ( prev != next )
        trace_rec(cur->trace, cpu, cur->now, TRC_SCHED_SWITCH, 4, w);
    else if ( next )
        trace_rec(cur->trace, cpu, cur->now, TRC_SCHED_CONTINUE_RUNNING, 2,
                  w + 2);
}

/* @v's stint on @cpu ends now. */
void timeline_end(struct sim_vcpu *v, unsigned int cpu)
{
    struct sim_run *r = cur;

    if ( !r->timeline || r->now == v->on_since )
        return;
    if ( r->nsegs == SIM_TIMELINE_MAX )
    {
        r->segs_truncated = true;
        return;
    }
    if ( r->nsegs == r->segs_cap )
    {
        r->segs_cap = r->segs_cap ? r->segs_cap * 2 : 4096;
        r->segs = realloc(r->segs, r->segs_cap * sizeof(*r->segs));
        if ( !r->segs )
        {
            fprintf(stderr, "schedsim: out of memory\n");
            exit(1);
        }
    }
    r->segs[r->nsegs++] = (struct sim_seg){
        .start = v->on_since, .end = r->now, .cpu = (uint16_t)cpu,
        .dom = (uint16_t)(v->dom - r->doms), .vcpu = (uint16_t)v->id };
}

/* Runqueue lengths now: the runnable vCPUs not running, by the pCPU
 * the scheduler queued them on. The state only changes at events, so
 * sampling before the first event past a sample time is exact. */
void sample(struct sim_run *r)
{
    unsigned int len[NR_CPUS] = { 0 };

    for ( size_t i = 0; i < r->sc->ndomains; i++ )
        for ( size_t k = 0; k < r->doms[i].nvcpus; k++ )
        {
            const struct sim_vcpu *v = &r->doms[i].vcpus[k];

            if ( v->on_cpu == NR_CPUS && sched_unit_runnable(&v->unit) &&
                 v->unit.res < NR_CPUS )
                len[v->unit.res]++;
        }
    for ( unsigned int c = 0; c < r->sc->pcpus; c++ )
    {
        r->pcpus[c].rq_sum += len[c];
        if ( len[c] > r->pcpus[c].rq_max )
            r->pcpus[c].rq_max = len[c];
    }
    r->samples++;
}

/* The event being handled, in words, for invariant reports. */
const char *describe(const struct event *e)
{
    static char buf[96];
    static const char *const what[] = {
        [EV_RUN_DONE] = "used up its run", [EV_WAKE] = "wakes",
        [EV_RELEASE] = "gets a job" };
    const struct sim_vcpu *v = e->p;

    switch ( e->type )
    {
    case EV_SCHED:
    case EV_RESCHED:
        snprintf(buf, sizeof(buf), "CPU%u %s", e->idx,
                 e->type == EV_SCHED ? "slice ends" : "reschedule");
        break;
    case EV_SCN:
        snprintf(buf, sizeof(buf), "scenario event %u", e->idx);
        break;
    default:
        snprintf(buf, sizeof(buf), "d%u v%u %s", v->unit.dom->domid, v->id,
                 what[e->type]);
    }
    return buf;
}
