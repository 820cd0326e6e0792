/* SPDX-License-Identifier: MIT */
/* printf through console_io (CONSOLEIO_write), formatted by core's own
 * vsnprintf (the same source the hypervisor uses). */
#include <orrery/lib.h>
#include <public/xen.h>

#include "guest.h"


void printf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if ( n > (int)sizeof(buf) - 1 )
        n = sizeof(buf) - 1;
    hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, n, buf);
}
