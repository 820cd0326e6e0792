/* SPDX-License-Identifier: MIT */
/*
 * First instructions on Arm64. The image starts with the Linux arm64
 * Image header (Linux Documentation/arch/arm64/booting.rst), so QEMU's
 * -kernel and any Linux boot loader take it: they enter at offset 0 with
 * the MMU and data cache off, x0 = physical address of the device tree,
 * x1-x3 = 0, on the boot CPU, at EL2 when the CPU has it (QEMU virt with
 * virtualization=on).
 *
 * From here: check the exception level, zero bss, build boot page tables
 * (an identity map for the switch, the image at IMAGE_VIRT_BASE), turn
 * the MMU on, jump to the linked addresses, and enter C. Secondary CPUs
 * arrive at secondary_entry from PSCI CPU_ON with x0 = their CPU index.
 */
#include <asm/layout.h>
#include <asm/pte.h>

#define SZ_2M 0x200000

        .section .text.head, "ax"
        .globl _start
_start:
        /* The Image header (booting.rst "Call the kernel image"). */
        b       primary_entry           /* code0 */
        .long   0                       /* code1 */
        .quad   0                       /* text_offset: at a 2 MiB base */
        .quad   _image_size             /* image_size, bss included */
        /* flags: little-endian (bit 0 = 0), 4 KiB pages (bits 2:1 = 1),
         * 2 MiB-aligned base near the start of RAM (bit 3 = 0). */
        .quad   (1 << 1)
        .quad   0, 0, 0                 /* res2-res4 */
        .ascii  "ARM\x64"               /* magic, at offset 56 */
        .long   0                       /* res5 (PE/COFF offset) */

primary_entry:
        msr     daifset, #0xf
        mov     x19, x0                 /* device tree, physical */
        adr     x20, _start             /* the image, physical */

        /* CurrentEL bits 3:2 (Arm ARM D17.2). A hypervisor needs EL2:
         * at EL1 (virtualization=off) there is nothing to do but say so. */
        mrs     x0, CurrentEL
        ubfx    x0, x0, #2, #2
        cmp     x0, #2
        b.eq    1f
        adr     x0, msg_not_el2
        bl      early_puts
        b       park
1:      tst     x20, #(SZ_2M - 1)
        b.eq    2f
        adr     x0, msg_misaligned
        bl      early_puts
        b       park
2:      lsr     x0, x20, #39            /* the identity map is one L0 slot */
        cbz     x0, 3f
        adr     x0, msg_too_high
        bl      early_puts
        b       park

3:      bl      el2_setup

        /* Zero bss, page tables and boot stack included. The MMU is off,
         * so these are Device accesses: 16-byte aligned stores only. */
        adrp    x0, __bss_start
        add     x0, x0, :lo12:__bss_start
        adrp    x1, __bss_end
        add     x1, x1, :lo12:__bss_end
4:      stp     xzr, xzr, [x0], #16
        cmp     x0, x1
        b.lo    4b
        /* Lines a loader left in the data cache must not hide the zeros
         * once the cache is on: invalidate bss to the point of coherency. */
        adrp    x0, __bss_start
        add     x0, x0, :lo12:__bss_start
        bl      dcache_inval_range

        bl      build_boot_tables
        adrp    x0, boot_l0
        bl      enable_mmu
        ldr     x0, =primary_high
        br      x0

/*
 * Boot page tables, written with the MMU off (physical addresses):
 *   L0[0]   -> boot_l1_low: PA 0-1 GiB as Device (QEMU virt's MMIO, for
 *              the early UART) and the 1 GiB block holding the image as
 *              Normal memory (identity, for the instructions that turn
 *              the MMU on);
 *   L0[1]   -> boot_l1_img -> boot_l2_img: the image at IMAGE_VIRT_BASE
 *              in 2 MiB blocks, read/write/execute until mm/paging.c
 *              replaces these tables with W^X ones.
 * The direct map (L0[128] -> boot_l1_dmap) is filled in from C as the
 * device tree names RAM.
 */
