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

void test_main(const struct hvm_start_info *si)
{
    const char *cmdline = (const char *)(uintptr_t)si->cmdline_paddr;
    unsigned long n;
    uint32_t r[4];

    if ( !cmdline_number(cmdline, "peer=", &n) )
        panic("needs role=front|back|source peer=DOMID on its command line");
    peer = (domid_t)n;
    if ( cmdline_number(cmdline, "src=", &n) )
        src = (domid_t)n;
    if ( cmdline_number(cmdline, "back=", &n) )
        backid = (domid_t)n;
    /* Our own domid from the HVM leaf (xen-abi-facts §1.2). */
    cpuid(xen_cpuid_base + 4, 0, r);
    if ( !(r[0] & (1U << 4)) )
        panic("CPUID base+4 has no domid");
    self = (domid_t)r[2];
    shared_info();
    if ( cmdline_find(cmdline, "role=front") )
        frontend();
    else if ( cmdline_find(cmdline, "role=back") )
        backend();
    else if ( cmdline_find(cmdline, "role=source") )
        source();
    else
        panic("role= must be front, back or source");
}
