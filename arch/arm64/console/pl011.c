/* SPDX-License-Identifier: MIT */
/*
 * The Arm PrimeCell UART (PL011) as the console: polled transmit on the
 * FIFO-full flag, interrupt-driven receive (a GIC SPI) feeding the debug
 * keys. Register offsets and bits: Arm PrimeCell UART (PL011) Technical
 * Reference Manual (DDI 0183), "Summary of registers".
 */
#include <orrery/console.h>
#include <orrery/lib.h>
#include <orrery/param.h>
#include <orrery/platform.h>
#include <asm/arm64.h>
#include <asm/platform_info.h>

#define UARTDR   0x00
#define UARTFR   0x18
#define UARTLCR_H 0x2c
#define UARTCR   0x30
#define UARTIMSC 0x38
#define UARTICR  0x44

#define FR_BUSY  (1u << 3)
#define FR_RXFE  (1u << 4)      /* receive FIFO empty */
#define FR_TXFF  (1u << 5)      /* transmit FIFO full */
#define LCR_H_FEN   (1u << 4)   /* FIFOs on */
#define LCR_H_WLEN8 (3u << 5)   /* 8 data bits */
#define CR_UARTEN (1u << 0)
#define CR_TXE   (1u << 8)
#define CR_RXE   (1u << 9)
#define INT_RX   (1u << 4)      /* receive */
#define INT_RT   (1u << 6)      /* receive timeout */
#define INT_ALL  0x7ff

static uintptr_t uart;

/* sync_console (Xen's option): output here is always polled, so the
 * option is accepted and changes nothing. */
static bool opt_sync_console;
boolean_param("sync_console", opt_sync_console);

/* console=dtuart: the UART the device tree names (Xen Arm's spelling);
 * the only one this port has. */
static int parse_console(const char *val)
{
    return strcmp(val, "dtuart") == 0 || strcmp(val, "pl011") == 0 ? 0 : -1;
}
custom_param("console", parse_console);

void pl011_init(uintptr_t base)
{
    uart = base;
    /* 8N1 with FIFOs; the boot loader (or QEMU) has set the baud rate. */
    mmio_write32(uart + UARTLCR_H, LCR_H_FEN | LCR_H_WLEN8);
    mmio_write32(uart + UARTIMSC, 0);
    mmio_write32(uart + UARTICR, INT_ALL);
    mmio_write32(uart + UARTCR, CR_UARTEN | CR_TXE | CR_RXE);
}

void pl011_relocate(uintptr_t base)
{
    uart = base;
}

static void uart_putc(char c)
{
    while ( mmio_read32(uart + UARTFR) & FR_TXFF )
        arch_cpu_relax();
    mmio_write32(uart + UARTDR, (uint8_t)c);
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

/* Wait until the last byte has left the shifter: halt and reset follow. */
void pl011_flush(void)
{
    for ( int i = 0; i < 1000000 &&
                     (mmio_read32(uart + UARTFR) & FR_BUSY); i++ )
        arch_cpu_relax();
}

void pl011_interrupt(void)
{
    while ( !(mmio_read32(uart + UARTFR) & FR_RXFE) )
        console_rx_char((char)(mmio_read32(uart + UARTDR) & 0xff));
    mmio_write32(uart + UARTICR, INT_RX | INT_RT);
}

void arch_console_init_irq(void)
{
    if ( !arm64_plat.uart_intid )
    {
        printk(LOG_WARNING "Console: PL011 has no interrupt: no debug "
               "keys\n");
        return;
    }
    mmio_write32(uart + UARTIMSC, INT_RX | INT_RT);
    gic_enable_irq(arm64_plat.uart_intid);
    /* Bytes typed before now are waiting in the FIFO. */
    pl011_interrupt();
    printk("Console: PL011 at %#llx, IRQ %u, interrupt-driven receive, "
           "polled transmit%s\n", (unsigned long long)arm64_plat.uart_phys,
           arm64_plat.uart_intid,
           opt_sync_console ? " (sync_console)" : "");
}
