/* SPDX-License-Identifier: MIT */
#ifndef EMUL_DIFF_LENGTHS_H
#define EMUL_DIFF_LENGTHS_H

#include <orrery/x86_emulate.h>

/* Compare x86_insn_length() with Unicorn's decoder over @n random byte
 * strings; print a summary and return the number of divergences. */
unsigned long lengths_diff(enum x86_mode mode, unsigned long n,
                           unsigned long seed);

#endif
