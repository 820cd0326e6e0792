/* SPDX-License-Identifier: MIT */
/*
 * grantv2, the frontend: a v2 grant table (xen-abi-facts §2.3).
 *
 * A reserved entry granted under v1 and mapped across the switch to v2
 * (the table-level steps are in front_table.c), the grants the backend
 * uses, the in-use bits in the status frame, swap_grant_ref, -EBUSY for
 * a version switch while grants are in use, and the switch back to v1
 * once everything is revoked (-ERANGE first for reserved entries v1
 * cannot hold).
 */
#include <orrery/lib.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/xen.h>

#include "guest.h"
#include "front.h"

static uint8_t page_a[4096] __attribute__((aligned(4096)));
static uint8_t page_b[4096] __attribute__((aligned(4096)));
static uint8_t page_c[4096] __attribute__((aligned(4096)));
static uint8_t page_d[4096] __attribute__((aligned(4096)));
static uint8_t page_e[4096] __attribute__((aligned(4096)));

volatile union grant_entry_v2 *const gt = (void *)(GNTTAB_GPFN << 12);
volatile grant_status_t *const status = (void *)(STATUS_GPFN << 12);

/*
 * While v1: grant REF_RSV and wait for the backend to map it (GTF_reading
 * and GTF_writing in the v1 entry). The switch to v2 is then allowed
 * (only a reserved entry is in use) and moves the entry over: frame and
 * domid kept, the in-use bits in the status frame, not in the flags.
 */
static void reserved_across_switch(void)
{
    volatile struct grant_entry_v1 *gt1 = (void *)(GNTTAB_GPFN << 12);
    uint64_t deadline = now_ns() + WAIT_NS;
    long rc;

    check(get_version() == 1, "a new table is not v1");
    rc = gnttab_map_table_frame(0, GNTTAB_GPFN);
    if ( rc )
        panic("add_to_physmap(grant_table 0) gave %ld", rc);
    memcpy(page_e, TEXT_RSV, sizeof(TEXT_RSV));
    gnttab_grant_v1(gt1, REF_RSV, peer, page_e, 0);
    while ( (gt1[REF_RSV].flags & (GTF_reading | GTF_writing)) !=
            (GTF_reading | GTF_writing) )
    {
        if ( now_ns() > deadline )
            panic("the backend did not map ref %u (flags %#x)", REF_RSV,
                  gt1[REF_RSV].flags);
        hypercall2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
    }

    switch_to_v2();
    check(gt[REF_RSV].hdr.flags == GTF_permit_access &&
          gt[REF_RSV].hdr.domid == peer &&
          gt[REF_RSV].full_page.frame == gfn_of(page_e),
          "reserved ref %u after the switch: flags %#x domid %u frame %#llx",
          REF_RSV, gt[REF_RSV].hdr.flags, gt[REF_RSV].hdr.domid,
          (unsigned long long)gt[REF_RSV].full_page.frame);
    check(status[REF_RSV] == (GTF_reading | GTF_writing),
          "reserved ref %u mapped across the switch: status %#x", REF_RSV,
          status[REF_RSV]);
}

static void grant_full(grant_ref_t ref, const void *page, uint16_t extra)
{
    gt[ref].hdr.domid = peer;
    gt[ref].full_page.frame = gfn_of(page);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* entry before flags */
    gt[ref].hdr.flags = GTF_permit_access | extra;
}

/* The body of a transitive grant to the peer of @trans_domid's @gref;
 * its flags are set later, with the others'. */
static void transitive(grant_ref_t ref, domid_t trans_domid, grant_ref_t gref)
{
    gt[ref].hdr.domid = peer;
    gt[ref].transitive.trans_domid = trans_domid;
    gt[ref].transitive.gref = gref;
}

