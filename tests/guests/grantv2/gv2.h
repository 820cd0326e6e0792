/* SPDX-License-Identifier: MIT */
/*
 * The grantv2 test kernel (xen-abi-facts §2.3): one kernel booted three
 * times, `role=front peer=<back> src=<source>` (the granter, v2 table),
 * `role=back peer=<front>` (the user of the grants, v1 table) and
 * `role=source peer=<front>` (a third domain granting to the front). This header is what
 * the two roles agree on: the refs, what each grants, and the steps
 * they signal each other through one interdomain event channel.
 */
#ifndef GV2_H
#define GV2_H

#include <orrery/errno.h>
#include <orrery/types.h>
#include <public/event_channel.h>
#include <public/grant_table.h>

#include "gnttab.h"

/* How long a role waits for another: generous, since the runner's machine
 * may be busy; only a failure ever waits this long. */
#define WAIT_NS      30000000000ULL

#define GNTTAB_GPFN  0xe00UL    /* shared frame 0 of our own table */
#define STATUS_GPFN  0xe10UL    /* status frame 0 (front, v2) */

/* A reserved ref (< GNTTAB_NR_RESERVED_ENTRIES) the frontend grants
 * while still v1 and the backend keeps mapped across the switch to v2:
 * only reserved entries may be in use then, and they carry over with
 * their in-use bits moved into the status frame (Xen). */
#define REF_RSV      2

/* The frontend's v2 grants to the backend. */
#define REF_RW       8          /* full_page, writable: page A */
#define REF_RO       9          /* full_page, read-only: page B */
#define REF_SUB      10         /* sub_page, writable: page C [256, 768) */
#define REF_TRANS    11         /* transitive: the backend's REF_BACK */
#define REF_SELF     12         /* transitive through the front itself */
#define REF_DST      13         /* full_page, writable: page D */
/* Transitive through a third domain (`src=<domid>` on the frontend's
 * command line): the source's v1 grants SRC_RW and SRC_RO to the front,
 * passed on to the back as REF_T3 and REF_T3RO (14 and 15 are the swap
 * test's). */
#define REF_T3       16
#define REF_T3RO     17
#define SRC_RW       8
#define SRC_RO       9
#define DONE_OFF     64         /* in the source's page: the back's text */
/* And the source's own v1 grant to the backend (`back=<domid>` on the
 * source's command line), mapped while the source powers off. */
#define SRC_BACK     10

#define SUB_OFF      256
#define SUB_LEN      512

/* The backend's v1 grant to the frontend, reached back through
 * REF_TRANS (Xen allows the transitive source to be the grantee). */
#define REF_BACK     8

#define REPLY_OFF    64         /* in page A: the backend's reply */

/* Texts the backend finds and leaves. */
#define TEXT_HELLO   "front says hello"
#define TEXT_RO      "read-only data"
#define TEXT_REPLY   "back was here"
#define TEXT_BACK    "the back's own page"
#define TEXT_SUB     "inside the sub-page window"
#define TEXT_RSV     "reserved, granted under v1"
#define TEXT_SRC     "the third domain's page"
#define TEXT_SRC_RO  "the third domain's read-only page"
#define TEXT_DONE    "written through two grants"
#define TEXT_SRC_BACK "the source's page for the backend"
#define TEXT_BYE     "the source powers off"
#define TEXT_RSV_BACK "mapped across the switch"

extern domid_t peer, self, src, backid;


void frontend(void);
void backend(void);
void source(void);

#endif /* GV2_H */
