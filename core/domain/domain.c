/* SPDX-License-Identifier: MIT */
/*
 * Creating and destroying domains; the domain list and references.
 *
 * A domain is found by id only while it is live: once destroy starts it
 * is dying and lookups fail with -ESRCH, but holders of a reference keep
 * a valid struct until their domain_put(). Its resources are returned at
 * destroy time, not at the last put, so that a guest holding a reference
 * to a dead peer (an event channel, a grant) cannot keep its memory.
 */
#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/mm.h>
#include <orrery/p2m.h>

#include <public/event_channel.h>

#include "domain_private.h"

LIST_HEAD(domain_list);
DEFINE_SPINLOCK(domain_list_lock);
static unsigned int nr_domains;
static domid_t domid_rotor = 1;

unsigned int domain_count(void)
{
    return nr_domains;
}

/* Caller holds domain_list_lock. */
static struct domain *find_locked(domid_t id)
{
    struct list_head *pos;

    list_for_each(pos, &domain_list)
    {
        struct domain *d = list_entry(pos, struct domain, list);

        if ( d->domain_id == id )
            return d;
    }
    return NULL;
}

/*
 * Ids are handed out from a rotor, as Xen does, so that a destroyed
 * domain's id is not reused at once by the next domain (a toolstack may
 * still be cleaning up after the old one). Caller holds the list lock.
 */
static int pick_domid(domid_t *out)
{
    unsigned int tries;

    for ( tries = 1; tries < DOMID_FIRST_RESERVED; tries++ )
    {
        domid_t id = domid_rotor;

        domid_rotor = domid_rotor + 1U >= DOMID_FIRST_RESERVED ?
                      1 : domid_rotor + 1;
        if ( !find_locked(id) )
        {
            *out = id;
            return 0;
        }
    }
    return -ENOSPC;
}

/* Insert keeping the list sorted by id (debug key 'q' prints in order). */
static void insert_sorted(struct domain *d)
{
    struct list_head *pos;

    list_for_each(pos, &domain_list)
        if ( list_entry(pos, struct domain, list)->domain_id > d->domain_id )
            break;
    list_add_tail(&d->list, pos);
}

static int check_config(const struct domain_create_config *cfg)
{
    if ( cfg->flags & ~ORR_CDF_FLAGS_MASK )
        return -EINVAL;
    if ( cfg->guest_type >= ORR_GUEST_TYPES )
        return -EINVAL;
    if ( cfg->max_vcpus == 0 || cfg->max_vcpus > DOMAIN_MAX_VCPUS )
        return -EINVAL;
    if ( cfg->domid != DOMID_INVALID && cfg->domid >= DOMID_FIRST_RESERVED )
        return -EINVAL;
    if ( cfg->max_evtchn_port > EVTCHN_FIFO_NR_CHANNELS )
        return -EINVAL;     /* the FIFO ABI's limit; 2-level's is lower */
    return 0;
}

static void free_vcpus(struct domain *d)
{
    unsigned int i;

    if ( !d->vcpu )
        return;
    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
        {
            xfree(d->vcpu[i]);
            d->vcpu[i] = NULL;
            ledger_charge(d, LEDGER_VCPUS, -1);
        }
    xfree(d->vcpu);
    d->vcpu = NULL;
}

static int alloc_vcpus(struct domain *d)
{
    unsigned int i;

    d->vcpu = xzalloc_array(struct vcpu *, d->max_vcpus);
    if ( !d->vcpu )
        return -ENOMEM;
    for ( i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu *v = xzalloc(struct vcpu);

        if ( !v )
            return -ENOMEM;
        v->vcpu_id = i;
        v->domain = d;
        v->is_up = i == 0;      /* the others wait for VCPUOP_up */
        if ( i < XEN_LEGACY_MAX_VCPUS )
            v->vcpu_info = &d->shared_info->vcpu_info[i];
        d->vcpu[i] = v;
        ledger_charge(d, LEDGER_VCPUS, 1);
    }
    return 0;
}

static void free_shared_info(struct domain *d)
{
    if ( !d->shared_info )
        return;
    free_page_virt(d->shared_info, 0);
    d->shared_info = NULL;
    ledger_charge(d, LEDGER_XEN_PAGES, -1);
}

/* Return everything @d holds; safe on a partly built domain. */
static void relinquish(struct domain *d)
{
    domain_hooks_teardown(d);
    p2m_teardown(d);
    domain_relinquish_memory(d);    /* pages the p2m did not hold */
    free_vcpus(d);
    free_shared_info(d);
}

