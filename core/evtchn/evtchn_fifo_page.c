/* SPDX-License-Identifier: MIT */
/*
 * FIFO guest pages (reference/xen-abi-facts.md §2.2): one control block
 * per vCPU (EVTCHNOP_init_control) and the event array, one page of 1024
 * event words at a time (EVTCHNOP_expand_array), up to 128 pages = 2^17
 * ports. The pages stay the guest's RAM; the hypervisor maps them through
 * the p2m and holds a reference until the domain resets or dies.
 *
 * The first init_control switches the domain from the 2-level ABI: every
 * bound port stays bound, and a port pending in shared_info stays pending
 * (delivered once the array page holding its word is added), as Xen does.
 */
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>
#include <orrery/platform.h>

#include "evtchn_fifo_private.h"

#define WORDS_PER_PAGE EVTCHN_FIFO_EVENT_WORDS_PER_PAGE

int evtchn_fifo_page_get(struct domain *d, uint64_t gfn,
                         struct evtchn_fifo_page *pg)
{
    struct p2m_entry e;

    /*
     * A frame the hypervisor will write behind the guest's back: it must
     * be the domain's own writable RAM. A hole, MMIO, a grant or foreign
     * mapping, or read-only RAM is refused. The reference keeps the frame
     * from being freed (decrease_reservation, destroy) while it is in
     * use here; get_page() fails for a frame @d does not own.
     */
    p2m_get_entry(d, _gfn(gfn), &e);
    if ( e.type != p2m_ram_rw || !(e.access & p2m_access_w) ||
         !mfn_valid(e.mfn) || !get_page(mfn_to_page(e.mfn), d) )
        return -EINVAL;
    pg->mfn = e.mfn;
    pg->va = arch_mfn_to_virt(e.mfn);
    return 0;
}

void evtchn_fifo_page_put(struct evtchn_fifo_page *pg)
{
    put_page(mfn_to_page(pg->mfn));
    pg->va = NULL;
    pg->mfn = INVALID_MFN;
}

static void free_fifo(struct domain *d)
{
    unsigned int i;

    for ( i = 0; i < d->max_vcpus; i++ )
    {
        struct evtchn_vcpu *ev = d->vcpu[i]->evtchn;

        if ( !ev->fifo )
            continue;
        if ( ev->fifo->cb )
            evtchn_fifo_page_put(&ev->fifo->cb_page);
        xfree(ev->fifo);
        ev->fifo = NULL;
    }
    if ( d->evtchn->fifo )
    {
        for ( i = 0; i < d->evtchn->fifo->nr_pages; i++ )
            evtchn_fifo_page_put(&d->evtchn->fifo->pages[i]);
        xfree(d->evtchn->fifo);
        d->evtchn->fifo = NULL;
    }
}

void evtchn_fifo_destroy(struct domain *d)
{
    struct evtchn_domain *ed = d->evtchn;

    if ( !ed->fifo )
        return;
    free_fifo(d);
    ed->ops = &evtchn_2l_ops;
    ed->max_ports = MIN(d->max_evtchn_port, ed->ops->max_ports);
}

static int map_control_block(struct vcpu *v, uint64_t gfn, uint32_t offset)
{
    struct evtchn_fifo_vcpu *fv = v->evtchn->fifo;
    int rc;

    if ( fv->cb )
        return -EINVAL;         /* one control block per vCPU, as Xen */
    rc = evtchn_fifo_page_get(v->domain, gfn, &fv->cb_page);
    if ( rc )
        return rc;
    fv->cb = (struct evtchn_fifo_control_block *)
             ((uint8_t *)fv->cb_page.va + offset);
    return 0;
}

/*
 * Carry the 2-level ports over: their pending bits move into
 * fifo_pending (and out of shared_info, so that a later reset to 2-level
 * does not find them stale), each at the default priority.
 */
static void carry_ports_over(struct domain *d)
{
    struct evtchn_domain *ed = d->evtchn;
    evtchn_port_t p;

    for ( p = 1; p < ed->max_ports; p++ )
    {
        struct evtchn *chn = evtchn_from_port(d, p);

        if ( !chn || chn->state == ECS_FREE )
            continue;
        chn->fifo_pending = ed->ops->is_pending(d, p);
        ed->ops->clear_pending(d, p);
        chn->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
    }
}

/* The first init_control: everything allocated before anything changes. */
static int switch_to_fifo(struct domain *d, struct vcpu *v, uint64_t gfn,
                          uint32_t offset)
{
    struct evtchn_domain *ed = d->evtchn;
    unsigned int i;
    int rc = -ENOMEM;

    ed->fifo = xzalloc(struct evtchn_fifo_domain);
    if ( !ed->fifo )
        goto fail;
    for ( i = 0; i < d->max_vcpus; i++ )
    {
        d->vcpu[i]->evtchn->fifo = xzalloc(struct evtchn_fifo_vcpu);
        if ( !d->vcpu[i]->evtchn->fifo )
            goto fail;
    }
    rc = map_control_block(v, gfn, offset);
    if ( rc )
        goto fail;

    carry_ports_over(d);
    ed->ops = &evtchn_fifo_ops;
    ed->max_ports = MIN(d->max_evtchn_port, ed->ops->max_ports);
    return 0;

 fail:
    free_fifo(d);
    return rc;
}

int evtchn_init_control(struct domain *caller, struct evtchn_init_control *c)
{
    struct domain *d = caller;
    struct vcpu *v;
    int rc;

    if ( c->vcpu >= d->max_vcpus || !d->vcpu[c->vcpu] )
        return -ENOENT;
    v = d->vcpu[c->vcpu];
    /* Wholly inside the page, and 8-byte aligned (Xen's checks). */
    if ( c->offset > PAGE_SIZE - sizeof(struct evtchn_fifo_control_block) )
        return -EINVAL;
    if ( c->offset & 7 )
        return -EINVAL;

    spin_lock(&d->evtchn->lock);
    if ( !d->evtchn->fifo )
        rc = switch_to_fifo(d, v, c->control_gfn, c->offset);
    else
        rc = map_control_block(v, c->control_gfn, c->offset);
    spin_unlock(&d->evtchn->lock);
    if ( !rc )
        c->link_bits = EVTCHN_FIFO_LINK_BITS;
    return rc;
}

int evtchn_expand_array(struct domain *caller,
                        const struct evtchn_expand_array *e)
{
    struct domain *d = caller;
    struct evtchn_fifo_domain *f;
    evtchn_port_t p, first;
    int rc;

    spin_lock(&d->evtchn->lock);
    f = d->evtchn->fifo;
    if ( !f )
    {
        rc = -EOPNOTSUPP;       /* still 2-level: no array to expand */
        goto out;
    }
    if ( f->nr_pages >= EVTCHN_FIFO_MAX_EVENT_ARRAY_PAGES )
    {
        rc = -ENOSPC;
        goto out;
    }
    rc = evtchn_fifo_page_get(d, e->array_gfn, &f->pages[f->nr_pages]);
    if ( rc )
        goto out;
    f->array[f->nr_pages] = f->pages[f->nr_pages].va;
    first = f->nr_pages * WORDS_PER_PAGE;
    f->nr_pages++;

    /* Ports of this page that went pending while they had no word. */
    for ( p = first; p < first + WORDS_PER_PAGE; p++ )
    {
        struct evtchn *chn = evtchn_from_port(d, p);

        if ( chn && chn->fifo_pending )
        {
            chn->fifo_pending = false;
            evtchn_port_set_pending(d, p);
        }
    }
 out:
    spin_unlock(&d->evtchn->lock);
    return rc;
}
