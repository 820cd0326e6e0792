/* SPDX-License-Identifier: MIT */
/*
 * Emulated port-I/O devices: a registry the IOIO exit consults before it
 * treats a port as unclaimed (reads all ones, writes dropped), the port
 * counterpart of mmio.h. Devices are byte-wide ISA devices: an access of
 * 2 or 4 bytes at port p is split into byte accesses at p, p+1, ... as
 * the chipset splits a wide I/O cycle to an 8-bit ISA device (each byte
 * goes to whoever claims its port; an unclaimed byte reads 0xff).
 */
#ifndef ARCH_X86_HVM_PORTIO_H
#define ARCH_X86_HVM_PORTIO_H

#include <orrery/domain.h>

struct hvm_portio_ops {
    /* Does the device claim @port for @v's domain? */
    bool (*claims)(struct vcpu *v, uint16_t port);
    uint8_t (*read)(struct vcpu *v, uint16_t port);
    void (*write)(struct vcpu *v, uint16_t port, uint8_t val);
};

/* Boot: add a device (a fixed number of slots; false when full). */
bool hvm_portio_register(const struct hvm_portio_ops *ops);

/*
 * An IN or OUT of @bytes (1, 2 or 4) at @port: true when a device took
 * at least one of its bytes. Ports wrap at 0xffff as the processor's
 * 16-bit port address does.
 */
bool hvm_portio_read(struct vcpu *v, uint16_t port, unsigned int bytes,
                     uint32_t *val);
bool hvm_portio_write(struct vcpu *v, uint16_t port, unsigned int bytes,
                      uint32_t val);

/* Test support: forget every registration. */
void hvm_portio_reset(void);

#endif /* ARCH_X86_HVM_PORTIO_H */
