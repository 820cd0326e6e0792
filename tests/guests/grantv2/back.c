/* SPDX-License-Identifier: MIT */
/*
 * grantv2, the backend: uses the frontend's v2 grants (xen-abi-facts
 * §2.3) from a v1 table of its own.
 *
 * Here the protocol with the frontend: a reserved grant mapped while
 * the frontend is still v1, full pages mapped writable and read-only (a
 * writable map of the read-only grant refused), the tests of
 * back_tests.c, then the unmaps (a second one GNTST_bad_handle) and,
 * after the frontend's revoke, the grant gone for maps and copies alike.
 */
#include <orrery/lib.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/xen.h>

#include "guest.h"
#include "back.h"

static uint8_t own_page[4096] __attribute__((aligned(4096)));
uint8_t buf[4096] __attribute__((aligned(4096)));

int16_t copy(bool from_grant, grant_ref_t ref, uint16_t goff, uint16_t boff,
             uint16_t len)
{
    struct gnttab_copy_ptr g = { .u.ref = ref, .domid = peer,
                                 .offset = goff };
    struct gnttab_copy_ptr b = { .u.gmfn = gfn_of(buf), .domid = DOMID_SELF,
                                 .offset = boff };
    struct gnttab_copy c = {
        .source = from_grant ? g : b, .dest = from_grant ? b : g, .len = len,
        .flags = from_grant ? GNTCOPY_source_gref : GNTCOPY_dest_gref,
    };

    return gnttab_op(GNTTABOP_copy, &c, 1) ? GNTST_general_error : c.status;
}

static void balloon_out(void)
{
    const xen_pfn_t out[5] = { MAP_GPFN, MAP_RO_GPFN, MAP_BAD_GPFN,
                               MAP_RSV_GPFN, MAP_SRC_GPFN };
    long rc = decrease_reservation(out, 5);

    check(rc == 5, "decrease_reservation gave %ld", rc);
}

/* Our own v1 grant of own_page to the frontend: the source of its
 * transitive REF_TRANS. */
static void grant_own_page(void)
{
    volatile struct grant_entry_v1 *gt = (void *)(GNTTAB_GPFN << 12);
    long rc = gnttab_map_table_frame(0, GNTTAB_GPFN);

    if ( rc )
        panic("add_to_physmap(grant_table) gave %ld", rc);
    memcpy(own_page, TEXT_BACK, sizeof(TEXT_BACK));
    gnttab_grant_v1(gt, REF_BACK, peer, own_page, 0);
}

/* Retry a map while the frontend gets to granting @ref. */
void backend(void)
{
    struct evtchn_bind_interdomain b = { .remote_dom = peer };
    volatile uint8_t *mapped = (void *)(MAP_GPFN << 12);
    volatile uint8_t *mapped_ro = (void *)(MAP_RO_GPFN << 12);
    volatile uint8_t *mapped_rsv = (void *)(MAP_RSV_GPFN << 12);
    grant_handle_t h, h_ro = 0, h_rsv, h_bad;
    int16_t st;
    long rc;

    balloon_out();
    grant_own_page();

    /* REF_RSV while the frontend is v1; the rest once it is v2. */
    h_rsv = gnttab_map_when_granted(peer, REF_RSV, MAP_RSV_GPFN, WAIT_NS);
    check(strcmp((const char *)mapped_rsv, TEXT_RSV) == 0,
          "reserved ref %u does not hold the frontend's text", REF_RSV);
    memcpy((void *)mapped_rsv, TEXT_RSV_BACK, sizeof(TEXT_RSV_BACK));
    h = gnttab_map_when_granted(peer, REF_RW, MAP_GPFN, WAIT_NS);
    check(memcmp((const void *)(mapped + 4), TEXT_HELLO,
                 sizeof(TEXT_HELLO)) == 0, "the mapped page does not hold "
          "the frontend's data");
    memcpy(&b.remote_port, (const void *)mapped, 4);
    rc = evtchn_op(EVTCHNOP_bind_interdomain, &b);
    if ( rc )
        panic("bind_interdomain to d%u port %u gave %ld", peer,
              b.remote_port, rc);
    evtchn_clear(b.local_port);   /* Xen raises a new interdomain port */
    memcpy((void *)(mapped + REPLY_OFF), TEXT_REPLY, sizeof(TEXT_REPLY));

    st = gnttab_map(peer, REF_RO, MAP_RO_GPFN, 0, &h_bad);
    check(st == GNTST_general_error, "writable map of the read-only grant: "
          "%d", st);
    st = gnttab_map(peer, REF_RO, MAP_RO_GPFN, GNTMAP_readonly, &h_ro);
    check(st == GNTST_okay && strcmp((const char *)mapped_ro, TEXT_RO) == 0,
          "read-only map: %d", st);
    test_sub_page();
    test_transitive();
    test_third_domain();
    if ( src )
        test_granter_down();
    test_grant_to_grant();
    test_fifo_on_grant();
    evtchn_notify(b.local_port);

    evtchn_wait(b.local_port, WAIT_NS, "the frontend's checks");
    check(gnttab_unmap(MAP_RO_GPFN, h_ro) == GNTST_okay, "read-only unmap");
    check(gnttab_unmap(MAP_RSV_GPFN, h_rsv) == GNTST_okay, "unmap of ref %u",
          REF_RSV);
    check(gnttab_unmap(MAP_GPFN, h) == GNTST_okay, "unmap");
    check(gnttab_unmap(MAP_GPFN, h) == GNTST_bad_handle, "second unmap");
    evtchn_notify(b.local_port);

    evtchn_wait(b.local_port, WAIT_NS, "the frontend's revoke");
    st = gnttab_map(peer, REF_RW, MAP_GPFN, 0, &h_bad);
    check(st == GNTST_general_error, "map of a revoked grant: %d", st);
    st = copy(true, REF_RW, 0, 0, 16);
    check(st == GNTST_general_error, "copy from a revoked grant: %d", st);
    evtchn_notify(b.local_port);
}
