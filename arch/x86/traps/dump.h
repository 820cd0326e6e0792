/* SPDX-License-Identifier: MIT */
#ifndef X86_DUMP_H
#define X86_DUMP_H

#include <asm/x86.h>

void dump_regs(const struct cpu_regs *regs);
/* Walk the frame-pointer chain from @rip/@rbp, one symbolised line each. */
void backtrace(uint64_t rip, uint64_t rbp);

#endif
