/* SPDX-License-Identifier: MIT */
/* The registry of emulated port-I/O devices (portio.h). */
#include <orrery/lib.h>

#include "portio.h"

#define MAX_PORTIO_DEVICES 8

static const struct hvm_portio_ops *devices[MAX_PORTIO_DEVICES];
static unsigned int nr_devices;

bool hvm_portio_register(const struct hvm_portio_ops *ops)
{
    for ( unsigned int i = 0; i < nr_devices; i++ )
        if ( devices[i] == ops )
            return true;            /* registering twice is harmless */
    if ( nr_devices == MAX_PORTIO_DEVICES )
        return false;
    devices[nr_devices++] = ops;
    return true;
}

void hvm_portio_reset(void)
{
    nr_devices = 0;
}

static const struct hvm_portio_ops *find(struct vcpu *v, uint16_t port)
{
    for ( unsigned int i = 0; i < nr_devices; i++ )
        if ( devices[i]->claims(v, port) )
            return devices[i];
    return NULL;
}

bool hvm_portio_read(struct vcpu *v, uint16_t port, unsigned int bytes,
                     uint32_t *val)
{
    bool taken = false;

    *val = 0;
    for ( unsigned int i = 0; i < bytes && i < 4; i++ )
    {
        uint16_t p = (uint16_t)(port + i);
        const struct hvm_portio_ops *d = find(v, p);
        uint8_t b = 0xff;           /* a floating ISA data bus */

        if ( d )
        {
            b = d->read(v, p);
            taken = true;
        }
        *val |= (uint32_t)b << (8 * i);
    }
    return taken;
}

bool hvm_portio_write(struct vcpu *v, uint16_t port, unsigned int bytes,
                      uint32_t val)
{
    bool taken = false;

    for ( unsigned int i = 0; i < bytes && i < 4; i++ )
    {
        uint16_t p = (uint16_t)(port + i);
        const struct hvm_portio_ops *d = find(v, p);

        if ( d )
        {
            d->write(v, p, (uint8_t)(val >> (8 * i)));
            taken = true;
        }
    }
    return taken;
}
