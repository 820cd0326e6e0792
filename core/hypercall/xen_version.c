/* SPDX-License-Identifier: MIT */
/*
 * xen_version(cmd, arg): what the hypervisor is and what it offers this
 * guest (reference §1.1). Every subop with an output buffer writes the
 * whole buffer -- the string, then zeroes to its fixed size -- so neither
 * stale guest bytes nor hypervisor memory show through.
 */
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/hypercall.h>
#include <orrery/lib.h>
#include <orrery/param.h>
#include <orrery/xsm.h>

#include <public/version.h>

/* Written as a fixed-size, zero-padded buffer. */
static int64_t put_string(struct vcpu *v, uint64_t gaddr, const char *s,
                          size_t size)
{
    /* strlen, not strnlen(s, size - 1): gcc -O2 rejects a bound past the
     * end of a string literal, though strnlen stops at the NUL. */
    size_t n = strlen(s);

    if ( n > size - 1 )
        n = size - 1;
    return copy_to_guest_padded(v, gaddr, s, n, size);
}

/*
 * Feature bits per guest type. An HVM/PVH domU gets the set Xen gives it
 * (reference §1.1) apart from bit 20, which the reference lists without
 * naming and Orrery does not claim; a control domain adds XENFEAT_dom0.
 * Arm guests are auto-translated and not direct-mapped.
 */
static uint32_t features(const struct domain *d)
{
    uint32_t f;

    if ( d->guest_type == ORR_GUEST_ARM )
        f = (1U << XENFEAT_auto_translated_physmap) |
            (1U << XENFEAT_not_direct_mapped);
    else
        f = (1U << XENFEAT_writable_page_tables) |
            (1U << XENFEAT_auto_translated_physmap) |
            (1U << XENFEAT_hvm_callback_vector) |
            (1U << XENFEAT_hvm_safe_pvclock) |
            (1U << XENFEAT_memory_op_vnode_supported) |
            (1U << XENFEAT_not_direct_mapped) |
            (1U << XENFEAT_runstate_phys_area) |
            (1U << XENFEAT_vcpu_time_phys_area);
    if ( d->is_privileged )
        f |= 1U << XENFEAT_dom0;
    return f;
}

static const char *capabilities(const struct domain *d)
{
    if ( d->guest_type == ORR_GUEST_ARM )
        return "xen-3.0-aarch64 ";
    return "hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 ";
}

static int64_t compile_info(struct vcpu *v, uint64_t gaddr)
{
    struct xen_compile_info ci;

    /* memset first: the padding after each string is part of the ABI. */
    memset(&ci, 0, sizeof(ci));
    strlcpy(ci.compiler, __VERSION__, sizeof(ci.compiler));
    strlcpy(ci.compile_by, "orrery", sizeof(ci.compile_by));
    strlcpy(ci.compile_domain, "", sizeof(ci.compile_domain));
    /* No __DATE__: builds are reproducible. */
    strlcpy(ci.compile_date, ORRERY_VERSION, sizeof(ci.compile_date));
    return copy_to_guest(v, gaddr, &ci, sizeof(ci));
}

int64_t do_xen_version(struct vcpu *v, struct hypercall_regs *r)
{
    struct domain *d = v->domain;
    unsigned int cmd = (unsigned int)r->args[0];
    uint64_t arg = r->args[1];
    struct xen_feature_info fi;
    int rc;

    if ( r->args[0] > UINT32_MAX )
        return -ENOSYS;
    rc = xsm()->xen_version(d, cmd);
    if ( rc )
        return rc;

    switch ( cmd )
    {
    case XENVER_version:
        return (ORRERY_XEN_MAJOR << 16) | ORRERY_XEN_MINOR;

    case XENVER_extraversion:
        return put_string(v, arg, "-orrery", sizeof(xen_extraversion_t));

    case XENVER_compile_info:
        return compile_info(v, arg);

    case XENVER_capabilities:
        return put_string(v, arg, capabilities(d),
                          sizeof(xen_capabilities_info_t));

    case XENVER_changeset:
        return put_string(v, arg, "orrery " ORRERY_VERSION,
                          sizeof(xen_changeset_info_t));

    case XENVER_platform_parameters:
    {
        /* Auto-translated guests have no hypervisor hole. */
        struct xen_platform_parameters pp = { .virt_start = 0 };

        return copy_to_guest(v, arg, &pp, sizeof(pp));
    }

    case XENVER_get_features:
        rc = copy_from_guest(v, &fi, arg, sizeof(fi));
        if ( rc )
            return rc;
        if ( fi.submap_idx >= XENFEAT_NR_SUBMAPS )
            return -EINVAL;
        fi.submap = features(d);
        return copy_to_guest(v, arg, &fi, sizeof(fi));

    case XENVER_pagesize:
        return PAGE_SIZE;

    case XENVER_guest_handle:
    {
        /* The toolstack's 16-byte handle (a UUID); none is set yet. */
        static const uint8_t handle[16];

        return copy_to_guest(v, arg, handle, sizeof(handle));
    }

    case XENVER_commandline:
        return put_string(v, arg, cmdline_get(), sizeof(xen_commandline_t));

    case XENVER_build_id:
        /* The image carries no build-id note yet: Xen's answer then. */
        return -ENODATA;

    default:
        return -ENOSYS;
    }
}
