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

const char test_title[] = "smp: VCPUOP_initialise/up/down, IPIs between vCPUs";

#define MAX_VCPUS 8
#define PINGS 64
#define RING_LAPS 16
#define BAD_GPA 0x40000000ul            /* 1 GiB: past the 16 MiB of RAM */

static uint8_t ap_stack[MAX_VCPUS][16384] __attribute__((aligned(16)));
static unsigned int nr;

/* Per vCPU, written by that vCPU (or its interrupt handler). */
static volatile unsigned int arrived[MAX_VCPUS];
static volatile unsigned int wakeups[MAX_VCPUS];
static volatile unsigned int pings[MAX_VCPUS];
static volatile unsigned int bcast[MAX_VCPUS];
static volatile unsigned int selfs[MAX_VCPUS];
static volatile unsigned int ring[MAX_VCPUS];
static volatile const char *ap_error[MAX_VCPUS];
static volatile unsigned int pongs;
/* The BSP's requests to an AP's main loop, and its answers. */
static volatile unsigned int cmd[MAX_VCPUS];
static volatile long cmd_rc[MAX_VCPUS];
static volatile unsigned int cmd_done[MAX_VCPUS];
static volatile unsigned int spin_stop[MAX_VCPUS];
#define CMD_DOWN_SELF 1
#define CMD_SPIN      2
#define SPIN_NS 100000000ull            /* 100 ms */

static long vcpu_op(unsigned int op, unsigned int id, void *arg)
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
static bool wait_for(volatile unsigned int *p, unsigned int want)
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

static void settle_ms(unsigned int ms)
{
    uint64_t end = now_ns() + ms * 1000000ull;

    while ( now_ns() < end )
        asm volatile ( "pause" );
}

/* ---- The APs ------------------------------------------------------------ */

