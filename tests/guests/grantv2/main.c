/* SPDX-License-Identifier: MIT */
/*
 * grantv2: grant tables v2 between two guests (xen-abi-facts §2.3).
 *
 * The frontend (front.c) switches its table to v2, maps a shared frame
 * and a status frame with XENMEM_add_to_physmap, and grants the backend
 * full pages (writable and read-only), a sub-page window, and transitive
 * grants. The backend (back.c) maps, copies and tries everything a
 * backend may and may not do; the frontend watches GTF_reading and
 * GTF_writing in its status frame (in v2 they are not in the entry),
 * tries to switch back to v1 while its grants are in use (-EBUSY), and
 * revokes after the unmap. Steps are signalled on an interdomain event
 * channel, 2-level, polled with SCHEDOP_poll. A third domain (source.c)
 * grants the frontend pages that it passes on transitively.
 */
#include <orrery/lib.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/xen.h>

#include "guest.h"
#include "gv2.h"

const char test_title[] = "grantv2: v2 status frames, sub-page and "
                          "transitive grants between guests";

domid_t peer, self, src, backid;

long gnttab_op(unsigned int cmd, void *arg, unsigned int count)
{
    return hypercall3(__HYPERVISOR_grant_table_op, cmd, arg, count);
}

long evtchn_op(unsigned int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_event_channel_op, cmd, arg);
}

long map_table_frame(uint64_t idx, uint64_t gpfn)
{
    struct xen_add_to_physmap xatp = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = idx,
        .gpfn = gpfn,
    };

    return hypercall2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &xatp);
}

uint64_t gfn_of(const void *p)
{
    return (uintptr_t)p >> 12;
}

void clear_port(evtchn_port_t port)
{
    __atomic_fetch_and(&shared_info()->evtchn_pending[port / 64],
                       ~(1ULL << (port % 64)), __ATOMIC_SEQ_CST);
}

void notify(evtchn_port_t port)
{
    struct evtchn_send send = { .port = port };

    check(evtchn_op(EVTCHNOP_send, &send) == 0, "send on port %u", port);
}

/* A poll may end for any wake-up of the vCPU, so it is repeated. */
void wait_port(evtchn_port_t port, const char *what)
{
    volatile struct shared_info *s = shared_info();
    struct sched_poll poll = { .nr_ports = 1 };
    uint64_t deadline = now_ns() + WAIT_NS;

    poll.ports = (uintptr_t)&port;
    poll.timeout = deadline;
    while ( !((s->evtchn_pending[port / 64] >> (port % 64)) & 1) )
    {
        if ( now_ns() >= deadline )
            panic("timed out waiting for %s", what);
        hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll, &poll);
    }
    clear_port(port);
}

static const char *find(const char *s, const char *key)
{
    size_t n = strlen(key);

    for ( ; s && *s; s++ )
        if ( strncmp(s, key, n) == 0 )
            return s;
    return NULL;
}

void test_main(const struct hvm_start_info *si)
{
    const char *cmdline = (const char *)(uintptr_t)si->cmdline_paddr;
    const char *p = find(cmdline, "peer=");
    uint32_t r[4];

    if ( !p )
        panic("needs role=front|back|source peer=DOMID on its command line");
    for ( p += 5, peer = 0; *p >= '0' && *p <= '9'; p++ )
        peer = (domid_t)(peer * 10 + (*p - '0'));
    for ( p = find(cmdline, "src="), p = p ? p + 4 : NULL;
          p && *p >= '0' && *p <= '9'; p++ )
        src = (domid_t)(src * 10 + (*p - '0'));
    for ( p = find(cmdline, "back="), p = p ? p + 5 : NULL;
          p && *p >= '0' && *p <= '9'; p++ )
        backid = (domid_t)(backid * 10 + (*p - '0'));
    /* Our own domid from the HVM leaf (xen-abi-facts §1.2). */
    cpuid(xen_cpuid_base + 4, 0, r);
    if ( !(r[0] & (1U << 4)) )
        panic("CPUID base+4 has no domid");
    self = (domid_t)r[2];
    shared_info();
    if ( find(cmdline, "role=front") )
        frontend();
    else if ( find(cmdline, "role=back") )
        backend();
    else if ( find(cmdline, "role=source") )
        source();
    else
        panic("role= must be front, back or source");
}
