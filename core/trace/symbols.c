/* SPDX-License-Identifier: MIT */
/* Looking up the image's generated symbol table (see orrery/symbols.h). */
#include <orrery/console.h>
#include <orrery/symbols.h>

extern const uint64_t orrery_sym_addr[];
extern const uint32_t orrery_sym_name_off[];
extern const char orrery_sym_names[];
extern const uint32_t orrery_sym_count;
extern char _etext[];

const char *symbol_lookup(uint64_t addr, uint64_t *offset)
{
    uint32_t lo = 0, hi = orrery_sym_count;

    if ( hi == 0 || addr < orrery_sym_addr[0] ||
         addr >= (uintptr_t)_etext )
        return NULL;
    while ( hi - lo > 1 )           /* the last symbol at or below addr */
    {
        uint32_t mid = lo + (hi - lo) / 2;

        if ( orrery_sym_addr[mid] <= addr )
            lo = mid;
        else
            hi = mid;
    }
    *offset = addr - orrery_sym_addr[lo];
    return orrery_sym_names + orrery_sym_name_off[lo];
}

void print_text_addr(const char *prefix, uint64_t addr, uint64_t bias)
{
    uint64_t off;
    const char *name = symbol_lookup(addr - bias, &off);

    if ( name )
        printk("%s%016llx <%s+%#llx>\n", prefix, (unsigned long long)addr,
               name, (unsigned long long)(off + bias));
    else
        printk("%s%016llx\n", prefix, (unsigned long long)addr);
}
