/* SPDX-License-Identifier: MIT */
/*
 * Copying to and from guest-physical memory (the linear-address layer
 * for hypercall buffers is guest_copy_linear.c). Every frame of the range is looked
 * up in the caller's p2m and must be of a type the hypervisor may touch
 * on the guest's behalf, with the access the p2m grants; the range is
 * checked as a whole before a byte moves, under the p2m lock so that the
 * map cannot change between the check and the copy. A guest therefore
 * cannot make the hypervisor read or write MMIO, another domain's
 * foreign-mapped frames, or a hole, nor wrap an address past 2^64.
 */
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/hypercall.h>
#include <orrery/lib.h>
#include <orrery/p2m.h>
#include <orrery/platform.h>

static bool frame_ok(const struct p2m_entry *e, bool write)
{
    if ( write )
        return p2m_is_writable(e->type) && (e->access & p2m_access_w);
    return p2m_is_readable(e->type) && (e->access & p2m_access_r);
}

/* Read, and for @inout write too. */
static bool frame_ok_for(const struct p2m_entry *e, bool write, bool inout)
{
    return frame_ok(e, write) && (!inout || frame_ok(e, !write));
}

/* A field of a few bytes (a batch's status: 2): a store, not a call. */
static inline void put_field(uint8_t *d, const uint8_t *s, size_t size)
{
    if ( size == sizeof(uint16_t) )
        memcpy(d, s, sizeof(uint16_t));
    else
        memcpy(d, s, size);
}

/*
 * Caller holds the p2m lock. The frames of the first KEEP pages are
 * remembered in @mfn, so that the copy, which most often spans one or
 * two pages, does not walk the p2m a second time.
 */
#define KEEP 2
static int check_range(struct p2m_domain *p2m, uint64_t gaddr, size_t len,
                       bool write, const mfn_t *inout, mfn_t mfn[KEEP])
{
    uint64_t gfn, first, last;

    if ( len - 1 > UINT64_MAX - gaddr )
        return -EFAULT;         /* wraps past 2^64 */
    last = (gaddr + len - 1) >> PAGE_SHIFT;
    if ( last > P2M_MAX_GFN )
        return -EFAULT;
    first = gaddr >> PAGE_SHIFT;
    for ( gfn = first; gfn <= last; gfn++ )
    {
        struct p2m_entry e;

        p2m->ops->get_entry(p2m, _gfn(gfn), &e);
        if ( !frame_ok_for(&e, write, inout != NULL) )
            return -EFAULT;
        if ( gfn - first < KEEP )
            mfn[gfn - first] = e.mfn;
    }
    return 0;
}

/*
 * Move @len bytes between @buf and guest address @gaddr; @zero_from:
 * bytes of @buf past it are written as zeroes (to-guest only). With
 * @inout (a read of at most two pages), the range must be writable too
 * and @inout gets the frames of its first and last page.
 */
static int copy_guest(struct vcpu *v, uint64_t gaddr, void *buf, size_t len,
                      size_t zero_from, bool to_guest, mfn_t inout[2])
{
    struct p2m_domain *p2m = v->domain->p2m;
    mfn_t mfn[KEEP];
    size_t done = 0;
    unsigned int page = 0;
    int rc;

    if ( len == 0 )
        return 0;
    if ( !p2m )
        return -EFAULT;

    spin_lock(&p2m->lock);
    rc = check_range(p2m, gaddr, len, to_guest, inout, mfn);
    if ( !rc && inout )
    {
        inout[0] = mfn[0];
        inout[1] = mfn[((gaddr + len - 1) >> PAGE_SHIFT) !=
                       (gaddr >> PAGE_SHIFT)];
    }
    while ( !rc && done < len )
    {
        uint64_t a = gaddr + done;
        size_t off = a & (PAGE_SIZE - 1);
        size_t n = MIN(len - done, PAGE_SIZE - off);
        uint8_t *g;

        if ( page >= KEEP )
        {
            struct p2m_entry e;

            p2m->ops->get_entry(p2m, _gfn(a >> PAGE_SHIFT), &e);
            mfn[KEEP - 1] = e.mfn;
        }
        g = (uint8_t *)arch_mfn_to_virt(mfn[MIN(page, KEEP - 1)]) + off;
        page++;
        if ( !to_guest )
            memcpy((uint8_t *)buf + done, g, n);
        else if ( done >= zero_from )
            memset(g, 0, n);
        else if ( done + n <= zero_from )
            memcpy(g, (const uint8_t *)buf + done, n);
        else
        {
            size_t k = zero_from - done;

            memcpy(g, (const uint8_t *)buf + done, k);
            memset(g + k, 0, n - k);
        }
        done += n;
    }
    spin_unlock(&p2m->lock);
    return rc;
}

