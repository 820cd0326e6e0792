/* SPDX-License-Identifier: MIT */
/*
 * arch_build_domain() on x86: a `domain=` guest becomes a PVH domain on
 * the NPT p2m with a VMCB per vCPU and its scheduler parameters set, left
 * paused for boot_domains_start().
 */
#include <orrery/boot_domains.h>
#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/sched.h>
#include <orrery/vcpu_sched.h>

#include "../hvm/pvh_acpi.h"
#include "../hvm/pvh_build.h"
#include "../hvm/vdev.h"
#include "npt.h"
#include "svm.h"
#include "svm_guest.h"

/* weight= and cap= for the pool's scheduler, when it has them. */
static int set_sched_params(struct domain *d, const struct boot_domain_spec *s,
                            const char **why)
{
    struct sched_unit *u = vcpu_sched_unit(d->vcpu[0]);
    struct sched_dom_params p;
    int rc;

    if ( !s->weight && !s->cap )
        return 0;
    if ( !u || sched_domain_get_params(u->dom, &p) )
    {
        *why = "weight= and cap= need the credit or credit2 scheduler";
        return -EINVAL;
    }
    switch ( p.sched_id )
    {
    case XEN_SCHEDULER_CREDIT:
        p.u.credit.weight = s->weight ? s->weight : p.u.credit.weight;
        p.u.credit.cap = s->cap;
        break;
    case XEN_SCHEDULER_CREDIT2:
        p.u.credit2.weight = s->weight ? s->weight : p.u.credit2.weight;
        p.u.credit2.cap = s->cap;
        break;
    default:
        *why = "weight= and cap= need the credit or credit2 scheduler";
        return -EINVAL;
    }
    rc = sched_domain_set_params(u->dom, &p);
    if ( rc )
        *why = "the scheduler refused weight= or cap=";
    return rc;
}

int arch_build_domain(const struct boot_domain_spec *spec, const void *image,
                      size_t size, domid_t *domid, const char **why)
{
    struct pvh_config cfg = {
        .name = spec->name, .kernel = image, .kernel_size = size,
        .cmdline = spec->has_cmdline ? spec->cmdline : NULL,
        .mem_bytes = spec->mem, .max_vcpus = spec->vcpus,
        .privileged = spec->control, .p2m_ops = &p2m_npt_ops,
        .guest_type = spec->type,
        .ramdisk = spec->ramdisk, .ramdisk_size = spec->ramdisk_size,
    };
    struct pvh_start start;
    struct domain *d;
    int rc;

    if ( !svm_caps.svm || !svm_caps.npt )
    {
        *why = "this CPU has no SVM with nested paging";
        return -EOPNOTSUPP;
    }
    /* The ACPI sleep registers every built domain's FADT names (claimed
     * once; a second claim is harmless). */
    if ( pvh_acpi_init() )
    {
        *why = "cannot claim the ports of the ACPI sleep registers";
        return -ENOSPC;
    }
    /* type=hvm boots at the same PVH entry (as Xen's direct-boot HVM and
     * XTF's hvm64 do) and adds the PIC, IOAPIC, PIT and RTC (vdev.h). */
    rc = pvh_build(&cfg, &d, &start, why);
    if ( rc )
        return rc;
    rc = svm_domain_attach(d, start.entry, start.start_info);
    if ( rc )
        *why = "no memory for the vCPUs' VMCBs";
    if ( !rc && spec->type == ORR_GUEST_HVM && (rc = hvm_vdev_create(d)) )
        *why = "no memory for the HVM device models";
    if ( !rc )
        rc = set_sched_params(d, spec, why);
    if ( rc )
    {
        domain_destroy(d);
        return rc;
    }
    *domid = d->domain_id;
    return 0;
}
