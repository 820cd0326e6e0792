/* SPDX-License-Identifier: MIT */
#ifndef X86_DUMP_H
#define X86_DUMP_H

#include <asm/x86.h>

void dump_regs(const struct cpu_regs *regs);
/* Walk the frame-pointer chain from @rip/@rbp, one symbolised line each. */
void backtrace(uint64_t rip, uint64_t rbp);
/* "name+0xoff" for a text address, or NULL outside the image. */
const char *symbol_lookup(uint64_t addr, uint64_t *offset);

#endif
