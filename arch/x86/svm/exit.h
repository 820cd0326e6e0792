/* SPDX-License-Identifier: MIT */
/* #VMEXIT handling: one handler per exit code (exit.c). */
#ifndef ARCH_X86_SVM_EXIT_H
#define ARCH_X86_SVM_EXIT_H

#include <orrery/x86_emulate.h>

#include "svm.h"

enum svm_exit_action {
    SVM_EXIT_RESUME,        /* enter the guest again */
    SVM_EXIT_HALTED,        /* HLT: the vCPU waits for an event */
    SVM_EXIT_CRASH,         /* the domain must be crashed (reason logged) */
};

enum svm_exit_action svm_handle_exit(struct svm_vcpu *sv);

/* Step over the intercepted instruction (decoded from guest memory, as
 * there is no NRIPS under TCG); CRASH if it cannot be read or decoded. */
enum svm_exit_action svm_skip_insn(struct svm_vcpu *sv, const char *what);
enum svm_exit_action svm_do_msr(struct svm_vcpu *sv);
enum svm_exit_action svm_do_npf(struct svm_vcpu *sv);

/* The guest's registers, mode and segments into an emulator context and
 * its registers back (npf.c). */
struct hvm_emul;
void svm_emul_state_in(struct svm_vcpu *sv, struct hvm_emul *e);
void svm_emul_state_out(struct svm_vcpu *sv, const struct hvm_emul *e);

/* One IN (@in) or OUT of @size bytes at @port as the IOIO intercept does
 * it: device models, the debug port 0xE9, else reads all ones (exit.c). */
void svm_port_access(struct svm_vcpu *sv, bool in, uint16_t port,
                     unsigned int size, uint32_t *val);
/* INS/OUTS (string_io.c). */
enum svm_exit_action svm_do_string_io(struct svm_vcpu *sv);

/* 16-, 32- or 64-bit code, from CR0.PE, EFER.LMA and CS.L/D. */
enum x86_mode svm_guest_mode(const struct vmcb *vmcb);

/* The name of an exit code for logs ("ioio", "npf", ...). */
const char *svm_exit_name(uint64_t exitcode);

#endif /* ARCH_X86_SVM_EXIT_H */
