/* SPDX-License-Identifier: MIT */
/*
 * The smp kernel's interrupt side: one IDT for every vCPU, and each
 * vCPU's own local APIC, in xAPIC (MMIO at 0xFEE00000) or x2APIC (MSRs)
 * mode (Intel SDM vol. 3 §11.6 ICR, §11.12.9 x2APIC ICR MSR 0x830).
 */
#ifndef SMP_APIC_H
#define SMP_APIC_H

#include <orrery/types.h>

/* Vectors, highest class first where it matters: a pong or a ring token
 * is never held back behind a ping being handled. */
#define V_PONG  0xe0
#define V_RING  0xd0
#define V_PING  0xc0
#define V_BCAST 0xb0
#define V_SELF  0xa0
#define V_WAKE  0x90

/* ICR destination shorthands (bits 19:18). */
#define ICR_DEST         (0u << 18)
#define ICR_SELF         (1u << 18)
#define ICR_ALL          (2u << 18)
#define ICR_ALL_BUT_SELF (3u << 18)
/* Delivery modes (bits 10:8) and the level bits of an INIT. */
#define ICR_DM_INIT      (5u << 8)
#define ICR_DM_STARTUP   (6u << 8)
#define ICR_ASSERT       (1u << 14)
#define ICR_LEVEL        (1u << 15)

/* Calls smp_interrupt(vector) for every vector above. */
void smp_interrupt(unsigned int vector);
/* Load the shared IDT on this vCPU. */
void smp_idt_load(void);

/* vCPU @self's APIC: software-enable it; its ID (mode-aware). */
void apic_enable(unsigned int self);
unsigned int apic_id(unsigned int self);
/* Switch vCPU @self to x2APIC mode. */
void apic_x2apic_on(unsigned int self);
void apic_eoi(unsigned int self);
/* IPI @vector from @self to @dest (physical) or a shorthand; @flags:
 * ICR_* shorthand, delivery mode and level bits (0: fixed, to @dest). */
void apic_send(unsigned int self, unsigned int dest, unsigned int vector,
               uint32_t flags);

#endif /* SMP_APIC_H */
