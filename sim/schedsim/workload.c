/* SPDX-License-Identifier: MIT */
/*
 * What a simulated vCPU does (scenario "workload"): burn CPU for ever,
 * run and sleep in phases, or run periodic real-time jobs; the engine
 * calls in when a run phase is used up, a sleep ends or a job comes out.
 */
#include <math.h>

#include "engine_int.h"
#include "trace.h"

static uint64_t rng;

void rng_seed(uint64_t seed)
{
    rng = seed * 0x9e3779b97f4a7c15ULL + 1;
}

/* xorshift64*: small, fast, and the same everywhere. */
static double rand01(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (double)((rng * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

int64_t draw(const struct scn_vcpu *s, int64_t mean)
{
    if ( !s->random || mean == 0 )
        return mean;
    return (int64_t)(-(double)mean * log(1.0 - rand01())) + 1;
}

void workload_start(struct sim_vcpu *v)
{
    if ( v->spec->periodic )
    {
        /* Job 0 comes out at time 0, with the vCPU. */
        v->remaining = v->spec->job.c_ns;
        v->jobs_released = 1;
        push(v->spec->job.t_ns, EV_RELEASE, 0, 0, v);
    }
    else if ( !v->spec->cpu_bound )
        v->remaining = draw(v->spec, v->spec->phases[0].run_ns);
}

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
        trace_vcpu(TRC_SCHED_BLOCK, v);
        sched_unit_block(&v->unit, cur->now);
    }
}

/* Job number jobs_released comes out; the vCPU wakes if it was idle. */
void job_release(struct sim_vcpu *v)
{
    bool idle = v->jobs_released == v->jobs_done;

    v->jobs_released++;
    push(cur->now + v->spec->job.t_ns, EV_RELEASE, 0, 0, v);
    if ( idle )
        wake(v);
}

static void block(struct sim_vcpu *v)
{
    v->gen++;
    trace_vcpu(TRC_SCHED_BLOCK, v);
    sched_unit_block(&v->unit, cur->now);
}

/* An event-channel-like notification: wakes @t if it waits for one, else
 * stays pending (several coalesce, as an event channel's pending bit). */
static void notify(struct sim_vcpu *t)
{
    if ( t->waiting_notify )
    {
        t->waiting_notify = false;
        wake(t);
    }
    else
        t->notify_pending = true;
}

/*
 * @v used up the run of its phase: notify if the phase says so, go on to
 * the next phase (the loop counted), and wait as the phase says -- for a
 * time, a timer period boundary or a notification -- or run on.
 */
void run_done(struct sim_vcpu *v)
{
    const struct scn_phase *ph;
    int64_t until = -1;
    bool blocks = false;

    account(v);
    if ( v->spec->periodic )
    {
        job_done(v);
        return;
    }
    ph = &v->spec->phases[v->phase];
    if ( ph->notify )
        notify(&cur->doms[ph->notify_dom].vcpus[ph->notify_vcpu]);
    if ( ++v->phase == v->spec->nphases )
    {
        v->phase = 0;
        v->loops_done++;
        if ( v->spec->loops >= 0 &&
             v->loops_done >= (uint64_t)v->spec->loops )
        {
            /* Its loops are done (rt-app's thread ends): blocked for
             * good, even to notifications. */
            block(v);
            return;
        }
    }
    v->remaining = draw(v->spec, v->spec->phases[v->phase].run_ns);
    if ( ph->wait )
    {
        blocks = !v->notify_pending;
        v->notify_pending = false;
        v->waiting_notify = blocks;
    }
    else if ( ph->timer_ns )
    {
        /* rt-app's timer: the next boundary after the last one; a late
         * task runs on at once and keeps the grid. */
        v->timer_next += ph->timer_ns;
        if ( v->timer_next > cur->now )
        {
            blocks = true;
            until = v->timer_next;
        }
    }
    else if ( ph->sleep_ns > 0 )
    {
        blocks = true;
        until = cur->now + draw(v->spec, ph->sleep_ns);
    }
    if ( blocks )
    {
        block(v);
        if ( until >= 0 )
            push(until, EV_WAKE, 0, 0, v);
    }
    else
        push(v->useful_from + v->remaining, EV_RUN_DONE, 0, v->gen, v);
}

void wake(struct sim_vcpu *v)
{
    v->wakes++;
    trace_vcpu(TRC_SCHED_WAKE, v);
    sched_unit_wake(&v->unit, cur->now);
    v->woke_at = sched_unit_runnable(&v->unit) ? cur->now : -1;
}
