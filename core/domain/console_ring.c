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
 *
 * Input goes the other way (core/console/input.c has the focus): a byte
 * for a domain goes into in[] at in_prod, then the console event channel
 * (HVM_PARAM_CONSOLE_EVTCHN) is raised, as xenconsoled does.
 */
#include <orrery/console.h>
#include <orrery/console_input.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/event.h>
#include <orrery/lib.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/spinlock.h>
#include <orrery/timer.h>
#include <orrery/vcpu_ops.h>

#include <public/hvm/params.h>
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

/*
 * The ring page of @d at @gfn, with a reference held (put_page() when
 * done), or NULL when the gfn is no longer writable RAM of @d's. The
 * reference keeps the frame from being freed and handed to someone else
 * while it is read and written here, should a vCPU of @d balloon it out
 * on another CPU meanwhile.
 */
static struct page_info *ring_get(struct domain *d, gfn_t gfn,
                                  volatile struct xencons_interface **intf)
{
    struct p2m_entry e;
    struct page_info *pg;

    p2m_get_entry(d, gfn, &e);
    if ( !p2m_is_writable(e.type) || !mfn_valid(e.mfn) )
        return NULL;
    pg = mfn_to_page(e.mfn);
    if ( !get_page(pg, d) )
        return NULL;
    *intf = arch_mfn_to_virt(e.mfn);
    return pg;
}

/* Drain what @d wrote; false once the domain or its page is gone. */
static bool drain(struct ring *r)
{
    struct domain *d = domain_get(r->domid);
    volatile struct xencons_interface *intf;
    struct page_info *pg;
    XENCONS_RING_IDX cons, prod;

    if ( !d )
        return false;
    pg = ring_get(d, r->gfn, &intf);
    if ( !pg )
    {
        domain_put(d);
        return false;
    }
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
    put_page(pg);
    /* Its last words are drained; input it can no longer read is not. */
    if ( d->is_shut_down )
        console_input_domain_gone(d->domain_id);
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
        {
            console_input_domain_gone(rings[i].domid);
            rings[i].domid = DOMID_INVALID;
        }
    }
    if ( any )
        set_timer(&poll_timer, NOW() + POLL_NS);
    spin_unlock(&lock);
}

void console_ring_reset(void)
{
    timer_ready = false;
}

/* ---- Input (console_input_backend) --------------------------------------- */

/* A domain takes input while it runs: not once it shut down. */
static struct domain *input_domain(domid_t id)
{
    struct domain *d = domain_get(id);

    if ( d && d->is_shut_down )
    {
        domain_put(d);
        d = NULL;
    }
    return d;
}

static domid_t input_next(domid_t from, char *name, size_t len)
{
    domid_t best = DOMID_INVALID;

    spin_lock(&lock);
    for ( unsigned int i = 0; timer_ready && i < MAX_RINGS; i++ )
    {
        domid_t id = rings[i].domid;
        struct domain *d;

        if ( id == DOMID_INVALID || id < from || id >= best )
            continue;
        d = input_domain(id);
        if ( !d )
            continue;
        best = id;
        strlcpy(name, d->name, len);
        domain_put(d);
    }
    spin_unlock(&lock);
    return best;
}

/*
 * The guest moves in_cons, the hypervisor in_prod (public/io/console.h;
 * reference §1.6). The byte must be visible before in_prod: a release
 * store. A guest that claims to have read more than was written sees the
 * ring as full, so nothing it writes can make this write out of in[].
 * The event is raised even when the ring is full, as Xen does for its
 * serial input, so a guest that missed one cannot stall input for good.
 */
static int put_in(struct domain *d, gfn_t gfn, char c)
{
    volatile struct xencons_interface *intf;
    struct page_info *pg = ring_get(d, gfn, &intf);
    XENCONS_RING_IDX cons, prod;
    uint64_t port;
    int rc = 0;

    if ( !pg )
        return -ESRCH;
    cons = __atomic_load_n(&intf->in_cons, __ATOMIC_ACQUIRE);
    prod = intf->in_prod;
    if ( (XENCONS_RING_IDX)(prod - cons) >= XENCONS_IN_SIZE )
        rc = -ENOSPC;
    else
    {
        intf->in[MASK_XENCONS_IDX(prod, XENCONS_IN_SIZE)] = c;
        __atomic_store_n(&intf->in_prod, prod + 1, __ATOMIC_RELEASE);
    }
    put_page(pg);
    port = hvm_param_read(d, HVM_PARAM_CONSOLE_EVTCHN);
    if ( port && port <= UINT32_MAX )
        evtchn_notify_unbound(d, (evtchn_port_t)port);
    return rc;
}

static int input_put(domid_t id, char c)
{
    int rc = -ESRCH;

    spin_lock(&lock);
    for ( unsigned int i = 0; timer_ready && i < MAX_RINGS; i++ )
    {
        struct domain *d;

        if ( rings[i].domid != id )
            continue;
        d = input_domain(id);
        if ( d )
        {
            rc = put_in(d, rings[i].gfn, c);
            domain_put(d);
        }
        break;
    }
    spin_unlock(&lock);
    return rc;
}

static const struct console_input_backend ring_input = {
    .next = input_next,
    .put = input_put,
};

int console_ring_attach(struct domain *d, gfn_t gfn)
{
    int rc = -ENOSPC;

    console_input_set_backend(&ring_input);
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
