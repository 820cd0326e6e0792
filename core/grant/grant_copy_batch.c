/* SPDX-License-Identifier: MIT */
/*
 * GNTTABOP_copy's walk over the guest's op array. Xen reads an op, runs
 * it and writes its status back before it reads the next. Here up to
 * CHUNK ops are read with one guest copy and their statuses written back
 * with another: with one p2m walk per op for each, those two copies were
 * most of what a batch of page copies cost besides the copying itself.
 * The result is the same as Xen's loop:
 *
 *  - a chunk is read in one go only if all of it is readable and
 *    writable; otherwise ops are read and their statuses written one at
 *    a time, so a bad array ends the batch (-EFAULT) after exactly the
 *    ops Xen would have run;
 *  - an op whose source or destination is a frame of the array itself (a
 *    guest may copy from or over its own op array) is held back
 *    (GNT_COPY_DEFER): the statuses before it are written, it runs, its
 *    status is written, and the ops after it are read again from the
 *    guest;
 *  - the preemption check runs between every two ops, as before, and a
 *    continuation first writes back the statuses of the ops done.
 *
 * What differs is only what another vCPU of the caller could see while it
 * rewrites the array or the caller's p2m under a running call (ops read a
 * chunk ahead, statuses landing a chunk at a time, or not at all if the
 * array stops being writable meanwhile), and, for an array the caller
 * puts in its own grant-table frame, the in-use bits a pin of its own
 * grant sets there mid-chunk; it never reaches beyond the caller's own
 * memory.
 */
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/hypercall.h>
#include <orrery/lib.h>

#include "grant_private.h"

/* Ops per guest copy: a whole netback batch (up to 64 ops, 2.5 KiB of
 * stack), within the page's worth copy_from_guest_inout() takes. */
#define CHUNK 64
#define OP_SIZE sizeof(struct gnttab_copy)
#define STATUS_OFF offsetof(struct gnttab_copy, status)

_Static_assert(CHUNK * sizeof(struct gnttab_copy) <= PAGE_SIZE,
               "a chunk spans at most two pages");

/* The statuses of @n ops from guest address @at. */
static int write_statuses(struct vcpu *v, uint64_t at, const int16_t *st,
                          unsigned int n, bool chunked)
{
    unsigned int j;

    if ( chunked &&
         !copy_to_guest_fields(v, at + STATUS_OFF, OP_SIZE, st,
                               sizeof(*st), n) )
        return 0;
    /* One at a time: as many as Xen would have written before its fault
     * (only reached if the array changed under the call). */
    for ( j = 0; j < n; j++ )
        if ( copy_to_guest(v, at + j * OP_SIZE + STATUS_OFF, &st[j],
                           sizeof(*st)) )
            return -EFAULT;
    return 0;
}

static int64_t continue_at(struct hypercall_regs *r, uint64_t uop,
                           uint64_t count, uint64_t i)
{
    r->args[1] = uop + i * OP_SIZE;
    r->args[2] = count - i;
    return hypercall_continue(r);
}

int64_t gnt_copy_batch(struct vcpu *v, struct hypercall_regs *r)
{
    uint64_t uop = r->args[1], count = r->args[2], i = 0;
    struct gnttab_copy ops[CHUNK];
    int16_t st[CHUNK];
    struct gnt_copy_ctx c;
    int64_t rc = 0;

    memset(&c, 0, sizeof(c));
    while ( i < count )
    {
        uint64_t at = uop + i * OP_SIZE;
        unsigned int n = MIN(CHUNK, count - i), j;
        bool chunked, preempted = false;

        if ( i && hypercall_preempt_check() )
        {
            rc = continue_at(r, uop, count, i);
            break;
        }
        chunked = !copy_from_guest_inout(v, ops, at, n * OP_SIZE, c.guard);
        if ( !chunked )
        {
            n = 1;
            if ( copy_from_guest(v, ops, at, OP_SIZE) )
            {
                rc = -EFAULT;
                break;
            }
        }
        c.guarded = chunked;
        for ( j = 0; j < n; j++ )
        {
            if ( j && hypercall_preempt_check() )
            {
                preempted = true;
                break;
            }
            st[j] = gnt_copy_one(v->domain, &ops[j], &c);
            if ( st[j] == GNT_COPY_DEFER )
                break;
        }
        rc = write_statuses(v, at, st, j, chunked);
        if ( !rc && j < n && !preempted )
        {
            /* Op j reads or writes the array: run it alone, once the
             * statuses before it are in place; read on after it. */
            c.guarded = false;
            st[j] = gnt_copy_one(v->domain, &ops[j], &c);
            rc = write_statuses(v, at + j * OP_SIZE, &st[j], 1, false);
            j++;
        }
        i += j;
        if ( rc )
            break;
        if ( preempted )
        {
            rc = continue_at(r, uop, count, i);
            break;
        }
    }
    gnt_copy_end(&c);
    return rc;
}
