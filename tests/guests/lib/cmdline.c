/* SPDX-License-Identifier: MIT */
/* The kernel's command line (hvm_start_info.cmdline_paddr): `key=value`
 * words such as role= and peer= that the boot's domain= option passes. */
#include <orrery/lib.h>

#include "guest.h"

const char *cmdline_find(const char *s, const char *key)
{
    size_t n = strlen(key);

    for ( ; s && *s; s++ )
        if ( strncmp(s, key, n) == 0 )
            return s;
    return NULL;
}

bool cmdline_number(const char *s, const char *key, unsigned long *val)
{
    const char *p = cmdline_find(s, key);

    if ( !p )
        return false;
    for ( p += strlen(key), *val = 0; *p >= '0' && *p <= '9'; p++ )
        *val = *val * 10 + (unsigned long)(*p - '0');
    return true;
}
