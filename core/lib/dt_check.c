/* SPDX-License-Identifier: MIT */
/*
 * dt_check(): everything the other dt_ functions rely on, verified once.
 * The header's blocks must lie inside the blob without overlapping, and
 * one walk of the structure block must find well-formed tokens, balanced
 * nesting no deeper than DT_MAX_DEPTH, property names inside the strings
 * block, and an FDT_END after exactly one root node.
 */
#include <orrery/errno.h>
#include <orrery/lib.h>
#include "dt_internal.h"

/* Far above any real tree, low enough that offsets stay positive ints. */
#define DT_MAX_TOTALSIZE (1U << 30)

struct range {
    uint64_t start, end;
};

static bool overlap(struct range a, struct range b)
{
    return a.start < a.end && b.start < b.end && a.start < b.end &&
           b.start < a.end;
}

static const char *check_header(const uint8_t *p, size_t avail)
{
    uint32_t version, hdr_size, total, off;
    struct range rsv, st, str;

    if ( avail < DT_HDR_SIZE_V16 )
        return "blob shorter than a device tree header";
    if ( dt_hdr(p, DT_HDR_MAGIC) != DT_MAGIC )
        return "bad magic (not a flattened device tree)";
    version = dt_hdr(p, DT_HDR_VERSION);
    if ( version < DT_MIN_VERSION )
        return "version older than 16";
    if ( dt_hdr(p, DT_HDR_LAST_COMP) > DT_MAX_VERSION )
        return "last_comp_version newer than 17";
    hdr_size = version >= 17 ? DT_HDR_SIZE_V17 : DT_HDR_SIZE_V16;
    if ( avail < hdr_size )
        return "blob shorter than a device tree header";

    total = dt_hdr(p, DT_HDR_TOTALSIZE);
    if ( total < hdr_size )
        return "totalsize smaller than the header";
    if ( total > avail )
        return "totalsize beyond the end of the blob (truncated?)";
    if ( total > DT_MAX_TOTALSIZE )
        return "totalsize implausibly large";

    /* Memory reservations: 8-byte aligned 16-byte entries, ended by an
     * all-zero entry (spec §5.3). */
    off = dt_hdr(p, DT_HDR_OFF_RSVMAP);
    if ( off & 7 )
        return "memory reservation block misaligned";
    if ( off < hdr_size || off > total )
        return "memory reservation block outside the blob";
    rsv.start = off;
    for ( ;; )
    {
        if ( total - off < 16 )
            return "memory reservation block has no terminating entry";
        off += 16;
        if ( !(dt_be32(p + off - 16) | dt_be32(p + off - 12) |
               dt_be32(p + off - 8) | dt_be32(p + off - 4)) )
            break;
    }
    rsv.end = off;

    off = dt_hdr(p, DT_HDR_OFF_STRUCT);
    if ( off & 3 )
        return "structure block misaligned";
    st.start = off;
    st.end = st.start + dt_struct_size(p);
    if ( st.start < hdr_size || st.end > total )
        return "structure block outside the blob";

    str.start = dt_hdr(p, DT_HDR_OFF_STRINGS);
    str.end = str.start + dt_hdr(p, DT_HDR_SIZE_STRINGS);
    if ( str.start < hdr_size || str.end > total )
        return "strings block outside the blob";

    if ( overlap(rsv, st) )
        return "memory reservation and structure blocks overlap";
    if ( overlap(rsv, str) )
        return "memory reservation and strings blocks overlap";
    if ( overlap(st, str) )
        return "structure and strings blocks overlap";
    return NULL;
}

static const char *check_structure(const void *blob)
{
    struct dt_blocks b;
    int off = 0, next, tag, depth = 0;
    bool seen_root = false, props_ok = false;
    const char *why;

    dt_get_blocks(blob, &b);
    for ( ;; )
    {
        if ( (uint32_t)off > b.st_size || b.st_size - off < 4 )
            return "structure block ends without FDT_END";
        tag = dt_token(&b, off, &next, &why);
        if ( tag < 0 )
            return why;

        switch ( tag )
        {
        case DT_TOKEN_BEGIN_NODE:
            if ( seen_root && depth == 0 )
                return "a second root node after the first one ended";
            /* The root has no name: its path is "/" (spec §2.2.1). */
            if ( !seen_root && b.st[off + 4] != '\0' )
                return "root node name not empty";
            if ( ++depth > DT_MAX_DEPTH )
                return "nodes nested deeper than DT_MAX_DEPTH";
            seen_root = true;
            props_ok = true;
            break;

        case DT_TOKEN_PROP:
            if ( depth == 0 )
                return "property outside any node";
            /* libfdt and the spec put a node's properties before its
             * subnodes; the property iterators rely on it. */
            if ( !props_ok )
                return "property after a subnode";
            if ( !dt_string(&b, dt_be32(b.st + off + 8)) )
                return "property name outside the strings block or "
                       "not NUL-terminated";
            break;

        case DT_TOKEN_END_NODE:
            if ( depth == 0 )
                return "END_NODE without a matching BEGIN_NODE";
            depth--;
            props_ok = false;
            break;

        case DT_TOKEN_END:
            if ( !seen_root )
                return "no root node";
            if ( depth != 0 )
                return "FDT_END inside an unclosed node";
            return NULL;

        default: /* DT_TOKEN_NOP */
            break;
        }
        off = next;
    }
}

int dt_check(const void *blob, size_t avail, const char **why)
{
    const char *reason;

    if ( !blob )
        reason = "no blob";
    else
    {
        reason = check_header(blob, avail);
        if ( !reason )
            reason = check_structure(blob);
    }
    if ( why )
        *why = reason ? reason : "ok";
    return reason ? (blob ? -EBADMSG : -EINVAL) : 0;
}
