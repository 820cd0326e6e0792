/* SPDX-License-Identifier: MIT */
/*
 * grantv2's backend, the tests of one kind of grant each (xen-abi-facts
 * §2.3): sub-page windows, transitive grants (through the frontend back
 * to us, through it to a third domain, through itself), grant-to-grant
 * copies and gmfns that are not ours, a FIFO control block on a grant
 * mapping, and a granter that powers off while mapped.
 */
#include <orrery/lib.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/xen.h>

#include "guest.h"
#include "back.h"

/* A page another domain granted is no place for our FIFO control block
 * or event array: the hypervisor would write into the granter's page
 * (the FIFO pages must be our own RAM, Xen's map_guest_page). */
void test_fifo_on_grant(void)
{
    struct evtchn_init_control ic = { .control_gfn = MAP_GPFN };
    long rc;

    rc = evtchn_op(EVTCHNOP_init_control, &ic);
    check(rc == -EINVAL, "FIFO control block on a grant mapping gave %ld",
          rc);
    rc = evtchn_op(EVTCHNOP_expand_array,
                   &(struct evtchn_expand_array){ .array_gfn = MAP_GPFN });
    check(rc == -EOPNOTSUPP, "expand_array after the refused init_control "
          "gave %ld", rc);
}

void test_sub_page(void)
{
    grant_handle_t h;
    int16_t st;

    st = gnttab_map(peer, REF_SUB, MAP_BAD_GPFN, 0, &h);
    check(st == GNTST_general_error, "map of the sub-page grant: %d", st);
    memcpy(buf, TEXT_SUB, sizeof(TEXT_SUB));
    st = copy(false, REF_SUB, SUB_OFF, 0, sizeof(TEXT_SUB));
    check(st == GNTST_okay, "copy into the sub-page window: %d", st);
    st = copy(true, REF_SUB, SUB_OFF, 2048, sizeof(TEXT_SUB));
    check(st == GNTST_okay && strcmp((char *)buf + 2048, TEXT_SUB) == 0,
          "copy out of the sub-page window: %d", st);
    st = copy(true, REF_SUB, SUB_OFF, 0, SUB_LEN);
    check(st == GNTST_okay, "copy of the whole window: %d", st);

    /* Leaving the window, inside the page: Xen's bounds check. */
    st = copy(false, REF_SUB, SUB_OFF + SUB_LEN - 8, 0, 16);
    check(st == GNTST_general_error, "copy across the window's end: %d", st);
    st = copy(false, REF_SUB, SUB_OFF - 8, 0, 16);
    check(st == GNTST_general_error, "copy across the window's start: %d",
          st);
    st = copy(true, REF_SUB, SUB_OFF, 0, SUB_LEN + 1);
    check(st == GNTST_general_error, "copy of window + 1 byte: %d", st);
    /* Past the page: a bad copy argument whatever the grant. */
    st = copy(false, REF_SUB, 4000, 0, 200);
    check(st == GNTST_bad_copy_arg, "copy past the page end: %d", st);
}

void test_transitive(void)
{
    grant_handle_t h;
    int16_t st;

    memset(buf, 0, 64);
    st = copy(true, REF_TRANS, 0, 0, sizeof(TEXT_BACK));
    check(st == GNTST_okay && strcmp((char *)buf, TEXT_BACK) == 0,
          "copy through the transitive grant: %d", st);
    st = gnttab_map(peer, REF_TRANS, MAP_BAD_GPFN, GNTMAP_readonly, &h);
    check(st == GNTST_general_error, "map of a transitive grant: %d", st);
    st = copy(true, REF_SELF, 0, 0, 16);
    check(st == GNTST_general_error, "copy through a transitive grant "
          "naming its own granter: %d", st);
}

/*
 * Through the frontend to a third domain's grants: reading both works,
 * writing the read-only one is refused at its source, mapping is
 * refused, and the text the source waits for goes in through the
 * writable one. The source may not have granted yet: retry.
 */
void test_third_domain(void)
{
    uint64_t deadline = now_ns() + WAIT_NS;
    grant_handle_t h;
    int16_t st;

    if ( !src )
        return;
    memset(buf, 0, 64);
    while ( (st = copy(true, REF_T3, 0, 0, sizeof(TEXT_SRC))) )
    {
        if ( now_ns() > deadline )
            panic("copy through ref %u to d%u: status %d", REF_T3, src, st);
        hypercall2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
    }
    check(strcmp((char *)buf, TEXT_SRC) == 0, "ref %u did not reach d%u's "
          "page", REF_T3, src);
    st = copy(true, REF_T3RO, 0, 0, sizeof(TEXT_SRC_RO));
    check(st == GNTST_okay && strcmp((char *)buf, TEXT_SRC_RO) == 0,
          "copy through the read-only transitive grant: %d", st);
    st = copy(false, REF_T3RO, 0, 0, 8);
    check(st == GNTST_general_error, "copy into d%u's read-only grant "
          "through ref %u: %d", src, REF_T3RO, st);
    st = gnttab_map(peer, REF_T3, MAP_BAD_GPFN, GNTMAP_readonly, &h);
    check(st == GNTST_general_error, "map of transitive ref %u: %d", REF_T3,
          st);
    memcpy(buf + 128, TEXT_DONE, sizeof(TEXT_DONE));
    st = copy(false, REF_T3, DONE_OFF, 128, sizeof(TEXT_DONE));
    check(st == GNTST_okay, "copy into d%u's page through ref %u: %d", src,
          REF_T3, st);
}

