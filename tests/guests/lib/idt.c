/* SPDX-License-Identifier: MIT */
/* The kernel's one IDT (idt.h). */
#include "idt.h"

struct idt_gate {
    uint16_t off0, sel;
    uint8_t ist, type;
    uint16_t off1;
    uint32_t off2, rsvd;
};

static struct idt_gate idt[256] __attribute__((aligned(16)));

void idt_set_gate_dpl(unsigned int vec, uintptr_t a, unsigned int dpl)
{
    idt[vec & 0xff] = (struct idt_gate){
        .off0 = (uint16_t)a, .sel = 0x08,
        .type = (uint8_t)(0x8e | ((dpl & 3) << 5)),  /* P, interrupt gate */
        .off1 = (uint16_t)(a >> 16), .off2 = (uint32_t)(a >> 32),
    };
}

void idt_load(void)
{
    struct { uint16_t limit; uint64_t base; } __attribute__((packed)) d = {
        sizeof(idt) - 1, (uintptr_t)idt,
    };

    asm volatile ( "lidt %0" :: "m" (d) : "memory" );
}
