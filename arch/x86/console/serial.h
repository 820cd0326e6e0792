/* SPDX-License-Identifier: MIT */
#ifndef X86_SERIAL_H
#define X86_SERIAL_H

/* Program the UART for polled output (115200 8N1). */
void serial_init_early(void);
/* Interrupt handler (VEC_SERIAL): receive, and refill the transmit FIFO. */
void serial_interrupt(void);
/* Drain buffered output by polling and stop buffering (halt, reboot). */
void serial_flush(void);

#endif
