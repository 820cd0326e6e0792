/* SPDX-License-Identifier: MIT */
/*
 * console_io(cmd, count, buffer): guests write to the hypervisor console
 * (each line prefixed with the domain), and the control domain reads the
 * console ring.
 *
 * Writes are copied in chunks, with a continuation between chunks, so a
 * large count cannot hold the CPU. An unprivileged domain's output goes
 * through a token bucket (CONSOLE_DOMU_BYTES_PER_SEC, at most one second
 * saved up); bytes over the limit are dropped and counted, and the call
 * still succeeds, so a chatty guest neither floods the console nor sees
 * an error it cannot act on.
 */
#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/hypercall.h>
#include <orrery/lib.h>
#include <orrery/platform.h>
#include <orrery/xsm.h>

#include <public/xen.h>

#define CHUNK 128

/* How many of @n bytes may @d write now? */
static uint64_t rate_limit(struct domain *d, uint64_t n)
{
    s_time_t now = arch_time_now();
    uint64_t ok;

    if ( d->is_privileged )
        return n;
    spin_lock(&d->lock);
    if ( !d->console.started )
    {
        /* A new domain starts with a full second's worth. */
        d->console.started = true;
        d->console.tokens = CONSOLE_DOMU_BYTES_PER_SEC;
        d->console.refilled = now;
    }
    else if ( now > d->console.refilled )
    {
        uint64_t earned = (uint64_t)(now - d->console.refilled) *
                          CONSOLE_DOMU_BYTES_PER_SEC / SECONDS(1);

        if ( earned )
        {
            d->console.tokens = MIN(d->console.tokens + earned,
                                    (uint64_t)CONSOLE_DOMU_BYTES_PER_SEC);
            d->console.refilled = now;
        }
    }
    ok = MIN(n, d->console.tokens);
    d->console.tokens -= ok;
    d->console.dropped += n - ok;
    spin_unlock(&d->lock);
    return ok;
}

static int64_t console_write(struct vcpu *v, struct hypercall_regs *r)
{
    struct domain *d = v->domain;
    uint64_t count = (uint32_t)r->args[1], buf = r->args[2];
    char chunk[CHUNK + 1];
    int rc;

    while ( count )
    {
        size_t n = MIN(count, (uint64_t)CHUNK), ok, i, start;

        rc = copy_from_guest(v, chunk, buf, n);
        if ( rc )
            return rc;
        ok = rate_limit(d, n);
        /* Print up to each newline so every line gets the prefix. */
        for ( start = 0, i = 0; i < ok; i++ )
        {
            if ( chunk[i] == '\0' )
                chunk[i] = ' ';
            if ( chunk[i] == '\n' || i + 1 == ok )
            {
                char c = chunk[i + 1];

                chunk[i + 1] = '\0';
                printk("(%s) %s", d->name, chunk + start);
                chunk[i + 1] = c;
                start = i + 1;
            }
        }
        count -= n;
        buf += n;
        if ( count && hypercall_preempt_check() )
        {
            r->args[1] = count;
            r->args[2] = buf;
            return hypercall_continue(r);
        }
    }
    return 0;
}

static int64_t console_read(struct vcpu *v, struct hypercall_regs *r)
{
    uint64_t count = (uint32_t)r->args[1];
    static char ring[CONSOLE_RING_SIZE + 1];
    size_t n;
    int rc;

    /* The ring's oldest bytes first; returns the number copied. */
    n = console_ring_read(ring, sizeof(ring));
    n = MIN(n, count);
    rc = copy_to_guest(v, r->args[2], ring, n);
    return rc ? rc : (int64_t)n;
}

int64_t do_console_io(struct vcpu *v, struct hypercall_regs *r)
{
    unsigned int cmd = (unsigned int)r->args[0];
    int rc;

    if ( r->args[0] > UINT32_MAX )
        return -ENOSYS;
    rc = xsm()->console_io(v->domain, cmd);
    if ( rc )
        return rc;
    switch ( cmd )
    {
    case CONSOLEIO_write:
        return console_write(v, r);
    case CONSOLEIO_read:
        return console_read(v, r);
    default:
        return -ENOSYS;
    }
}
