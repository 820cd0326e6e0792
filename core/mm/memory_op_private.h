/* SPDX-License-Identifier: MIT */
/* Between the memory_op files of core/mm. */
#ifndef MEMORY_OP_PRIVATE_H
#define MEMORY_OP_PRIVATE_H

#include <orrery/domain.h>
#include <orrery/hypercall.h>

#include <public/memory.h>

/*
 * The target of a memory_op naming @domid: the caller itself for
 * DOMID_SELF, another domain only if the XSM policy lets the caller act
 * on it (Xen's XSM_TARGET: itself, or the control domain on anyone).
 * -ESRCH: no such live domain; -EPERM: not allowed. A reference is held
 * on success (domain_put() it).
 */
int memop_target(struct vcpu *v, domid_t domid, struct domain **out);

/* The reservation subops and add_to_physmap's gmfn_range: the return
 * value and continuation rules are in each file. */
int64_t memop_reservation(struct vcpu *v, struct hypercall_regs *r,
                          unsigned int op, uint64_t start);
int64_t memop_add_to_physmap(struct vcpu *v, struct hypercall_regs *r,
                             uint64_t start);
int64_t memop_remove_from_physmap(struct vcpu *v, uint64_t arg);

#endif
