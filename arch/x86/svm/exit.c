/* SPDX-License-Identifier: MIT */
/*
 * #VMEXIT handlers (AMD APM vol. 2 §15.6-15.13, exit codes appendix C).
 *
 * Without NRIPS (QEMU's TCG has none) the processor does not say how long
 * the intercepted instruction was, so instructions are fetched from guest
 * memory and measured by core/emulate's decoder; IOIO is the exception,
 * its EXITINFO2 always holds the next RIP.
 */
#include <orrery/console.h>
#include <orrery/errno.h>
#include <orrery/hypercall.h>
#include <orrery/lib.h>
#include <orrery/x86_emulate.h>
#include <asm/x86.h>

#include "../hvm/hvm.h"
#include "../hvm/portio.h"
#include "exit.h"

const char *svm_exit_name(uint64_t code)
{
    if ( code >= VMEXIT_EXCEPTION_BASE && code < VMEXIT_EXCEPTION_BASE + 32 )
        return "exception";
    switch ( code )
    {
    case VMEXIT_INTR: return "intr";
    case VMEXIT_NMI: return "nmi";
    case VMEXIT_VINTR: return "vintr";
    case VMEXIT_CPUID: return "cpuid";
    case VMEXIT_HLT: return "hlt";
    case VMEXIT_IOIO: return "ioio";
    case VMEXIT_MSR: return "msr";
    case VMEXIT_SHUTDOWN: return "shutdown";
    case VMEXIT_VMRUN: return "vmrun";
    case VMEXIT_VMMCALL: return "vmmcall";
    case VMEXIT_NPF: return "npf";
    case VMEXIT_INVALID: return "invalid";
    default: return "other";
    }
}

/* The guest's execution mode, from CR0.PE, EFER.LMA and CS.L/D (real
 * mode decodes as 16-bit). */
enum x86_mode svm_guest_mode(const struct vmcb *vmcb)
{
    if ( !(vmcb->cr0 & CR0_PE) )
        return X86_MODE_16;
    if ( (vmcb->efer & (1u << 10)) && (vmcb->cs.attrib & (1u << 9)) )
        return X86_MODE_64;     /* EFER.LMA and CS.L */
    return (vmcb->cs.attrib & (1u << 10)) ? X86_MODE_32 : X86_MODE_16;
}

static struct hvm_paging paging_of(const struct vmcb *vmcb)
{
    return (struct hvm_paging){
        .cr0 = vmcb->cr0, .cr3 = vmcb->cr3, .cr4 = vmcb->cr4,
        .efer = vmcb->efer, .cpl = vmcb->cpl,
    };
}

/*
 * Length of the instruction at CS:RIP: its bytes are read through the
 * guest's page tables and p2m, a byte at a time so that a fetch may cross
 * into an unmapped page after the instruction's end. 0 if the first byte
 * cannot be read or the bytes do not decode.
 */
static unsigned int insn_length(struct svm_vcpu *sv)
{
    struct vmcb *vmcb = sv->vmcb;
    struct hvm_paging pg = paging_of(vmcb);
    uint64_t lin = vmcb->cs.base + vmcb->rip;
    uint8_t buf[15];
    unsigned int n, vector;
    int len;

    if ( svm_guest_mode(vmcb) != X86_MODE_64 )
        lin &= 0xffffffffULL;
    for ( n = 0; n < sizeof(buf); n++ )
    {
        uint64_t gpa;
        uint32_t pfec;

        if ( hvm_linear_to_phys(sv->v, &pg, lin + n, HVM_FETCH, &gpa,
                                &pfec) ||
             copy_from_guest_phys(sv->v, &buf[n], gpa, 1) )
            break;
    }
    len = x86_insn_length(buf, n, svm_guest_mode(vmcb), &vector);
    return len > 0 ? (unsigned int)len : 0;
}

enum svm_exit_action svm_skip_insn(struct svm_vcpu *sv, const char *what)
{
    unsigned int len = insn_length(sv);

