/* SPDX-License-Identifier: MIT */
/*
 * Fixtures for the vCPU hypercall tests: the whole chain as at boot --
 * pool 0 running credit on VO_CPUS simulated CPUs, the schedule softirq,
 * domains joined to the scheduler, event channels, the vCPU hypercall
 * state -- and two domains: a control domain d0 and a domU u1, each with
 * VO_VCPUS vCPUs and RAM at gfns 0 .. VO_RAM_PAGES-1, unpaused.
 *
 * Time is virtual: vo_run_until() moves it deadline by deadline and runs
 * the softirqs (timers, schedule) at each, so every event happens at its
 * exact time.
 */
#ifndef VO_TEST_H
#define VO_TEST_H

#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/event.h>
#include <orrery/hypercall.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/sched.h>
#include <orrery/softirq.h>
#include <orrery/timer.h>
#include <orrery/vcpu_ops.h>
#include <orrery/vcpu_sched.h>
#include <orrery/xsm.h>
#include <public/hvm/params.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>
#include <sim/sim.h>

#include "orr_sim_heap.h"
#include "orr_test.h"

#define VO_CPUS 1
#define VO_VCPUS 2
#define VO_RAM_PAGES 16
#define VO_GFN_HOLE 40          /* nothing mapped there */
#define VO_ARG 0x1000           /* where tests put hypercall arguments */

extern struct domain *vo_d0, *vo_u1;

extern CU_TestInfo join_tests[];
extern CU_TestInfo sched_op_tests[];
extern CU_TestInfo poll_tests[];
extern CU_TestInfo vcpu_op_tests[];
extern CU_TestInfo timer_tests[];
extern CU_TestInfo area_tests[];
extern CU_TestInfo hvm_op_tests[];
extern CU_TestInfo join_fail_tests[];
extern CU_TestInfo smp_tests[];
extern CU_TestInfo vcpu_init_tests[];
extern CU_TestInfo vcpu_init_ipi_tests[];
extern CU_TestInfo watchdog_tests[];
/* The join-fail suite: no domains, hooks registered by each test. */
void vo_fail_setup(void);
void vo_fail_teardown(void);

/* The sim heap, set up once per program (every suite shares it). */
void vo_heap(void);
void vo_setup(void);
/* The same on @cpus CPUs (pool 0 over all of them). */
void vo_setup_cpus(unsigned int cpus);
void vo_setup_smp(void);            /* 2 CPUs */
void vo_teardown(void);

/* A domain like u1 (@flags: ORR_CDF_*), unpaused; destroy it yourself. */
struct domain *vo_domain(uint32_t flags, unsigned int vcpus);

/* Host pointer to guest address @gaddr of @d (RAM only). */
void *vo_guest_ptr(struct domain *d, uint64_t gaddr);
/* Copy @len bytes to guest address @gaddr of @d. */
void vo_poke(struct domain *d, uint64_t gaddr, const void *src, size_t len);

/* Hypercall @nr from vCPU @vcpu of @d (on the CPU the test is on). */
int64_t vo_call(struct domain *d, unsigned int vcpu, uint64_t nr,
                uint64_t a0, uint64_t a1, uint64_t a2);

/* Move virtual time to @t (absolute), firing each deadline on its time
 * and running the softirqs there. */
void vo_run_until(s_time_t t);
/* Run the softirqs due now (a wake-up's reschedule). */
void vo_settle(void);

/* Bind VIRQ @virq of @d's vCPU @vcpu to a fresh port; an IPI port. */
evtchn_port_t vo_bind_virq(struct domain *d, unsigned int virq,
                           unsigned int vcpu);
evtchn_port_t vo_bind_ipi(struct domain *d, unsigned int vcpu);
bool vo_port_pending(const struct domain *d, evtchn_port_t port);
void vo_clear_port(struct domain *d, evtchn_port_t port);

/* VCPUOP_initialise of @d's vCPU @target from its vCPU 0 with a good
 * 64-bit start state (test_vcpu_init.c): the hypercall's result. */
int64_t vo_initialise(struct domain *d, unsigned int target);

/* The invariant of orrery/vcpu_sched.h for every vCPU of @d. */
void vo_check_join(const struct domain *d);

#endif
