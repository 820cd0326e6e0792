/* SPDX-License-Identifier: MIT */
/*
 * Where the Arm64 hypervisor lives. EL2 without VHE has one translation
 * range, TTBR0_EL2, from 0 up (Arm ARM D8): with T0SZ = 16 that is 48
 * bits, four levels of 4 KiB tables. Shared by C, head.S and the linker
 * script, so plain numbers only.
 *
 *   0x0000008000000000 + o   the image (linked here), loaded at any
 *                            2 MiB-aligned physical address p; o = 0..
 *   0x0000400000000000 + p   the direct map of RAM and of the devices
 *                            the hypervisor drives (PL011, GIC)
 *
 * Nothing is mapped below 512 GiB once the hypervisor's own tables are
 * live: page zero faults, as debug key 'C' relies on.
 */
#ifndef ASM_LAYOUT_H
#define ASM_LAYOUT_H

#define IMAGE_VIRT_BASE 0x0000008000000000
#define DIRECTMAP_BASE  0x0000400000000000
#define DIRECTMAP_SIZE  0x0000400000000000  /* physical addresses < 64 TiB */

#define BOOT_STACK_SIZE 0x4000      /* 16 KiB per CPU */
#define STACK_ORDER     2

/* Early console before the device tree is read: QEMU virt's PL011. */
#define EARLY_UART_PHYS 0x09000000

/* Per-CPU area offsets used by head.S (struct arm64_cpu, asm/cpu.h). */
#define CPU_STACK_TOP   16
#define CPU_AREA_SIZE   64

#endif
