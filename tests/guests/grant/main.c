/* SPDX-License-Identifier: MIT */
/*
 * grant: grant tables v1 between two guests (reference §2.3), the same
 * kernel booted twice with `role=front peer=<backend's domid>` and
 * `role=back peer=<frontend's domid>` on its command line.
 *
 * The frontend maps its grant table with add_to_physmap, grants page A
 * writable (ref 8) and page B read-only (ref 9), and leaves in page A the
 * unbound port it allocated for the backend. The backend balloons out a
 * frame (decrease_reservation), maps ref 8 there, reads the port, binds
 * it, writes a reply into page A and notifies. The frontend sees the
 * reply and the GTF_reading|GTF_writing bits Xen sets while the page is
 * mapped, and notifies back; the backend tries the read-only grant every
 * way (copy from it works, copy into it and a writable map are refused
 * with Xen's GNTST_general_error,
 * a read-only map works), bad refs and domains, then unmaps everything
 * and notifies; the frontend sees the in-use bits gone and revokes.
 */
#include <orrery/lib.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/xen.h>

#include "gnttab.h"
#include "guest.h"

const char test_title[] = "grant: v1 map, copy and revoke between two guests";

#define GNTTAB_GPFN   0xe00         /* frame 0 of our grant table */
#define MAP_GPFN      0xd00         /* ballooned out, then a grant mapping */
#define MAP_RO_GPFN   0xd01
#define REF_RW        8
#define REF_RO        9
#define REPLY_OFF     64
#define WAIT_NS       5000000000ULL  /* for each of the peer's steps */

static uint8_t page_a[4096] __attribute__((aligned(4096)));
static uint8_t page_b[4096] __attribute__((aligned(4096)));
static domid_t peer;

static void frontend(void)
{
    volatile struct grant_entry_v1 *gt = (void *)(GNTTAB_GPFN << 12);
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = peer };
    long rc;

    rc = gnttab_map_table_frame(0, GNTTAB_GPFN);
    if ( rc )
        panic("add_to_physmap(grant_table) gave %ld", rc);
    if ( evtchn_op(EVTCHNOP_alloc_unbound, &a) )
        panic("alloc_unbound for d%u", peer);

    memcpy(page_b, "read-only data", 15);
    memcpy(page_a + 4, "front says hello", 17);
    memcpy(page_a, &a.port, 4);
    gnttab_grant_v1(gt, REF_RO, peer, page_b, GTF_readonly);
    gnttab_grant_v1(gt, REF_RW, peer, page_a, 0);
    printf("granted refs %u and %u to d%u, port %u\n", REF_RW, REF_RO, peer,
           a.port);

    evtchn_wait(a.port, WAIT_NS, "the backend's reply");
    check(strcmp((char *)page_a + REPLY_OFF, "back was here") == 0,
          "no reply in the granted page");
    check((gt[REF_RW].flags & (GTF_reading | GTF_writing)) ==
          (GTF_reading | GTF_writing),
          "ref %u flags %#x while mapped writable", REF_RW, gt[REF_RW].flags);
    evtchn_notify(a.port);

    evtchn_wait(a.port, WAIT_NS, "the backend's unmap");
    check(!(gt[REF_RW].flags & (GTF_reading | GTF_writing)),
          "ref %u flags %#x after the unmap", REF_RW, gt[REF_RW].flags);
    check(!(gt[REF_RO].flags & (GTF_reading | GTF_writing)),
          "ref %u flags %#x after the unmap", REF_RO, gt[REF_RO].flags);
    gt[REF_RW].flags = 0;           /* revoke: nothing uses it any more */
    gt[REF_RO].flags = 0;
}

static int16_t copy(struct gnttab_copy_ptr src, struct gnttab_copy_ptr dst,
                    uint16_t len, uint16_t flags)
{
    struct gnttab_copy c = { .source = src, .dest = dst, .len = len,
                             .flags = flags };

    return gnttab_op(GNTTABOP_copy, &c, 1) ? GNTST_general_error : c.status;
}

