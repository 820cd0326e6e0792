/* SPDX-License-Identifier: MIT */
/*
 * upcall: event-channel upcalls as interrupts (xen-abi-facts §1.5-1.6).
 * With HVM_PARAM_CALLBACK_IRQ = (2 << 56) | 0xf3 a VIRQ_TIMER event
 * wakes a HLT'd vCPU through vector 0xf3, exactly once; a masked port
 * raises nothing until EVTCHNOP_unmask; an event that arrives while
 * interrupts are off is delivered at STI, not before and not lost; then
 * the same through the per-vCPU vector 0xf4 of
 * HVMOP_set_evtchn_upcall_vector (through the local APIC, with an EOI),
 * and its bad arguments.
 *
 * The handler does what a Xen guest's does: clear upcall_pending, take
 * the selector, and clear (and record) the pending unmasked ports.
 */
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <public/event_channel.h>
#include <public/hvm/params.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>

#include "guest.h"
#include "idt.h"
#include "lapic.h"

const char test_title[] = "upcall: callback vector and per-vCPU vector";

#define CALLBACK_VEC 0xf3
#define PERVCPU_VEC  0xf4

static volatile struct shared_info *shinfo;
static volatile unsigned int hits[256];
static volatile evtchn_port_t last_port;
static volatile uint64_t upcall_tsc;

/* ---- IDT and the interrupt stubs ---------------------------------------- */

void upcall_interrupt(unsigned int vector);

IDT_IRQ_STUB(stub_0xf3, 0xf3, upcall_interrupt);
IDT_IRQ_STUB(stub_0xf4, 0xf4, upcall_interrupt);
extern char stub_0xf3[], stub_0xf4[];

static void load_idt(void)
{
    idt_set_gate(CALLBACK_VEC, stub_0xf3);
    idt_set_gate(PERVCPU_VEC, stub_0xf4);
    idt_load();
}

void upcall_interrupt(unsigned int vector)
{
    volatile struct vcpu_info *vi = &shinfo->vcpu_info[0];
    uint64_t sel;

    upcall_tsc = rdtsc();
    hits[vector & 0xff]++;
    /* The per-vCPU vector comes through the local APIC: EOI it (the
     * callback vector needs none, xen-abi-facts §1.5). */
    if ( vector == PERVCPU_VEC )
        xapic_eoi();
    vi->evtchn_upcall_pending = 0;
    sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    while ( sel )
    {
        unsigned int w = __builtin_ctzll(sel);
        uint64_t bits;

        sel &= sel - 1;
        bits = shinfo->evtchn_pending[w] & ~shinfo->evtchn_mask[w];
        __atomic_fetch_and(&shinfo->evtchn_pending[w], ~bits,
                           __ATOMIC_SEQ_CST);
        if ( bits )
            last_port = w * 64 + __builtin_ctzll(bits);
    }
}

/* ---- Helpers ------------------------------------------------------------ */

static long set_upcall_vector(uint32_t vcpu, uint8_t vector)
{
    struct xen_hvm_evtchn_upcall_vector uv = { .vcpu = vcpu,
                                               .vector = vector };

    return hypercall2(__HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector,
                      &uv);
}

/*
 * HLT with interrupts on until @vec has been taken @want times. STI's
 * shadow covers the HLT, so an upcall pending at STI wakes the HLT
 * rather than being taken before it. A lost upcall hangs here and the
 * boot test times out.
 */
static void hlt_until(unsigned int vec, unsigned int want)
{
    while ( hits[vec] < want )
        asm volatile ( "sti; hlt; cli" ::: "memory" );
}

static bool port_pending(evtchn_port_t p)
{
    return (shinfo->evtchn_pending[p / 64] >> (p % 64)) & 1;
}

static void set_mask(evtchn_port_t p, bool on)
{
    if ( on )
        __atomic_fetch_or(&shinfo->evtchn_mask[p / 64], 1ULL << (p % 64),
                          __ATOMIC_SEQ_CST);
    else
    {
        long rc = evtchn_op(EVTCHNOP_unmask,
                            &(struct evtchn_unmask){ .port = p });

        check(rc == 0, "unmask gave %ld", rc);
    }
}

/* ---- The tests ---------------------------------------------------------- */

static evtchn_port_t timer_port, loop_a, loop_b;

static void bind_ports(void)
{
    timer_port = evtchn_bind_timer();
    evtchn_loopback(&loop_a, &loop_b);
}

static void test_timer(unsigned int vec)
{
    unsigned int before = hits[vec];

    last_port = 0;
    timer_at(now_ns() + 2000000);
    hlt_until(vec, before + 1);
    check(last_port == timer_port, "vector %#x: handler saw port %u, not "
          "the timer's %u", vec, last_port, timer_port);
    /* One event, one upcall: nothing more arrives with interrupts on. */
    asm volatile ( "sti" ::: "memory" );
    spin_ns(5000000);
    asm volatile ( "cli" ::: "memory" );
    check(hits[vec] == before + 1, "vector %#x: %u upcalls for one timer",
          vec, hits[vec] - before);
}

