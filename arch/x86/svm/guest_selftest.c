/* SPDX-License-Identifier: MIT */
/*
 * `guest_selftest` on the command line: a PVH domain built at boot from a
 * small ELF kernel made here, by the same path every boot-built guest
 * takes: pvh_build() on the NPT p2m, a VMCB per vCPU, unpaused into the
 * scheduler, run by the idle loops through arch_guest_run(). The kernel
 * writes a line with console_io, binds VIRQ_TIMER, blocks in HLT until
 * its singleshot timer's event wakes it, writes again and powers itself off with
 * SCHEDOP_shutdown — so the boot log shows the whole life of a guest.
 */
#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/elf.h>
#include <orrery/lib.h>
#include <orrery/param.h>

#include "../hvm/pvh_build.h"
#include "npt.h"
#include "svm_boot.h"
#include "svm_guest.h"

static bool opt_guest_selftest;
boolean_param("guest_selftest", opt_guest_selftest);

#define LOAD_PA   0x100000u
#define CODE_OFF  0x100u        /* of the code in the ELF file */
#define MSG1      0x80u         /* offsets of data in the segment */
#define MSG2      0xc0u
#define BIND_VIRQ 0xe8u         /* struct evtchn_bind_virq: VIRQ_TIMER, vCPU 0 */
#define REASON    0xf8u

static const char msg1[] = "hello from a PVH guest\n";
static const char msg2[] = "woken by VIRQ_TIMER, powering off\n";

/* 32-bit code at LOAD_PA (the PVH entry), data at LOAD_PA + MSG1 .. */
static const uint8_t code[] = {
    /* console_io(CONSOLEIO_write, len, msg1) */
    0xb8, 18, 0, 0, 0,              /* mov eax,__HYPERVISOR_console_io */
    0xbb, 0, 0, 0, 0,               /* mov ebx,CONSOLEIO_write */
    0xb9, sizeof(msg1) - 1, 0, 0, 0,/* mov ecx,len */
    0xba, MSG1, 0x00, 0x10, 0x00,   /* mov edx,LOAD_PA+MSG1 */
    0x0f, 0x01, 0xd9,               /* vmmcall */
    /* event_channel_op(EVTCHNOP_bind_virq, {VIRQ_TIMER, vCPU 0}) */
    0xb8, 32, 0, 0, 0,              /* mov eax,__HYPERVISOR_event_channel_op */
    0xbb, 1, 0, 0, 0,               /* mov ebx,EVTCHNOP_bind_virq */
    0xb9, BIND_VIRQ, 0x00, 0x10, 0x00,  /* mov ecx,LOAD_PA+BIND_VIRQ */
    0x0f, 0x01, 0xd9,
    /* set_timer_op(1 ns): a deadline in the past fires at once (0
     * would cancel the timer) */
    0xb8, 15, 0, 0, 0,              /* mov eax,__HYPERVISOR_set_timer_op */
    0xbb, 1, 0, 0, 0,               /* mov ebx,1 (low half) */
    0x31, 0xc9,                     /* xor ecx,ecx (high half) */
    0x0f, 0x01, 0xd9,               /* vmmcall */
    0xf4,                           /* hlt: blocks until the event */
    0xb8, 18, 0, 0, 0,
    0xbb, 0, 0, 0, 0,
    0xb9, sizeof(msg2) - 1, 0, 0, 0,
    0xba, MSG2, 0x00, 0x10, 0x00,
    0x0f, 0x01, 0xd9,
    /* sched_op(SCHEDOP_shutdown, &reason) */
    0xb8, 29, 0, 0, 0,              /* mov eax,__HYPERVISOR_sched_op */
    0xbb, 2, 0, 0, 0,               /* mov ebx,SCHEDOP_shutdown */
    0xb9, REASON, 0x00, 0x10, 0x00, /* mov ecx,LOAD_PA+REASON */
    0x0f, 0x01, 0xd9,
    0xf4,                           /* not reached */
    0xeb, 0xfd,                     /* jmp to the hlt */
};

static uint8_t image[CODE_OFF + 0x100];

static void put(unsigned int off, uint64_t v, unsigned int bytes)
{
    for ( unsigned int i = 0; i < bytes; i++ )
        image[off + i] = (uint8_t)(v >> (8 * i));
}

/* An ELF-64 with one PT_LOAD (code and data) and Xen's PHYS32 note. */
static size_t make_kernel(void)
{
    BUILD_BUG_ON(sizeof(code) > MSG1);
    memcpy(image, "\x7f" "ELF", 4);
    image[4] = 2;
    image[5] = 1;
    image[6] = 1;
    put(16, 2, 2);                  /* ET_EXEC */
    put(18, ELF_EM_X86_64, 2);
    put(20, 1, 4);
    put(24, LOAD_PA, 8);
    put(32, 64, 8);                 /* program headers at 64 */
    put(54, 56, 2);
    put(56, 2, 2);
    put(64, 1, 4);                  /* PT_LOAD */
    put(64 + 8, CODE_OFF, 8);
    put(64 + 24, LOAD_PA, 8);
    put(64 + 32, 0x100, 8);
    put(64 + 40, 0x1000, 8);
    put(120, 4, 4);                 /* PT_NOTE at 0xd0 */
    put(120 + 8, 0xd0, 8);
    put(120 + 32, 20, 8);
    put(0xd0, 4, 4);
    put(0xd4, 4, 4);
    put(0xd8, XEN_ELFNOTE_PHYS32_ENTRY, 4);
    memcpy(image + 0xdc, "Xen", 4);
    put(0xe0, LOAD_PA, 4);
    memcpy(image + CODE_OFF, code, sizeof(code));
    memcpy(image + CODE_OFF + MSG1, msg1, sizeof(msg1) - 1);
    memcpy(image + CODE_OFF + MSG2, msg2, sizeof(msg2) - 1);
    put(CODE_OFF + BIND_VIRQ, 0, 4);    /* VIRQ_TIMER */
    put(CODE_OFF + BIND_VIRQ + 4, 0, 4);
    put(CODE_OFF + REASON, 0, 4);   /* SHUTDOWN_poweroff */
    return sizeof(image);
}

void guest_selftest(void)
{
    struct pvh_config cfg = {
        .kernel = image, .kernel_size = make_kernel(),
        .mem_bytes = 4 << 20, .max_vcpus = 1, .p2m_ops = &p2m_npt_ops,
    };
    struct pvh_start start;
    struct domain *d;
    const char *why;
    int rc;

    if ( !opt_guest_selftest )
        return;
    rc = pvh_build(&cfg, &d, &start, &why);
    if ( rc )
    {
        printk(LOG_ERR "guest_selftest: %s (%d)\n", why, rc);
        return;
    }
    rc = svm_domain_attach(d, start.entry, start.start_info);
    if ( !rc )
        rc = domain_unpause(d);
    if ( rc )
    {
        printk(LOG_ERR "guest_selftest: cannot start d%u (%d)\n",
               d->domain_id, rc);
        domain_destroy(d);
        return;
    }
    printk("guest_selftest: d%u built, entry %#x, start info %#x\n",
           d->domain_id, start.entry, start.start_info);
}
