/* SPDX-License-Identifier: MIT */
/*
 * A schedsim scenario: the host, its cpupools, the domains and what each
 * vCPU does, read from a JSON file (format: docs/schedsim.md). Every
 * mistake in the file is reported as "file:line: message".
 */
#ifndef SCHEDSIM_SCENARIO_H
#define SCHEDSIM_SCENARIO_H

#include <stdint.h>
#include <orrery/sched.h>

#define SCN_NAME_LEN 32

/*
 * One phase of a vCPU's loop: run, then tell another vCPU (an event
 * channel's notify), then wait: for @sleep_ns, for the next @timer_ns
 * period boundary, or for a notification -- or not at all.
 */
struct scn_phase {
    int64_t run_ns;             /* CPU time to consume (0: none) */
    int64_t sleep_ns;           /* then blocked this long (0: none) */
    int64_t timer_ns;           /* or until the next period (rt-app timer) */
    bool wait;                  /* or until notified */
    bool notify;                /* notify (domain, vcpu) after the run */
    char notify_name[SCN_NAME_LEN];
    unsigned int notify_line;
    size_t notify_dom;          /* resolved: index in scenario.domains */
    unsigned int notify_vcpu;
};

/* A real-time job of c_ns CPU time released every t_ns, due d_ns after
 * its release (the periodic task model: C, D, T). */
struct scn_periodic {
    int64_t c_ns, d_ns, t_ns;
};

struct scn_vcpu {
    cpumask_t hard, soft;
    bool cpu_bound;             /* always runnable */
    bool periodic;              /* jobs as @job says, blocked in between */
    struct scn_periodic job;
    bool random;                /* phase lengths exponential, mean as given */
    size_t nphases;
    struct scn_phase *phases;   /* repeated in a loop */
    int64_t loops;              /* times through the phases; -1: for ever */
};

/* RTDS parameters of every vCPU of a domain (sched.h .u.rtds). */
struct scn_rtds {
    bool set;
    int64_t period_us, budget_us;   /* -1: the scheduler's default */
    int extratime;                  /* -1: default, else 0/1 */
};

struct scn_domain {
    char name[SCN_NAME_LEN];
    unsigned int pool;
    uint32_t weight;            /* 0: the scheduler's default */
    uint32_t cap;
    struct scn_rtds rtds;       /* used when its pool runs rtds */
    size_t nvcpus;
    struct scn_vcpu *vcpus;
};

/* One minor frame of an ARINC653 major frame. */
struct scn_a653_entry {
    char domain[SCN_NAME_LEN];
    unsigned int line;          /* where the file names it */
    size_t dom;                 /* index in scenario.domains (resolved) */
    unsigned int vcpu;
    int64_t runtime_ns;
};

/*
 * Pool parameters, one set per scheduler so that a scenario can carry
 * them all and still run under --sched all: each applies only when the
 * pool runs that scheduler. -1: keep the scheduler's default.
 */
struct scn_pool_params {
    bool credit;
    int64_t credit_tslice_ms, credit_ratelimit_us;
    bool credit2;
    int credit2_runqueue;       /* enum credit2_runqueue or -1 */
    int64_t credit2_ratelimit_us;
    bool arinc653;
    int64_t major_frame_ns;
    unsigned int nr_entries;
    struct scn_a653_entry entry[ARINC653_MAX_ENTRIES];
};

struct scn_pool {
    unsigned int id;
    char sched[16];             /* "": the run's scheduler */
    cpumask_t cpus;
    struct scn_pool_params params;
};

enum scn_action { SCN_PAUSE, SCN_UNPAUSE, SCN_MOVE, SCN_WEIGHT, SCN_CAP };

struct scn_event {
    int64_t at_ns;
    enum scn_action action;
    size_t domain;
    unsigned int value;         /* pool, weight or cap */
};

struct scenario {
    const char *file;
    unsigned int pcpus;
    bool has_topology;          /* else each pCPU its own core, node 0 */
    struct cpu_topology topo[NR_CPUS];
    int64_t duration_ns;
    char sched[16];             /* pool 0's scheduler ("": sched= default) */
    int64_t decision_ns;        /* pCPU time each scheduling decision costs */
    int64_t switch_ns;          /* ... and each context switch on top */
    int64_t starvation_ns;      /* longest wait for a pCPU allowed (0: any) */
    size_t npools;              /* pool 0 first */
    struct scn_pool *pools;
    size_t ndomains;
    struct scn_domain *domains;
    size_t nevents;             /* sorted by time */
    struct scn_event *events;
};

/* Read @file; false after printing "file:line: message" to stderr. */
bool scenario_load(const char *file, struct scenario *sc);
void scenario_free(struct scenario *sc);

#endif
