/* SPDX-License-Identifier: MIT */
#ifndef X86_PAGING_H
#define X86_PAGING_H

#include <orrery/types.h>

/* The page below 1 MiB reserved for the AP trampoline. */
extern paddr_t x86_trampoline_paddr;
/* Physical address of the hypervisor's PML4 (for APs' CR3). */
paddr_t x86_root_table(void);

#endif
