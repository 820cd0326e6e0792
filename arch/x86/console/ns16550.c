/* SPDX-License-Identifier: MIT */
/*
 * NS16550-compatible UART on an I/O port (COM1 0x3f8 or COM2 0x2f8): the
 * console. Until its interrupt is routed, and always with sync_console,
 * output is polled on the transmit-holding-register-empty bit. After that,
 * printk only copies into a transmit ring and the THRE interrupt (IER bit
 * 1) feeds the 16-byte FIFO, so a CPU never spins on a 115200-baud line;
 * a full ring, panic, halt and reboot drain it by polling so that nothing
 * is lost. Input is interrupt-driven (IER bit 0) and feeds the debug keys.
 * Register map: PC16550D datasheet, "Register Addresses".
 */
#include <orrery/console.h>
#include <orrery/lib.h>
#include <orrery/param.h>
#include <orrery/platform.h>
#include <orrery/spinlock.h>
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
#define IER_RDA  0x01   /* received data available */
#define IER_THRI 0x02   /* transmit holding register empty */
#define UART_FIFO 16

#define UART_CLOCK_DIV_115200 1

static uint16_t uart_port = 0x3f8;
static unsigned int uart_irq = 4;

/* sync_console: never buffer output (Xen's option of the same name). */
static bool opt_sync_console;
boolean_param("sync_console", opt_sync_console);

#define TX_RING 16384
static char tx_ring[TX_RING];
static unsigned int tx_prod, tx_cons;
static bool tx_async;
static DEFINE_SPINLOCK(tx_lock);

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

static void tx_put(char c)
{
    if ( tx_prod - tx_cons == TX_RING )
        uart_putc(tx_ring[tx_cons++ % TX_RING]);  /* full: make room */
    tx_ring[tx_prod++ % TX_RING] = c;
}

/* Move ring bytes into an empty FIFO; keep THRE armed while bytes wait.
 * Called with tx_lock held. */
static void tx_kick(void)
{
    if ( inb(uart_port + UART_LSR) & LSR_THRE )
        for ( int i = 0; i < UART_FIFO && tx_cons != tx_prod; i++ )
            outb(uart_port + UART_THR, (uint8_t)tx_ring[tx_cons++ % TX_RING]);
    outb(uart_port + UART_IER,
         tx_cons != tx_prod ? IER_RDA | IER_THRI : IER_RDA);
}

void arch_console_write(const char *s, size_t len)
{
    unsigned long flags;

    if ( !tx_async )
    {
        for ( size_t i = 0; i < len; i++ )
        {
            if ( s[i] == '\n' )
                uart_putc('\r');
            uart_putc(s[i]);
        }
        return;
    }
    spin_lock_irqsave(&tx_lock, flags);
    for ( size_t i = 0; i < len; i++ )
    {
        if ( s[i] == '\n' )
            tx_put('\r');
        tx_put(s[i]);
    }
    tx_kick();
    spin_unlock_irqrestore(&tx_lock, flags);
}

/* Drain the transmit ring by polling, and stay synchronous from now on:
 * the machine is about to halt or reset. The lock is taken if it can be;
 * a CPU that died holding it must not silence the panic message. */
void serial_flush(void)
{
    unsigned long flags = arch_irq_save();
    bool locked = false;

    for ( int i = 0; i < 1000000 && !(locked = spin_trylock(&tx_lock)); i++ )
        arch_cpu_relax();
    tx_async = false;
    while ( tx_cons != tx_prod )
        uart_putc(tx_ring[tx_cons++ % TX_RING]);
    if ( locked )
        spin_unlock(&tx_lock);
    arch_irq_restore(flags);
}

void serial_interrupt(void)
{
    while ( inb(uart_port + UART_LSR) & LSR_DR )
        console_rx_char((char)inb(uart_port + UART_RBR));
    if ( tx_async )
    {
        spin_lock(&tx_lock);
        tx_kick();
        spin_unlock(&tx_lock);
    }
}

void arch_console_init_irq(void)
{
    /* console= may have changed the port after the early init. */
    serial_init_early();
    ioapic_route_isa_irq(uart_irq, VEC_SERIAL);
    outb(uart_port + UART_IER, IER_RDA);
    tx_async = !opt_sync_console;
    /* Bytes typed before now are waiting in the FIFO. */
    serial_interrupt();
    printk("Console: NS16550 at I/O %#x, IRQ %u, interrupt-driven receive, "
           "%s transmit\n", uart_port, uart_irq,
           tx_async ? "interrupt-driven" : "polled (sync_console)");
}
