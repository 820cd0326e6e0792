/* SPDX-License-Identifier: MIT */
/*
 * sweep: every hypercall a PVH guest can make, called with bad arguments
 * from inside the guest -- pointers to nowhere, into the hypervisor's
 * half of the address space or running off the end of RAM, absurd sizes
 * and counts, unknown subops, domids, vCPUs and ports. Each must fail
 * with an error (Xen's where the ABI fixes it: -EFAULT for a bad
 * pointer, -ENOSYS for an unknown hypercall), and afterwards the
 * hypervisor and this guest must be intact: the same good calls as
 * before still work.
 */
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/hvm/params.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <public/xen.h>

#include "guest.h"

const char test_title[] = "sweep: bad arguments to every hypercall";

/* Addresses no guest buffer may be at. */
static const uint64_t bad_ptrs[] = {
    0x7fff00000000ULL,          /* far past this guest's RAM */
    0xffff800000000000ULL,      /* the hypervisor's half */
    0xfffffffffffffff0ULL,      /* wraps */
    0xfeff0000ULL,              /* below the special pages: a hole */
};

static void good_calls_work(const char *after)
{
    xen_extraversion_t extra;
    long v = hypercall2(__HYPERVISOR_xen_version, XENVER_version, 0);

    check(v == ((4 << 16) | 18), "after %s: xen_version gave %#lx", after, v);
    v = hypercall2(__HYPERVISOR_xen_version, XENVER_extraversion, extra);
    check(v == 0, "after %s: extraversion gave %ld", after, v);
}

static void sweep_pointers(void)
{
    for ( unsigned int i = 0; i < sizeof(bad_ptrs) / sizeof(bad_ptrs[0]); i++ )
    {
        uint64_t p = bad_ptrs[i];
        long rc;

        rc = hypercall2(__HYPERVISOR_xen_version, XENVER_extraversion, p);
        check(rc == -EFAULT, "xen_version(%#llx) gave %ld",
              (unsigned long long)p, rc);
        rc = hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, 16, p);
        check(rc == -EFAULT, "console_io(%#llx) gave %ld",
              (unsigned long long)p, rc);
        rc = hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_send, p);
        check(rc == -EFAULT, "event_channel_op(%#llx) gave %ld",
              (unsigned long long)p, rc);
        rc = hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound,
                        p);
        check(rc == -EFAULT, "alloc_unbound(%#llx) gave %ld",
              (unsigned long long)p, rc);
        rc = hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_query_size, p, 1);
        check(rc == -EFAULT, "grant_table_op(%#llx) gave %ld",
              (unsigned long long)p, rc);
        rc = hypercall2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, p);
        check(rc == -EFAULT, "memory_op(%#llx) gave %ld",
              (unsigned long long)p, rc);
        rc = hypercall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown, p);
        check(rc == -EFAULT, "sched_op shutdown(%#llx) gave %ld",
              (unsigned long long)p, rc);
        rc = hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0, p);
        check(rc == -EFAULT, "vcpu_op(%#llx) gave %ld",
              (unsigned long long)p, rc);
        rc = hypercall2(__HYPERVISOR_hvm_op, HVMOP_get_param, p);
        check(rc == -EFAULT, "hvm_op(%#llx) gave %ld",
              (unsigned long long)p, rc);
    }
    good_calls_work("bad pointers");
}

static void sweep_numbers(void)
{
    /* Hypercall numbers nobody implements for a PVH guest, and past the
     * table. */
    static const unsigned int unknown[] = { 1, 2, 3, 5, 10, 22, 26, 63, 64,
                                            200, 0xffff };

    for ( unsigned int i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++ )
    {
        long rc = hypercall_vmmcall(unknown[i], 0, 0, 0);

        check(rc == -ENOSYS, "hypercall %u gave %ld", unknown[i], rc);
    }
    good_calls_work("unknown hypercalls");
}

static void sweep_values(void)
{
    struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0x7fffffff };
    struct evtchn_status st = { .dom = 4000, .port = 1 };   /* no such domain */
    struct gnttab_query_size qs = { .dom = 4000 };
    struct xen_hvm_param hp = { .domid = DOMID_SELF, .index = 1000 };
    struct gnttab_setup_table gs = { .dom = DOMID_SELF, .nr_frames = 100000 };
    long rc;

    rc = hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, &bv);
    check(rc < 0, "bind_virq on vCPU 0x7fffffff gave %ld", rc);
    rc = hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_status, &st);
    check(rc < 0, "status of a missing domain gave %ld", rc);
    for ( uint32_t port = 4096; port < (1u << 20); port = port * 4 + 3 )
    {
        rc = hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_send,
                        &(struct evtchn_send){ port });
        check(rc < 0, "send to port %u gave %ld", port, rc);
    }
    rc = hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_query_size, &qs, 1);
    check(rc < 0 || qs.status != GNTST_okay,
          "query_size of a missing domain: rc %ld status %d", rc, qs.status);
    rc = hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, &gs, 1);
    check(rc < 0 || gs.status != GNTST_okay,
          "setup_table of 100000 frames: rc %ld status %d", rc, gs.status);
    rc = hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_query_size, &qs,
                    0x7fffffff);
    check(rc < 0 || rc == 0, "a huge grant count gave %ld", rc);
    rc = hypercall2(__HYPERVISOR_hvm_op, HVMOP_set_param, &hp);
    check(rc < 0, "set_param(1000) gave %ld", rc);
    rc = hypercall2(__HYPERVISOR_hvm_op, 0x7fff, &hp);
    check(rc < 0, "unknown hvm_op gave %ld", rc);
    rc = hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_up, 100, 0);
    check(rc < 0, "VCPUOP_up of vCPU 100 gave %ld", rc);
    rc = hypercall3(__HYPERVISOR_vcpu_op, 0x7fff, 0, 0);
    check(rc < 0, "unknown vcpu_op gave %ld", rc);
    rc = hypercall2(__HYPERVISOR_sched_op, 0x7fff, 0);
    check(rc < 0, "unknown sched_op gave %ld", rc);
    rc = hypercall2(__HYPERVISOR_memory_op, 0x3f, 0);
    check(rc < 0, "unknown memory_op gave %ld", rc);
    rc = hypercall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown_code,
                    &(struct sched_shutdown){ .reason = 99 });
    check(rc < 0, "shutdown_code 99 gave %ld", rc);
    good_calls_work("bad values");
}

void test_main(const struct hvm_start_info *si)
{
    (void)si;
    sweep_pointers();
    sweep_numbers();
    sweep_values();
}
