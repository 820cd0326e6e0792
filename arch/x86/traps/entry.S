/* SPDX-License-Identifier: MIT */
/*
 * Interrupt and exception entry. One 16-byte stub per vector pushes a
 * dummy error code where the CPU pushes none (Intel SDM vol. 3 §7.3 table
 * 7-1: vectors 8, 10-14, 17, 21, 29, 30 push one), then the vector number;
 * the common path saves the general registers as struct cpu_regs and calls
 * do_trap(regs). No privilege change happens yet (no guests), so there is
 * no SWAPGS.
 */
        .text
        .balign 16
        .globl idt_stubs
idt_stubs:
        .set vec, 0
        .rept 256
        .balign 16
        .if (vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
        .else
        pushq   $0
        .endif
        pushq   $vec
        jmp     trap_common
        .set vec, vec + 1
        .endr

trap_common:
        push    %rax
        push    %rbx
        push    %rcx
        push    %rdx
        push    %rsi
        push    %rdi
        push    %rbp
        push    %r8
        push    %r9
        push    %r10
        push    %r11
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        cld
        mov     %rsp, %rdi
        /* A frame record, so backtraces walk through the interrupt. */
        push    136(%rsp)               /* the interrupted RIP */
        push    %rbp
        mov     %rsp, %rbp
        call    do_trap
        add     $16, %rsp
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %r11
        pop     %r10
        pop     %r9
        pop     %r8
        pop     %rbp
        pop     %rdi
        pop     %rsi
        pop     %rdx
        pop     %rcx
        pop     %rbx
        pop     %rax
        add     $16, %rsp               /* vector, error code */
        iretq
