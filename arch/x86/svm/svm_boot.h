/* SPDX-License-Identifier: MIT */
#ifndef ARCH_X86_SVM_BOOT_H
#define ARCH_X86_SVM_BOOT_H

/* `svm_selftest`: run the built-in real-mode guest (selftest.c). */
void svm_selftest(void);
/* `guest_selftest`: a PVH domain run by the scheduler (guest_selftest.c). */
void guest_selftest(void);

#endif
