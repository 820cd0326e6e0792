/* SPDX-License-Identifier: MIT */
/*
 * The console ring: the last CONSOLE_RING_SIZE bytes of everything printk
 * produced, whatever its level, for `xl dmesg` and debug key 'w'.
 * A free-running byte count, taken modulo the size, needs no separate
 * "full" state: the ring holds min(count, size) bytes ending at count.
 */
#include <orrery/lib.h>
#include "private.h"

BUILD_BUG_ON(CONSOLE_RING_SIZE & (CONSOLE_RING_SIZE - 1));

static char ring[CONSOLE_RING_SIZE];
static uint64_t ring_count;     /* bytes ever written */

void console_ring_put(const char *s, size_t n)
{
    while ( n-- )
        ring[ring_count++ & (CONSOLE_RING_SIZE - 1)] = *s++;
}

size_t console_ring_read(char *buf, size_t size)
{
    unsigned long flags;
    uint64_t start;
    size_t n, i;

    if ( size == 0 )
        return 0;

    flags = console_lock_irqsave();
    n = MIN(ring_count, (uint64_t)CONSOLE_RING_SIZE);
    n = MIN(n, size - 1);               /* keep the newest bytes */
    start = ring_count - n;
    for ( i = 0; i < n; i++ )
        buf[i] = ring[(start + i) & (CONSOLE_RING_SIZE - 1)];
    buf[n] = '\0';
    console_unlock_irqrestore(flags);
    return n;
}

void console_ring_clear(void)
{
    unsigned long flags = console_lock_irqsave();

    ring_count = 0;
    console_unlock_irqrestore(flags);
}