    if ( !len )
    {
        printk(LOG_ERR "d%u: cannot decode the %s instruction at %#llx\n",
               sv->v->domain->domain_id, what,
               (unsigned long long)sv->vmcb->rip);
        return SVM_EXIT_CRASH;
    }
    sv->vmcb->rip += len;
    /* The skipped instruction retired: any STI/MOV SS shadow is over. */
    sv->vmcb->interrupt_shadow = 0;
    return SVM_EXIT_RESUME;
}

static void debug_port_putc(struct svm_vcpu *sv, char c)
{
    struct svm_debug_port *dbg = &sv->dbg;

    if ( c != '\n' && dbg->len < sizeof(dbg->line) - 1 )
        dbg->line[dbg->len++] = c;
    if ( c == '\n' || dbg->len == sizeof(dbg->line) - 1 )
    {
        dbg->line[dbg->len] = '\0';
        printk("(d%u) %s\n", sv->v->domain->domain_id, dbg->line);
        dbg->len = 0;
    }
}

void svm_port_access(struct svm_vcpu *sv, bool in, uint16_t port,
                     unsigned int size, uint32_t *val)
{
    if ( in )
    {
        /* A device model's port (portio.h), else the bus floats high
         * (all ones). */
        if ( !hvm_portio_read(sv->v, port, size, val) )
            *val = 0xffffffffu;
    }
    else if ( hvm_portio_write(sv->v, port, size, *val) )
        ;                           /* a device model took it */
    else if ( port == 0xe9 )
        debug_port_putc(sv, (char)*val);
    /* Other writes are dropped. */
}

static enum svm_exit_action do_ioio(struct svm_vcpu *sv)
{
    struct vmcb *vmcb = sv->vmcb;
    uint32_t info = (uint32_t)vmcb->exitinfo1;
    uint16_t port = info >> IOIO_PORT_SHIFT;
    unsigned int size = (info >> IOIO_SIZE_SHIFT) & 7;   /* 1, 2 or 4 */
    uint32_t val = (uint32_t)vmcb->rax;

    /* INS/OUTS go through the emulator, as Xen's SVM exit handler sends
     * them (memory operand, REP, direction flag, faults). */
    if ( info & IOIO_STR )
        return svm_do_string_io(sv);
    svm_port_access(sv, info & IOIO_IN, port, size, &val);
    if ( info & IOIO_IN )
    {
        /* IN EAX zero-extends into RAX as any 32-bit register write
         * does; IN AL/AX keep the rest. */
        uint64_t mask = size == 4 ? 0xffffffffULL : (1ULL << (8 * size)) - 1;

        vmcb->rax = size == 4 ? (uint64_t)val
                              : (vmcb->rax & ~mask) | (val & mask);
    }
    vmcb->rip = vmcb->exitinfo2;
    vmcb->interrupt_shadow = 0;
    return SVM_EXIT_RESUME;
}

static enum svm_exit_action do_cpuid(struct svm_vcpu *sv)
{
    struct vmcb *vmcb = sv->vmcb;
    uint32_t leaf = (uint32_t)vmcb->rax, sub = (uint32_t)sv->gprs.rcx;
    struct cpuid_leaf r;

    cpuid(leaf, sub, &r.a, &r.b, &r.c, &r.d);
    hvm_cpuid(sv->v, leaf, sub, &r);
    vmcb->rax = r.a;
    sv->gprs.rbx = r.b;
    sv->gprs.rcx = r.c;
    sv->gprs.rdx = r.d;
    return svm_skip_insn(sv, "cpuid");
}

/*
 * VMMCALL: Xen's hypercall ABIs (reference §1.1). A 64-bit guest passes
 * the number in RAX and arguments in RDI, RSI, RDX, R10, R8; any other
 * mode uses EAX and EBX, ECX, EDX, ESI, EDI. Only CPL 0 may call.
 *
 * A continuation (r.restart, orrery/hypercall.h) returns nothing: the
 * updated arguments go back to their registers, RAX keeps the number and
 * RIP stays on the VMMCALL, so the guest re-enters the same hypercall
 * once pending work (softirqs, an upcall) has run.
 */