int copy_from_guest_phys(struct vcpu *v, void *dst, uint64_t gaddr,
                         size_t len)
{
    return copy_guest(v, gaddr, dst, len, len, false, NULL);
}

int copy_to_guest_phys(struct vcpu *v, uint64_t gaddr, const void *src,
                       size_t len)
{
    return copy_guest(v, gaddr, (void *)src, len, len, true, NULL);
}

int copy_to_guest_padded_phys(struct vcpu *v, uint64_t gaddr,
                              const void *src, size_t src_len, size_t len)
{
    if ( src_len > len )
        return -EINVAL;
    return copy_guest(v, gaddr, (void *)src, len, src_len, true, NULL);
}

int copy_from_guest_inout_phys(struct vcpu *v, void *dst, uint64_t gaddr,
                               size_t len, mfn_t frames[2])
{
    /* The frames are only compared with those an op writes, never
     * dereferenced: a later change of the p2m makes them stale, not
     * unsafe. */
    if ( len == 0 || len > PAGE_SIZE )
        return -EINVAL;
    return copy_guest(v, gaddr, dst, len, len, false, frames);
}

int copy_to_guest_fields_phys(struct vcpu *v, uint64_t gaddr, size_t stride,
                              const void *src, size_t size, unsigned int n)
{
    struct p2m_domain *p2m = v->domain->p2m;
    uint64_t span, first;
    mfn_t mfn[KEEP];
    uint8_t *va[KEEP];
    const uint8_t *s = src;
    unsigned int i;
    int rc;

    if ( n == 0 || size == 0 )
        return 0;
    if ( size > stride || stride > PAGE_SIZE || n > PAGE_SIZE / stride )
        return -EINVAL;
    if ( !p2m )
        return -EFAULT;
    /* At most a page from the first field's start to the last one's end:
     * two frames at most, each holding bytes of some field. */
    span = (uint64_t)(n - 1) * stride + size;
    first = gaddr >> PAGE_SHIFT;

    spin_lock(&p2m->lock);
    rc = check_range(p2m, gaddr, span, true, NULL, mfn);
    if ( !rc )
    {
        va[0] = arch_mfn_to_virt(mfn[0]);
        va[1] = ((gaddr + span - 1) >> PAGE_SHIFT) != first
                ? arch_mfn_to_virt(mfn[1]) : NULL;
        for ( i = 0; i < n; i++, s += size )
        {
            size_t off = (gaddr & (PAGE_SIZE - 1)) + (size_t)i * stride;

            if ( off + size <= PAGE_SIZE )
                put_field(va[0] + off, s, size);
            else if ( off >= PAGE_SIZE )
                put_field(va[1] + off - PAGE_SIZE, s, size);
            else
            {
                /* A field across the page boundary. */
                memcpy(va[0] + off, s, PAGE_SIZE - off);
                memcpy(va[1], s + PAGE_SIZE - off, size - (PAGE_SIZE - off));
            }
        }
    }
    spin_unlock(&p2m->lock);
    return rc;
}
