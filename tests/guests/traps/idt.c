/* SPDX-License-Identifier: MIT */
/*
 * The trap kernel's own descriptor tables (AMD APM vol. 2 §4.8, §8.9,
 * §12.2): a GDT with 64-bit kernel and user segments and a 64-bit TSS
 * (RSP0: the stack a trap from ring 3 switches to), and an IDT with a
 * stub per exception vector plus a DPL-3 gate at 0x80.
 *
 * Every stub builds the same frame (a 0 where the CPU pushes no error
 * code, then the vector) and calls trap_handler(), which records the
 * trap. A kernel-mode trap resumes at resume_at; a trap from ring 3
 * returns to the kernel where enter_user() was called, by rewriting the
 * IRET frame to the saved kernel stack at CPL 0.
 */
#include "idt.h"
#include "traps.h"

volatile struct trap_record last_trap;
volatile uint64_t resume_at;

struct trap_frame {
    uint64_t r11, r10, r9, r8, rdi, rsi, rdx, rcx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;      /* pushed by the CPU */
};

struct tss64 {
    uint32_t rsvd0;
    uint64_t rsp[3];
    uint64_t rsvd1;
    uint64_t ist[7];
    uint64_t rsvd2;
    uint16_t rsvd3, iomap;
} __attribute__((packed));

static struct tss64 tss __attribute__((aligned(16)));
static uint64_t gdt[7] __attribute__((aligned(16))) = {
    0,
    0x00af9b000000ffffULL,      /* 0x08 kernel code, 64-bit */
    0x00cf93000000ffffULL,      /* 0x10 kernel data */
    0x00affb000000ffffULL,      /* 0x18 user code, 64-bit, DPL 3 */
    0x00cff3000000ffffULL,      /* 0x20 user data, DPL 3 */
    0, 0,                       /* 0x28 the TSS (16 bytes) */
};
static uint8_t ring0_stack[8192] __attribute__((aligned(16)));
uint64_t user_ksp;              /* enter_user()'s stack, for the way back */

/* The stubs: vectors 8, 10-14, 17, 21, 29 and 30 come with an error
 * code; the others get a 0 in its place. 0x80 has none either. */
asm ( ".text\n"
      ".irp v,0,1,2,3,4,5,6,7,9,15,16,18,19,20,22,23,24,25,26,27,28,31,128\n"
      "trap_stub_\\v: push $0; push $\\v; jmp trap_common\n"
      ".endr\n"
      ".irp v,8,10,11,12,13,14,17,21,29,30\n"
      "trap_stub_\\v: push $\\v; jmp trap_common\n"
      ".endr\n"
      /* 9 registers + vector + error + 5 of the CPU's: 16-byte aligned
       * at the call, as the CPU aligns RSP before pushing (§8.9.3). */
      "trap_common:\n"
      "  push %rax; push %rcx; push %rdx; push %rsi; push %rdi\n"
      "  push %r8; push %r9; push %r10; push %r11\n"
      "  mov %rsp, %rdi\n"
      "  call trap_handler\n"
      "  pop %r11; pop %r10; pop %r9; pop %r8\n"
      "  pop %rdi; pop %rsi; pop %rdx; pop %rcx; pop %rax\n"
      "  add $16, %rsp\n"
      "  iretq\n"
      ".section .rodata\n"
      "trap_stubs:\n"
      ".irp v,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,"
      "23,24,25,26,27,28,29,30,31\n"
      "  .quad trap_stub_\\v\n"
      ".endr\n"
      "  .quad trap_stub_128\n"
      ".text\n" );
extern const uint64_t trap_stubs[33];

/*
 * enter_user(rip, rsp, arg): save the callee-saved registers and the
 * stack, then IRET to CPL 3 (IF stays clear: the kernels take no
 * interrupts). trap_handler() sends a ring-3 trap to user_back.
 */
asm ( ".text\n"
      ".globl enter_user\n"
      "enter_user:\n"
      "  push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
      "  mov %rsp, user_ksp(%rip)\n"
      "  push $0x23\n"              /* SS */
      "  push %rsi\n"               /* RSP */
      "  push $0x2\n"               /* RFLAGS */
      "  push $0x1b\n"              /* CS */
      "  push %rdi\n"               /* RIP */
      "  mov %rdx, %rdi\n"
      "  iretq\n"
      "user_back:\n"
      "  pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
      "  ret\n" );
extern char user_back[];

void trap_handler(struct trap_frame *f);
void trap_handler(struct trap_frame *f)
{
    uint64_t cr2;

    asm volatile ( "mov %%cr2, %0" : "=r" (cr2) );
    last_trap.vector = (unsigned int)f->vector;
    last_trap.error = f->error;
    last_trap.rip = f->rip;
    last_trap.cs = f->cs;
    last_trap.cr2 = cr2;
    last_trap.rax = f->rax;
    last_trap.count++;

    if ( f->cs & 3 )
    {
        /* From ring 3: back to enter_user()'s caller, at CPL 0. */
        f->rip = (uintptr_t)user_back;
        f->cs = KERNEL_CS;
        f->ss = 0x10;
        f->rsp = user_ksp;
        f->rflags = 0x2;
        return;
    }
    if ( !resume_at )
        panic("unexpected trap %u (error %#llx) at %#llx, cr2 %#llx",
              (unsigned int)f->vector, (unsigned long long)f->error,
              (unsigned long long)f->rip, (unsigned long long)cr2);
    f->rip = resume_at;
    resume_at = 0;
}

void traps_init(void)
{
    struct { uint16_t limit; uint64_t base; } __attribute__((packed))
        gdtr = { sizeof(gdt) - 1, (uintptr_t)gdt };
    uint64_t base = (uintptr_t)&tss, limit = sizeof(tss) - 1;

    tss.rsp[0] = (uintptr_t)(ring0_stack + sizeof(ring0_stack));
    tss.iomap = sizeof(tss);            /* no I/O bitmap */
    /* An available 64-bit TSS (type 9), present (§4.8.3). */
    gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
             (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[6] = base >> 32;
    for ( unsigned int v = 0; v < 32; v++ )
        idt_set_gate_dpl(v, trap_stubs[v], 0);
    idt_set_gate_dpl(USER_VECTOR, trap_stubs[32], 3);
    /* CS 0x08 (KERNEL_CS, the IDT's selector) and DS 0x10 are the same
     * descriptors as head.S's. */
    asm volatile ( "lgdt %0; ltr %w1" :: "m" (gdtr), "r" (0x28) : "memory" );
    idt_load();
}
