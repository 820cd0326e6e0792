/* SPDX-License-Identifier: MIT */
/* HVMOP_get_param / HVMOP_set_param on our own domain (xen-abi-facts
 * §1.4: the console ring and the upcall are found and set this way). */
#include <public/hvm/params.h>
#include <public/xen.h>

#include "guest.h"

long hvm_get_param(uint32_t index, uint64_t *val)
{
    struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };
    long rc = hypercall2(__HYPERVISOR_hvm_op, HVMOP_get_param, &p);

    *val = p.value;
    return rc;
}

long hvm_set_param(uint32_t index, uint64_t val)
{
    struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index,
                               .value = val };

    return hypercall2(__HYPERVISOR_hvm_op, HVMOP_set_param, &p);
}

uint64_t hvm_param(uint32_t index)
{
    uint64_t val;
    long rc = hvm_get_param(index, &val);

    if ( rc )
        panic("HVMOP_get_param(%u) gave %ld", index, rc);
    return val;
}

/* HVM_PARAM_CALLBACK_IRQ of the vector type: the event-channel upcall is
 * @vector on vCPU 0, with no EOI (xen-abi-facts §1.5). */
long hvm_set_callback_vector(uint8_t vector)
{
    return hvm_set_param(HVM_PARAM_CALLBACK_IRQ,
                         ((uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR <<
                          HVM_PARAM_CALLBACK_TYPE_SHIFT) | vector);
}