/*
 * The source's own grant, mapped while the source powers off. A domain
 * that has shut down is not destroyed (nothing here destroys it, as in
 * Xen without a toolstack): its page stays readable through our
 * mapping, its grant can still be mapped, and both unmaps work and leave
 * a hole.
 */
void test_granter_down(void)
{
    volatile const char *mapped = (void *)(MAP_SRC_GPFN << 12);
    struct gnttab_map_grant_ref m = {
        .host_addr = MAP_SRC_GPFN << 12,
        .flags = GNTMAP_host_map | GNTMAP_readonly, .ref = SRC_BACK,
        .dom = src,
    };
    uint64_t deadline = now_ns() + WAIT_NS;
    grant_handle_t h;
    long rc;

    for ( ;; )
    {
        rc = gnttab_op(GNTTABOP_map_grant_ref, &m, 1);
        if ( rc == 0 && m.status == GNTST_okay )
            break;
        if ( now_ns() > deadline )
            panic("map of d%u's ref %u: rc %ld status %d", src, SRC_BACK, rc,
                  m.status);
        hypercall2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
    }
    h = m.handle;
    /* The source says goodbye as soon as it sees the map: either text. */
    check(strcmp((const char *)mapped, TEXT_SRC_BACK) == 0 ||
          strcmp((const char *)mapped, TEXT_BYE) == 0,
          "d%u's page for us is not what it wrote", src);

    /* Its last words, then it powers off. */
    while ( strcmp((const char *)mapped, TEXT_BYE) != 0 )
    {
        if ( now_ns() > deadline )
            panic("d%u did not say goodbye", src);
        hypercall2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
    }
    deadline = now_ns() + 50000000ULL;
    while ( now_ns() < deadline )
        hypercall2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
    check(strcmp((const char *)mapped, TEXT_BYE) == 0,
          "d%u's page changed under our mapping after it shut down", src);
    m.host_addr = MAP_BAD_GPFN << 12;
    rc = gnttab_op(GNTTABOP_map_grant_ref, &m, 1);
    check(rc == 0 && m.status == GNTST_okay, "map of a shut-down domain's "
          "grant: rc %ld status %d", rc, m.status);
    if ( rc == 0 && m.status == GNTST_okay )
        check(gnttab_unmap(MAP_BAD_GPFN, m.handle) == GNTST_okay, "its unmap");
    check(gnttab_unmap(MAP_SRC_GPFN, h) == GNTST_okay,
          "unmap after d%u shut down", src);
    check(*(volatile uint32_t *)mapped == 0xffffffffU, "the unmapped gfn "
          "reads %#x, not a hole's all-ones", *(volatile uint32_t *)mapped);
}

/* GNTCOPY_source_gref | GNTCOPY_dest_gref: grant to grant. */
void test_grant_to_grant(void)
{
    struct gnttab_copy c = {
        .source = { .u.ref = REF_RO, .domid = peer },
        .dest = { .u.ref = REF_DST, .domid = peer },
        .len = sizeof(TEXT_RO),
        .flags = GNTCOPY_source_gref | GNTCOPY_dest_gref,
    };
    long rc = gnttab_op(GNTTABOP_copy, &c, 1);

    check(rc == 0 && c.status == GNTST_okay, "grant-to-grant copy: rc %ld "
          "status %d", rc, c.status);
    /* A frame named by gmfn must be the caller's own: the frontend's
     * gfn with its domid is refused (GNTST_permission_denied). */
    c = (struct gnttab_copy){
        .source = { .u.gmfn = gfn_of(buf), .domid = peer },
        .dest = { .u.ref = REF_DST, .domid = peer },
        .len = 8, .flags = GNTCOPY_dest_gref,
    };
    rc = gnttab_op(GNTTABOP_copy, &c, 1);
    check(rc == 0 && c.status == GNTST_permission_denied,
          "copy from d%u's gmfn: rc %ld status %d", peer, rc, c.status);
    c = (struct gnttab_copy){
        .source = { .u.ref = REF_RO, .domid = peer },
        .dest = { .u.gmfn = gfn_of(buf), .domid = peer },
        .len = 8, .flags = GNTCOPY_source_gref,
    };
    rc = gnttab_op(GNTTABOP_copy, &c, 1);
    check(rc == 0 && c.status == GNTST_permission_denied,
          "copy to d%u's gmfn: rc %ld status %d", peer, rc, c.status);

    /* And the read-only grant cannot be a destination. */
    c = (struct gnttab_copy){
        .source = { .u.ref = REF_RO, .domid = peer },
        .dest = { .u.ref = REF_DST, .domid = peer },
        .len = sizeof(TEXT_RO),
        .flags = GNTCOPY_source_gref | GNTCOPY_dest_gref,
    };
    c.source.u.ref = REF_DST;
    c.dest.u.ref = REF_RO;
    rc = gnttab_op(GNTTABOP_copy, &c, 1);
    check(rc == 0 && c.status == GNTST_general_error,
          "copy into the read-only grant: rc %ld status %d", rc, c.status);
}

