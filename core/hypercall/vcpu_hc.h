/* SPDX-License-Identifier: MIT */
/* Between the vCPU hypercall files: the state they keep per vCPU and per
 * domain (v->hc_priv, d->hc_priv), made by the domain hooks in
 * vcpu_state.c. */
#ifndef VCPU_HC_H
#define VCPU_HC_H

#include <orrery/domain.h>
#include <orrery/timer.h>
#include <orrery/vcpu_ops.h>

#include <public/hvm/params.h>

struct page_info;

struct vcpu_hc {
    struct vcpu *v;
    /* Has a start state: vCPU 0 from its builder, the others once
     * VCPUOP_initialise succeeded (Xen's is_initialised; under the
     * domain's lock). VCPUOP_up needs it. */
    bool initialised;
    struct timer singleshot;        /* VCPUOP_set_singleshot_timer */
    struct timer periodic;          /* VCPUOP_set_periodic_timer */
    s_time_t period;                /* 0: no periodic timer */
    s_time_t periodic_last;         /* when it last ticked */

    bool runstate_registered;       /* VCPUOP_register_runstate_... */
    uint64_t runstate_gaddr;

    /* VCPUOP_register_vcpu_info: the page holding it (a reference is
     * held while registered), or NULL while v->vcpu_info is the one in
     * shared_info (or none). */
    struct page_info *vcpu_info_page;

    uint8_t upcall_vector;          /* HVMOP_set_evtchn_upcall_vector */

    struct test_vcpu *test;         /* testdoms= workload, or NULL */
};

#define SHUTDOWN_CODE_NONE (-1)

/* SCHEDOP_watchdog's timers (watchdog.c): Xen gives a domain two. */
#define NR_SCHED_WATCHDOGS 2

struct sched_watchdog_timer {
    struct domain *d;
    unsigned int id;                /* 1-based, as the guest names it */
    struct timer timer;
};

struct domain_hc {
    uint64_t params[HVM_NR_PARAMS];
    int shutdown_code;              /* SCHEDOP_shutdown_code, or NONE */
    unsigned int watchdog_inuse;    /* bit i: watchdog[i] taken */
    struct sched_watchdog_timer watchdog[NR_SCHED_WATCHDOGS];
};

static inline struct vcpu_hc *vhc(const struct vcpu *v)
{
    return v->hc_priv;
}

static inline struct domain_hc *dhc(const struct domain *d)
{
    return d->hc_priv;
}

/* vcpu_timer.c: arm/stop the timers; the CPU is the caller's. */
void vcpu_timers_init(struct vcpu_hc *h);
void vcpu_timers_kill(struct vcpu_hc *h);
void vcpu_singleshot_set(struct vcpu_hc *h, s_time_t deadline);
void vcpu_singleshot_stop(struct vcpu_hc *h);
void vcpu_periodic_set(struct vcpu_hc *h, s_time_t period);
/* The scheduler switched @h's vCPU in (@in) or out on this CPU. */
void vcpu_periodic_switch(struct vcpu_hc *h, bool in);

/* vcpu_area.c */
int vcpu_register_vcpu_info(struct vcpu *v, uint64_t gfn, uint32_t offset);
void vcpu_area_release(struct vcpu *v);
int vcpu_register_runstate(struct vcpu *v, uint64_t gaddr);
/* The runstate as the ABI reports it, times up to @now when @now_incl. */
struct vcpu_runstate_info;
void vcpu_runstate_get(const struct vcpu *v, struct vcpu_runstate_info *ri,
                       bool up_to_now);

/* test_domains.c: @v (a test domain's) was just switched in; a test
 * vCPU's workload freed with its domain. */
void test_vcpu_switched_in(struct vcpu *v);
void test_vcpu_free(struct test_vcpu *t);

/* sched_op.c: the shutdown path every caller takes (the code of a
 * SCHEDOP_shutdown_code overrides @reason, as Xen's domain_shutdown). */
int vcpu_domain_shutdown(struct domain *d, unsigned int reason);

/* watchdog.c: SCHEDOP_watchdog, and its timers' life with the domain. */
int64_t sched_watchdog_op(struct vcpu *v, uint64_t arg);
void sched_watchdog_init(struct domain *d, struct domain_hc *dh);
void sched_watchdog_kill(struct domain_hc *dh);

#endif
