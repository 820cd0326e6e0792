/* SPDX-License-Identifier: MIT */
/*
 * Guest vCPUs on the pCPUs: the scheduler picks a vCPU and calls
 * arch_vcpu_switch(); the idle loop then calls arch_guest_run(), which
 * enters that vCPU's guest once and handles the exit. A HLT blocks the
 * vCPU in the scheduler; a fatal exit crashes its domain only.
 *
 * The hypervisor is not preemptible and keeps no per-vCPU host stack:
 * between two trips into a guest this CPU is just in its idle loop, so a
 * switch is only a change of which VMCB the next VMRUN uses.
 */
#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/mm.h>
#include <orrery/vcpu_sched.h>

#include <public/sched.h>

#include "../hvm/hvm.h"
#include "exit.h"
#include "svm_guest.h"

static struct svm_vcpu *curr[NR_CPUS];

/*
 * curr[] is written by its own CPU and read by every CPU that kicks.
 * The kick is a Dekker pair with the interrupt check before VMRUN: a
 * raiser sets the vLAPIC IRR (or the upcall flag), then reads curr[];
 * a CPU stores curr[], then (svm_intr_assist) reads the IRR. Both sides
 * are sequentially consistent, so either the raiser sees the vCPU in
 * curr[] and sends the IPI (which, pending at VMRUN, makes the guest
 * exit at once: INTERCEPT1_INTR, APM vol. 2 §15.21.4), or the CPU sees
 * the IRR bit before it enters the guest.
 */
void arch_vcpu_switch(struct vcpu *prev, struct vcpu *next)
{
    (void)prev;
    __atomic_store_n(&curr[arch_cpu_id()], next ? next->arch_priv : NULL,
                     __ATOMIC_SEQ_CST);
}

void svm_vcpu_kick(struct vcpu *v)
{
    unsigned int self = arch_cpu_id();

    /* Any interrupt makes a guest exit (INTERCEPT1_INTR); this CPU's own
     * vCPU is not in its guest while this code runs. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    for ( unsigned int cpu = 0; cpu < NR_CPUS; cpu++ )
    {
        struct svm_vcpu *sv = __atomic_load_n(&curr[cpu], __ATOMIC_SEQ_CST);

        if ( cpu != self && sv && sv->v == v )
            arch_send_ipi(cpu, IPI_SOFTIRQ);
    }
}

bool arch_guest_run(void)
{
    unsigned int cpu = arch_cpu_id();
    struct svm_vcpu *sv = curr[cpu];
    struct domain *d;

    if ( !sv )
        return false;
    d = sv->v->domain;
    if ( __atomic_load_n(&sv->start_pending, __ATOMIC_ACQUIRE) )
        svm_vcpu_apply_start(sv);
    hvm_update_guest_time(sv->v);
    svm_intr_assist(sv);
    svm_vcpu_enter(sv);             /* returns with interrupts enabled */
    arch_irq_disable();

    switch ( svm_handle_exit(sv) )
    {
    case SVM_EXIT_RESUME:
        break;
    case SVM_EXIT_HALTED:
        /* HLT with an interrupt the vLAPIC would deliver does not block;
         * one raised during the block is seen by the check after it (the
         * raiser's vcpu_unblock otherwise finds the vCPU blocked). */
        if ( svm_intr_pending(sv) )
            break;
        vcpu_block(sv->v);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if ( svm_intr_pending(sv) )
            vcpu_unblock(sv->v);
        break;
    case SVM_EXIT_CRASH:
        printk(LOG_ERR "%s: crashed (vCPU %u, exit %s at rip %#llx)\n",
               d->name, sv->v->vcpu_id,
               svm_exit_name(sv->vmcb->exitcode),
               (unsigned long long)sv->vmcb->rip);
        domain_shutdown(d, SHUTDOWN_crash);
        break;
    }
    return true;
}

/* ---- Per-domain set-up and teardown -------------------------------------- */

static void svm_domain_teardown(struct domain *d)
{
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu *v = d->vcpu[i];
        struct svm_vcpu *sv = v ? v->arch_priv : NULL;

        if ( !sv )
            continue;
        for ( unsigned int cpu = 0; cpu < NR_CPUS; cpu++ )
            if ( curr[cpu] == sv )
                curr[cpu] = NULL;   /* dying domains are not running */
        svm_vcpu_destroy(sv);
        xfree(sv);
        v->arch_priv = NULL;
    }
}

static const struct domain_hooks svm_hooks = {
    .name = "svm",
    .domain_teardown = svm_domain_teardown,
};

int svm_register_domain_hooks(void)
{
    return domain_register_hooks(&svm_hooks);
}

int svm_domain_attach(struct domain *d, uint32_t entry, uint32_t ebx)
{
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        struct svm_vcpu *sv = xzalloc(struct svm_vcpu);
        int rc;

        if ( !sv )
            return -ENOMEM;
        rc = svm_vcpu_create(sv, d->vcpu[i]);
        if ( rc )
        {
            xfree(sv);
            return rc;
        }
        d->vcpu[i]->arch_priv = sv;
    }
    /* vCPU 0 starts at the PVH entry; the others wait for VCPUOP_up. */
    svm_vcpu_reset_pvh(d->vcpu[0]->arch_priv, entry, ebx);
    return 0;
}
