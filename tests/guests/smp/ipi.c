/* SPDX-License-Identifier: MIT */
/*
 * IPIs between the smp kernel's vCPUs through their local APICs:
 * ping-pong BSP <-> each AP (the round trip's median printed), a token
 * passed AP -> AP, the self / all / all-but-self shorthands; and
 * VCPUOP_down of an AP, by the BSP and by itself.
 */
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <public/vcpu.h>
#include <public/xen.h>

#include "apic.h"
#include "guest.h"
#include "smp.h"
#include "smp_test.h"

void ping_pong(const char *how)
{
    static uint64_t t[PINGS * MAX_VCPUS];
    unsigned int n = 0;

    for ( unsigned int i = 1; i < nr; i++ )
    {
        unsigned int before = pings[i];

        for ( unsigned int k = 0; k < PINGS; k++ )
        {
            unsigned int want = pongs + 1;
            uint64_t t0 = rdtsc_ordered();

            apic_send(0, i, V_PING, ICR_DEST);
            if ( !wait_for(&pongs, want) )
            {
                check(false, "%s: no pong from vCPU %u (ping %u)", how, i, k);
                return;
            }
            t[n++] = rdtsc_ordered() - t0;
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
void token_ring(void)
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

void shorthands(void)
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
void down_other(void)
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
void down_self(void)
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