static void grant_everything(evtchn_port_t port)
{
    memcpy(page_a, &port, 4);
    memcpy(page_a + 4, TEXT_HELLO, sizeof(TEXT_HELLO));
    memcpy(page_b, TEXT_RO, sizeof(TEXT_RO));
    memset(page_c, 0xaa, sizeof(page_c));

    gt[REF_SUB].hdr.domid = peer;
    gt[REF_SUB].sub_page.page_off = SUB_OFF;
    gt[REF_SUB].sub_page.length = SUB_LEN;
    gt[REF_SUB].sub_page.frame = gfn_of(page_c);
    transitive(REF_TRANS, peer, REF_BACK);
    transitive(REF_SELF, self, REF_RW);
    if ( src )
    {
        transitive(REF_T3, src, SRC_RW);
        transitive(REF_T3RO, src, SRC_RO);
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if ( src )
    {
        gt[REF_T3].hdr.flags = GTF_transitive;
        gt[REF_T3RO].hdr.flags = GTF_transitive;
    }
    gt[REF_SUB].hdr.flags = GTF_permit_access | GTF_sub_page;
    gt[REF_TRANS].hdr.flags = GTF_transitive;
    gt[REF_SELF].hdr.flags = GTF_transitive;
    grant_full(REF_RO, page_b, GTF_readonly);
    grant_full(REF_DST, page_d, 0);
    grant_full(REF_RW, page_a, 0);      /* last: the backend waits for it */
}

static int16_t swap(grant_ref_t a, grant_ref_t b)
{
    struct gnttab_swap_grant_ref op = { .ref_a = a, .ref_b = b };
    long rc = gnttab_op(GNTTABOP_swap_grant_ref, &op, 1);

    return rc ? GNTST_general_error : op.status;
}

/*
 * swap_grant_ref in v2 exchanges entries and status words, refuses an
 * entry in use (GNTST_eagain, as Xen) and refs past the table.
 */
static void test_swap(void)
{
    const grant_ref_t a = REF_DST + 1, b = REF_DST + 2;
    int16_t st;

    gt[a].hdr.domid = peer;
    gt[a].full_page.frame = gfn_of(page_a);
    gt[b].hdr.domid = peer;
    gt[b].full_page.frame = gfn_of(page_b);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    gt[a].hdr.flags = GTF_permit_access;
    gt[b].hdr.flags = GTF_permit_access | GTF_readonly;
    st = swap(a, b);
    check(st == GNTST_okay && gt[a].full_page.frame == gfn_of(page_b) &&
          gt[a].hdr.flags == (GTF_permit_access | GTF_readonly) &&
          gt[b].full_page.frame == gfn_of(page_a),
          "swap of two idle entries: %d", st);
    st = swap(a, REF_RW);
    check(st == GNTST_eagain && status[REF_RW] == (GTF_reading | GTF_writing),
          "swap with an entry mapped by the backend: %d", st);
    st = swap(REF_RW, REF_RW);
    check(st == GNTST_okay, "swap of an entry with itself: %d", st);
    st = swap(a, 64 * GNTTAB_V2_PER_FRAME);
    check(st == GNTST_bad_gntref, "swap with a ref past the table: %d", st);
    gt[a].hdr.flags = 0;
    gt[b].hdr.flags = 0;
}

/* The backend has mapped REF_RW writable and REF_RO read-only, and
 * copied into the sub-page window and into page D. */
static void check_in_use(void)
{
    uint8_t want[4096];
    uint32_t v;
    long rc;

    check(strcmp((char *)page_a + REPLY_OFF, TEXT_REPLY) == 0,
          "no reply in the granted page");
    check(status[REF_RW] == (GTF_reading | GTF_writing),
          "status of ref %u mapped writable: %#x", REF_RW, status[REF_RW]);
    check(status[REF_RO] == GTF_reading,
          "status of ref %u mapped read-only: %#x", REF_RO, status[REF_RO]);
    /* v2: the entry's flags are the guest's alone. */
    check(gt[REF_RW].hdr.flags == GTF_permit_access,
          "entry %u flags %#x while mapped", REF_RW, gt[REF_RW].hdr.flags);
    check(gt[REF_RO].hdr.flags == (GTF_permit_access | GTF_readonly),
          "entry %u flags %#x while mapped", REF_RO, gt[REF_RO].hdr.flags);
    /* Copies hold a grant only while they run. */
    check(status[REF_SUB] == 0 && status[REF_DST] == 0 &&
          status[REF_TRANS] == 0, "status after copies: %#x %#x %#x",
          status[REF_SUB], status[REF_DST], status[REF_TRANS]);

    memset(want, 0xaa, sizeof(want));
    memcpy(want + SUB_OFF, TEXT_SUB, sizeof(TEXT_SUB));
    check(memcmp(page_c, want, sizeof(want)) == 0,
          "page C: the sub-page copies wrote outside their window");
    check(strcmp((char *)page_d, TEXT_RO) == 0,
          "page D does not hold the grant-to-grant copy");
    check(strcmp((char *)page_e, TEXT_RSV_BACK) == 0,
          "page E does not hold what the backend wrote through its map");
    check(status[REF_RSV] == (GTF_reading | GTF_writing),
          "status of reserved ref %u: %#x", REF_RSV, status[REF_RSV]);

    rc = set_version(1, &v);
    check(rc == -EBUSY && v == 2, "set_version(1) with grants mapped gave "
          "%ld, version %u", rc, v);
    check(get_version() == 2, "version after the refused switch: %u",
          get_version());
    test_swap();
}

void frontend(void)
{
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = peer };
    uint32_t v;
    long rc;

    reserved_across_switch();
    table_subops();
    if ( evtchn_op(EVTCHNOP_alloc_unbound, &a) )
        panic("alloc_unbound for d%u", peer);
    grant_everything(a.port);
    printf("d%u granted refs %u-%u (v2) to d%u, port %u\n", self, REF_RW,
           REF_DST, peer, a.port);

    evtchn_wait(a.port, WAIT_NS, "the backend's maps and copies");
    check_in_use();
    evtchn_notify(a.port);

    evtchn_wait(a.port, WAIT_NS, "the backend's unmap");
    check(status[REF_RW] == 0 && status[REF_RO] == 0 &&
          status[REF_RSV] == 0, "status after the unmap: %#x %#x %#x",
          status[REF_RW], status[REF_RO], status[REF_RSV]);
    gt[REF_RW].hdr.flags = 0;           /* revoke: nothing uses it */
    evtchn_notify(a.port);

    evtchn_wait(a.port, WAIT_NS, "the backend's tries of the revoked grant");
    for ( grant_ref_t r = REF_RW; r <= REF_T3RO; r++ )
        gt[r].hdr.flags = 0;
    /* v1 cannot hold a reserved v2 entry naming a frame above 2^32, or
     * a transitive one: -ERANGE, as Xen, and the table stays v2. */
    gt[3].hdr.domid = peer;
    gt[3].full_page.frame = 1ULL << 33;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    gt[3].hdr.flags = GTF_permit_access;
    rc = set_version(1, &v);
    check(rc == -ERANGE && v == 2, "set_version(1) with reserved frame "
          "2^33 gave %ld, version %u", rc, v);
    gt[3].transitive.trans_domid = peer;
    gt[3].transitive.gref = REF_RW;
    gt[3].hdr.flags = GTF_transitive;
    rc = set_version(1, &v);
    check(rc == -ERANGE && v == 2, "set_version(1) with a reserved "
          "transitive entry gave %ld, version %u", rc, v);
    gt[3].hdr.flags = 0;
    rc = set_version(1, &v);
    check(rc == 0 && v == 1, "set_version(1) with nothing in use gave %ld, "
          "version %u", rc, v);
    check(get_version() == 1, "version after going back: %u",
          get_version());
    /* The reserved entry is a v1 entry again, in-use bits clear. */
    {
        volatile struct grant_entry_v1 *gt1 = (void *)(GNTTAB_GPFN << 12);

        check(gt1[REF_RSV].flags == GTF_permit_access &&
              gt1[REF_RSV].domid == peer &&
              gt1[REF_RSV].frame == gfn_of(page_e),
              "reserved ref %u back in v1: flags %#x domid %u frame %#x",
              REF_RSV, gt1[REF_RSV].flags, gt1[REF_RSV].domid,
              gt1[REF_RSV].frame);
        check(gt1[REF_RW].flags == 0 && gt1[REF_RW].frame == 0,
              "entry %u not cleared by the switch", REF_RW);
        gt1[REF_RSV].flags = 0;
    }
    rc = gnttab_map_table_frame(XENMAPIDX_grant_table_status | 0, STATUS_GPFN);
    check(rc == -EINVAL, "a v1 table's status frame gave %ld", rc);
}
