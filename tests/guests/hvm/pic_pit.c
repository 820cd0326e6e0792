/* SPDX-License-Identifier: MIT */
/*
 * The PIC pair and the PIT (Intel 8259A and 8254 datasheets): mask and
 * command-word read-back, IRQ0 at 1 kHz from counter 0 in mode 2 counted
 * over a pvclock interval with the PIC's in-service bit seen in the
 * handler, latched counts, masking, poll mode, and counter 2 in mode 0
 * gated through port 0x61 with its OUT and the read-back status.
 * Rates: check_rate() in main.c.
 */
#include "hvm.h"

#define PIT_HZ   1193182u
#define COUNT_1K 1193u              /* 1 kHz */
#define MS       1000000ULL

static volatile bool isr_seen;

static uint8_t pic_isr(uint16_t cmd)
{
    outb(cmd, 0x0b);                /* OCW3: read ISR */
    return inb(cmd);
}

static uint8_t pic_irr(uint16_t cmd)
{
    outb(cmd, 0x0a);                /* OCW3: read IRR */
    return inb(cmd);
}

static void note_isr(unsigned int vector)
{
    if ( vector == V_PIC_MASTER )
        isr_seen = pic_isr(0x20) & 1;
}

static uint16_t latch_ch0(void)
{
    outb(0x43, 0x00);               /* counter latch, counter 0 */
    return (uint16_t)(inb(0x40) | inb(0x40) << 8);
}

static void pit_1khz(void)
{
    outb(0x43, 0x34);               /* counter 0, LSB then MSB, mode 2 */
    outb(0x40, COUNT_1K & 0xff);
    outb(0x40, COUNT_1K >> 8);
}

void test_pic_pit(void)
{
    uint16_t c;
    uint64_t t0, t;
    uint8_t st;

    pic_init();
    check(inb(0x21) == 0xff && inb(0xa1) == 0xff,
          "PIC: OCW1 masks read back (%#x %#x)", inb(0x21), inb(0xa1));
    outb(0x4d1, 0xff);
    check(inb(0x4d1) == 0xde, "ELCR2: IRQ8 and IRQ13 stay edge (%#x)",
          inb(0x4d1));
    outb(0x4d1, 0x00);

    /* IRQ0 at 1 kHz through the master, EOI by non-specific OCW2. */
    irq_hook = note_isr;
    pit_1khz();
    c = latch_ch0();
    check(c >= 1 && c <= COUNT_1K, "PIT: latched count %u in 1..%u", c,
          COUNT_1K);
    outb(0x21, 0xfe);
    t0 = now_ns();
    while ( !(pic_irr(0x20) & 1) && now_ns() - t0 < 1000 * MS )
        ;
    check(pic_irr(0x20) & 1, "PIC: IRQ0 waits in the IRR while IF=0");
    check_rate("PIT mode 2 at 1 kHz via the PIC", V_PIC_MASTER,
               1000000000ULL * COUNT_1K / PIT_HZ);
    check(isr_seen, "PIC: IRQ0 in service (ISR bit 0) in its handler");
    check(pic_isr(0x20) == 0, "PIC: ISR clear after the EOIs");
    irq_hook = NULL;

    /* Poll mode (OCW3 P=1): with IF=0 the read is the acknowledge. */
    t0 = now_ns();
    while ( !(pic_irr(0x20) & 1) && now_ns() - t0 < 1000 * MS )
        ;
    outb(0x20, 0x0c);
    st = inb(0x20);
    check(st == 0x80, "PIC poll: IRQ0 pending reads %#x (want 0x80)", st);
    check(pic_isr(0x20) & 1, "PIC poll: the poll set ISR bit 0");
    outb(0x20, 0x60);               /* specific EOI, IR0 */
    check(pic_isr(0x20) == 0, "PIC: specific EOI clears IR0");

    /* Masked: the IRR fills, nothing is delivered. */
    outb(0x21, 0xff);
    check(count_for(V_PIC_MASTER, 20 * MS) == 0,
          "PIC: masked IRQ0 is not delivered");

    /* Counter 2 in mode 0, gated by port 0x61 bit 0; OUT in bit 5. */
    outb(0x61, inb(0x61) & ~0x03);
    outb(0x43, 0xb0);               /* counter 2, LSB/MSB, mode 0 */
    outb(0x42, (PIT_HZ / 100) & 0xff);
    outb(0x42, (PIT_HZ / 100) >> 8);    /* 10 ms */
    spin(12 * MS);
    check(!(inb(0x61) & 0x20), "PIT: counter 2 holds while its gate is low");
    t0 = now_ns();
    outb(0x61, (inb(0x61) & ~0x02) | 0x01);
    while ( !(inb(0x61) & 0x20) && now_ns() - t0 < 1000 * MS )
        ;
    t = now_ns() - t0;
    check(t >= 9 * MS && t < 500 * MS,
          "PIT: counter 2 OUT rose after %llu us (want 10 ms)",
          (unsigned long long)(t / 1000));
    printf("PIT counter 2 mode 0: OUT high after %llu us\n",
           (unsigned long long)(t / 1000));
    outb(0x43, 0xe8);               /* read-back: status of counter 2 */
    st = inb(0x42);
    check(st == 0xb0, "PIT read-back status %#x (want OUT, LSB/MSB, mode 0)",
          st);
    outb(0x61, inb(0x61) & ~0x01);
}
