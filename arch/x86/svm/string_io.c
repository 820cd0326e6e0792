/* SPDX-License-Identifier: MIT */
/*
 * INS and OUTS (with or without REP) intercepted by IOIO. Without decode
 * assists EXITINFO1 says only the port, size and that it is a string
 * instruction (AMD APM vol. 2 §15.10.2), so the instruction is completed
 * by core/emulate, as Xen completes string port I/O by emulation: the
 * memory operand through the guest's page tables (a #PF or #GP goes to
 * the guest), rSI/rDI/rCX stepped by the direction flag, and each element
 * through the same port dispatch as IN/OUT (svm_port_access). A long REP
 * runs in batches: RIP stays on the instruction until rCX reaches 0, so
 * the guest takes interrupts between batches.
 *
 * Linux's Xen early console writes its text with REP OUTSB to port 0xE9.
 */
#include <orrery/console.h>

#include "../hvm/emulate.h"
#include "exit.h"

static void port_io(struct hvm_emul *e, bool in, unsigned int port,
                    unsigned int bytes, uint32_t *val)
{
    svm_port_access(e->port_ctx, in, (uint16_t)port, bytes, val);
}

enum svm_exit_action svm_do_string_io(struct svm_vcpu *sv)
{
    struct vmcb *vmcb = sv->vmcb;
    struct hvm_emul e = { 0 };
    int rc;

    svm_emul_state_in(sv, &e);
    e.port_io = port_io;
    e.port_ctx = sv;
    e.ctxt.memo = sv->memo;
    rc = hvm_emulate_one(&e);
    sv->memo = e.ctxt.memo;
    switch ( rc )
    {
    case X86EMUL_OKAY:
        svm_emul_state_out(sv, &e);
        vmcb->interrupt_shadow = 0;
        return SVM_EXIT_RESUME;
    case X86EMUL_EXCEPTION:
        if ( e.ctxt.event.vector == X86_EXC_PF )
            vmcb->cr2 = e.ctxt.event.cr2;
        svm_inject_exception(sv, e.ctxt.event.vector,
                             e.ctxt.event.has_error_code
                             ? (int)e.ctxt.event.error_code : -1);
        return SVM_EXIT_RESUME;
    case X86EMUL_RETRY:
        return SVM_EXIT_RESUME;
    default:
        printk(LOG_ERR "d%u: cannot complete the string I/O instruction at "
               "rip %#llx (opcode %02x)\n", sv->v->domain->domain_id,
               (unsigned long long)vmcb->rip, e.ctxt.insn.opcode);
        return SVM_EXIT_CRASH;
    }
}
