/* SPDX-License-Identifier: MIT */
/*
 * Real-mode start of an application processor. smpboot.c copies this to a
 * page below 1 MiB and sends STARTUP IPIs with that page's number, so the
 * AP begins here with CS = page << 8, IP = 0 (Intel SDM vol. 3 §9.4.4).
 * It enters 32-bit protected mode on a flat GDT of its own and jumps to
 * ap_start32 in head.S, which does the rest exactly as on the boot CPU.
 */
#include <asm/layout.h>

        .section .rodata.trampoline, "a"
        .code16
        .globl trampoline_start, trampoline_end, trampoline_gdtr_base
trampoline_start:
        cli
        cld
        mov     %cs, %ax
        mov     %ax, %ds
        lgdtl   tramp_gdtr - trampoline_start
        mov     %cr0, %eax
        or      $1, %eax                        /* CR0.PE */
        mov     %eax, %cr0
        mov     $0x10, %ax
        mov     %ax, %ds
        mov     %ax, %es
        mov     %ax, %ss
        ljmpl   $0x08, $(ap_start32 - IMAGE_VIRT_BASE)

        .balign 8
tramp_gdt:
        .quad 0
        .quad 0x00cf9a000000ffff                /* 0x08: 32-bit code */
        .quad 0x00cf92000000ffff                /* 0x10: data */
tramp_gdtr:
        .short 23
trampoline_gdtr_base:
        .long tramp_gdt - trampoline_start      /* + the page, at copy time */
trampoline_end:
