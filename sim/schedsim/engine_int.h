/* SPDX-License-Identifier: MIT */
/*
 * What the parts of schedsim's engine share (engine.c: the loop and the
 * pCPUs; evq.c: the event queue; workload.c: what vCPUs do; setup.c: the
 * machine, pools, domains and scenario events). Not for main.c.
 */
#ifndef SCHEDSIM_ENGINE_INT_H
#define SCHEDSIM_ENGINE_INT_H

#include "engine.h"

enum ev_type { EV_SCHED, EV_RESCHED, EV_RUN_DONE, EV_WAKE, EV_RELEASE,
               EV_SCN };

struct event {
    int64_t t;
    uint64_t seq;
    uint32_t type, gen, idx;
    void *p;
};

/* The run in progress (one at a time). */
extern struct sim_run *cur;

/* Event queue: by time, then by the order queued (evq.c). */
void evq_reset(void);
void push(int64_t t, uint32_t type, uint32_t idx, uint32_t gen, void *p);
bool evq_next(int64_t until, struct event *e);
/* The time of the next event, INT64_MAX if none. */
int64_t evq_peek(void);

/* Seeded random numbers (workload.c). */
void rng_seed(uint64_t seed);
int64_t draw(const struct scn_vcpu *s, int64_t mean);

/* vCPU behaviour (workload.c). */
void run_done(struct sim_vcpu *v);
void wake(struct sim_vcpu *v);
void job_release(struct sim_vcpu *v);
/* Start @v's workload at time 0 (before its unit is up). */
void workload_start(struct sim_vcpu *v);

/* observe.c */
void trace_runstates(struct sim_run *r);
void trace_switch(unsigned int cpu, const struct sim_vcpu *prev,
                  const struct sim_vcpu *next);
/* @v's stint on @cpu ends now (the timeline, if kept). */
void timeline_end(struct sim_vcpu *v, unsigned int cpu);
/* Take one runqueue-length sample (every SIM_SAMPLE_NS). */
void sample(struct sim_run *r);
/* The event @e in words, for invariant reports. */
const char *describe(const struct event *e);

/* check.c: report a broken invariant and end the run (exit 1). */
void violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* engine.c */
/* A trace record about @v (its domain and vCPU ids) if tracing. */
void trace_vcpu(uint32_t event, const struct sim_vcpu *v);
void account(struct sim_vcpu *v);
void on_resched(unsigned int cpu);
void append(int64_t **a, size_t *n, size_t *cap, int64_t x);

/* setup.c */
bool setup(struct sim_run *r);
void scenario_event(const struct scn_event *e);

#endif
