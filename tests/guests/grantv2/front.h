/* SPDX-License-Identifier: MIT */
/*
 * grantv2's frontend (front.c, front_table.c): its v2 table as the guest
 * sees it, and the table-level steps.
 */
#ifndef FRONT_H
#define FRONT_H

#include "gv2.h"

/* Our shared frame 0 (v2 entries) and status frame 0, once mapped. */
extern volatile union grant_entry_v2 *const gt;
extern volatile grant_status_t *const status;

/* set_version: the errno, and the version it reports in *@out. */
long set_version(uint32_t version, uint32_t *out);
uint32_t get_version(void);
/* Bad version calls, then v2, the status frame and its bad indexes. */
void switch_to_v2(void);
/* query_size, setup_table and the subops a PVH guest may not use. */
void table_subops(void);

#endif /* FRONT_H */
