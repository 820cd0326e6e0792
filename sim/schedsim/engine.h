/* SPDX-License-Identifier: MIT */
/*
 * The discrete-event driver: virtual time, one event heap, the scheduler
 * hooks called per simulated pCPU. No coroutines and no timers of the
 * sim platform: a pCPU is just "what runs, until when".
 */
#ifndef SCHEDSIM_ENGINE_H
#define SCHEDSIM_ENGINE_H

#include <stdint.h>
#include <orrery/sched.h>

#include "scenario.h"

struct sim_vcpu {
    struct sched_unit unit;
    struct sim_domain *dom;
    const struct scn_vcpu *spec;
    unsigned int id;
    size_t phase;
    int64_t remaining;          /* CPU time left in this run phase */
    uint64_t loops_done;        /* times through its phases */
    int64_t timer_next;         /* last rt-app timer boundary */
    bool waiting_notify;        /* blocked until notified */
    bool notify_pending;        /* a notification not waited for yet */
    int64_t start;              /* when it got its pCPU (useful work from
                                   start + overhead) */
    int64_t useful_from;
    unsigned int on_cpu;        /* NR_CPUS: not running */
    uint32_t gen;               /* invalidates its pending run-done event */
    int64_t woke_at;            /* -1: not waiting since a wake */
    int64_t wait_since;         /* runnable, off-CPU since (-1: not) */
    unsigned int traced_state;  /* runstate last written to the trace */
    int64_t on_since;           /* on its pCPU since (timeline) */
    bool paused_by_event;

    /* Periodic jobs: job k is released at k * T, due at k * T + D, and
     * they run in order, so counters say which one is current. */
    uint64_t jobs_released, jobs_done, deadline_misses;
    int64_t *resp;              /* response times of the finished jobs */
    size_t nresp, resp_cap;

    /* Metrics */
    int64_t cpu_ns;             /* useful CPU time */
    int64_t oncpu_ns;           /* time on a pCPU, overhead included */
    uint64_t switches, migrations, wakes;
    uint64_t cpus_used;         /* bitmask of pCPUs it ran on */
    int64_t *lat;               /* wake-to-run latencies */
    size_t nlat, lat_cap;
};

struct sim_domain {
    struct sched_domain sdom;
    const struct scn_domain *spec;
    struct sim_vcpu *vcpus;
    size_t nvcpus;
    unsigned int first_pool;
    uint32_t weight, cap;       /* now (events change them); 0: default */
    char first_sched[16];       /* its pool's scheduler at the start */
    char last_sched[16];        /* ... and at the end */
};

struct sim_pcpu {
    uint32_t gen;               /* invalidates its pending slice event */
    struct sim_vcpu *curr;
    int64_t busy_ns;            /* time some vCPU was on it */
    int64_t idle_ns;            /* ... and none, up to @idle_since */
    int64_t idle_since;
    uint64_t switches;
    uint64_t distinct;          /* bitmask over (domain, vcpu) seen: a
                                   count is kept in @nr_distinct */
    unsigned int nr_distinct;
    struct sim_vcpu *last_seen;
    /* Runqueue length (runnable vCPUs queued here, not running),
     * sampled every SIM_SAMPLE_NS of virtual time. */
    uint64_t rq_sum;
    unsigned int rq_max;
};

#define SIM_SAMPLE_NS 1000000           /* 1 ms */

struct sim_run {
    const struct scenario *sc;
    const char *sched;          /* scheduler of pool 0 */
    uint64_t seed;
    int64_t duration;
    int64_t now;
    struct sim_domain *doms;
    struct sim_pcpu pcpus[NR_CPUS];
    uint64_t events;            /* events processed */
    uint64_t decisions;
    uint64_t samples;           /* runqueue samples taken */
    double wall_s;
    double cpu_s;               /* host CPU time (wall_s counts waits for
                                   a host core too) */
    int violations;             /* invariant failures (reported) */
    bool check_all;             /* invariants on every event (check.c) */
    struct trace *trace;        /* NULL: not tracing */
    bool timeline;
    struct sim_seg *segs;       /* in the order the stints ended */
    size_t nsegs, segs_cap;
    bool segs_truncated;        /* SIM_TIMELINE_MAX reached */
    const char *event;          /* what is being processed, for reports */
};

/* How to run (NULL: the defaults). */
struct sim_opts {
    bool check_all;             /* invariants after every event (test
                                   builds always check them) */
    const char *trace;          /* write an xentrace file here (trace.c) */
    bool timeline;              /* keep every stint of a vCPU on a pCPU */
};

/* A vCPU's stint on a pCPU (the timeline, for Gantt charts). */
struct sim_seg {
    int64_t start, end;
    uint16_t cpu, dom;          /* dom: index in scenario.domains */
    uint16_t vcpu;
};
#define SIM_TIMELINE_MAX (1u << 21)     /* stints kept, at most */

/* Run @sc with pool 0 on @sched; false on a setup error (printed). */
bool sim_run(struct sim_run *r, const struct scenario *sc, const char *sched,
             uint64_t seed, int64_t duration, const struct sim_opts *opts);
void sim_run_free(struct sim_run *r);

#endif
