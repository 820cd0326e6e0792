/* SPDX-License-Identifier: MIT */
/*
 * smp: a guest with several vCPUs, started the Xen PVH way. Bad
 * VCPUOP_initialise/up arguments first (each must leave vCPU 1 as it
 * was); then the BSP starts every AP with VCPUOP_initialise (64-bit, own
 * stack, entry in C) + VCPUOP_up; each AP checks who it is (CPUID, APIC
 * ID) and registers; then IPIs through the virtual local APIC: BSP <->
 * each AP ping-pong (xAPIC ICR, then x2APIC ICR MSR 0x830), a token ring
 * AP -> AP, the self / all / all-but-self shorthands; VCPUOP_down of an
 * AP from the BSP (an IPI to it waits in its IRR until it is up again)
 * and of an AP by itself; INIT and STARTUP IPIs (the way Linux starts
 * APs): INIT takes an AP down, STARTUP runs real-mode code at the
 * vector's page, a second STARTUP is ignored, INIT + VCPUOP_initialise
 * brings it back to C. Prints the median IPI round trip in TSC cycles
 * (informational, not judged).
 */
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <public/vcpu.h>
#include <public/xen.h>

#include "apic.h"
#include "guest.h"
#include "smp.h"
#include "smp_test.h"

const char test_title[] = "smp: VCPUOP_initialise/up/down, IPIs between vCPUs";

uint8_t ap_stack[MAX_VCPUS][16384] __attribute__((aligned(16)));
unsigned int nr;

/* Per vCPU, written by that vCPU (or its interrupt handler). */
volatile unsigned int arrived[MAX_VCPUS];
volatile unsigned int wakeups[MAX_VCPUS];
volatile unsigned int pings[MAX_VCPUS];
volatile unsigned int bcast[MAX_VCPUS];
volatile unsigned int selfs[MAX_VCPUS];
volatile unsigned int ring[MAX_VCPUS];
volatile const char *ap_error[MAX_VCPUS];
volatile unsigned int pongs;
/* The BSP's requests to an AP's main loop, and its answers. */
volatile unsigned int cmd[MAX_VCPUS];
volatile long cmd_rc[MAX_VCPUS];
volatile unsigned int cmd_done[MAX_VCPUS];
volatile unsigned int spin_stop[MAX_VCPUS];

long vcpu_op(unsigned int op, unsigned int id, void *arg)
{
    return hypercall3(__HYPERVISOR_vcpu_op, op, id, arg);
}

/* Which vCPU is this? Each runs on a stack of its own; the BSP's is
 * head.S's. Cheaper than an APIC read, which exits. */
static unsigned int my_id(void)
{
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0);

    for ( unsigned int i = 1; i < MAX_VCPUS; i++ )
        if ( sp > (uintptr_t)ap_stack[i] &&
             sp <= (uintptr_t)ap_stack[i] + sizeof(ap_stack[i]) )
            return i;
    return 0;
}

/* ---- Interrupts --------------------------------------------------------- */

void smp_interrupt(unsigned int vector)
{
    unsigned int id = my_id();

    switch ( vector )
    {
    case V_PING:
        pings[id]++;
        apic_eoi(id);
        apic_send(id, 0, V_PONG, ICR_DEST);
        return;
    case V_PONG:
        pongs++;
        break;
    case V_BCAST:
        bcast[id]++;
        break;
    case V_SELF:
        selfs[id]++;
        break;
    case V_WAKE:
        break;                      /* only ends the HLT */
    case V_RING:
        ring[id]++;
        apic_eoi(id);
        if ( id )                   /* the BSP ends each lap */
            apic_send(id, (id + 1) % nr, V_RING, ICR_DEST);
        return;
    default:
        ap_error[id] = "unexpected vector";
        break;
    }
    apic_eoi(id);
}

/* ---- Waiting ------------------------------------------------------------ */

/* Spin until *@p reaches @want or 2 s pass. */
bool wait_for(volatile unsigned int *p, unsigned int want)
{
    uint64_t end = now_ns() + 2000000000ull;

    while ( *p < want )
    {
        if ( now_ns() > end )
            return false;
        asm volatile ( "pause" );
    }
    return true;
}

void settle_ms(unsigned int ms)
{
    spin_ns(ms * 1000000ull);
}

/* ---- The APs ------------------------------------------------------------ */

