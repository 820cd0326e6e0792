/* SPDX-License-Identifier: MIT */
/*
 * `svm_selftest` on the command line: before the banner, run a tiny
 * real-mode guest under SVM with nested paging and check every exit it
 * causes. It proves the path a real guest takes — a domain on the NPT
 * p2m, its VMCB, VMRUN and back, port I/O, CPUID and a hypercall through
 * the core dispatcher — on whatever CPU this is (QEMU's TCG in CI).
 */
#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/hypercall.h>
#include <orrery/p2m.h>
#include <orrery/param.h>

#include "exit.h"
#include "npt.h"
#include "svm_boot.h"

static bool opt_svm_selftest;
boolean_param("svm_selftest", opt_svm_selftest);

#define GUEST_IP 0x1000
#define RESULT_GPA 0x3000

/* Real mode at 0000:1000. */
static const uint8_t guest_code[] = {
    0xb0, 'H', 0xe6, 0xe9,                  /* mov al,'H'; out 0xe9,al */
    0xb0, 'i', 0xe6, 0xe9,
    0xb0, '\n', 0xe6, 0xe9,
    0x66, 0xb8, 17, 0, 0, 0,                /* mov eax,__HYPERVISOR_xen_version */
    0x66, 0x31, 0xdb,                       /* xor ebx,ebx (XENVER_version) */
    0x0f, 0x01, 0xd9,                       /* vmmcall */
    0x66, 0xa3, 0x00, 0x30,                 /* mov [0x3000],eax */
    0x66, 0xb8, 0x00, 0x00, 0x00, 0x80,     /* mov eax,0x80000000 */
    0x0f, 0xa2,                             /* cpuid */
    0xf4,                                   /* hlt */
};

static const uint64_t want_exits[] = {
    VMEXIT_IOIO, VMEXIT_IOIO, VMEXIT_IOIO, VMEXIT_VMMCALL, VMEXIT_CPUID,
    VMEXIT_HLT,
};

static bool run_guest(struct svm_vcpu *sv)
{
    struct svm_debug_port dbg = { 0 };
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
        act = svm_handle_exit(sv, &dbg);
        if ( act == SVM_EXIT_CRASH )
            return false;
        if ( act == SVM_EXIT_HALTED )
            return n == ARRAY_SIZE(want_exits);
    }
    printk(LOG_ERR "svm_selftest: the guest never halted\n");
    return false;
}

static bool selftest(void)
{
    struct domain_create_config cfg = {
        .domid = DOMID_INVALID, .guest_type = ORR_GUEST_HVM,
        .max_vcpus = 1, .max_pages = 16, .p2m_ops = &p2m_npt_ops,
    };
    struct svm_vcpu sv;
    struct domain *d;
    uint32_t version = 0;
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
        rc = copy_to_guest(d->vcpu[0], GUEST_IP, guest_code,
                           sizeof(guest_code));
    if ( !rc )
        rc = svm_vcpu_create(&sv, d->vcpu[0]);
    if ( rc )
    {
        printk(LOG_ERR "svm_selftest: guest set-up: %d\n", rc);
        domain_destroy(d);
        return false;
    }
    svm_vcpu_reset_real_mode(&sv, 0, GUEST_IP);

    if ( run_guest(&sv) &&
         copy_from_guest(d->vcpu[0], &version, RESULT_GPA, 4) == 0 )
    {
        ok = version == ((ORRERY_XEN_MAJOR << 16) | ORRERY_XEN_MINOR);
        if ( !ok )
            printk(LOG_ERR "svm_selftest: xen_version gave %#x\n", version);
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
