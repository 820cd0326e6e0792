/* SPDX-License-Identifier: MIT */
#ifndef X86_SERIAL_H
#define X86_SERIAL_H

/* Program the UART for polled output (115200 8N1). */
void serial_init_early(void);
/* Receive interrupt handler (VEC_SERIAL). */
void serial_interrupt(void);

#endif
