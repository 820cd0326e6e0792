/* SPDX-License-Identifier: MIT */
/*
 * Secondary vCPUs for test kernels, the way Xen PVH/HVM guests start
 * them: VCPUOP_initialise with a 64-bit vcpu_hvm_context (long mode on
 * the BSP's page tables, flat segments from the hypervisor), then
 * VCPUOP_up. The AP enters smp_ap_entry, which loads the library's GDT
 * (selectors 0x08 code, 0x10 data, as head.S), and calls @fn(@id) on its
 * own stack with interrupts off; @fn loads its IDT before enabling them.
 */
#ifndef GUEST_SMP_H
#define GUEST_SMP_H

#include <orrery/types.h>

#include <public/hvm/hvm_vcpu.h>

typedef void (*smp_entry_fn)(unsigned int id);

/* How many vCPUs the domain has (VCPUOP_is_up until -ENOENT). */
unsigned int smp_nr_vcpus(void);

/* The 64-bit start state for vCPU @id: entry smp_ap_entry, @fn and @id
 * in registers, RSP = @stack_top, CR0/CR3/CR4 as this vCPU's. */
void smp_context64(struct vcpu_hvm_context *c, unsigned int id,
                   smp_entry_fn fn, void *stack_top);

/* VCPUOP_initialise with smp_context64(), then VCPUOP_up: the first
 * error of the two, or 0. */
long smp_start_vcpu(unsigned int id, smp_entry_fn fn, void *stack_top);

/* This vCPU's id from the Xen HVM CPUID leaf (base + 4, EBX), or -1
 * when the leaf does not carry it. */
int smp_cpuid_vcpu_id(void);

#endif /* GUEST_SMP_H */
