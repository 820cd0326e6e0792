/* SPDX-License-Identifier: MIT */
/*
 * Event upcalls through a GSI (HVM_PARAM_CALLBACK_IRQ type 0, Xen's
 * HVMIRQ_callback_gsi): a VIRQ_TIMER event raises GSI 5, which IOAPIC pin
 * 5 (level-triggered) delivers as a vector; the handler clears
 * evtchn_upcall_pending before its EOI, so the line is low again and
 * exactly one interrupt comes per event.
 */
#include <public/event_channel.h>
#include <public/hvm/params.h>
#include <public/vcpu.h>
#include <public/xen.h>

#include "hvm.h"

#define REDIR(pin) (0x10 + 2 * (pin))
#define V_CB (V_IOAPIC + 5)

static volatile unsigned int last_port;

static void cb_hook(unsigned int vector)
{
    volatile struct shared_info *si = shared_info();
    volatile struct vcpu_info *vi = &si->vcpu_info[0];
    uint64_t sel;

    if ( vector != V_CB )
        return;
    vi->evtchn_upcall_pending = 0;
    sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    while ( sel )
    {
        unsigned int w = __builtin_ctzll(sel);
        uint64_t bits = si->evtchn_pending[w] & ~si->evtchn_mask[w];

        sel &= sel - 1;
        __atomic_fetch_and(&si->evtchn_pending[w], ~bits, __ATOMIC_SEQ_CST);
        if ( bits )
            last_port = w * 64 + __builtin_ctzll(bits);
    }
}

static long set_callback(uint64_t via)
{
    struct xen_hvm_param p = { .domid = DOMID_SELF,
                               .index = HVM_PARAM_CALLBACK_IRQ,
                               .value = via };

    return hypercall2(__HYPERVISOR_hvm_op, HVMOP_set_param, &p);
}

void test_callback(void)
{
    struct evtchn_bind_virq bind = { .virq = VIRQ_TIMER, .vcpu = 0 };
    struct vcpu_set_singleshot_timer t;
    uint64_t start;
    long rc;

    rc = hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq,
                    &bind);
    check(rc == 0 && bind.port, "bind_virq(VIRQ_TIMER) gave %ld", rc);
    check(set_callback(5) == 0, "CALLBACK_IRQ = GSI 5 refused");
    ioapic_write(REDIR(5) + 1, 0);
    ioapic_write(REDIR(5), (1u << 15) | V_CB);  /* level, vCPU 0 */
    irq_hook = cb_hook;
    t.timeout_abs_ns = now_ns() + 2000000;
    rc = hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0,
                    &t);
    check(rc == 0, "set_singleshot_timer gave %ld", rc);
    start = now_ns();
    asm volatile ( "sti" ::: "memory" );
    while ( !hits[V_CB] && now_ns() - start < 2000000000ULL )
        asm volatile ( "pause" ::: "memory" );
    spin(5000000);                  /* and nothing more after it */
    asm volatile ( "cli" ::: "memory" );
    if ( hits[V_CB] != 1 )
        printf("flag %u, pin 5 %#x, vLAPIC IRR 0x40-0x5f %#x ISR %#x\n",
               shared_info()->vcpu_info[0].evtchn_upcall_pending,
               ioapic_read(REDIR(5)), APIC_R(0x220), APIC_R(0x120));
    check(hits[V_CB] == 1 && last_port == bind.port,
          "GSI callback: %u interrupts, port %u (want 1, port %u)",
          hits[V_CB], last_port, bind.port);
    set_callback(0);
    ioapic_write(REDIR(5), (1u << 16) | V_CB);
    irq_hook = NULL;
}
