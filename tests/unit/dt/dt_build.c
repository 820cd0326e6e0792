/* SPDX-License-Identifier: MIT */
/* The test DTB writer (see dt_build.h); layout per Devicetree Spec §5. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <CUnit/CUnit.h>
#include "dt_build.h"

uint32_t get_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
           ((uint32_t)p[2] << 8) | p[3];
}

void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

void b_init(struct dtb *d)
{
    memset(d, 0, sizeof(*d));
}

static void bytes(struct dtb *d, const void *p, size_t n)
{
    CU_ASSERT_FATAL(d->st_len + n + 4 <= sizeof(d->st));
    memcpy(d->st + d->st_len, p, n);
    d->st_len += n;
    while ( d->st_len & 3 )
        d->st[d->st_len++] = 0;
}

void b_u32(struct dtb *d, uint32_t v)
{
    uint8_t w[4];

    put_be32(w, v);
    bytes(d, w, 4);
}

void b_begin(struct dtb *d, const char *name)
{
    b_u32(d, 1);
    bytes(d, name, strlen(name) + 1);
}

void b_end(struct dtb *d)
{
    b_u32(d, 2);
}

void b_nop(struct dtb *d)
{
    b_u32(d, 4);
}

/* Offset of @name in the strings block, added if new. */
static uint32_t string_off(struct dtb *d, const char *name)
{
    size_t i, n = strlen(name) + 1;

    for ( i = 0; i + n <= d->str_len; i++ )
        if ( !memcmp(d->str + i, name, n) )
            return i;
    CU_ASSERT_FATAL(d->str_len + n <= sizeof(d->str));
    memcpy(d->str + d->str_len, name, n);
    d->str_len += n;
    return d->str_len - n;
}

void b_prop(struct dtb *d, const char *name, const void *val, size_t len)
{
    b_u32(d, 3);
    b_u32(d, len);
    b_u32(d, string_off(d, name));
    bytes(d, val, len);
}

void b_prop_u32(struct dtb *d, const char *name, uint32_t v)
{
    b_prop_cells(d, name, 1, v);
}

void b_prop_cells(struct dtb *d, const char *name, unsigned int n, ...)
{
    uint8_t buf[64] = { 0 };
    unsigned int i;
    va_list ap;

    CU_ASSERT_FATAL(n * 4 <= sizeof(buf));
    va_start(ap, n);
    for ( i = 0; i < n; i++ )
        put_be32(buf + 4 * i, va_arg(ap, uint32_t));
    va_end(ap);
    b_prop(d, name, buf, 4 * n);
}

void b_prop_str(struct dtb *d, const char *name, const char *s)
{
    b_prop(d, name, s, strlen(s) + 1);
}

void b_rsv(struct dtb *d, uint64_t addr, uint64_t size)
{
    CU_ASSERT_FATAL(d->nrsv < 8);
    d->rsv[d->nrsv][0] = addr;
    d->rsv[d->nrsv][1] = size;
    d->nrsv++;
}

uint8_t *b_finish(struct dtb *d, size_t *size, int no_end)
{
    size_t rsv_off = 40, st_off, str_off, total;
    unsigned int i;
    uint8_t *p;

    if ( !no_end )
        b_u32(d, 9);
    st_off = rsv_off + 16 * (d->nrsv + 1);
    str_off = st_off + d->st_len;
    total = str_off + d->str_len;
    p = calloc(1, total);
    CU_ASSERT_FATAL(p != NULL);

    put_be32(p + 0, 0xd00dfeed);
    put_be32(p + 4, total);
    put_be32(p + 8, st_off);
    put_be32(p + 12, str_off);
    put_be32(p + 16, rsv_off);
    put_be32(p + 20, 17); /* version */
    put_be32(p + 24, 16); /* last_comp_version */
    put_be32(p + 28, 0);  /* boot_cpuid_phys */
    put_be32(p + 32, d->str_len);
    put_be32(p + 36, d->st_len);
    for ( i = 0; i < d->nrsv; i++ )
    {
        put_be32(p + rsv_off + 16 * i, d->rsv[i][0] >> 32);
        put_be32(p + rsv_off + 16 * i + 4, d->rsv[i][0]);
        put_be32(p + rsv_off + 16 * i + 8, d->rsv[i][1] >> 32);
        put_be32(p + rsv_off + 16 * i + 12, d->rsv[i][1]);
    }
    memcpy(p + st_off, d->st, d->st_len);
    memcpy(p + str_off, d->str, d->str_len);
    *size = total;
    return p;
}
