/* SPDX-License-Identifier: MIT */
/*
 * isolate: one kernel, three roles, booted side by side.
 *
 *   role=crash   triple-faults on purpose (an empty IDT, then int3): the
 *                hypervisor must crash that domain only;
 *   role=poke peer=N
 *                tries to reach domain N's memory through every hypercall
 *                path that takes a foreign domain or frame -- mapping a
 *                frame it was never granted, copying from N's frames,
 *                mapping N's frames into its own physmap, ballooning pages
 *                into N -- and must be refused each time;
 *   role=survive fills a page with a pattern, waits until the others are
 *                done (half a second on the pvclock) and checks that the
 *                pattern and its own life are intact.
 */
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/xen.h>

#include "guest.h"

const char test_title[] = "isolate: a crashing and a poking neighbour";

static uint8_t pattern[4096] __attribute__((aligned(4096)));

static void crash(void)
{
    static const struct { uint16_t limit; uint64_t base; } __attribute__((packed))
        empty = { 0, 0 };

    printf("triple-faulting now\n");
    asm volatile ( "lidt %0; int3" :: "m" (empty) );
    panic("still alive after a triple fault");
}

static void poke(domid_t peer)
{
    struct gnttab_map_grant_ref m = {
        .host_addr = 0xd00000, .flags = GNTMAP_host_map, .ref = 8,
        .dom = peer,
    };
    struct gnttab_copy c = {
        .source = { .u.gmfn = 0x100, .domid = peer },
        .dest = { .u.gmfn = (uintptr_t)pattern >> 12, .domid = DOMID_SELF },
        .len = 64,
    };
    struct xen_add_to_physmap xatp = {
        .domid = peer, .space = XENMAPSPACE_gmfn, .idx = 0x100,
        .gpfn = 0xd00,
    };
    struct sched_remote_shutdown rs = { .domain_id = peer,
                                        .reason = SHUTDOWN_poweroff };
    xen_pfn_t pfn = 0xd00;
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = peer };
    long rc;

    /* A grant ref it was never given (the peer's table is empty). */
    rc = hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, &m, 1);
    check(rc == 0 && m.status != GNTST_okay,
          "map of an ungranted ref of d%u: rc %ld status %d", peer, rc,
          m.status);
    /* A copy from the peer's frames without a grant. */
    rc = hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_copy, &c, 1);
    check(rc == 0 && c.status != GNTST_okay,
          "copy from d%u's frame: rc %ld status %d", peer, rc, c.status);
    /* The peer's frame into our physmap, and memory ops on the peer. */
    rc = hypercall2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &xatp);
    check(rc == -EPERM || rc == -EINVAL || rc == -ESRCH,
          "add_to_physmap of d%u's frame gave %ld", peer, rc);
    /* Xen answers a reservation op its XSM check refuses with the count
     * of extents done -- none (common/memory.c returns start_extent). */
    r.extent_start = (uintptr_t)&pfn;
    rc = hypercall2(__HYPERVISOR_memory_op, XENMEM_decrease_reservation, &r);
    check(rc == 0, "decrease_reservation on d%u did %ld extents", peer, rc);
    rc = hypercall2(__HYPERVISOR_memory_op, XENMEM_populate_physmap, &r);
    check(rc == 0, "populate_physmap on d%u did %ld extents", peer, rc);
    rc = hypercall2(__HYPERVISOR_sched_op, SCHEDOP_remote_shutdown, &rs);
    check(rc == -EPERM, "remote_shutdown of d%u gave %ld", peer, rc);
}

static void survive(void)
{
    uint64_t until;

    for ( unsigned int i = 0; i < sizeof(pattern); i++ )
        pattern[i] = (uint8_t)(i * 13 + 7);
    until = now_ns() + 500000000ULL;
    while ( now_ns() < until )
        hypercall2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
    for ( unsigned int i = 0; i < sizeof(pattern); i++ )
        if ( pattern[i] != (uint8_t)(i * 13 + 7) )
        {
            check(false, "byte %u of the pattern changed", i);
            break;
        }
}

void test_main(const struct hvm_start_info *si)
{
    const char *cmdline = (const char *)(uintptr_t)si->cmdline_paddr;
    unsigned long peer;

    if ( cmdline_find(cmdline, "role=crash") )
        crash();
    else if ( cmdline_number(cmdline, "role=poke peer=", &peer) )
        poke((domid_t)peer);
    else if ( cmdline_find(cmdline, "role=survive") )
        survive();
    else
        panic("role= must be crash, poke peer=N or survive");
}
