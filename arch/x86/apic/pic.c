/* SPDX-License-Identifier: MIT */
/*
 * The legacy 8259A pair. Orrery uses the IO-APIC, but the PICs come out of
 * reset mapped onto vectors 0x08-0x0f, which are exceptions in long mode:
 * reprogram them to 0x20-0x2f (ICW1-ICW4, 8259A datasheet) and mask every
 * line, so a stray spurious IRQ7 cannot look like a double fault.
 */
#include <asm/x86.h>

#include "apic.h"

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1

void pic_disable(void)
{
    outb(PIC1_CMD, 0x11);           /* ICW1: init, cascade, ICW4 follows */
    outb(PIC2_CMD, 0x11);
    outb(PIC1_DATA, 0x20);          /* ICW2: vector base */
    outb(PIC2_DATA, 0x28);
    outb(PIC1_DATA, 0x04);          /* ICW3: slave on IRQ2 */
    outb(PIC2_DATA, 0x02);
    outb(PIC1_DATA, 0x01);          /* ICW4: 8086 mode */
    outb(PIC2_DATA, 0x01);
    outb(PIC1_DATA, 0xff);          /* mask everything */
    outb(PIC2_DATA, 0xff);
}
