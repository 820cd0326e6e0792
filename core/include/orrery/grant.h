/* SPDX-License-Identifier: MIT */
/*
 * Grant tables (reference/xen-abi-facts.md §2.3): a domain publishes
 * entries in frames it shares with the hypervisor ("domain B may read /
 * write my frame F"), and B maps the frame into its own p2m or copies to
 * and from it through the hypervisor.
 *
 * Per domain (core/grant, created by a domain hook):
 *   - the shared frames: v1 (8-byte entries, status bits inside) or v2
 *     (16-byte entries; GTF_reading/writing in separate status frames),
 *     grown on demand up to GNTTAB_MAX_FRAMES;
 *   - an active entry per grant in use: who pinned it, the frame, the
 *     sub-page window, how many mappings and copies hold it;
 *   - a maptrack table of the mappings this domain made of others'
 *     grants, indexed by the handle returned to the guest.
 *
 * Lifetime: a mapping holds a reference on the granted page and on the
 * granting domain's struct; both outlive the granter's destroy until the
 * mapper unmaps (or is destroyed itself). Every mapping a dying domain
 * made is undone by its teardown.
 */
#ifndef ORRERY_GRANT_H
#define ORRERY_GRANT_H

#include <orrery/types.h>

struct domain;
struct vcpu;
struct hypercall_regs;

/* Xen's defaults (§2.3): 64 grant frames, 1024 maptrack frames. */
#define GNTTAB_MAX_FRAMES      64U
#define GNTTAB_MAPTRACK_FRAMES 1024U
/* Maptrack entries per maptrack "frame" (Xen's 16-byte entries). */
#define GNTTAB_MAPTRACK_PER_FRAME 256U

/*
 * The machine frame behind grant frame @idx of @d (or, with @status, v2
 * status frame @idx), for XENMEM_add_to_physmap(XENMAPSPACE_grant_table).
 * A frame past the current size grows the table to include it, as Xen
 * does; -EINVAL past the maximum, for a status frame while @d uses v1,
 * or when @d has no grant table (dying); -ENOMEM.
 *
 * The frame stays the grant table's: the caller maps it into the guest
 * but never frees it (core/grant frees it at the domain's grant
 * teardown, which runs before p2m_teardown), so it must be mapped with a
 * p2m type whose teardown does not free the frame, or with a page
 * reference taken for the mapping.
 */
int gnttab_get_frame(struct domain *d, unsigned int idx, bool status,
                     mfn_t *mfn);

/* Current grant-table version of @d (1 or 2; 0 if it has no table). */
unsigned int gnttab_version(const struct domain *d);
/* Grant frames @d has now. */
unsigned int gnttab_nr_frames(const struct domain *d);
/* Grants of @d mapped or held by a copy right now (any mapper). */
unsigned int gnttab_active_count(const struct domain *d);
/* Mappings @d has made of other domains' grants (maptrack in use). */
unsigned int gnttab_maptrack_count(const struct domain *d);

/* The hypercall: grant_table_op(cmd, uop, count). */
int64_t do_grant_table_op(struct vcpu *v, struct hypercall_regs *r);

/* Boot: register the per-domain hooks and debug key 'g'. */
void gnttab_subsys_init(void);
/* Just the per-domain hooks (tests that reset the hook table). */
void gnttab_register_domain_hooks(void);
/* Print every domain's active grants and mappings (debug key 'g'). */
void gnttab_dump(void);

#endif /* ORRERY_GRANT_H */
