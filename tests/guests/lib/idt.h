/* SPDX-License-Identifier: MIT */
/*
 * One IDT for a test kernel (every vCPU loads the same table): 64-bit
 * interrupt gates on head.S's code selector 0x08, and a stub macro that
 * calls a C handler with the vector number.
 */
#ifndef GUEST_IDT_H
#define GUEST_IDT_H

#include <orrery/types.h>

/* A present 64-bit interrupt gate (type 0xE) with the given DPL. */
void idt_set_gate_dpl(unsigned int vec, uintptr_t fn, unsigned int dpl);

static inline void idt_set_gate(unsigned int vec, void *fn)
{
    idt_set_gate_dpl(vec, (uintptr_t)fn, 0);
}

/* lidt the table; call on each vCPU once its gates are set. */
void idt_load(void);

/*
 * IDT_IRQ_STUB(label, vec, handler): an entry point `label` that calls
 * `void handler(unsigned int vector)` with @vec and returns with iretq.
 * The CPU enters at RSP = 8 mod 16 (five words pushed on an aligned
 * stack); the nine caller-saved registers make it 16-byte aligned for the
 * call. Kernels are built with -mno-red-zone and without SSE, so these
 * are all a C function can clobber. Declare the label with
 * `extern char label[];`.
 */
#define IDT_IRQ_STUB(label, vec, handler)                               \
    asm ( ".text\n"                                                     \
          #label ":\n"                                                  \
          "  push %rax; push %rcx; push %rdx; push %rsi; push %rdi\n"   \
          "  push %r8; push %r9; push %r10; push %r11\n"                \
          "  mov $" #vec ", %edi\n"                                     \
          "  call " #handler "\n"                                       \
          "  pop %r11; pop %r10; pop %r9; pop %r8\n"                    \
          "  pop %rdi; pop %rsi; pop %rdx; pop %rcx; pop %rax\n"        \
          "  iretq\n" )

#endif /* GUEST_IDT_H */