static enum svm_exit_action do_vmmcall(struct svm_vcpu *sv)
{
    struct vmcb *vmcb = sv->vmcb;
    struct svm_gprs *g = &sv->gprs;
    struct hypercall_regs r = { .nr = vmcb->rax };
    uint64_t rip = vmcb->rip;
    enum svm_exit_action act = svm_skip_insn(sv, "vmmcall");

    if ( act != SVM_EXIT_RESUME )
        return act;
    if ( vmcb->cpl != 0 )
    {
        vmcb->rax = (uint64_t)(int64_t)-EPERM;
        return act;
    }
    if ( svm_guest_mode(vmcb) == X86_MODE_64 )
    {
        r.args[0] = g->rdi; r.args[1] = g->rsi; r.args[2] = g->rdx;
        r.args[3] = g->r10; r.args[4] = g->r8;
        hypercall_dispatch(sv->v, &r);
        if ( r.restart )
        {
            g->rdi = r.args[0]; g->rsi = r.args[1]; g->rdx = r.args[2];
            g->r10 = r.args[3]; g->r8 = r.args[4];
        }
        else
            vmcb->rax = (uint64_t)r.ret;
    }
    else
    {
        r.nr = (uint32_t)r.nr;
        r.args[0] = (uint32_t)g->rbx; r.args[1] = (uint32_t)g->rcx;
        r.args[2] = (uint32_t)g->rdx; r.args[3] = (uint32_t)g->rsi;
        r.args[4] = (uint32_t)g->rdi;
        hypercall_dispatch(sv->v, &r);
        if ( r.restart )
        {
            g->rbx = (uint32_t)r.args[0]; g->rcx = (uint32_t)r.args[1];
            g->rdx = (uint32_t)r.args[2]; g->rsi = (uint32_t)r.args[3];
            g->rdi = (uint32_t)r.args[4];
        }
        else
            vmcb->rax = (uint32_t)r.ret;
    }
    if ( r.restart )
        vmcb->rip = rip;
    return act;
}

enum svm_exit_action svm_handle_exit(struct svm_vcpu *sv)
{
    struct vmcb *vmcb = sv->vmcb;
    domid_t id = sv->v->domain->domain_id;

    switch ( vmcb->exitcode )
    {
    case VMEXIT_INTR:
    case VMEXIT_NMI:
        return SVM_EXIT_RESUME;     /* taken by the host after STGI */
    case VMEXIT_VINTR:
        svm_intr_window_open(sv);   /* svm_intr_assist injects next */
        return SVM_EXIT_RESUME;
    case VMEXIT_IOIO:
        return do_ioio(sv);
    case VMEXIT_CPUID:
        return do_cpuid(sv);
    case VMEXIT_VMMCALL:
        return do_vmmcall(sv);
    case VMEXIT_MSR:
        return svm_do_msr(sv);
    case VMEXIT_HLT:
        vmcb->rip += 1;             /* F4: HLT has no other encoding */
        /* An upcall pending at `sti; hlt` must be taken after the HLT,
         * not held back by a shadow the HLT ended. */
        vmcb->interrupt_shadow = 0;
        return SVM_EXIT_HALTED;
    case VMEXIT_SHUTDOWN:
        printk(LOG_ERR "d%u: triple fault at %#llx\n", id,
               (unsigned long long)vmcb->rip);
        return SVM_EXIT_CRASH;
    case VMEXIT_NPF:
        return svm_do_npf(sv);
    default:
        printk(LOG_ERR "d%u: unhandled #VMEXIT %#llx (%s) at rip %#llx\n",
               id, (unsigned long long)vmcb->exitcode,
               svm_exit_name(vmcb->exitcode),
               (unsigned long long)vmcb->rip);
        return SVM_EXIT_CRASH;
    }
}
