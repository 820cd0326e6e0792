/* SPDX-License-Identifier: MIT */
/* Number parsing for the command line and other text the hypervisor reads. */
#include <orrery/ctype.h>
#include <orrery/lib.h>

/*
 * Decimal, or hexadecimal after "0x"/"0X"; no sign, no leading space.
 * With @allow_suffix one of K, M, G (either case) may follow, scaling by
 * 2^10, 2^20 or 2^30. With @end == NULL the whole string must be the
 * number; otherwise *@end is set past what was parsed and the caller
 * judges what follows. Nothing is written to @out on failure.
 */
bool parse_u64(const char *s, const char **end, bool allow_suffix,
               uint64_t *out)
{
    uint64_t v = 0;
    unsigned int base = 10, shift = 0;
    const char *p = s;
    bool any = false;

    if ( p[0] == '0' && (p[1] == 'x' || p[1] == 'X') )
    {
        base = 16;
        p += 2;
    }

    for ( ;; p++ )
    {
        int d = hex_value(*p);

        if ( d < 0 || (unsigned int)d >= base )
            break;
        if ( v > (UINT64_MAX - d) / base )
            return false;                       /* overflow */
        v = v * base + d;
        any = true;
    }
    if ( !any )
        return false;

    if ( allow_suffix )
    {
        switch ( to_upper(*p) )
        {
        case 'K': shift = 10; break;
        case 'M': shift = 20; break;
        case 'G': shift = 30; break;
        }
        if ( shift )
        {
            if ( v > (UINT64_MAX >> shift) )
                return false;
            v <<= shift;
            p++;
        }
    }

    if ( end )
        *end = p;
    else if ( *p )
        return false;                           /* trailing junk */
    *out = v;
    return true;
}
