/* SPDX-License-Identifier: MIT */
/*
 * `svm_selftest` on the command line: before the banner, run a tiny guest
 * under SVM with nested paging and check every exit it causes. It starts
 * in the PVH entry state (32-bit, paging off) and goes through the path a
 * real guest takes: a domain on the NPT p2m, its VMCB, VMRUN and back,
 * port I/O, Xen's CPUID leaves, the hypercall page installed by WRMSR and
 * called, a hypercall through the core dispatcher, and an unknown MSR
 * answered with a #GP the guest's own IDT handles.
 */
#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/hypercall.h>
#include <orrery/lib.h>
#include <orrery/p2m.h>
#include <orrery/param.h>

#include "exit.h"
#include "npt.h"
#include "svm_boot.h"

static bool opt_svm_selftest;
boolean_param("svm_selftest", opt_svm_selftest);

/* Guest-physical layout of the test guest. */
#define CODE_GPA     0x1000
#define GP_HANDLER   0x1800
#define GDT_GPA      0x2000
#define IDT_GPA      0x2800
#define RESULT_GPA   0x3000         /* +0 xen_version, +8 CPUID EBX */
#define HCALL_GPA    0x5000
#define STACK_TOP    0x8000

#define CALL_REL_AT  0x2a           /* where the call's rel32 goes */

/* 32-bit code at CODE_GPA. */
static uint8_t guest_code[] = {
    0xb0, 'H', 0xe6, 0xe9,                  /* mov al,'H'; out 0xe9,al */
    0xb0, 'i', 0xe6, 0xe9,
    0xb0, '\n', 0xe6, 0xe9,
    0xb8, 0x00, 0x00, 0x00, 0x40,           /* mov eax,0x40000000 */
    0x0f, 0xa2,                             /* cpuid */
    0x89, 0x1d, 0x08, 0x30, 0x00, 0x00,     /* mov [0x3008],ebx */
    0xb9, 0x00, 0x00, 0x00, 0x40,           /* mov ecx,0x40000000 */
    0xb8, 0x00, 0x50, 0x00, 0x00,           /* mov eax,HCALL_GPA */
    0x31, 0xd2,                             /* xor edx,edx */
    0x0f, 0x30,                             /* wrmsr */
    0x31, 0xdb,                             /* xor ebx,ebx (XENVER_version) */
    0xe8, 0, 0, 0, 0,                       /* call stub 17 (xen_version) */
    0xa3, 0x00, 0x30, 0x00, 0x00,           /* mov [0x3000],eax */
    0xb9, 0x34, 0x12, 0x00, 0x00,           /* mov ecx,0x1234 */
    0x0f, 0x32,                             /* rdmsr: #GP */
    0xf4,                                   /* hlt (not reached) */
};

/* The #GP handler: says "G" and halts. */
static const uint8_t gp_handler[] = {
    0xb0, 'G', 0xe6, 0xe9, 0xb0, '\n', 0xe6, 0xe9, 0xf4,
};

static const uint64_t gdt[] = {
    0,
    0x00cf9b000000ffffULL,                  /* 0x08: flat 32-bit code */
    0x00cf93000000ffffULL,                  /* 0x10: flat data */
};

static const uint64_t want_exits[] = {
    VMEXIT_IOIO, VMEXIT_IOIO, VMEXIT_IOIO, VMEXIT_CPUID, VMEXIT_MSR,
    VMEXIT_VMMCALL, VMEXIT_MSR, VMEXIT_IOIO, VMEXIT_IOIO, VMEXIT_HLT,
};

