/* SPDX-License-Identifier: MIT */
/*
 * Text addresses to names, for register dumps and backtraces. An image
 * links a table generated from its own first link (tools/build/gensyms.py:
 * orrery_sym_addr/_name_off/_names/_count) and its linker script defines
 * _etext; sim links neither and never calls these.
 */
#ifndef ORRERY_SYMBOLS_H
#define ORRERY_SYMBOLS_H

#include <orrery/types.h>

/* The function containing @addr and the offset into it, or NULL when
 * @addr is not in the image's text. */
const char *symbol_lookup(uint64_t addr, uint64_t *offset);

/*
 * printk "<prefix><addr> <name+off>". A return address may sit just past
 * the end of its caller (a call to a noreturn function is last), so the
 * name is looked up at @addr - @bias (1 for x86 return addresses, 4 for
 * Arm64 link registers, 0 for a faulting PC) while @addr is printed.
 */
void print_text_addr(const char *prefix, uint64_t addr, uint64_t bias);

#endif /* ORRERY_SYMBOLS_H */
