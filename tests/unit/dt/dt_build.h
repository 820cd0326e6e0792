/* SPDX-License-Identifier: MIT */
/*
 * A tiny DTB writer for the tests: hand-built trees for the edge cases
 * QEMU never produces, and broken ones, token by token. Layout of the
 * result: header, reservation block, structure block, strings block, in
 * one malloc'd buffer of exactly totalsize bytes (so that ASan catches a
 * read past the end).
 */
#ifndef DT_BUILD_H
#define DT_BUILD_H

#include <stddef.h>
#include <stdint.h>

struct dtb {
    uint8_t st[16384];
    size_t st_len;
    char str[4096];
    size_t str_len;
    uint64_t rsv[8][2];
    unsigned int nrsv;
};

void b_init(struct dtb *d);
void b_u32(struct dtb *d, uint32_t v); /* a raw token or word */
void b_begin(struct dtb *d, const char *name);
void b_end(struct dtb *d);
void b_nop(struct dtb *d);
void b_prop(struct dtb *d, const char *name, const void *val, size_t len);
void b_prop_u32(struct dtb *d, const char *name, uint32_t v);
void b_prop_cells(struct dtb *d, const char *name, unsigned int n, ...);
void b_prop_str(struct dtb *d, const char *name, const char *s);
void b_rsv(struct dtb *d, uint64_t addr, uint64_t size);
/* Ends the structure block with FDT_END (unless @no_end) and lays the
 * blob out; *@size gets totalsize. free() the result. */
uint8_t *b_finish(struct dtb *d, size_t *size, int no_end);

/* Big-endian field access for patching headers in the tests. */
uint32_t get_be32(const uint8_t *p);
void put_be32(uint8_t *p, uint32_t v);

#endif /* DT_BUILD_H */