static void test_masked(unsigned int vec)
{
    unsigned int before = hits[vec];

    set_mask(timer_port, true);
    timer_at(now_ns() + 1000000);
    asm volatile ( "sti" ::: "memory" );
    spin_ns(5000000);
    asm volatile ( "cli" ::: "memory" );
    check(hits[vec] == before, "vector %#x: a masked port gave an upcall",
          vec);
    check(port_pending(timer_port), "the masked timer port is not pending");
    check(!shinfo->vcpu_info[0].evtchn_upcall_pending,
          "a masked port raised upcall_pending");
    /* Unmasking a pending port raises the flag: the upcall follows. */
    set_mask(timer_port, false);
    asm volatile ( "sti; nop; cli" ::: "memory" );
    check(hits[vec] == before + 1, "vector %#x: %u upcalls after unmask",
          vec, hits[vec] - before);
    check(last_port == timer_port, "unmask upcall saw port %u", last_port);
}

/* An event while interrupts are off waits for STI, then comes once. */
static void test_cli_sti(unsigned int vec)
{
    unsigned int before = hits[vec];
    long rc;

    asm volatile ( "cli" ::: "memory" );
    last_port = 0;
    rc = evtchn_op(EVTCHNOP_send, &(struct evtchn_send){ .port = loop_b });
    check(rc == 0, "send gave %ld", rc);
    check(shinfo->vcpu_info[0].evtchn_upcall_pending,
          "send did not raise upcall_pending");
    spin_ns(2000000);
    check(hits[vec] == before, "vector %#x: upcall taken with IF clear",
          vec);
    /* The STI shadow holds it one instruction; then it is taken. */
    asm volatile ( "sti; nop; nop; cli" ::: "memory" );
    check(hits[vec] == before + 1, "vector %#x: %u upcalls at STI", vec,
          hits[vec] - before);
    check(last_port == loop_a, "vector %#x: STI upcall saw port %u, not %u",
          vec, last_port, loop_a);
}

/*
 * Send -> upcall latency on the loopback pair, in guest TSC cycles
 * (issue 7's closing figure): from before EVTCHNOP_send to the handler's
 * entry, with interrupts on; the median of 101 is printed, not judged.
 */
static void measure_latency(unsigned int vec)
{
    static uint64_t d[101];

    for ( unsigned int i = 0; i < ARRAY_SIZE(d); i++ )
    {
        unsigned int before = hits[vec];
        uint64_t t0;

        asm volatile ( "sti" ::: "memory" );
        t0 = rdtsc();
        evtchn_op(EVTCHNOP_send, &(struct evtchn_send){ .port = loop_b });
        while ( hits[vec] == before )
            asm volatile ( "pause" ::: "memory" );
        asm volatile ( "cli" ::: "memory" );
        d[i] = upcall_tsc - t0;
    }
    sort_u64(d, ARRAY_SIZE(d));
    printf("evtchn_send_to_upcall_vector_%#x: %llu cycles (median of %u)\n",
           vec, (unsigned long long)d[ARRAY_SIZE(d) / 2],
           (unsigned int)ARRAY_SIZE(d));
}

static void test_bad_arguments(void)
{
    long rc;

    rc = set_upcall_vector(0, 0x0f);
    check(rc == -EINVAL, "upcall vector 0x0f gave %ld", rc);
    rc = set_upcall_vector(1, PERVCPU_VEC);
    check(rc == -ENOENT, "upcall vector for vCPU 1 of 1 gave %ld", rc);
    rc = set_upcall_vector(0xffffffffu, PERVCPU_VEC);
    check(rc == -ENOENT, "upcall vector for vCPU 0xffffffff gave %ld", rc);
    rc = hypercall2(__HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector,
                    0x7fff00000000ULL);
    check(rc == -14, "upcall vector with a bad pointer gave %ld", rc);
}

void test_main(const struct hvm_start_info *si)
{
    long rc;

    (void)si;
    shinfo = shared_info();
    load_idt();
    bind_ports();

    rc = hvm_set_callback_vector(CALLBACK_VEC);
    check(rc == 0, "set_param(CALLBACK_IRQ) gave %ld", rc);
    /* bind_interdomain made its local port pending (as Xen does): the
     * flag was up before the callback was set, so it comes at STI. */
    asm volatile ( "sti; nop; nop; cli" ::: "memory" );
    check(hits[CALLBACK_VEC] == 1 && last_port == loop_b,
          "%u upcalls for the port bind_interdomain raised (port %u, "
          "expected %u)", hits[CALLBACK_VEC], last_port, loop_b);
    test_timer(CALLBACK_VEC);
    test_masked(CALLBACK_VEC);
    test_cli_sti(CALLBACK_VEC);
    measure_latency(CALLBACK_VEC);

    /* The per-vCPU vector alone: the callback is switched off first. */
    rc = hvm_set_param(HVM_PARAM_CALLBACK_IRQ, 0);
    check(rc == 0, "set_param(CALLBACK_IRQ, 0) gave %ld", rc);
    test_bad_arguments();
    rc = set_upcall_vector(0, PERVCPU_VEC);
    check(rc == 0, "set_evtchn_upcall_vector gave %ld", rc);
    test_timer(PERVCPU_VEC);
    test_masked(PERVCPU_VEC);
    test_cli_sti(PERVCPU_VEC);
    measure_latency(PERVCPU_VEC);
    check(hits[CALLBACK_VEC] == 4 + 101, "the callback vector was taken "
          "%u times, %u expected", hits[CALLBACK_VEC], 4 + 101);
}
