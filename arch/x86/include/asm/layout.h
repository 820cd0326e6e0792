/* SPDX-License-Identifier: MIT */
/*
 * Where the hypervisor lives, physically and virtually. Shared by C, the
 * assembly entry code and the linker script, so plain numbers only.
 *
 *   0xffffffff80000000 + p   the image (linked here, -mcmodel=kernel),
 *                            loaded at physical p = IMAGE_PHYS
 *   0xffff800000000000 + p   the direct map of machine memory
 */
#ifndef ASM_LAYOUT_H
#define ASM_LAYOUT_H

#define IMAGE_PHYS      0x200000
#define IMAGE_VIRT_BASE 0xffffffff80000000
#define DIRECTMAP_BASE  0xffff800000000000

#define BOOT_STACK_SIZE 0x4000      /* 16 KiB per CPU */
#define STACK_ORDER     2

#ifndef __ASSEMBLER__
extern char boot_stack_top[];
#endif

/* GDT selectors (arch/x86/traps/gdt.c, boot/head.S). */
#define SEL_CODE64  0x08
#define SEL_DATA    0x10
#define SEL_CODE32  0x18
#define SEL_TSS     0x20

/* Boot protocols, as head.S tells x86_start(). */
#define BOOT_PROTO_PVH 1
#define BOOT_PROTO_MB2 2

/* Interrupt vectors. 0x20-0x2f: the remapped (and masked) 8259 PIC. */
#define VEC_SERIAL      0x40
#define VEC_IPI_SOFTIRQ 0xf0
#define VEC_IPI_CALL    0xf1
#define VEC_TIMER       0xfa
#define VEC_APIC_ERROR  0xfe
#define VEC_SPURIOUS    0xff

#endif
