/* SPDX-License-Identifier: MIT */
/* Building a struct boot_info: the ranges no allocator may hand out. */
#include <orrery/boot.h>
#include <orrery/console.h>

void boot_reserve(struct boot_info *bi, paddr_t start, paddr_t end,
                  const char *what)
{
    if ( bi->nr_reserved == BOOT_MAX_RESERVED )
        panic("boot: more than %u reserved ranges (adding %s)",
              BOOT_MAX_RESERVED, what);
    if ( end < start )
        panic("boot: reserved range %s ends (%#llx) before it starts "
              "(%#llx)", what, (unsigned long long)end,
              (unsigned long long)start);
    /* Rounding the end up must not wrap past the top of the address
     * space: clamp to the last whole page instead. */
    end = end > ROUNDDOWN(~(paddr_t)0, PAGE_SIZE) ?
          ROUNDDOWN(~(paddr_t)0, PAGE_SIZE) : ROUNDUP(end, PAGE_SIZE);
    bi->reserved[bi->nr_reserved++] = (struct boot_range){
        .start = ROUNDDOWN(start, PAGE_SIZE),
        .end = end,
        .what = what,
    };
}
