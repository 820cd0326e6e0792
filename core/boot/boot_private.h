/* SPDX-License-Identifier: MIT */
/* Phases of start_orrery() that live in their own files. */
#ifndef CORE_BOOT_PRIVATE_H
#define CORE_BOOT_PRIVATE_H

#include <orrery/boot.h>

void memory_init(struct boot_info *bi);
void print_banner(const struct boot_info *bi);
/* CPUs the platform reported (cpu_call.c; set by smp_boot_cpus()). */
extern unsigned int smp_nr_present;

#endif
