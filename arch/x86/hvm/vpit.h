/* SPDX-License-Identifier: MIT */
/* Between the PIT's counting model (vpit.c) and its ports (vpit_port.c);
 * every call with the domain's device lock held. */
#ifndef ARCH_X86_HVM_VPIT_H
#define ARCH_X86_HVM_VPIT_H

#include "vdev.h"

/* @c's counting element and OUT at @now (binary count). */
void vpit_state_at(const struct vpit_channel *c, s_time_t now,
                   uint32_t *count, bool *out);
/* A count as read: BCD-coded in BCD mode. */
uint16_t vpit_read_value(const struct vpit_channel *c, uint32_t count);
/* A new count for counter @i: counting (re)starts now. */
void vpit_load(struct hvm_vdev *h, unsigned int i, uint16_t val);
/* Counter 2's gate (port 0x61 bit 0). */
void vpit_set_gate(struct vpit_channel *c, bool gate, s_time_t now);
/* Counter 0: (re)arm the timer for its next OUT edge; the IRQ0 line. */
void vpit_ch0_schedule(struct hvm_vdev *h);
void vpit_irq0_set(struct hvm_vdev *h, bool level);

#endif /* ARCH_X86_HVM_VPIT_H */
