/* SPDX-License-Identifier: MIT */
/*
 * The vCPU hypercalls (core/hypercall): sched_op, vcpu_op, set_timer_op
 * and hvm_op, with the per-vCPU state behind them -- the singleshot and
 * periodic timers that raise VIRQ_TIMER, the guest's registered
 * vcpu_info and runstate areas, the per-vCPU upcall vector -- and the
 * per-domain HVM parameters (xen-abi-facts §1.1, §1.5, §1.6).
 *
 * vcpu_ops_init() (boot phase 6, after the scheduler and event channels)
 * registers the per-domain state as domain hooks and the scheduler's
 * switch hook, which calls arch_vcpu_switch() and keeps the runstate
 * areas current, as Xen updates them at every context switch.
 */
#ifndef ORRERY_VCPU_OPS_H
#define ORRERY_VCPU_OPS_H

#include <orrery/hypercall.h>
#include <orrery/types.h>

struct domain;
struct vcpu;

/* Boot: domains onto pool 0 (domain_sched_register), this state's domain
 * hooks and the switch hook. Panics on failure. */
void vcpu_ops_init(void);
/* Just this state's hooks, without panicking (tests): 0 or
 * domain_register_hooks()'s error. */
int vcpu_ops_register(void);

/* Boot: the test domains testdoms= asks for (test_domains.c). */
void test_domains_create(void);

int64_t do_sched_op(struct vcpu *v, struct hypercall_regs *r);
int64_t do_vcpu_op(struct vcpu *v, struct hypercall_regs *r);
int64_t do_set_timer_op(struct vcpu *v, struct hypercall_regs *r);
int64_t do_hvm_op(struct vcpu *v, struct hypercall_regs *r);

/* Xen's bounds for VCPUOP_set_periodic_timer: 1 ms, and a period that
 * cannot overflow now + period for 200 years of uptime (2^62 - 1 ns). */
#define VCPU_PERIODIC_MIN_NS 1000000LL
#define VCPU_PERIODIC_MAX_NS ((int64_t)(~0ULL >> 2))
/* set_timer_op: a deadline more than 2^50 ns ahead is taken as a guest's
 * wrapped time and replaced by now + 100 ms, as Xen does. */
#define SET_TIMER_OP_MAX_AHEAD (1LL << 50)
#define SET_TIMER_OP_FALLBACK_NS 100000000LL
/* SCHEDOP_poll: at most this many ports per call (Xen's limit). */
#define SCHED_POLL_MAX_PORTS 128
/* HVMOP_set_evtchn_upcall_vector: vectors below are exceptions. */
#define HVM_UPCALL_VECTOR_MIN 0x10

/* ---- State, for the platform and for tests ------------------------------ */

/* @v's vector from HVMOP_set_evtchn_upcall_vector, 0 if none. */
uint8_t vcpu_upcall_vector(const struct vcpu *v);
/* Is a singleshot / periodic timer armed for @v? Its deadline. */
bool vcpu_singleshot_pending(const struct vcpu *v, s_time_t *deadline);
bool vcpu_periodic_pending(const struct vcpu *v, s_time_t *deadline);
/* @d's HVM parameter @index (0 when never set or out of range). */
uint64_t hvm_param_read(const struct domain *d, unsigned int index);
/* Set by the domain builder (no access check). -EINVAL out of range. */
int hvm_param_write(struct domain *d, unsigned int index, uint64_t value);

/* The guest runstate area of @v now (what a switch writes); -ENOENT if
 * none registered. Tests and the switch hook use it. */
int vcpu_runstate_area_update(struct vcpu *v);

#endif /* ORRERY_VCPU_OPS_H */
