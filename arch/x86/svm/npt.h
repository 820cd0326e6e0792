/* SPDX-License-Identifier: MIT */
/*
 * AMD nested page tables as the x86 p2m backend (AMD APM vol. 2 §15.25).
 * Pure C over the platform seam: the same file is unit-tested on sim.
 */
#ifndef ARCH_X86_SVM_NPT_H
#define ARCH_X86_SVM_NPT_H

#include <orrery/p2m_pt.h>

/* Hardware bits of a long-mode page-table entry (APM vol. 2 §5.4.1). */
#define NPT_P    (1ULL << 0)
#define NPT_RW   (1ULL << 1)
#define NPT_US   (1ULL << 2)
#define NPT_PWT  (1ULL << 3)
#define NPT_PCD  (1ULL << 4)
#define NPT_A    (1ULL << 5)
#define NPT_D    (1ULL << 6)
#define NPT_PS   (1ULL << 7)
#define NPT_NX   (1ULL << 63)
#define NPT_ADDR_MASK 0x000ffffffffff000ULL

extern const struct p2m_backend_ops p2m_npt_ops;

/* May the p2m use 1 GiB nested pages? (CPUID Fn8000_0001 EDX[26]; set by
 * svm_init() before any domain exists.) */
extern bool npt_has_1g;

#endif /* ARCH_X86_SVM_NPT_H */
