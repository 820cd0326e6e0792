/* SPDX-License-Identifier: MIT */
/*
 * The in-tree test-guest library: what a test kernel can use. A test is
 * one file defining test_main(); it reports with check()/fail() and the
 * library prints exactly one `Test result: ...` line and shuts the domain
 * down (XTF's convention, so the boot runner reads both the same way).
 */
#ifndef GUEST_H
#define GUEST_H

#include <orrery/types.h>

#include <public/hvm/start_info.h>

/* The test's name and body. */
extern const char test_title[];
void test_main(const struct hvm_start_info *si);

/* Results: a failed check marks the test FAILURE but carries on. */
void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);
void skip(const char *why);

/* Output, through console_io. */
void printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The TSC; rdtsc_ordered() first waits for what came before it (LFENCE),
 * for timing that. */
static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    asm volatile ( "rdtsc" : "=a" (lo), "=d" (hi) );
    return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t rdtsc_ordered(void)
{
    uint32_t lo, hi;

    asm volatile ( "lfence; rdtsc" : "=a" (lo), "=d" (hi) :: "memory" );
    return ((uint64_t)hi << 32) | lo;
}

/* CPUID and MSRs. */
void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]);
uint64_t rdmsr(uint32_t msr);
void wrmsr(uint32_t msr, uint64_t val);

/* The Xen CPUID base found at start-up (0x40000000 ...). */
extern uint32_t xen_cpuid_base;

/* Hypercalls through the hypercall page (installed at start-up), and
 * directly with VMMCALL. */
extern uint8_t hypercall_page[4096];
long hypercall(unsigned int nr, unsigned long a1, unsigned long a2,
               unsigned long a3, unsigned long a4, unsigned long a5);
long hypercall_vmmcall(unsigned int nr, unsigned long a1, unsigned long a2,
                       unsigned long a3);

#define hypercall2(nr, a, b) hypercall(nr, (unsigned long)(a), \
                                       (unsigned long)(b), 0, 0, 0)
#define hypercall3(nr, a, b, c) hypercall(nr, (unsigned long)(a), \
                                          (unsigned long)(b), \
                                          (unsigned long)(c), 0, 0)

/* shared_info, mapped on first use; Xen system time from its pvclock. */
struct shared_info;
volatile struct shared_info *shared_info(void);
uint64_t now_ns(void);
void spin_ns(uint64_t ns);

/* The command line: where `key` first stands (or NULL), and the decimal
 * number after it (false when the key is missing). */
const char *cmdline_find(const char *cmdline, const char *key);
bool cmdline_number(const char *cmdline, const char *key, unsigned long *val);

/* HVM params of our own domain. hvm_param() panics when the get fails. */
long hvm_get_param(uint32_t index, uint64_t *val);
long hvm_set_param(uint32_t index, uint64_t val);
uint64_t hvm_param(uint32_t index);
/* The event-channel upcall as a vector (HVM_PARAM_CALLBACK_IRQ). */
long hvm_set_callback_vector(uint8_t vector);

/* 2-level event channels: pending bits in shared_info; evtchn_notify()
 * check()s the send; evtchn_wait() polls up to @timeout_ns for @port
 * (panics when it does not come) and clears it. */
long evtchn_op(unsigned int cmd, void *arg);
bool evtchn_is_pending(evtchn_port_t port);
void evtchn_clear(evtchn_port_t port);
void evtchn_notify(evtchn_port_t port);
/* VIRQ_TIMER on vCPU 0, and a pair of our own ports bound to each other
 * (an event sent on one is pending on the other); both panic on failure. */
evtchn_port_t evtchn_bind_timer(void);
/* vCPU 0's singleshot timer at Xen system time @abs_ns (check()ed):
 * VIRQ_TIMER then. */
void timer_at(uint64_t abs_ns);
void evtchn_loopback(evtchn_port_t *a, evtchn_port_t *b);
void evtchn_wait(evtchn_port_t port, uint64_t timeout_ns, const char *what);

/* Give our frames @gpfns[0..n) back (XENMEM_decrease_reservation, order
 * 0): the number given back, or an error. */
long decrease_reservation(const uint64_t *gpfns, unsigned int n);

/* Sort @n samples in place (for a median). */
void sort_u64(uint64_t *t, unsigned int n);

#endif /* GUEST_H */
