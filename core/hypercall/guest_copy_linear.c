/* SPDX-License-Identifier: MIT */
/*
 * Hypercall buffers are linear addresses of the calling vCPU (xen-abi-
 * facts §1.1: Xen reads an HVM/PVH guest's handles with
 * hvm_copy_*_guest_linear). A kernel such as Linux passes pointers into
 * its own mappings (the stack, the direct map, per-CPU data), so each
 * page of a range is translated through the guest's page tables by the
 * platform (arch_guest_linear_to_phys), then the guest-physical copy
 * (guest_copy.c) checks the frames.
 *
 * A range whose pages are one contiguous guest-physical run (paging off,
 * identity maps, a single page) is one guest-physical copy: checked whole
 * before a byte moves. A range the guest's tables scatter is translated
 * page by page first -- any page the tables refuse is -EFAULT with
 * nothing copied -- and then copied piece by piece.
 */
#include <orrery/errno.h>
#include <orrery/hypercall.h>
#include <orrery/lib.h>
#include <orrery/platform.h>

/*
 * Translate every page of [@la, @la + @len) (@len > 0). *@gpa gets the
 * first byte's guest-physical address and *@contig whether the whole
 * range is one guest-physical run from there.
 */
static int translate(struct vcpu *v, uint64_t la, size_t len, bool write,
                     uint64_t *gpa, bool *contig)
{
    uint64_t page, last, g;
    int rc;

    if ( len - 1 > UINT64_MAX - la )
        return -EFAULT;             /* wraps past 2^64 */
    rc = arch_guest_linear_to_phys(v, la, write, gpa);
    if ( rc )
        return -EFAULT;
    *contig = true;
    last = (la + len - 1) & ~(uint64_t)(PAGE_SIZE - 1);
    for ( page = (la & ~(uint64_t)(PAGE_SIZE - 1)) + PAGE_SIZE;
          page && page <= last; page += PAGE_SIZE )
    {
        if ( arch_guest_linear_to_phys(v, page, write, &g) )
            return -EFAULT;
        if ( g != *gpa + (page - la) )
            *contig = false;
    }
    return 0;
}

/* A scattered range, one page piece at a time; the pages were all
 * translated once already. */
static int copy_pieces(struct vcpu *v, uint64_t la, uint8_t *buf,
                       size_t len, size_t zero_from, bool to_guest)
{
    size_t done = 0;

    while ( done < len )
    {
        uint64_t a = la + done, gpa;
        size_t n = MIN(len - done, PAGE_SIZE - (a & (PAGE_SIZE - 1)));
        int rc = arch_guest_linear_to_phys(v, a, to_guest, &gpa);

        if ( rc )
            return -EFAULT;         /* the guest changed its tables */
        if ( !to_guest )
            rc = copy_from_guest_phys(v, buf + done, gpa, n);
        else if ( done >= zero_from )
            rc = copy_to_guest_padded_phys(v, gpa, buf, 0, n);
        else
            rc = copy_to_guest_padded_phys(v, gpa, buf + done,
                                           MIN(n, zero_from - done), n);
        if ( rc )
            return rc;
        done += n;
    }
    return 0;
}

static int copy_linear(struct vcpu *v, uint64_t la, void *buf, size_t len,
                       size_t zero_from, bool to_guest)
{
    uint64_t gpa;
    bool contig;
    int rc;

    if ( len == 0 )
        return 0;
    rc = translate(v, la, len, to_guest, &gpa, &contig);
    if ( rc )
        return rc;
    if ( !contig )
        return copy_pieces(v, la, buf, len, zero_from, to_guest);
    if ( !to_guest )
        return copy_from_guest_phys(v, buf, gpa, len);
    return copy_to_guest_padded_phys(v, gpa, buf, zero_from, len);
}

int copy_from_guest(struct vcpu *v, void *dst, uint64_t gaddr, size_t len)
{
    return copy_linear(v, gaddr, dst, len, len, false);
}

int copy_to_guest(struct vcpu *v, uint64_t gaddr, const void *src,
                  size_t len)
{
    return copy_linear(v, gaddr, (void *)src, len, len, true);
}

int copy_to_guest_padded(struct vcpu *v, uint64_t gaddr, const void *src,
                         size_t src_len, size_t len)
{
    if ( src_len > len )
        return -EINVAL;
    return copy_linear(v, gaddr, (void *)src, len, src_len, true);
}

/* The batch helpers (hypercall.h): a range of at most a page, so one
 * guest-physical run or two pieces at the page boundary. */
int copy_from_guest_inout(struct vcpu *v, void *dst, uint64_t gaddr,
                          size_t len, mfn_t frames[2])
{
    uint64_t gpa, gpa2;
    size_t first;
    mfn_t f[2];
    bool contig;
    int rc;

    if ( len == 0 || len > PAGE_SIZE )
        return -EINVAL;
    /* The guest's tables must allow writes as well as reads. */
    rc = translate(v, gaddr, len, true, &gpa, &contig);
    if ( rc )
        return rc;
    if ( contig )
        return copy_from_guest_inout_phys(v, dst, gpa, len, frames);
    first = PAGE_SIZE - (gaddr & (PAGE_SIZE - 1));
    if ( arch_guest_linear_to_phys(v, gaddr + first, true, &gpa2) )
        return -EFAULT;
    rc = copy_from_guest_inout_phys(v, dst, gpa, first, frames);
    if ( !rc )
        rc = copy_from_guest_inout_phys(v, (uint8_t *)dst + first, gpa2,
                                        len - first, f);
    if ( !rc )
        frames[1] = f[1];
    return rc;
}

int copy_to_guest_fields(struct vcpu *v, uint64_t gaddr, size_t stride,
                         const void *src, size_t size, unsigned int n)
{
    const uint8_t *s = src;
    uint64_t gpa;
    unsigned int i;
    bool contig;
    int rc;

    if ( n == 0 || size == 0 )
        return 0;
    if ( size > stride || stride > PAGE_SIZE || n > PAGE_SIZE / stride )
        return -EINVAL;
    rc = translate(v, gaddr, (size_t)(n - 1) * stride + size, true, &gpa,
                   &contig);
    if ( rc )
        return rc;
    if ( contig )
        return copy_to_guest_fields_phys(v, gpa, stride, src, size, n);
    for ( i = 0; i < n && !rc; i++ )
        rc = copy_linear(v, gaddr + (uint64_t)i * stride,
                         (void *)(s + (size_t)i * size), size, size, true);
    return rc;
}
