/* SPDX-License-Identifier: MIT */
/* Early boot, shared by the two loader parsers and x86_start(). */
#ifndef X86_BOOT_H
#define X86_BOOT_H

#include <orrery/boot.h>

/* Where the ACPI RSDP is, as far as the loader told us (0: search). */
extern paddr_t x86_rsdp_paddr;

/* Loader memory is reached through the boot page tables' direct map. */
void *boot_phys_to_virt(paddr_t pa);

/* Copy a loader-provided string to hypervisor memory; "" for 0. */
const char *boot_copy_string(paddr_t pa, char *buf, size_t size);

void pvh_parse(paddr_t start_info, struct boot_info *bi);
void mb2_parse(paddr_t mbi, struct boot_info *bi);

/* The first token GRUB passes is the image's path: skip it. */
const char *skip_image_path(const char *cmdline);

#endif
