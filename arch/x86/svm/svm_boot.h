/* SPDX-License-Identifier: MIT */
#ifndef ARCH_X86_SVM_BOOT_H
#define ARCH_X86_SVM_BOOT_H

/* `svm_selftest`: run the built-in real-mode guest (selftest.c). */
void svm_selftest(void);

#endif
