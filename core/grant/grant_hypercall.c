/* SPDX-License-Identifier: MIT */
/*
 * grant_table_op(cmd, uop, count). Batched subops (map, unmap, copy,
 * swap, cache_flush...) walk an array of @count structs at guest address
 * @uop, each with its own status; between ops the loop asks
 * hypercall_preempt_check() and, when due, continues itself with @uop
 * advanced and @count reduced by what is done. Table-level subops take
 * exactly one struct (count 1, else -EINVAL, as Xen).
 *
 * Which subops a guest may use follows Xen per guest type (xen-abi-facts
 * §1.1): HVM and PVH guests get query_size, setup_table, set_version,
 * get_version, copy, map, unmap and swap; Arm guests every subop. The
 * rest is -ENOSYS, as is transfer everywhere (modern Xen builds it for
 * PV guests only).
 */
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/hypercall.h>
#include <orrery/lib.h>

#include <public/domctl.h>

#include "grant_private.h"

/* Xen keeps a continuation cursor above bit 12 of cmd; none is used. */
#define GNTTABOP_CMD_MASK 0xfffU

union gnt_args {
    struct gnttab_map_grant_ref map;
    struct gnttab_unmap_grant_ref unmap;
    struct gnttab_unmap_and_replace replace;
    struct gnttab_setup_table setup;
    struct gnttab_dump_table dump;
    struct gnttab_copy copy;
    struct gnttab_query_size query;
    struct gnttab_set_version set_version;
    struct gnttab_get_status_frames status;
    struct gnttab_get_version get_version;
    struct gnttab_swap_grant_ref swap;
    struct gnttab_cache_flush flush;
};

static const uint8_t arg_size[] = {
    [GNTTABOP_map_grant_ref] = sizeof(struct gnttab_map_grant_ref),
    [GNTTABOP_unmap_grant_ref] = sizeof(struct gnttab_unmap_grant_ref),
    [GNTTABOP_setup_table] = sizeof(struct gnttab_setup_table),
    [GNTTABOP_dump_table] = sizeof(struct gnttab_dump_table),
    [GNTTABOP_copy] = sizeof(struct gnttab_copy),
    [GNTTABOP_query_size] = sizeof(struct gnttab_query_size),
    [GNTTABOP_unmap_and_replace] = sizeof(struct gnttab_unmap_and_replace),
    [GNTTABOP_set_version] = sizeof(struct gnttab_set_version),
    [GNTTABOP_get_status_frames] = sizeof(struct gnttab_get_status_frames),
    [GNTTABOP_get_version] = sizeof(struct gnttab_get_version),
    [GNTTABOP_swap_grant_ref] = sizeof(struct gnttab_swap_grant_ref),
    [GNTTABOP_cache_flush] = sizeof(struct gnttab_cache_flush),
};

#define HVM_SUBOPS \
    ((1U << GNTTABOP_query_size) | (1U << GNTTABOP_setup_table) | \
     (1U << GNTTABOP_set_version) | (1U << GNTTABOP_get_version) | \
     (1U << GNTTABOP_copy) | (1U << GNTTABOP_map_grant_ref) | \
     (1U << GNTTABOP_unmap_grant_ref) | (1U << GNTTABOP_swap_grant_ref))

static bool subop_allowed(unsigned int guest_type, unsigned int cmd)
{
    if ( cmd >= ARRAY_SIZE(arg_size) || !arg_size[cmd] )
        return false;
    if ( guest_type == ORR_GUEST_ARM )
        return true;
    return HVM_SUBOPS & (1U << cmd);
}

/* One op of a batch; its result is in the struct (GNTST_*), or, for
 * cache_flush, the return value (an errno that ends the batch). */
