/* SPDX-License-Identifier: MIT */
/*
 * grantv2's backend (back.c, back_tests.c): where it maps grants, and its
 * map/unmap/copy helpers for the frontend's grants.
 */
#ifndef BACK_H
#define BACK_H

#include "gv2.h"

#define MAP_GPFN     0xd00UL    /* ballooned out, then grant mappings */
#define MAP_RO_GPFN  0xd01UL
#define MAP_BAD_GPFN 0xd02UL
#define MAP_RSV_GPFN 0xd03UL
#define MAP_SRC_GPFN 0xd04UL

/* A page of ours that copies go to and come from. */
extern uint8_t buf[4096];

/* A copy between @peer's grant @ref (offset @goff) and buf (@boff). */
int16_t copy(bool from_grant, grant_ref_t ref, uint16_t goff, uint16_t boff,
             uint16_t len);

/* The tests (back_tests.c). */
void test_fifo_on_grant(void);
void test_sub_page(void);
void test_transitive(void);
void test_third_domain(void);
void test_granter_down(void);
void test_grant_to_grant(void);

#endif /* BACK_H */
