/* SPDX-License-Identifier: MIT */
/*
 * grantv2, the third domain: grants the frontend one page writable
 * (SRC_RW) and one read-only (SRC_RO) from a v1 table. The frontend
 * passes them on to the backend as transitive grants (xen-abi-facts
 * §2.3); the source waits until the backend's text arrives in its
 * writable page through both grants, and checks that its read-only page
 * is untouched and that neither grant is left in use. With `back=N` it
 * also grants the backend a page directly, and powers off once that is
 * mapped.
 */
#include <orrery/lib.h>
#include <public/sched.h>
#include <public/xen.h>

#include "guest.h"
#include "gv2.h"

static uint8_t page_rw[4096] __attribute__((aligned(4096)));
static uint8_t page_ro[4096] __attribute__((aligned(4096)));
static uint8_t page_back[4096] __attribute__((aligned(4096)));

void source(void)
{
    volatile struct grant_entry_v1 *gt = (void *)(GNTTAB_GPFN << 12);
    uint64_t deadline = now_ns() + WAIT_NS;
    long rc = gnttab_map_table_frame(0, GNTTAB_GPFN);

    if ( rc )
        panic("add_to_physmap(grant_table) gave %ld", rc);
    memcpy(page_rw, TEXT_SRC, sizeof(TEXT_SRC));
    memcpy(page_ro, TEXT_SRC_RO, sizeof(TEXT_SRC_RO));
    gnttab_grant_v1(gt, SRC_RW, peer, page_rw, 0);
    gnttab_grant_v1(gt, SRC_RO, peer, page_ro, GTF_readonly);
    if ( backid )
    {
        memcpy(page_back, TEXT_SRC_BACK, sizeof(TEXT_SRC_BACK));
        gnttab_grant_v1(gt, SRC_BACK, backid, page_back, GTF_readonly);
    }
    printf("d%u granted refs %u and %u to d%u\n", self, SRC_RW, SRC_RO,
           peer);

    while ( strcmp((const char *)page_rw + DONE_OFF, TEXT_DONE) != 0 )
    {
        if ( now_ns() > deadline )
            panic("nothing came through the transitive grant");
        hypercall2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
    }
    check(strcmp((const char *)page_rw, TEXT_SRC) == 0 &&
          strcmp((const char *)page_ro, TEXT_SRC_RO) == 0,
          "the source's pages were changed elsewhere");
    /* Copies hold the grants only while they run. */
    check(!(gt[SRC_RW].flags & (GTF_reading | GTF_writing)) &&
          !(gt[SRC_RO].flags & (GTF_reading | GTF_writing)),
          "source flags after the copies: %#x %#x", gt[SRC_RW].flags,
          gt[SRC_RO].flags);
    gt[SRC_RW].flags = 0;
    gt[SRC_RO].flags = 0;

    /* Power off with SRC_BACK mapped by the backend, saying so in the
     * page first (the backend checks its mapping afterwards). */
    while ( backid && !(gt[SRC_BACK].flags & GTF_reading) )
    {
        if ( now_ns() > deadline )
            panic("the backend did not map ref %u", SRC_BACK);
        hypercall2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
    }
    memcpy(page_back, TEXT_BYE, sizeof(TEXT_BYE));
}