build_boot_tables:
        adrp    x1, boot_l0
        adrp    x2, boot_l1_low
        adrp    x3, boot_l1_img
        adrp    x4, boot_l2_img
        orr     x0, x2, #PTE_TABLE
        str     x0, [x1, #((0 >> 39) & 511) * 8]
        orr     x0, x3, #PTE_TABLE
        str     x0, [x1, #((IMAGE_VIRT_BASE >> 39) & 511) * 8]
        ldr     x0, =(PTE_DEV | PTE_BLOCK)
        str     x0, [x2]
        ldr     x0, =(PTE_MEM | PTE_BLOCK)
        lsr     x5, x20, #30
        orr     x0, x0, x5, lsl #30
        str     x0, [x2, x5, lsl #3]
        orr     x0, x4, #PTE_TABLE
        str     x0, [x3, #((IMAGE_VIRT_BASE >> 30) & 511) * 8]
        ldr     x5, =_image_size        /* 2 MiB blocks to cover it */
        ldr     x6, =(SZ_2M - 1)
        add     x5, x5, x6
        lsr     x5, x5, #21
        ldr     x0, =(PTE_MEM | PTE_BLOCK)
        orr     x0, x0, x20
5:      str     x0, [x4], #8
        add     x0, x0, #SZ_2M
        subs    x5, x5, #1
        b.ne    5b
        dsb     sy
        ret

primary_high:
        ldr     x0, =el2_vectors
        msr     vbar_el2, x0
        ldr     x0, =arm64_cpus         /* CPU 0's per-CPU area */
        msr     tpidr_el2, x0
        ldr     x0, =boot_stack_top
        mov     sp, x0
        isb
        mov     x29, #0
        mov     x30, #0
        mov     x0, x19
        mov     x1, x20
        bl      arm64_start
        b       park

/* PSCI CPU_ON lands here: MMU off, EL2, x0 = the context id, our CPU
 * index (smp/smpboot.c). Only PC-relative addresses until the MMU is on:
 * this CPU's view of memory is not coherent with the others' caches. */
        .globl secondary_entry
secondary_entry:
        msr     daifset, #0xf
        mov     x19, x0
        bl      el2_setup
        adrp    x0, boot_l0
        bl      enable_mmu
        ldr     x0, =secondary_high
        br      x0
secondary_high:
        ldr     x0, =el2_vectors
        msr     vbar_el2, x0
        ldr     x1, =arm64_cpus
        mov     x2, #CPU_AREA_SIZE
        madd    x1, x19, x2, x1
        msr     tpidr_el2, x1
        ldr     x0, [x1, #CPU_STACK_TOP]
        mov     sp, x0
        isb
        mov     x29, #0
        mov     x30, #0
        mov     x0, x19
        bl      arm64_start_secondary
        b       park

/* EL2's own controls, before the MMU is on (Arm ARM D17.2). */
el2_setup:
        ldr     x0, =HCR_VALUE
        msr     hcr_el2, x0
        ldr     x0, =SCTLR_RES1         /* MMU and caches off */
        msr     sctlr_el2, x0
        msr     cntvoff_el2, xzr
        msr     spsel, #1
        isb
        ret

/* Turn the MMU on with the tables at physical x0 (Arm ARM D8). */
enable_mmu:
        ldr     x1, =MAIR_VALUE
        msr     mair_el2, x1
        /* PS: the physical address size this CPU has, at most 48 bits
         * (0b101), the most a 4 KiB granule reaches without LPA2. */
        mrs     x1, id_aa64mmfr0_el1
        and     x1, x1, #0xf
        cmp     x1, #5
        mov     x2, #5
        csel    x1, x1, x2, ls
        ldr     x2, =TCR_VALUE
        orr     x1, x2, x1, lsl #TCR_PS_SHIFT
        msr     tcr_el2, x1
        msr     ttbr0_el2, x0
        isb
        tlbi    alle2
        dsb     nsh
        isb
        ldr     x1, =SCTLR_VALUE
        msr     sctlr_el2, x1
        isb
        ic      iallu
        dsb     nsh
        isb
        ret

/* Invalidate data cache lines [x0, x1) to the point of coherency. */
dcache_inval_range:
        mrs     x3, ctr_el0
        ubfx    x3, x3, #16, #4         /* DminLine: log2(words per line) */
        mov     x2, #4
        lsl     x2, x2, x3
        sub     x3, x2, #1
        bic     x0, x0, x3
6:      dc      ivac, x0
        add     x0, x0, x2
        cmp     x0, x1
        b.lo    6b
        dsb     sy
        ret

/* Print the NUL-terminated string at x0 on QEMU virt's PL011, polled. */
early_puts:
        ldr     x2, =EARLY_UART_PHYS
7:      ldrb    w1, [x0], #1
        cbz     w1, 9f
8:      ldr     w3, [x2, #0x18]         /* UARTFR */
        tbnz    w3, #5, 8b              /* TXFF: transmit FIFO full */
        str     w1, [x2]                /* UARTDR */
        b       7b
9:      ret

        .globl park
park:
        msr     daifset, #0xf
        wfi
        b       park

msg_not_el2:
        .ascii  "Orrery: not entered at EL2 (QEMU needs "
        .asciz  "-M virt,virtualization=on): halting\r\n"
msg_misaligned:
        .ascii  "Orrery: image not loaded at a 2 MiB-aligned address: "
        .asciz  "halting\r\n"
msg_too_high:
        .ascii  "Orrery: image loaded above 512 GiB, not supported: "
        .asciz  "halting\r\n"
        .balign 4
        .ltorg

        .section .bss.page_aligned, "aw", %nobits
        .balign 4096
        .globl boot_l0, boot_l1_dmap
boot_l0:        .space 4096
boot_l1_low:    .space 4096
boot_l1_img:    .space 4096
boot_l2_img:    .space 4096
boot_l1_dmap:   .space 4096
        .balign 16
boot_stack:     .space BOOT_STACK_SIZE
        .globl boot_stack_top
boot_stack_top:
