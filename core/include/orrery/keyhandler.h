/* SPDX-License-Identifier: MIT */
/*
 * Debug keys, Xen's scheme: a byte typed on the console runs a handler
 * ('h' lists them). Bytes arrive in interrupt context through the upcall
 * console_rx_char(); handlers run later in KEYPRESS_SOFTIRQ.
 */
#ifndef ORRERY_KEYHANDLER_H
#define ORRERY_KEYHANDLER_H

#include <orrery/types.h>

typedef void keyhandler_fn(unsigned char key);

/* Register @fn for @key; a second registration for the same key panics:
 * two subsystems must not fight over one key. */
void register_keyhandler(unsigned char key, keyhandler_fn *fn,
                         const char *desc);

/* Run the handler for @key now (softirq context, or a test). */
void handle_keypress(unsigned char key);

/* Boot: the built-in keys and the softirq. */
void keyhandler_init(void);

#endif /* ORRERY_KEYHANDLER_H */
