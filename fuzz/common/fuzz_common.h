/* SPDX-License-Identifier: MIT */
/*
 * What the hypercall harnesses (fuzz/hypercall, grant, memory, schedop)
 * share: the input, read a byte at a time (zeros once it runs out), and
 * the machine they run on. orrery_hypercall_fuzzer() (cmake/fuzz.cmake)
 * builds these files into each of them.
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* The input of this run (LLVMFuzzerTestOneInput's data and size). */
void fuzz_input_start(const uint8_t *data, size_t size);
/* The next byte, or 0 once the input is used up. */
uint8_t fuzz_byte(void);
/* The next @n bytes (n <= 8) as a little-endian number. */
uint64_t fuzz_bytes(unsigned int n);
/* Bytes not read yet. */
size_t fuzz_input_left(void);

/*
 * Phase 6 of start_orrery() (core/boot/start.c) on one simulated CPU,
 * once per process, with the console at @loglvl: the scheduler, domains,
 * event channels, grant tables and vCPU ops, the dummy XSM policy. The
 * timer heap (which grows on demand and keeps its size) is grown past
 * what three domains use, so that a harness's end-of-input count of free
 * pages and xmalloc objects sees only what the input left behind.
 */
void fuzz_machine_boot_once(const char *loglvl);

#endif /* FUZZ_COMMON_H */