static void backend(void)
{
    const xen_pfn_t out[2] = { MAP_GPFN, MAP_RO_GPFN };
    struct evtchn_bind_interdomain b = { .remote_dom = peer };
    volatile uint8_t *mapped = (void *)(MAP_GPFN << 12);
    grant_handle_t h = 0, h_ro = 0, h_bad = 0;
    static char buf[32];
    int16_t st;
    long rc;

    /* Give two frames back, to map grants where they were. */
    rc = decrease_reservation(out, 2);
    check(rc == 2, "decrease_reservation gave %ld", rc);

    /* The frontend may not have granted yet: retry for a while. */
    h = gnttab_map_when_granted(peer, REF_RW, MAP_GPFN, WAIT_NS);
    check(memcmp((const void *)(mapped + 4), "front says hello", 17) == 0,
          "the mapped page does not hold the frontend's data");
    memcpy(&b.remote_port, (const void *)mapped, 4);
    rc = evtchn_op(EVTCHNOP_bind_interdomain, &b);
    if ( rc )
        panic("bind_interdomain to d%u port %u gave %ld", peer,
              b.remote_port, rc);
    /* Xen sets a new interdomain port pending (a notification sent to
     * the unbound end may have been lost); nothing was, so clear it. */
    check(evtchn_is_pending(b.local_port), "bind_interdomain left no event");
    evtchn_clear(b.local_port);
    memcpy((void *)(mapped + REPLY_OFF), "back was here", 14);
    evtchn_notify(b.local_port);
    evtchn_wait(b.local_port, WAIT_NS, "the frontend's go-ahead");

    /* The read-only grant, every way. */
    st = copy((struct gnttab_copy_ptr){ .u.ref = REF_RO, .domid = peer },
              (struct gnttab_copy_ptr){ .u.gmfn = gfn_of(buf),
                                        .domid = DOMID_SELF,
                                        .offset = (uintptr_t)buf & 4095 },
              15, GNTCOPY_source_gref);
    check(st == GNTST_okay && strcmp(buf, "read-only data") == 0,
          "copy from the read-only grant: status %d", st);
    st = copy((struct gnttab_copy_ptr){ .u.gmfn = gfn_of(buf),
                                        .domid = DOMID_SELF,
                                        .offset = (uintptr_t)buf & 4095 },
              (struct gnttab_copy_ptr){ .u.ref = REF_RO, .domid = peer },
              8, GNTCOPY_dest_gref);
    /* Xen refuses to pin a read-only grant for writing with
     * GNTST_general_error, for copies and maps alike. */
    check(st == GNTST_general_error,
          "copy into the read-only grant: status %d", st);
    st = gnttab_map(peer, REF_RO, MAP_RO_GPFN, 0, &h_bad);
    check(st == GNTST_general_error,
          "writable map of the read-only grant: status %d", st);
    st = gnttab_map(peer, REF_RO, MAP_RO_GPFN, GNTMAP_readonly, &h_ro);
    check(st == GNTST_okay, "read-only map: status %d", st);

    /* Refs and domains that are not there. */
    st = gnttab_map(peer, 100000, MAP_RO_GPFN, GNTMAP_readonly, &h_bad);
    check(st == GNTST_bad_gntref, "map of ref 100000: status %d", st);
    peer ^= 0x4000;
    st = gnttab_map(peer, REF_RW, MAP_RO_GPFN, 0, &h_bad);
    check(st == GNTST_bad_domain, "map from a missing domain: status %d", st);
    peer ^= 0x4000;

    check(gnttab_unmap(MAP_RO_GPFN, h_ro) == GNTST_okay, "read-only unmap");
    check(gnttab_unmap(MAP_GPFN, h) == GNTST_okay, "unmap");
    check(gnttab_unmap(MAP_GPFN, h) == GNTST_bad_handle, "second unmap");
    evtchn_notify(b.local_port);
}

void test_main(const struct hvm_start_info *si)
{
    const char *cmdline = (const char *)(uintptr_t)si->cmdline_paddr;
    unsigned long p;

    if ( !cmdline || !cmdline_number(cmdline, "peer=", &p) )
        panic("needs role=front|back peer=DOMID on its command line");
    peer = (domid_t)p;
    if ( cmdline_find(cmdline, "role=front") )
        frontend();
    else if ( cmdline_find(cmdline, "role=back") )
        backend();
    else
        panic("role= must be front or back");
}
