/* SPDX-License-Identifier: MIT */
/*
 * Emulated MMIO devices: a small registry the emulator (emulate.c)
 * consults for guest-physical addresses with no RAM behind them, before
 * treating an access as unclaimed (reads all ones, writes dropped).
 */
#ifndef ARCH_X86_HVM_MMIO_H
#define ARCH_X86_HVM_MMIO_H

#include <orrery/domain.h>

struct hvm_mmio_ops {
    /* Does the device claim @gpa for @v? */
    bool (*claims)(struct vcpu *v, uint64_t gpa);
    /* 1, 2, 4 or 8 bytes within one page; the device handles alignment. */
    void (*read)(struct vcpu *v, uint64_t gpa, unsigned int bytes,
                 uint64_t *val);
    void (*write)(struct vcpu *v, uint64_t gpa, unsigned int bytes,
                  uint64_t val);
};

/* Boot: add a device (a fixed number of slots; false when full). */
bool hvm_mmio_register(const struct hvm_mmio_ops *ops);

/* An access of @bytes (at most 8, within a page) at @gpa: true when a
 * device took it. */
bool hvm_mmio_read(struct vcpu *v, uint64_t gpa, void *buf,
                   unsigned int bytes);
bool hvm_mmio_write(struct vcpu *v, uint64_t gpa, const void *buf,
                    unsigned int bytes);

#endif /* ARCH_X86_HVM_MMIO_H */