static bool run_guest(struct svm_vcpu *sv)
{
    unsigned int n = 0;

    for ( unsigned int trips = 0; trips < 1000; trips++ )
    {
        enum svm_exit_action act;
        uint64_t code;

        svm_vcpu_enter(sv);
        code = sv->vmcb->exitcode;
        if ( code == VMEXIT_INTR || code == VMEXIT_NMI )
            continue;           /* the host's own interrupts */
        printk(LOG_DEBUG "svm_selftest: exit %#llx (%s) rip %#llx\n",
               (unsigned long long)code, svm_exit_name(code),
               (unsigned long long)sv->vmcb->rip);
        if ( n == ARRAY_SIZE(want_exits) || code != want_exits[n] )
        {
            printk(LOG_ERR "svm_selftest: exit %u was %s, expected %s\n", n,
                   svm_exit_name(code),
                   n < ARRAY_SIZE(want_exits) ? svm_exit_name(want_exits[n])
                                              : "none");
            return false;
        }
        n++;
        act = svm_handle_exit(sv);
        if ( act == SVM_EXIT_CRASH )
            return false;
        if ( act == SVM_EXIT_HALTED )
            return n == ARRAY_SIZE(want_exits);
    }
    printk(LOG_ERR "svm_selftest: the guest never halted\n");
    return false;
}

/* Code, handler, GDT and an IDT whose #GP gate leads to the handler. */
static int load_guest(struct vcpu *v)
{
    uint32_t call_from = CODE_GPA + CALL_REL_AT + 4;
    uint32_t rel = HCALL_GPA + 17 * 32 - call_from;
    uint64_t gate = (GP_HANDLER & 0xffffULL) | (0x08ULL << 16) |
                    (0x8eULL << 40) | ((uint64_t)(GP_HANDLER >> 16) << 48);
    int rc;

    memcpy(&guest_code[CALL_REL_AT], &rel, 4);
    rc = copy_to_guest_phys(v, CODE_GPA, guest_code, sizeof(guest_code));
    if ( !rc )
        rc = copy_to_guest_phys(v, GP_HANDLER, gp_handler, sizeof(gp_handler));
    if ( !rc )
        rc = copy_to_guest_phys(v, GDT_GPA, gdt, sizeof(gdt));
    if ( !rc )
        rc = copy_to_guest_phys(v, IDT_GPA + 13 * 8, &gate, 8);
    return rc;
}

static bool selftest(void)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .guest_type = ORR_GUEST_HVM,
        .max_vcpus = 1, .max_pages = 16, .p2m_ops = &p2m_npt_ops,
    };
    struct svm_vcpu sv;
    struct domain *d;
    uint32_t version = 0, sig = 0;
    bool ok = false;
    int rc;

    rc = domain_create(&cfg, &d);
    if ( rc )
    {
        printk(LOG_ERR "svm_selftest: domain_create: %d\n", rc);
        return false;
    }
    rc = p2m_populate_ram(d, _gfn(0), 16);
    if ( !rc )
        rc = load_guest(d->vcpu[0]);
    if ( !rc )
        rc = svm_vcpu_create(&sv, d->vcpu[0]);
    if ( rc )
    {
        printk(LOG_ERR "svm_selftest: guest set-up: %d\n", rc);
        domain_destroy(d);
        return false;
    }
    svm_vcpu_reset_pvh(&sv, CODE_GPA, 0);
    sv.vmcb->gdtr = (struct vmcb_seg){ .base = GDT_GPA,
                                       .limit = sizeof(gdt) - 1 };
    sv.vmcb->idtr = (struct vmcb_seg){ .base = IDT_GPA, .limit = 14 * 8 - 1 };
    sv.vmcb->cs.sel = 0x08;
    sv.vmcb->ss.sel = sv.vmcb->ds.sel = sv.vmcb->es.sel = 0x10;
    sv.vmcb->rsp = STACK_TOP;

    if ( run_guest(&sv) &&
         copy_from_guest_phys(d->vcpu[0], &version, RESULT_GPA, 4) == 0 &&
         copy_from_guest_phys(d->vcpu[0], &sig, RESULT_GPA + 8, 4) == 0 )
    {
        ok = version == ((ORRERY_XEN_MAJOR << 16) | ORRERY_XEN_MINOR) &&
             sig == 0x566e6558;         /* "XenV" */
        if ( !ok )
            printk(LOG_ERR "svm_selftest: xen_version %#x, CPUID %#x\n",
                   version, sig);
    }
    svm_vcpu_destroy(&sv);
    domain_destroy(d);
    return ok;
}

void svm_selftest(void)
{
    if ( !opt_svm_selftest )
        return;
    printk("SVM selftest: %s\n", selftest() ? "PASS" : "FAIL");
}
