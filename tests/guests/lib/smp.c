/* SPDX-License-Identifier: MIT */
/*
 * Starting secondary vCPUs (smp.h). A 64-bit VCPUOP_initialise gives
 * the AP flat long-mode segments with null selectors and no GDT or IDT
 * (Xen's arch_set_info_hvm_guest does the same), so the first thing the
 * AP runs reloads CS and the data segments from a GDT of its own.
 */
#include <public/vcpu.h>
#include <public/xen.h>

#include "guest.h"
#include "smp.h"

#define CR0_PG (1ull << 31)
#define EFER_LME (1ull << 8)
#define EFER_NXE (1ull << 11)
#define HVM_LEAF_VCPU_ID_PRESENT (1u << 3)

/* Null, 64-bit code (0x08), data (0x10): what head.S uses. */
static const uint64_t smp_gdt[] = {
    0, 0x00af9b000000ffffull, 0x00cf93000000ffffull,
};
struct __attribute__((packed)) smp_gdt_desc {
    uint16_t limit;
    uint64_t base;
};
const struct smp_gdt_desc smp_gdt_desc = {
    sizeof(smp_gdt) - 1, (uint64_t)(uintptr_t)smp_gdt,
};

/* RDI = id, RSI = fn, RSP = stack top (16-byte aligned) on entry. */
asm ( ".text\n"
      ".globl smp_ap_entry\n"
      "smp_ap_entry:\n"
      "  lgdt smp_gdt_desc(%rip)\n"
      "  pushq $0x08\n"
      "  lea 1f(%rip), %rax\n"
      "  pushq %rax\n"
      "  lretq\n"
      "1:\n"
      "  mov $0x10, %eax\n"
      "  mov %eax, %ds\n"
      "  mov %eax, %es\n"
      "  mov %eax, %ss\n"
      "  call *%rsi\n"
      "2:\n"
      "  cli\n"
      "  hlt\n"
      "  jmp 2b\n" );
extern char smp_ap_entry[];

unsigned int smp_nr_vcpus(void)
{
    unsigned int n = 0;

    while ( n < 4096 &&
            hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_is_up, n, 0) >= 0 )
        n++;
    return n;
}

void smp_context64(struct vcpu_hvm_context *c, unsigned int id,
                   smp_entry_fn fn, void *stack_top)
{
    uint64_t cr0, cr3, cr4;

    asm volatile ( "mov %%cr0, %0; mov %%cr3, %1; mov %%cr4, %2"
                   : "=r" (cr0), "=r" (cr3), "=r" (cr4) );
    *c = (struct vcpu_hvm_context){ .mode = VCPU_HVM_MODE_64B };
    c->cpu_regs.x86_64 = (struct vcpu_hvm_x86_64){
        .rip = (uintptr_t)smp_ap_entry,
        .rsp = (uintptr_t)stack_top & ~15ull,
        .rdi = id,
        .rsi = (uintptr_t)fn,
        .rflags = 0x2,              /* interrupts off */
        .cr0 = cr0 | CR0_PG, .cr3 = cr3, .cr4 = cr4,
        .efer = EFER_LME | EFER_NXE,
    };
}

long smp_start_vcpu(unsigned int id, smp_entry_fn fn, void *stack_top)
{
    struct vcpu_hvm_context c;
    long rc;

    smp_context64(&c, id, fn, stack_top);
    rc = hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_initialise, id, &c);
    if ( rc )
        return rc;
    return hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_up, id, 0);
}

int smp_cpuid_vcpu_id(void)
{
    uint32_t r[4];

    cpuid(xen_cpuid_base + 4, 0, r);
    return (r[0] & HVM_LEAF_VCPU_ID_PRESENT) ? (int)r[1] : -1;
}
