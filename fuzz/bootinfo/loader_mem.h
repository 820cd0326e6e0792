/* SPDX-License-Identifier: MIT */
/*
 * Loader memory for running the x86 boot-information parsers
 * (arch/x86/boot/multiboot2.c, pvh.c) in a host process: the fuzzer's
 * input, or a unit test's hand-built block, stands at physical address
 * LOADER_BASE, and nothing else is mapped. This file provides what the
 * parsers take from x86_start.c and core/boot on the real machine:
 * boot_phys_to_virt(), boot_mapped_bytes(), x86_rsdp_paddr and
 * boot_reserve().
 *
 * A parser that asks boot_phys_to_virt() for an address outside the
 * buffer aborts with "out-of-bounds read" (the hardened parsers ask
 * boot_map() first); one that reads past the buffer from a valid pointer
 * is caught by ASan, as the buffer is a heap block of exactly its size.
 */
#ifndef FUZZ_LOADER_MEM_H
#define FUZZ_LOADER_MEM_H

#include <orrery/boot.h>

#define LOADER_BASE 0x100000ULL

/* Make @len bytes at @mem the loader memory (NULL, 0: none). The caller
 * keeps @mem alive while the parsers run. */
void loader_mem_set(const void *mem, size_t len);

/* Whether @p points into the loader memory (a boot_info string must be a
 * copy, never a pointer into memory the hypervisor will reuse). */
bool loader_mem_contains(const void *p);

#endif
