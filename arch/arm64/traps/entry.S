/* SPDX-License-Identifier: MIT */
/*
 * The EL2 exception vector table (Arm ARM D1): 16 entries of 128
 * bytes, 2 KiB aligned, in four groups -- current EL with SP_EL0, current
 * EL with SP_ELx, lower EL in AArch64, lower EL in AArch32 -- of four
 * kinds: synchronous, IRQ, FIQ, SError.
 *
 * Orrery runs on SP_EL2 (head.S sets SPSel), so only "current EL with
 * SP_ELx" is expected: IRQs are handled and return; a synchronous
 * exception is a hypervisor bug and ends in a dump and panic. There are
 * no guests yet, so anything from a lower EL is unexpected too.
 *
 * Each entry saves a struct cpu_regs (asm/arm64.h) on the stack and
 * links a frame record {interrupted x29, ELR} into the frame-pointer
 * chain, so a backtrace from the handler runs on through the
 * interrupted code.
 */
#include <asm/layout.h>

#define FRAME_SIZE  (38 * 8)    /* struct cpu_regs + the frame record */

.macro save_regs
        sub     sp, sp, #FRAME_SIZE
        stp     x0, x1, [sp, #16 * 0]
        stp     x2, x3, [sp, #16 * 1]
        stp     x4, x5, [sp, #16 * 2]
        stp     x6, x7, [sp, #16 * 3]
        stp     x8, x9, [sp, #16 * 4]
        stp     x10, x11, [sp, #16 * 5]
        stp     x12, x13, [sp, #16 * 6]
        stp     x14, x15, [sp, #16 * 7]
        stp     x16, x17, [sp, #16 * 8]
        stp     x18, x19, [sp, #16 * 9]
        stp     x20, x21, [sp, #16 * 10]
        stp     x22, x23, [sp, #16 * 11]
        stp     x24, x25, [sp, #16 * 12]
        stp     x26, x27, [sp, #16 * 13]
        stp     x28, x29, [sp, #16 * 14]
        add     x0, sp, #FRAME_SIZE
        stp     x30, x0, [sp, #8 * 30]          /* lr, interrupted sp */
        mrs     x0, elr_el2
        mrs     x1, spsr_el2
        stp     x0, x1, [sp, #8 * 32]
        mrs     x2, esr_el2
        mrs     x3, far_el2
        stp     x2, x3, [sp, #8 * 34]
        stp     x29, x0, [sp, #8 * 36]          /* frame record */
        add     x29, sp, #8 * 36
.endm

.macro restore_regs
        ldp     x0, x1, [sp, #8 * 32]
        msr     elr_el2, x0
        msr     spsr_el2, x1
        ldp     x0, x1, [sp, #16 * 0]
        ldp     x2, x3, [sp, #16 * 1]
        ldp     x4, x5, [sp, #16 * 2]
        ldp     x6, x7, [sp, #16 * 3]
        ldp     x8, x9, [sp, #16 * 4]
        ldp     x10, x11, [sp, #16 * 5]
        ldp     x12, x13, [sp, #16 * 6]
        ldp     x14, x15, [sp, #16 * 7]
        ldp     x16, x17, [sp, #16 * 8]
        ldp     x18, x19, [sp, #16 * 9]
        ldp     x20, x21, [sp, #16 * 10]
        ldp     x22, x23, [sp, #16 * 11]
        ldp     x24, x25, [sp, #16 * 12]
        ldp     x26, x27, [sp, #16 * 13]
        ldp     x28, x29, [sp, #16 * 14]
        ldr     x30, [sp, #8 * 30]
        add     sp, sp, #FRAME_SIZE
        eret
.endm

/* An unexpected exception: dump and panic, never return. */
.macro bad_entry kind
        .org    el2_vectors + \kind * 128     /* errors if one overflows */
        save_regs
        mov     x0, sp
        mov     x1, #\kind
        bl      do_bad_exception
        b       park
.endm

        .text
        .balign 2048
        .globl el2_vectors
el2_vectors:
        /* Current EL with SP_EL0: never used. */
        bad_entry 0
        bad_entry 1
        bad_entry 2
        bad_entry 3
        /* Current EL with SP_EL2. */
        .org    el2_vectors + 4 * 128
        b       el2_sync
        .org    el2_vectors + 5 * 128
        b       el2_irq
        bad_entry 6
        bad_entry 7
        /* Lower EL, AArch64 and AArch32: no guests yet. */
        bad_entry 8
        bad_entry 9
        bad_entry 10
        bad_entry 11
        bad_entry 12
        bad_entry 13
        bad_entry 14
        bad_entry 15
        .org    el2_vectors + 2048

el2_sync:
        save_regs
        mov     x0, sp
        bl      do_sync_exception
        b       park

el2_irq:
        save_regs
        mov     x0, sp
        bl      do_irq
        restore_regs