int domain_create(const struct domain_create_config *cfg, struct domain **out)
{
    struct domain *d;
    domid_t id;
    int rc;

    *out = NULL;
    rc = check_config(cfg);
    if ( rc )
        return rc;

    d = xzalloc(struct domain);
    if ( !d )
        return -ENOMEM;
    d->guest_type = cfg->guest_type;
    d->is_privileged = cfg->flags & ORR_CDF_privileged;
    d->max_vcpus = cfg->max_vcpus;
    d->max_pages = cfg->max_pages;
    d->max_evtchn_port = cfg->max_evtchn_port ? cfg->max_evtchn_port :
                         EVTCHN_2L_NR_CHANNELS;
    d->pause_count = 1;
    d->refcnt = 1;
    d->domain_id = DOMID_INVALID;
    spin_lock_init(&d->lock);
    INIT_LIST_HEAD(&d->list);
    INIT_LIST_HEAD(&d->page_list);

    /* shared_info is mapped into the guest: a whole page of its own. */
    d->shared_info = alloc_page_virt(0, MEMF_ZERO);
    if ( !d->shared_info )
    {
        rc = -ENOMEM;
        goto fail;
    }
    ledger_charge(d, LEDGER_XEN_PAGES, 1);

    rc = alloc_vcpus(d);
    if ( !rc )
        rc = p2m_init(d, cfg->p2m_ops);
    if ( rc )
        goto fail;

    /* The id last but one: the domain appears in the list complete. */
    spin_lock(&domain_list_lock);
    if ( cfg->domid == DOMID_INVALID )
        rc = pick_domid(&id);
    else
    {
        id = cfg->domid;
        rc = find_locked(id) ? -EEXIST : 0;
    }
    if ( !rc )
    {
        d->domain_id = id;
        if ( cfg->name && cfg->name[0] )
            strlcpy(d->name, cfg->name, sizeof(d->name));
        else
            snprintf(d->name, sizeof(d->name), "d%u", id);
        insert_sorted(d);
        nr_domains++;
    }
    spin_unlock(&domain_list_lock);
    if ( rc )
        goto fail;

    /* Subsystems last: their init may look the domain up by id. */
    rc = domain_hooks_init(d);
    if ( rc )
    {
        spin_lock(&domain_list_lock);
        list_del(&d->list);
        nr_domains--;
        spin_unlock(&domain_list_lock);
        goto fail;
    }

    *out = d;
    return 0;

 fail:
    relinquish(d);
    ledger_check(d);
    xfree(d);
    return rc;
}

int domain_destroy(struct domain *d)
{
    unsigned int i;

    spin_lock(&d->lock);
    if ( d->is_dying )
    {
        spin_unlock(&d->lock);
        return -EINVAL;
    }
    d->is_dying = true;
    spin_unlock(&d->lock);

    for ( i = 0; i < d->max_vcpus; i++ )
        d->vcpu[i]->is_up = false;
    relinquish(d);
    ledger_check(d);
    domain_put(d);              /* the reference creation gave the list */
    return 0;
}

struct domain *domain_get(domid_t id)
{
    struct domain *d;

    spin_lock(&domain_list_lock);
    d = find_locked(id);
    if ( d && d->is_dying )
        d = NULL;
    if ( d )
        d->refcnt++;
    spin_unlock(&domain_list_lock);
    return d;
}

void domain_get_ref(struct domain *d)
{
    spin_lock(&domain_list_lock);
    BUG_ON(d->refcnt == 0);
    d->refcnt++;
    spin_unlock(&domain_list_lock);
}

void domain_put(struct domain *d)
{
    bool last;

    spin_lock(&domain_list_lock);
    BUG_ON(d->refcnt == 0);
    last = --d->refcnt == 0;
    if ( last )
    {
        /* Only a destroyed domain loses its list reference. */
        BUG_ON(!d->is_dying);
        list_del(&d->list);
        nr_domains--;
    }
    spin_unlock(&domain_list_lock);
    if ( last )
        xfree(d);
}

int domain_lookup(struct domain *caller, domid_t id, struct domain **out)
{
    *out = NULL;
    if ( id == DOMID_SELF || (caller && id == caller->domain_id) )
    {
        if ( !caller || caller->is_dying )
            return -ESRCH;
        domain_get_ref(caller);
        *out = caller;
        return 0;
    }
    if ( id >= DOMID_FIRST_RESERVED )
        return -ESRCH;
    *out = domain_get(id);
    return *out ? 0 : -ESRCH;
}

void domain_for_each(void (*fn)(struct domain *d, void *arg), void *arg)
{
    struct list_head *pos;

    spin_lock(&domain_list_lock);
    list_for_each(pos, &domain_list)
        fn(list_entry(pos, struct domain, list), arg);
    spin_unlock(&domain_list_lock);
}