static void ap_main(unsigned int id)
{
    int cpuid_id = smp_cpuid_vcpu_id();

    idt_load();
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

/* Bad arguments; each leaves vCPU 1 uninitialised and down. */
static void test_bad_arguments(void)
{
    struct vcpu_hvm_context c;
    long rc;

    rc = vcpu_op(VCPUOP_up, 1, NULL);
    check(rc == -EINVAL, "VCPUOP_up before initialise gave %ld", rc);
    smp_context64(&c, nr, ap_main, ap_stack[1] + sizeof(ap_stack[1]));
    rc = vcpu_op(VCPUOP_initialise, nr, &c);
    check(rc == -ENOENT, "initialise of vCPU %u (absent) gave %ld", nr, rc);
    rc = vcpu_op(VCPUOP_initialise, 4096, &c);
    check(rc == -ENOENT, "initialise of vCPU 4096 gave %ld", rc);
    rc = vcpu_op(VCPUOP_initialise, 1, (void *)BAD_GPA);
    check(rc == -EFAULT, "initialise from an unbacked address gave %ld", rc);
    rc = vcpu_op(VCPUOP_initialise, 0, &c);
    check(rc == -EEXIST, "initialise of the running vCPU 0 gave %ld", rc);

    smp_context64(&c, 1, ap_main, ap_stack[1] + sizeof(ap_stack[1]));
    c.mode = 7;
    rc = vcpu_op(VCPUOP_initialise, 1, &c);
    check(rc == -EINVAL, "mode 7 gave %ld", rc);
    smp_context64(&c, 1, ap_main, ap_stack[1] + sizeof(ap_stack[1]));
    c.pad = 1;
    rc = vcpu_op(VCPUOP_initialise, 1, &c);
    check(rc == -EINVAL, "non-zero pad gave %ld", rc);
    smp_context64(&c, 1, ap_main, ap_stack[1] + sizeof(ap_stack[1]));
    c.cpu_regs.x86_64.cr0 &= ~(1ull << 31);
    rc = vcpu_op(VCPUOP_initialise, 1, &c);
    check(rc == -EINVAL, "64-bit mode without paging gave %ld", rc);
    smp_context64(&c, 1, ap_main, ap_stack[1] + sizeof(ap_stack[1]));
    c.cpu_regs.x86_64.rip = 0x0000800000000000ull;
    rc = vcpu_op(VCPUOP_initialise, 1, &c);
    check(rc == -EINVAL, "non-canonical RIP gave %ld", rc);
    /* A 32-bit start with a null CS. */
    c = (struct vcpu_hvm_context){ .mode = VCPU_HVM_MODE_32B };
    c.cpu_regs.x86_32.ss_ar = 0xc93;
    c.cpu_regs.x86_32.tr_ar = 0x8b;
    rc = vcpu_op(VCPUOP_initialise, 1, &c);
    check(rc == -EINVAL, "null CS gave %ld", rc);

    rc = vcpu_op(VCPUOP_is_up, 1, NULL);
    check(rc == 0, "vCPU 1 up after refused calls (%ld)", rc);
    rc = vcpu_op(VCPUOP_up, 1, NULL);
    check(rc == -EINVAL, "VCPUOP_up after refused initialise gave %ld", rc);
}

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

static void sort_u64(uint64_t *t, unsigned int n)
{
    for ( unsigned int i = 1; i < n; i++ )          /* insertion sort */
    {
        uint64_t x = t[i];
        unsigned int j = i;

        for ( ; j && t[j - 1] > x; j-- )
            t[j] = t[j - 1];
        t[j] = x;
    }
}

/* PINGS round trips to each AP; the BSP in xAPIC or x2APIC mode. */
static void ping_pong(const char *how)
{
    static uint64_t t[PINGS * MAX_VCPUS];
    unsigned int n = 0;

    for ( unsigned int i = 1; i < nr; i++ )
    {
        unsigned int before = pings[i];

        for ( unsigned int k = 0; k < PINGS; k++ )
        {
            unsigned int want = pongs + 1;
            uint64_t t0 = smp_rdtsc();

            apic_send(0, i, V_PING, ICR_DEST);
            if ( !wait_for(&pongs, want) )
            {
                check(false, "%s: no pong from vCPU %u (ping %u)", how, i, k);
                return;
            }
            t[n++] = smp_rdtsc() - t0;
        }
        check(pings[i] - before == PINGS, "%s: vCPU %u took %u pings of %u",
              how, i, pings[i] - before, PINGS);
    }
    sort_u64(t, n);
    printf("%s IPI round trip: %llu cycles (median of %u; min %llu; "
           "informational)\n", how, (unsigned long long)t[n / 2], n,
           (unsigned long long)t[0]);
}

/* A token passed BSP -> 1 -> 2 -> ... -> BSP, RING_LAPS times. */
static void token_ring(void)
{
    unsigned int start = ring[0];

    for ( unsigned int lap = 0; lap < RING_LAPS; lap++ )
    {
        apic_send(0, 1, V_RING, ICR_DEST);
        if ( !wait_for(&ring[0], start + lap + 1) )
        {
            check(false, "token ring lost in lap %u", lap);
            return;
        }
    }
    for ( unsigned int i = 1; i < nr; i++ )
        check(ring[i] >= RING_LAPS, "vCPU %u saw the token %u times", i,
              ring[i]);
}

static void shorthands(void)
{
    unsigned int b[MAX_VCPUS], s0 = selfs[0];

    for ( unsigned int i = 0; i < nr; i++ )
        b[i] = bcast[i];
    apic_send(0, 0, V_SELF, ICR_SELF);
    check(wait_for(&selfs[0], s0 + 1), "self IPI not taken");
    apic_send(0, 0, V_BCAST, ICR_ALL);
    for ( unsigned int i = 0; i < nr; i++ )
        check(wait_for(&bcast[i], b[i] + 1), "all: vCPU %u missed it", i);
    apic_send(0, 0, V_BCAST, ICR_ALL_BUT_SELF);
    for ( unsigned int i = 1; i < nr; i++ )
        check(wait_for(&bcast[i], b[i] + 2), "all-but-self: vCPU %u missed it",
              i);
    settle_ms(20);
    check(bcast[0] == b[0] + 1, "all-but-self reached the sender");
    for ( unsigned int i = 1; i < nr; i++ )
        check(selfs[i] == 0, "vCPU %u took the BSP's self IPI", i);
}

/* VCPUOP_down of the last AP from the BSP: an IPI to it waits. */
static void down_other(void)
{
    unsigned int id = nr - 1, before = pings[id];
    long rc;

    rc = vcpu_op(VCPUOP_down, id, NULL);
    check(rc == 0, "VCPUOP_down of vCPU %u gave %ld", id, rc);
    rc = vcpu_op(VCPUOP_is_up, id, NULL);
    check(rc == 0, "vCPU %u still up after VCPUOP_down (%ld)", id, rc);
    apic_send(0, id, V_PING, ICR_DEST);
    settle_ms(50);
    check(pings[id] == before, "vCPU %u ran while down", id);
    rc = vcpu_op(VCPUOP_up, id, NULL);
    check(rc == 0, "VCPUOP_up of vCPU %u again gave %ld", id, rc);
    check(wait_for(&pings[id], before + 1),
          "vCPU %u did not take the IPI held while down", id);
}

/* AP 1 takes itself down; the call returns once the BSP ups it. */
static void down_self(void)
{
    unsigned int done = cmd_done[1];
    uint64_t end = now_ns() + 2000000000ull;
    long rc;

    cmd[1] = CMD_DOWN_SELF;
    apic_send(0, 1, V_WAKE, ICR_DEST);
    while ( vcpu_op(VCPUOP_is_up, 1, NULL) != 0 && now_ns() < end )
        asm volatile ( "pause" );
    check(vcpu_op(VCPUOP_is_up, 1, NULL) == 0, "vCPU 1 did not go down");
    settle_ms(20);
    check(cmd_done[1] == done, "vCPU 1's VCPUOP_down returned while down");
    rc = vcpu_op(VCPUOP_up, 1, NULL);
    check(rc == 0, "VCPUOP_up of vCPU 1 again gave %ld", rc);
    check(wait_for(&cmd_done[1], done + 1), "vCPU 1 did not come back");
    check(cmd_rc[1] == 0, "vCPU 1's VCPUOP_down gave %ld", cmd_rc[1]);
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

/* Real mode (SDM §10.4.4: CS = vector << 8, IP = 0, DS base 0):
 * mov $val, %ax; mov %ax, (SIPI_MARK); hlt; jmp .-1 */
#define SIPI_VECTOR 0x08
#define SIPI_MARK   0x7ff0
static void put_real_mode_code(unsigned int vector, uint16_t val)
{
    volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)(vector << 12);
    const uint8_t code[] = {
        0xb8, (uint8_t)val, (uint8_t)(val >> 8),
        0xa3, (uint8_t)SIPI_MARK, (uint8_t)(SIPI_MARK >> 8),
        0xf4, 0xeb, 0xfd,
    };

    for ( unsigned int i = 0; i < sizeof(code); i++ )
        p[i] = code[i];
}

static bool wait_down(unsigned int id)
{
    uint64_t end = now_ns() + 2000000000ull;

    while ( vcpu_op(VCPUOP_is_up, id, NULL) != 0 )
        if ( now_ns() > end )
            return false;
    return true;
}

static void init_sipi(void)
{
    volatile uint16_t *mark = (volatile uint16_t *)SIPI_MARK;
    unsigned int id = nr - 1;
    struct vcpu_hvm_context c;
    uint64_t end;
    long rc;

    put_real_mode_code(SIPI_VECTOR, 0xbeef);
    put_real_mode_code(SIPI_VECTOR + 1, 0xdead);
    *mark = 0;
    apic_send(0, id, 0, ICR_DM_INIT | ICR_LEVEL | ICR_ASSERT);
    check(wait_down(id), "INIT did not take vCPU %u down", id);
    rc = vcpu_op(VCPUOP_up, id, NULL);
    check(rc == -EINVAL, "VCPUOP_up after INIT gave %ld", rc);
    apic_send(0, id, 0, ICR_DM_INIT | ICR_LEVEL);     /* de-assert: nothing */
    apic_send(0, id, SIPI_VECTOR, ICR_DM_STARTUP);
    end = now_ns() + 2000000000ull;
    while ( *mark != 0xbeef && now_ns() < end )
        asm volatile ( "pause" );
    check(*mark == 0xbeef, "STARTUP did not run vector %#x's code (%#x)",
          SIPI_VECTOR, *mark);
    check(vcpu_op(VCPUOP_is_up, id, NULL) == 1, "vCPU %u not up after SIPI",
          id);
    /* A second STARTUP finds it started: ignored. */
    *mark = 0;
    apic_send(0, id, SIPI_VECTOR + 1, ICR_DM_STARTUP);
    settle_ms(50);
    check(*mark == 0, "a second STARTUP restarted vCPU %u", id);
    smp_context64(&c, id, ap_main, ap_stack[id] + sizeof(ap_stack[id]));
    rc = vcpu_op(VCPUOP_initialise, id, &c);
    check(rc == -EEXIST, "initialise after STARTUP gave %ld", rc);
    /* INIT again, then back to C the PVH way. */
    apic_send(0, id, 0, ICR_DM_INIT | ICR_LEVEL | ICR_ASSERT);
    check(wait_down(id), "second INIT did not take vCPU %u down", id);
    arrived[id] = 0;
    rc = smp_start_vcpu(id, ap_main, ap_stack[id] + sizeof(ap_stack[id]));
    check(rc == 0, "restarting vCPU %u gave %ld", id, rc);
    check(wait_for(&arrived[id], 1), "vCPU %u did not come back to C", id);
    check(!ap_error[id], "vCPU %u after INIT: %s", id,
          ap_error[id] ? ap_error[id] : "");
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
    idt_load();
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