static int run_one(struct domain *d, unsigned int cmd, union gnt_args *a)
{
    switch ( cmd )
    {
    case GNTTABOP_map_grant_ref:
        a->map.status = gnt_map_one(d, &a->map);
        return 0;
    case GNTTABOP_unmap_grant_ref:
        a->unmap.status = gnt_unmap_one(d, a->unmap.host_addr, 0,
                                        a->unmap.handle);
        return 0;
    case GNTTABOP_unmap_and_replace:
        a->replace.status = gnt_unmap_one(d, a->replace.host_addr,
                                          a->replace.new_addr,
                                          a->replace.handle);
        return 0;
    case GNTTABOP_swap_grant_ref:
        gnt_swap_one(d, &a->swap);
        return 0;
    default:    /* GNTTABOP_cache_flush */
        return gnt_cache_flush_one(d, &a->flush);
    }
}

/* Write an op's results back (copy: grant_copy_batch.c). */
static int write_back(struct vcpu *v, unsigned int cmd, uint64_t at,
                      const union gnt_args *a)
{
    return copy_to_guest(v, at, a, arg_size[cmd]);
}

static int64_t batch(struct vcpu *v, struct hypercall_regs *r,
                     unsigned int cmd)
{
    size_t size = arg_size[cmd];
    uint64_t uop = r->args[1], count = r->args[2], i;
    union gnt_args a;
    int64_t rc = 0;

    for ( i = 0; i < count; i++ )
    {
        uint64_t at = uop + i * size;

        if ( i && hypercall_preempt_check() )
        {
            r->args[1] = at;
            r->args[2] = count - i;
            rc = hypercall_continue(r);
            break;
        }
        if ( copy_from_guest(v, &a, at, size) )
        {
            rc = -EFAULT;
            break;
        }
        rc = run_one(v->domain, cmd, &a);
        if ( rc )
            break;
        if ( cmd != GNTTABOP_cache_flush && write_back(v, cmd, at, &a) )
        {
            rc = -EFAULT;
            break;
        }
    }
    return rc;
}

/* A table-level subop: one struct in, one out. */
static int64_t single(struct vcpu *v, struct hypercall_regs *r,
                      unsigned int cmd)
{
    size_t size = arg_size[cmd];
    uint64_t uop = r->args[1];
    union gnt_args a;
    int rc = 0;

    if ( r->args[2] != 1 )
        return -EINVAL;
    if ( copy_from_guest(v, &a, uop, size) )
        return -EFAULT;
    switch ( cmd )
    {
    case GNTTABOP_setup_table:
        gnt_setup_table(v, &a.setup);
        break;
    case GNTTABOP_query_size:
        gnt_query_size(v->domain, &a.query);
        break;
    case GNTTABOP_get_status_frames:
        gnt_get_status_frames(v, &a.status);
        break;
    case GNTTABOP_dump_table:
        gnt_dump_table(v->domain, &a.dump);
        break;
    case GNTTABOP_set_version:
        /* The version in force is written back even on failure. */
        rc = gnt_set_version(v->domain, &a.set_version);
        break;
    default:    /* GNTTABOP_get_version */
        rc = gnt_get_version(v->domain, &a.get_version);
        if ( rc )
            return rc;
        break;
    }
    if ( copy_to_guest(v, uop, &a, size) )
        return -EFAULT;
    return rc;
}

int64_t do_grant_table_op(struct vcpu *v, struct hypercall_regs *r)
{
    uint32_t cmd;

    /*
     * Xen's handler takes cmd and count as unsigned int: the registers'
     * upper halves are not looked at, and a count that is negative as
     * an int is refused.
     */
    r->args[0] = (uint32_t)r->args[0];
    r->args[2] = (uint32_t)r->args[2];
    cmd = (uint32_t)r->args[0];
    if ( cmd & ~GNTTABOP_CMD_MASK )
        return -EINVAL;
    if ( r->args[2] > INT32_MAX )
        return -EINVAL;
    if ( !v->domain->grant_table ||
         !subop_allowed(v->domain->guest_type, cmd) )
        return -ENOSYS;

    switch ( cmd )
    {
    case GNTTABOP_copy:
        return gnt_copy_batch(v, r);
    case GNTTABOP_map_grant_ref:
    case GNTTABOP_unmap_grant_ref:
    case GNTTABOP_unmap_and_replace:
    case GNTTABOP_swap_grant_ref:
    case GNTTABOP_cache_flush:
        return batch(v, r, cmd);
    default:
        return single(v, r, cmd);
    }
}
