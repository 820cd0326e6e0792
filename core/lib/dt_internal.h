/* SPDX-License-Identifier: MIT */
/*
 * What the dt_*.c files share: the token numbers, big-endian loads, the
 * block bounds taken from the header, and the one function that steps
 * over a token without reading past the structure block.
 */
#ifndef ORRERY_DT_INTERNAL_H
#define ORRERY_DT_INTERNAL_H

#include <orrery/dt.h>

/* Structure block tokens (Devicetree Specification v0.4 §5.4.1). */
#define DT_TOKEN_BEGIN_NODE 0x1
#define DT_TOKEN_END_NODE   0x2
#define DT_TOKEN_PROP       0x3
#define DT_TOKEN_NOP        0x4
#define DT_TOKEN_END        0x9

/* Header field offsets (spec §5.2). */
#define DT_HDR_MAGIC        0
#define DT_HDR_TOTALSIZE    4
#define DT_HDR_OFF_STRUCT   8
#define DT_HDR_OFF_STRINGS  12
#define DT_HDR_OFF_RSVMAP   16
#define DT_HDR_VERSION      20
#define DT_HDR_LAST_COMP    24
#define DT_HDR_BOOT_CPUID   28
#define DT_HDR_SIZE_STRINGS 32
#define DT_HDR_SIZE_STRUCT  36
#define DT_HDR_SIZE_V16     36
#define DT_HDR_SIZE_V17     40

static inline uint32_t dt_be32(const void *p)
{
    const uint8_t *b = p;

    return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) |
           ((uint32_t)b[2] << 8) | b[3];
}

static inline uint32_t dt_hdr(const void *blob, unsigned int field)
{
    return dt_be32((const uint8_t *)blob + field);
}

static inline uint32_t dt_align4(uint32_t x)
{
    return (x + 3) & ~3U;
}

/* The structure and strings blocks of a blob, from its header. */
struct dt_blocks {
    const uint8_t *st; /* structure block */
    uint32_t st_size;
    const char *str; /* strings block */
    uint32_t str_size;
};

void dt_get_blocks(const void *blob, struct dt_blocks *b);

/* Size of the structure block: the header says so from version 17 on;
 * in version 16 it runs to the next block or the end of the blob. */
uint32_t dt_struct_size(const void *blob);

/*
 * The token at structure offset @off; *@next gets the offset of the token
 * after it (after a node's name, after a property's value). -EINVAL if
 * @off is misaligned or outside the block, -EBADMSG if the token is
 * unknown or runs past the end of the block; *@why (if not NULL) then
 * says which.
 */
int dt_token(const struct dt_blocks *b, int off, int *next, const char **why);

/* The name of the property whose name offset is @nameoff, or NULL when
 * it lies outside the strings block or is not NUL-terminated in it. */
const char *dt_string(const struct dt_blocks *b, uint32_t nameoff);

#endif /* ORRERY_DT_INTERNAL_H */
