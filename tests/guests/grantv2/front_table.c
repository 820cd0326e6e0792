/* SPDX-License-Identifier: MIT */
/*
 * grantv2, the frontend's table-level steps (xen-abi-facts §2.3):
 * set_version and get_version with their bad arguments, the status frame
 * through add_to_physmap with XENMAPIDX_grant_table_status
 * (GNTTABOP_get_status_frames is not among the subops an HVM/PVH guest
 * may use: -ENOSYS, as Xen's HVM filter, §1.1), query_size and
 * setup_table under v2, and the other refused subops.
 */
#include <orrery/lib.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/xen.h>

#include "guest.h"
#include "front.h"

long set_version(uint32_t version, uint32_t *out)
{
    struct gnttab_set_version sv = { .version = version };
    long rc = gnttab_op(GNTTABOP_set_version, &sv, 1);

    *out = sv.version;
    return rc;
}

uint32_t get_version(void)
{
    struct gnttab_get_version gv = { .dom = DOMID_SELF };
    long rc = gnttab_op(GNTTABOP_get_version, &gv, 1);

    check(rc == 0, "get_version gave %ld", rc);
    return gv.version;
}

/* get_version of other domains, set_version with a bad pointer. */
static void version_bad_arguments(void)
{
    struct gnttab_get_version gv = { .dom = peer };
    long rc;

    rc = gnttab_op(GNTTABOP_get_version, &gv, 1);
    check(rc == -EPERM, "get_version of d%u (a domU) gave %ld", peer, rc);
    gv.dom = 0x7ff0 - 1;
    rc = gnttab_op(GNTTABOP_get_version, &gv, 1);
    check(rc == -ESRCH, "get_version of a missing domain gave %ld", rc);
    rc = gnttab_op(GNTTABOP_set_version, (void *)0x7fff00000000UL, 1);
    check(rc == -EFAULT, "set_version with a bad pointer gave %ld", rc);
    check(get_version() == 1, "version after the bad calls: %u",
          get_version());
}

void switch_to_v2(void)
{
    struct gnttab_get_status_frames gs = { .nr_frames = 1,
                                           .dom = DOMID_SELF };
    uint64_t frame = 0;
    uint32_t v;
    long rc;

    version_bad_arguments();
    rc = set_version(3, &v);
    check(rc == -EINVAL, "set_version(3) gave %ld", rc);
    rc = set_version(0, &v);
    check(rc == -EINVAL, "set_version(0) gave %ld", rc);
    rc = set_version(2, &v);
    check(rc == 0 && v == 2, "set_version(2) gave %ld, version %u", rc, v);
    check(get_version() == 2, "get_version after set_version(2): %u",
          get_version());
    rc = set_version(2, &v);
    check(rc == 0 && v == 2, "set_version(2) again gave %ld", rc);

    gs.frame_list = (uintptr_t)&frame;
    rc = gnttab_op(GNTTABOP_get_status_frames, &gs, 1);
    check(rc == -ENOSYS, "get_status_frames from a PVH guest gave %ld", rc);

    rc = gnttab_map_table_frame(XENMAPIDX_grant_table_status | 0, STATUS_GPFN);
    if ( rc )
        panic("add_to_physmap(grant_table status 0) gave %ld", rc);
    /* 64 shared frames of 256 v2 entries need 8 status frames. */
    rc = gnttab_map_table_frame(XENMAPIDX_grant_table_status | 8,
                                STATUS_GPFN + 1);
    check(rc == -EINVAL, "status frame 8 gave %ld", rc);
    rc = gnttab_map_table_frame(1ULL << 32, STATUS_GPFN + 1);
    check(rc == -EINVAL, "grant frame idx 2^32 gave %ld", rc);
}

/*
 * The table-level subops a PVH guest has under v2 (query_size,
 * setup_table: the gfn of each frame it mapped, ~0 for one it has not),
 * and those Xen's HVM filter refuses (-ENOSYS, xen-abi-facts §1.1).
 */
void table_subops(void)
{
    static const unsigned int refused[] = {
        GNTTABOP_dump_table, GNTTABOP_transfer, GNTTABOP_unmap_and_replace,
        GNTTABOP_cache_flush,
    };
    struct gnttab_query_size qs = { .dom = DOMID_SELF };
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 2 };
    static uint64_t frames[2];
    static uint8_t junk[64];
    long rc;

    rc = gnttab_op(GNTTABOP_query_size, &qs, 1);
    check(rc == 0 && qs.status == GNTST_okay && qs.nr_frames >= 1 &&
          qs.max_nr_frames == 64, "query_size: rc %ld status %d frames %u "
          "of %u", rc, qs.status, qs.nr_frames, qs.max_nr_frames);
    st.frame_list = (uintptr_t)frames;
    rc = gnttab_op(GNTTABOP_setup_table, &st, 1);
    check(rc == 0 && st.status == GNTST_okay && frames[0] == GNTTAB_GPFN &&
          frames[1] == ~0ULL, "setup_table(2): rc %ld status %d frames "
          "%#llx %#llx", rc, st.status, (unsigned long long)frames[0],
          (unsigned long long)frames[1]);
    st.nr_frames = 65;
    rc = gnttab_op(GNTTABOP_setup_table, &st, 1);
    check(rc == 0 && st.status == GNTST_general_error,
          "setup_table(65): rc %ld status %d", rc, st.status);
    for ( unsigned int i = 0; i < ARRAY_SIZE(refused); i++ )
    {
        rc = gnttab_op(refused[i], junk, 1);
        check(rc == -ENOSYS, "grant_table_op %u from a PVH guest gave %ld",
              refused[i], rc);
    }
}