void ap_main(unsigned int id)
{
    int cpuid_id = smp_cpuid_vcpu_id();

    smp_idt_load();
    apic_enable(id);
    if ( cpuid_id != (int)id )
        ap_error[id] = "CPUID leaf 4 vCPU id differs";
    else if ( apic_id(id) != id )
        ap_error[id] = "APIC ID differs";
    __atomic_store_n(&arrived[id], 1, __ATOMIC_SEQ_CST);
    for ( ;; )
    {
        wakeups[id]++;
        if ( cmd[id] == CMD_DOWN_SELF )
        {
            cmd[id] = 0;
            /* Returns once someone ups this vCPU again. */
            cmd_rc[id] = vcpu_op(VCPUOP_down, id, NULL);
            cmd_done[id]++;
        }
        else if ( cmd[id] == CMD_SPIN )
        {
            cmd[id] = 0;
            arrived[id] = 2;            /* spinning now */
            while ( !spin_stop[id] )
                asm volatile ( "pause" );
            spin_stop[id] = 0;
            cmd_done[id]++;
        }
        asm volatile ( "sti; hlt; cli" ::: "memory" );
    }
}

/* ---- Tests -------------------------------------------------------------- */

static void start_aps(void)
{
    for ( unsigned int i = 1; i < nr; i++ )
    {
        struct vcpu_hvm_context c;
        long rc;

        smp_context64(&c, i, ap_main, ap_stack[i] + sizeof(ap_stack[i]));
        rc = vcpu_op(VCPUOP_initialise, i, &c);
        check(rc == 0, "initialise of vCPU %u gave %ld", i, rc);
        rc = vcpu_op(VCPUOP_initialise, i, &c);
        check(rc == -EEXIST, "second initialise of vCPU %u gave %ld", i, rc);
        rc = vcpu_op(VCPUOP_is_up, i, NULL);
        check(rc == 0, "vCPU %u up before VCPUOP_up (%ld)", i, rc);
        rc = vcpu_op(VCPUOP_up, i, NULL);
        check(rc == 0, "VCPUOP_up of vCPU %u gave %ld", i, rc);
        rc = vcpu_op(VCPUOP_is_up, i, NULL);
        check(rc == 1, "VCPUOP_is_up of vCPU %u gave %ld", i, rc);
    }
    for ( unsigned int i = 1; i < nr; i++ )
    {
        check(wait_for(&arrived[i], 1), "vCPU %u never arrived", i);
        check(!ap_error[i], "vCPU %u: %s", i,
              ap_error[i] ? ap_error[i] : "");
    }
}

static uint64_t running_ns(unsigned int id)
{
    struct vcpu_runstate_info ri;
    long rc = vcpu_op(VCPUOP_get_runstate_info, id, &ri);

    check(rc == 0, "get_runstate_info of vCPU %u gave %ld", id, rc);
    return ri.time[RUNSTATE_running];
}

/*
 * The BSP and AP 1 spin side by side for SPIN_NS: with two pCPUs (and
 * the other APs halted) both run all along, so together they run for
 * more than the wall time -- impossible on one pCPU.
 */
static void run_concurrently(void)
{
    unsigned int done = cmd_done[1];
    uint64_t r0, r1, t0, wall;

    arrived[1] = 1;
    cmd[1] = CMD_SPIN;
    apic_send(0, 1, V_WAKE, ICR_DEST);
    check(wait_for(&arrived[1], 2), "vCPU 1 did not start spinning");
    r0 = running_ns(0);
    r1 = running_ns(1);
    t0 = now_ns();
    while ( now_ns() < t0 + SPIN_NS )
        asm volatile ( "pause" );
    r0 = running_ns(0) - r0;
    r1 = running_ns(1) - r1;
    wall = now_ns() - t0;
    spin_stop[1] = 1;
    check(wait_for(&cmd_done[1], done + 1), "vCPU 1 did not stop spinning");
    printf("side by side for %llu ms: vCPU 0 ran %llu ms, vCPU 1 %llu ms\n",
           (unsigned long long)(wall / 1000000),
           (unsigned long long)(r0 / 1000000),
           (unsigned long long)(r1 / 1000000));
    check(r0 + r1 > wall + wall / 2,
          "vCPUs 0 and 1 did not run at the same time");
}


void test_main(const struct hvm_start_info *si)
{
    (void)si;
    nr = smp_nr_vcpus();
    printf("%u vCPUs\n", nr);
    if ( nr < 2 )
    {
        skip("needs vcpus=2 or more");
        return;
    }
    if ( nr > MAX_VCPUS )
        nr = MAX_VCPUS;
    smp_idt_load();
    apic_enable(0);
    asm volatile ( "sti" );

    test_bad_arguments();
    start_aps();
    run_concurrently();
    ping_pong("xAPIC");
    token_ring();
    shorthands();
    down_other();
    down_self();
    apic_x2apic_on(0);
    ping_pong("x2APIC");
    shorthands();
    init_sipi();

    for ( unsigned int i = 1; i < nr; i++ )
    {
        check(arrived[i] && wakeups[i] > 0, "vCPU %u never ran (%u wakeups)",
              i, wakeups[i]);
        check(!ap_error[i], "vCPU %u: %s", i,
              ap_error[i] ? ap_error[i] : "");
    }
    check(!ap_error[0], "vCPU 0: %s", ap_error[0] ? ap_error[0] : "");
}
