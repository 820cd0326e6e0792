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
