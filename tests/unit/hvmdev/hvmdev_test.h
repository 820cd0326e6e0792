/* SPDX-License-Identifier: MIT */
/* unit.hvmdev: one type=hvm domain with two vCPUs (and their vLAPICs),
 * its device set, and a PVH neighbour without one (hvmdev_main.c). */
#ifndef HVMDEV_TEST_H
#define HVMDEV_TEST_H

#include <orrery/domain.h>

#include "orr_test.h"
#include "vdev.h"
#include "vlapic.h"

extern struct domain *dom, *pvh;
extern struct hvm_vdev *hv;
extern struct vlapic vl[2];

/* Port I/O and IOAPIC MMIO as vCPU 0 of dom (asserting a device took
 * it); the PVH domain's vCPU for the "nobody claims it" cases. */
void port_out(uint16_t port, uint8_t val);
uint8_t port_in(uint16_t port);
uint32_t ioapic_read(unsigned int reg);
void ioapic_write(unsigned int reg, uint32_t val);
/* An ISA line, as a device model would drive it (lock taken). */
void isa_irq(unsigned int irq, bool level);
/* Virtual time forward in 50 us steps, running the timers. */
void advance(s_time_t ns);
/* Take every interrupt vCPU @i's vLAPIC has (ack + EOI); how many were
 * @vec. */
unsigned int drain(unsigned int i, unsigned int vec);
/* Both 8259As initialised: vectors 0x20/0x28, cascade, all masked. */
void pic_init(void);

extern CU_TestInfo vpic_tests[], vioapic_tests[], vpit_tests[],
                   vrtc_tests[], callback_tests[];

#endif
