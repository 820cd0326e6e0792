/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU GDT and TSS, and %gs. Long mode ignores segment bases and limits
 * for code and data (AMD APM vol. 2 §4.8), but still needs a 64-bit code
 * descriptor, and a TSS for the interrupt stack table: #DF, NMI and #MC
 * switch to their own known-good stacks (Intel SDM vol. 3 §7.14.5).
 */
#include <orrery/lib.h>
#include <asm/cpu.h>
#include <asm/layout.h>

struct x86_cpu x86_cpus[NR_CPUS];

struct desc_ptr {
    uint16_t limit;
    uint64_t base;
} __packed;

void idt_load(void);

void cpu_tables_init(unsigned int cpu, uintptr_t stack_base)
{
    struct x86_cpu *c = &x86_cpus[cpu];
    uint64_t tss = (uint64_t)(uintptr_t)&c->tss;
    uint64_t limit = sizeof(c->tss) - 1;
    struct desc_ptr gdtr = { sizeof(c->gdt) - 1, (uint64_t)(uintptr_t)c->gdt };

    c->self = c;
    c->id = cpu;
    c->stack_base = stack_base;

    c->gdt[0] = 0;
    c->gdt[SEL_CODE64 / 8] = 0x00af9a000000ffffull;
    c->gdt[SEL_DATA / 8] = 0x00cf92000000ffffull;
    c->gdt[SEL_CODE32 / 8] = 0x00cf9a000000ffffull;
    /* 16-byte available 64-bit TSS descriptor (type 9, present). */
    c->gdt[SEL_TSS / 8] = (limit & 0xffff) | ((tss & 0xffffff) << 16) |
                          (0x89ull << 40) | (((limit >> 16) & 0xf) << 48) |
                          (((tss >> 24) & 0xff) << 56);
    c->gdt[SEL_TSS / 8 + 1] = tss >> 32;

    memset(&c->tss, 0, sizeof(c->tss));
    c->tss.iomap_base = sizeof(c->tss);     /* no I/O bitmap */
    for ( unsigned int i = 0; i < 3; i++ )
        c->tss.ist[i] = (uint64_t)(uintptr_t)(c->ist_stacks[i] +
                                              sizeof(c->ist_stacks[0]));

    asm volatile ( "lgdt %0" :: "m" (gdtr) );
    asm volatile ( "pushq %0; lea 1f(%%rip), %%rax; pushq %%rax; lretq; 1:"
                   :: "i" (SEL_CODE64) : "rax", "memory" );
    asm volatile ( "mov %0, %%ds; mov %0, %%es; mov %0, %%ss; "
                   "mov %0, %%fs; mov %0, %%gs"
                   :: "r" (SEL_DATA) );
    asm volatile ( "ltr %w0" :: "r" (SEL_TSS) );
    wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)c);
    idt_load();
}

unsigned int arch_cpu_id(void)
{
    unsigned int id;

    asm ( "movl %%gs:%c1, %0" : "=r" (id)
          : "i" (__builtin_offsetof(struct x86_cpu, id)) );
    return id;
}
