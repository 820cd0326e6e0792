/* SPDX-License-Identifier: MIT */
#ifndef BENCH_SHIM_H
#define BENCH_SHIM_H

#include <orrery/types.h>

/* Machine memory [base, base + size) lives at @host. */
void shim_set_memory(void *host, paddr_t base, uint64_t size);

#endif
