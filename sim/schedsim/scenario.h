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

struct scn_phase {
    int64_t run_ns;             /* CPU time to consume */
    int64_t sleep_ns;           /* then blocked this long (0: none) */
};

struct scn_vcpu {
    cpumask_t hard, soft;
    bool cpu_bound;             /* always runnable */
    bool random;                /* phase lengths exponential, mean as given */
    size_t nphases;
    struct scn_phase *phases;   /* repeated in a loop */
};

struct scn_domain {
    char name[SCN_NAME_LEN];
    unsigned int pool;
    uint32_t weight;            /* 0: the scheduler's default */
    uint32_t cap;
    size_t nvcpus;
    struct scn_vcpu *vcpus;
};

struct scn_pool {
    unsigned int id;
    char sched[16];             /* "": the run's scheduler */
    cpumask_t cpus;
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
    int64_t duration_ns;
    char sched[16];             /* pool 0's scheduler ("": sched= default) */
    int64_t decision_ns;        /* pCPU time each scheduling decision costs */
    int64_t switch_ns;          /* ... and each context switch on top */
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
