/* SPDX-License-Identifier: MIT */
/* The registry of emulated MMIO devices (mmio.h). */
#include <orrery/lib.h>

#include "mmio.h"

#define MAX_MMIO_DEVICES 8

static const struct hvm_mmio_ops *devices[MAX_MMIO_DEVICES];
static unsigned int nr_devices;

bool hvm_mmio_register(const struct hvm_mmio_ops *ops)
{
    if ( nr_devices == MAX_MMIO_DEVICES )
        return false;
    devices[nr_devices++] = ops;
    return true;
}

static const struct hvm_mmio_ops *find(struct vcpu *v, uint64_t gpa)
{
    for ( unsigned int i = 0; i < nr_devices; i++ )
        if ( devices[i]->claims(v, gpa) )
            return devices[i];
    return NULL;
}

/* Wider accesses (the emulator's 16-byte moves) are not device accesses
 * a guest makes; they stay unclaimed. Little-endian, as x86 is. */
bool hvm_mmio_read(struct vcpu *v, uint64_t gpa, void *buf,
                   unsigned int bytes)
{
    const struct hvm_mmio_ops *d = bytes <= 8 ? find(v, gpa) : NULL;
    uint64_t val = 0;

    if ( !d )
        return false;
    d->read(v, gpa, bytes, &val);
    memcpy(buf, &val, bytes);
    return true;
}

bool hvm_mmio_write(struct vcpu *v, uint64_t gpa, const void *buf,
                    unsigned int bytes)
{
    const struct hvm_mmio_ops *d = bytes <= 8 ? find(v, gpa) : NULL;
    uint64_t val = 0;

    if ( !d )
        return false;
    memcpy(&val, buf, bytes);
    d->write(v, gpa, bytes, val);
    return true;
}
