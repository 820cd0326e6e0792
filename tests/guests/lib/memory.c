/* SPDX-License-Identifier: MIT */
/* memory_op calls the kernels share. */
#include <public/memory.h>
#include <public/xen.h>

#include "guest.h"

long decrease_reservation(const uint64_t *gpfns, unsigned int n)
{
    struct xen_memory_reservation r = { .nr_extents = n,
                                        .domid = DOMID_SELF };

    r.extent_start = (uintptr_t)gpfns;
    return hypercall2(__HYPERVISOR_memory_op, XENMEM_decrease_reservation,
                      &r);
}
