/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor as the back end of each boot-built guest's console ring
 * (public/io/console.h; reference §1.6): the guest writes into out[] and
 * moves out_prod; this drains the bytes to the serial line, a line at a
 * time, each prefixed with the domain's name, and moves out_cons.
 *
 * There is no console daemon to notify, so the rings are polled: every
 * 10 ms while any attached domain lives (the timer stops with the last,
 * so an idle machine, and hvsim, still settle).
 */
#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/p2m.h>
#include <orrery/spinlock.h>
#include <orrery/timer.h>

#include <public/io/console.h>

#define MAX_RINGS   16
#define POLL_NS     10000000LL

struct ring {
    domid_t domid;              /* DOMID_INVALID: slot free */
    gfn_t gfn;
    char line[128];
    unsigned int len;
};

static struct ring rings[MAX_RINGS];
static struct timer poll_timer;
static bool timer_ready;
static DEFINE_SPINLOCK(lock);

static void flush_line(struct domain *d, struct ring *r)
{
    r->line[r->len] = '\0';
    printk("(%s) %s\n", d->name, r->line);
    r->len = 0;
}

/* Drain what @d wrote; false once the domain or its page is gone. */
static bool drain(struct ring *r)
{
    struct domain *d = domain_get(r->domid);
    volatile struct xencons_interface *intf;
    struct p2m_entry e;
    XENCONS_RING_IDX cons, prod;

    if ( !d )
        return false;
    p2m_get_entry(d, r->gfn, &e);
    if ( !p2m_is_writable(e.type) )
    {
        domain_put(d);
        return false;
    }
    intf = arch_mfn_to_virt(e.mfn);
    cons = intf->out_cons;
    prod = __atomic_load_n(&intf->out_prod, __ATOMIC_ACQUIRE);
    /* A guest that claims more than the ring holds is trimmed to it. */
    if ( prod - cons > XENCONS_OUT_SIZE )
        cons = prod - XENCONS_OUT_SIZE;
    for ( ; cons != prod; cons++ )
    {
        char c = intf->out[MASK_XENCONS_IDX(cons, XENCONS_OUT_SIZE)];

        if ( c == '\r' )
            continue;
        if ( c != '\n' )
            r->line[r->len++] = c;
        if ( c == '\n' || r->len == sizeof(r->line) - 1 )
            flush_line(d, r);
    }
    __atomic_store_n(&intf->out_cons, cons, __ATOMIC_RELEASE);
    domain_put(d);
    return true;
}

static void poll_rings(void *data)
{
    bool any = false;

    (void)data;
    spin_lock(&lock);
    for ( unsigned int i = 0; i < MAX_RINGS; i++ )
    {
        if ( rings[i].domid == DOMID_INVALID )
            continue;
        if ( drain(&rings[i]) )
            any = true;
        else
            rings[i].domid = DOMID_INVALID;
    }
    if ( any )
        set_timer(&poll_timer, NOW() + POLL_NS);
    spin_unlock(&lock);
}

void console_ring_reset(void)
{
    timer_ready = false;
}

int console_ring_attach(struct domain *d, gfn_t gfn)
{
    int rc = -ENOSPC;

    spin_lock(&lock);
    if ( !timer_ready )
    {
        for ( unsigned int i = 0; i < MAX_RINGS; i++ )
            rings[i].domid = DOMID_INVALID;
        init_timer(&poll_timer, poll_rings, NULL, 0);
        timer_ready = true;
    }
    for ( unsigned int i = 0; i < MAX_RINGS; i++ )
    {
        if ( rings[i].domid != DOMID_INVALID )
            continue;
        rings[i] = (struct ring){ .domid = d->domain_id, .gfn = gfn };
        rc = 0;
        break;
    }
    if ( !rc && !timer_is_active(&poll_timer) )
        set_timer(&poll_timer, NOW() + POLL_NS);
    spin_unlock(&lock);
    return rc;
}
