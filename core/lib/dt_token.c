/* SPDX-License-Identifier: MIT */
/*
 * Stepping over structure-block tokens with every read bounded by the
 * block, plus the header accessors and error strings that every dt_*.c
 * file uses.
 */
#include <orrery/errno.h>
#include <orrery/lib.h>
#include "dt_internal.h"

uint32_t dt_totalsize(const void *blob)
{
    return dt_hdr(blob, DT_HDR_TOTALSIZE);
}

uint32_t dt_boot_cpuid(const void *blob)
{
    return dt_hdr(blob, DT_HDR_BOOT_CPUID);
}

uint32_t dt_struct_size(const void *blob)
{
    uint32_t off = dt_hdr(blob, DT_HDR_OFF_STRUCT);
    uint32_t end = dt_totalsize(blob);
    uint32_t other;

    if ( dt_hdr(blob, DT_HDR_VERSION) >= 17 )
        return dt_hdr(blob, DT_HDR_SIZE_STRUCT);

    /* Version 16 does not record the size: the block ends where the
     * next one starts, or at the end of the blob. */
    other = dt_hdr(blob, DT_HDR_OFF_STRINGS);
    if ( other > off && other < end )
        end = other;
    other = dt_hdr(blob, DT_HDR_OFF_RSVMAP);
    if ( other > off && other < end )
        end = other;
    return off < end ? end - off : 0;
}

void dt_get_blocks(const void *blob, struct dt_blocks *b)
{
    const uint8_t *base = blob;

    b->st = base + dt_hdr(blob, DT_HDR_OFF_STRUCT);
    b->st_size = dt_struct_size(blob);
    b->str = (const char *)base + dt_hdr(blob, DT_HDR_OFF_STRINGS);
    b->str_size = dt_hdr(blob, DT_HDR_SIZE_STRINGS);
}

static int fail(const char **why, const char *reason, int err)
{
    if ( why )
        *why = reason;
    return err;
}

int dt_token(const struct dt_blocks *b, int off, int *next, const char **why)
{
    uint32_t o = off, tag, len, room;
    size_t name_len;

    if ( off < 0 || (o & 3) || o > b->st_size || b->st_size - o < 4 )
        return fail(why, "token outside the structure block", -EINVAL);

    tag = dt_be32(b->st + o);
    room = b->st_size - o - 4; /* bytes after the token */
    switch ( tag )
    {
    case DT_TOKEN_BEGIN_NODE:
        /* The name is NUL-terminated, then padded to 4 bytes (§5.4.1). */
        name_len = strnlen((const char *)b->st + o + 4, room);
        if ( name_len == room )
            return fail(why,
                        "node name not NUL-terminated in the "
                        "structure block",
                        -EBADMSG);
        *next = dt_align4(o + 4 + name_len + 1);
        break;

    case DT_TOKEN_PROP:
        /* struct { be32 len; be32 nameoff; } then len bytes (§5.4.1). */
        if ( room < 8 )
            return fail(why,
                        "property header runs past the structure "
                        "block",
                        -EBADMSG);
        len = dt_be32(b->st + o + 4);
        if ( len > room - 8 )
            return fail(why,
                        "property value runs past the structure "
                        "block",
                        -EBADMSG);
        *next = dt_align4(o + 12 + len);
        break;

    case DT_TOKEN_END_NODE:
    case DT_TOKEN_NOP:
    case DT_TOKEN_END:
        *next = o + 4;
        break;

    default:
        return fail(why, "unknown token in the structure block", -EBADMSG);
    }
    return tag;
}

const char *dt_string(const struct dt_blocks *b, uint32_t nameoff)
{
    size_t room;

    if ( nameoff >= b->str_size )
        return NULL;
    room = b->str_size - nameoff;
    if ( strnlen(b->str + nameoff, room) == room )
        return NULL;
    return b->str + nameoff;
}

const char *dt_strerror(int err)
{
    switch ( err )
    {
    case 0:
        return "success";
    case -ENOENT:
        return "no such node, property or entry";
    case -EINVAL:
        return "not a node or property offset, or bad argument";
    case -EBADMSG:
        return "malformed device tree or property";
    case -EOVERFLOW:
        return "value does not fit in 64 bits";
    case -EOPNOTSUPP:
        return "layout not supported by this reader";
    case -ENOSPC:
        return "memory map full";
    default:
        return "unknown device tree error";
    }
}
