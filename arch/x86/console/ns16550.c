/* SPDX-License-Identifier: MIT */
/*
 * NS16550-compatible UART on an I/O port (COM1 0x3f8 or COM2 0x2f8): the
 * console. Output is polled on the transmit-holding-register-empty bit, so
 * it works anywhere, including panic; input is interrupt-driven (IER bit 0,
 * routed through the IO-APIC) and feeds the debug keys.
 * Register map: PC16550D datasheet, "Register Addresses".
 */
#include <orrery/console.h>
#include <orrery/lib.h>
#include <orrery/param.h>
#include <orrery/platform.h>
#include <asm/x86.h>

#include "serial.h"
#include "../apic/apic.h"

#define UART_RBR 0      /* receive buffer (read, DLAB=0) */
#define UART_THR 0      /* transmit holding (write, DLAB=0) */
#define UART_DLL 0      /* divisor latch low (DLAB=1) */
#define UART_IER 1      /* interrupt enable (DLAB=0) */
#define UART_DLM 1      /* divisor latch high (DLAB=1) */
#define UART_FCR 2      /* FIFO control */
#define UART_LCR 3      /* line control */
#define UART_MCR 4      /* modem control */
#define UART_LSR 5      /* line status */

#define LSR_DR   0x01   /* data ready */
#define LSR_THRE 0x20   /* transmit holding register empty */
#define LCR_DLAB 0x80
#define MCR_DTR_RTS_OUT2 0x0b   /* OUT2 gates the IRQ line on PCs */
#define IER_RDA  0x01

#define UART_CLOCK_DIV_115200 1

static uint16_t uart_port = 0x3f8;
static unsigned int uart_irq = 4;

/* console=com1 | com2 (the hypervisor's console UART). */
static int parse_console(const char *val)
{
    if ( strcmp(val, "com1") == 0 )
    {
        uart_port = 0x3f8;
        uart_irq = 4;
    }
    else if ( strcmp(val, "com2") == 0 )
    {
        uart_port = 0x2f8;
        uart_irq = 3;
    }
    else
        return -1;
    return 0;
}
custom_param("console", parse_console);

void serial_init_early(void)
{
    outb(uart_port + UART_IER, 0);
    outb(uart_port + UART_LCR, LCR_DLAB);
    outb(uart_port + UART_DLL, UART_CLOCK_DIV_115200);
    outb(uart_port + UART_DLM, 0);
    outb(uart_port + UART_LCR, 0x03);           /* 8 bits, no parity, 1 stop */
    outb(uart_port + UART_FCR, 0x07);           /* FIFOs on and cleared */
    outb(uart_port + UART_MCR, MCR_DTR_RTS_OUT2);
}

static void uart_putc(char c)
{
    while ( !(inb(uart_port + UART_LSR) & LSR_THRE) )
        arch_cpu_relax();
    outb(uart_port + UART_THR, (uint8_t)c);
}

void arch_console_write(const char *s, size_t len)
{
    for ( size_t i = 0; i < len; i++ )
    {
        if ( s[i] == '\n' )
            uart_putc('\r');
        uart_putc(s[i]);
    }
}

void serial_interrupt(void)
{
    while ( inb(uart_port + UART_LSR) & LSR_DR )
        console_rx_char((char)inb(uart_port + UART_RBR));
}

void arch_console_init_irq(void)
{
    /* console= may have changed the port after the early init. */
    serial_init_early();
    ioapic_route_isa_irq(uart_irq, VEC_SERIAL);
    outb(uart_port + UART_IER, IER_RDA);
    /* Bytes typed before now are waiting in the FIFO. */
    serial_interrupt();
    printk("Console: NS16550 at I/O %#x, IRQ %u, receive interrupt-driven\n",
           uart_port, uart_irq);
}
