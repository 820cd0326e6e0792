/* SPDX-License-Identifier: MIT */
/* Debug key 'g' (and GNTTABOP_dump_table): grants in use, mappings made. */
#include <orrery/console.h>
#include <orrery/keyhandler.h>

#include "grant_private.h"

static void dump_active(struct grant_table *gt)
{
    grant_ref_t ref, nr = gnt_nr_entries(gt);

    for ( ref = 0; ref < nr; ref++ )
    {
        const struct active_grant *act = gnt_active(gt, ref);

        if ( !act->pin_rw && !act->pin_ro )
            continue;
        printk("    ref %u: d%u pins rw %u ro %u mfn %#llx [%u+%u]%s\n",
               ref, act->domid, act->pin_rw, act->pin_ro,
               (unsigned long long)mfn_x(act->mfn), act->start,
               act->length, act->sub_page ? " sub-page" : "");
    }
}

static void dump_maptrack(struct grant_table *gt)
{
    uint32_t h;

    for ( h = 0; h < gt->maptrack_frames * GNTTAB_MAPTRACK_PER_FRAME; h++ )
    {
        const struct grant_mapping *m =
            &gt->maptrack[h / GNTTAB_MAPTRACK_PER_FRAME]
                         [h % GNTTAB_MAPTRACK_PER_FRAME];

        if ( !m->flags )
            continue;
        printk("    handle %u: d%u ref %u at gfn %#llx %s\n", h,
               m->rd->domain_id, m->ref,
               (unsigned long long)gfn_x(m->gfn),
               m->flags & GNTMAP_readonly ? "ro" : "rw");
    }
}

void gnt_dump_domain(struct domain *d)
{
    struct grant_table *gt = d->grant_table;

    if ( !gt )
        return;
    spin_lock(&gt->lock);
    printk("d%u: grant table v%u, %u/%u frames, %u active, %u mapped\n",
           d->domain_id, gt->version, gt->nr_frames, GNTTAB_MAX_FRAMES,
           gt->nr_active, gt->maptrack_used);
    dump_active(gt);
    spin_unlock(&gt->lock);
    spin_lock(&gt->maptrack_lock);
    dump_maptrack(gt);
    spin_unlock(&gt->maptrack_lock);
}

static void dump_one(struct domain *d, void *arg)
{
    (void)arg;
    gnt_dump_domain(d);
}

void gnttab_dump(void)
{
    printk("Grant tables:\n");
    domain_for_each(dump_one, NULL);
}

static void key_grant(unsigned char key)
{
    (void)key;
    gnttab_dump();
}

void gnttab_subsys_init(void)
{
    gnttab_register_domain_hooks();
    register_keyhandler('g', key_grant, "dump grant table info");
}
