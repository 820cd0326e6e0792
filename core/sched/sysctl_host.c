/* SPDX-License-Identifier: MIT */
/*
 * The host-wide sysctl commands that are not about scheduling:
 * ORR_SYSCTL_physinfo (what xl info shows) and ORR_SYSCTL_readconsole
 * (xl dmesg [-c]).
 */
#include <orrery/console.h>
#include <orrery/errno.h>
#include <orrery/hypercall.h>
#include <orrery/lib.h>
#include <orrery/mm.h>
#include <orrery/smp.h>

#include "sysctl_private.h"

int sysctl_physinfo(struct orr_sysctl_physinfo *pi)
{
    struct page_alloc_stats st;

    page_alloc_stats(&st);
    memset(pi, 0, sizeof(*pi));
    pi->nr_cpus = num_online_cpus();
    pi->total_pages = st.total_pages;
    pi->free_pages = st.free_pages;
    pi->cpu_khz = 0;            /* not known to core/ yet */
    return 0;
}

/*
 * The newest @count bytes of the ring (all of it when it fits) into the
 * caller's buffer; count becomes the number written. The ring is
 * cleared only once the copy succeeded, so a bad buffer loses nothing.
 */
int sysctl_readconsole(struct vcpu *v, struct orr_sysctl_readconsole *op)
{
    size_t size = MIN((size_t)op->count, (size_t)CONSOLE_RING_SIZE);
    char *buf;
    size_t n;
    int rc = 0;

    buf = xmalloc_bytes(size + 1);
    if ( !buf )
        return -ENOMEM;
    n = console_ring_read(buf, size + 1);
    if ( n && copy_to_guest(v, op->buffer, buf, n) )
        rc = -EFAULT;
    xfree(buf);
    if ( rc )
        return rc;
    op->count = (uint32_t)n;
    if ( op->clear )
        console_ring_clear();
    return 0;
}
