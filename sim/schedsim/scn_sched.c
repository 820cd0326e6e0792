/* SPDX-License-Identifier: MIT */
/*
 * The host and pool side of a scenario: CPU topology ("topology") and
 * per-pool scheduler parameters ("credit", "credit2", "arinc653"), with
 * the ranges of the parameter contract in core/include/orrery/sched.h.
 */
#include <string.h>

#include "scn_parse.h"

/*
 * "topology": {"sockets", "cores" (per socket), "threads" (per core),
 * "nodes" (NUMA nodes in all)}. pCPUs are numbered thread first (the
 * siblings of a core are neighbours), then core, then socket; core ids
 * are host-wide. A node holds whole sockets or a whole share of one.
 */
bool scn_get_topology(struct ctx *c, const struct json *root,
                      struct scenario *sc)
{
    static const char *const keys[] = { "sockets", "cores", "threads",
                                        "nodes", NULL };
    const struct json *t = json_get(root, "topology");
    unsigned int sockets = 1, cores = 1, threads = 1, nodes = 1, cpus,
                 per_node;

    if ( !t )
        return true;
    if ( !want(c, t, JSON_OBJECT, "topology") ||
         !only_keys(c, t, keys, "topology") ||
         !get_uint(c, t, "sockets", 1, NR_CPUS, &sockets) ||
         !get_uint(c, t, "cores", 1, NR_CPUS, &cores) ||
         !get_uint(c, t, "threads", 1, NR_CPUS, &threads) ||
         !get_uint(c, t, "nodes", 1, NR_CPUS, &nodes) )
        return false;
    cpus = sockets * cores * threads;
    if ( cpus > NR_CPUS )
        return err(c, t->line, "topology has %u pCPUs, more than %u", cpus,
                   NR_CPUS);
    if ( json_get(root, "pcpus") && sc->pcpus != cpus )
        return err(c, json_get(root, "pcpus")->line, "pcpus = %u, but "
                   "the topology has %u", sc->pcpus, cpus);
    if ( (sockets * cores) % nodes ||
         (sockets % nodes && nodes % sockets) )
        return err(c, json_get(t, "nodes") ? json_get(t, "nodes")->line
                                           : t->line,
                   "%u nodes cannot split %u sockets of %u cores evenly",
                   nodes, sockets, cores);
    per_node = sockets * cores / nodes;     /* cores per node */
    sc->pcpus = cpus;
    sc->has_topology = true;
    for ( unsigned int cpu = 0; cpu < cpus; cpu++ )
    {
        unsigned int core = cpu / threads;  /* host-wide */

        sc->topo[cpu] = (struct cpu_topology){
            .thread = (uint16_t)(cpu % threads),
            .core = (uint16_t)core,
            .socket = (uint16_t)(core / cores),
            .node = (uint16_t)(core / per_node),
        };
    }
    return true;
}

/* 0 (off) or 100 .. 500000 us (sched.h). */
static bool get_ratelimit(struct ctx *c, const struct json *j,
                          int64_t *out)
{
    double v = -1;

    if ( !get_num(c, j, "ratelimit_us", 0, 500000, true, &v) )
        return false;
    if ( v > 0 && v < 100 )
        return err(c, json_get(j, "ratelimit_us")->line, "ratelimit_us = "
                   "%g: 0 (off) or 100 .. 500000", v);
    *out = (int64_t)v;
    return true;
}

static bool get_credit(struct ctx *c, const struct json *j,
                       struct scn_pool_params *pp)
{
    static const char *const keys[] = { "tslice_ms", "ratelimit_us", NULL };
    double ts = -1;

    if ( !want(c, j, JSON_OBJECT, "credit") ||
         !only_keys(c, j, keys, "credit") ||
         !get_num(c, j, "tslice_ms", 1, 1000, true, &ts) ||
         !get_ratelimit(c, j, &pp->credit_ratelimit_us) )
        return false;
    pp->credit_tslice_ms = (int64_t)ts;
    if ( ts > 0 && pp->credit_ratelimit_us > ts * 1000 )
        return err(c, json_get(j, "ratelimit_us")->line, "ratelimit_us = "
                   "%lld is longer than the time slice (%g ms)",
                   (long long)pp->credit_ratelimit_us, ts);
    pp->credit = true;
    return true;
}

static bool get_credit2(struct ctx *c, const struct json *j,
                        struct scn_pool_params *pp)
{
    static const char *const keys[] = { "runqueue", "ratelimit_us", NULL };
    static const char *const rq[] = { "cpu", "core", "socket", "node",
                                      "all" };
    const struct json *r;

    if ( !want(c, j, JSON_OBJECT, "credit2") ||
         !only_keys(c, j, keys, "credit2") ||
         !get_ratelimit(c, j, &pp->credit2_ratelimit_us) )
        return false;
    if ( (r = json_get(j, "runqueue")) )
    {
        int k;

        if ( !want(c, r, JSON_STRING, "runqueue") )
            return false;
        for ( k = 0; k < 5 && strcmp(rq[k], r->str); k++ )
            ;
        if ( k == 5 )
            return err(c, r->line, "unknown runqueue \"%s\" (cpu, core, "
                       "socket, node or all)", r->str);
        /* The order of enum credit2_runqueue. */
        pp->credit2_runqueue = k;
    }
    pp->credit2 = true;
    return true;
}

/* "arinc653": {"major_frame_us", "schedule": [{"domain", "vcpu",
 * "runtime_us"}...]}: minor frames in order; the major frame defaults to
 * their sum and may not be shorter. */
static bool get_arinc653(struct ctx *c, const struct json *j,
                         struct scn_pool_params *pp)
{
    static const char *const keys[] = { "major_frame_us", "schedule",
                                        NULL };
    static const char *const ekeys[] = { "domain", "vcpu", "runtime_us",
                                         NULL };
    const struct json *s;
    int64_t sum = 0;

    pp->major_frame_ns = -1;
    if ( !want(c, j, JSON_OBJECT, "arinc653") ||
         !only_keys(c, j, keys, "arinc653") ||
         !get_us(c, j, "major_frame_us", 1, 1e9, &pp->major_frame_ns) )
        return false;
    s = json_get(j, "schedule");
    if ( !s )
        return err(c, j->line, "arinc653 needs a \"schedule\"");
    if ( !want(c, s, JSON_ARRAY, "schedule") )
        return false;
    if ( s->n > ARINC653_MAX_ENTRIES )
        return err(c, s->line, "schedule has %zu entries, at most %d",
                   s->n, ARINC653_MAX_ENTRIES);
    for ( size_t i = 0; i < s->n; i++ )
    {
        const struct json *e = s->items[i], *d;
        struct scn_a653_entry *en = &pp->entry[i];

        en->runtime_ns = -1;
        if ( !want(c, e, JSON_OBJECT, "a schedule entry") ||
             !only_keys(c, e, ekeys, "a schedule entry") ||
             !get_uint(c, e, "vcpu", 0, 1023, &en->vcpu) ||
             !get_us(c, e, "runtime_us", 1, 1e9, &en->runtime_ns) )
            return false;
        d = json_get(e, "domain");
        if ( !d || en->runtime_ns < 0 )
            return err(c, e->line, "a schedule entry needs \"domain\" and "
                       "\"runtime_us\"");
        if ( !want(c, d, JSON_STRING, "domain") )
            return false;
        if ( strlen(d->str) >= SCN_NAME_LEN )
            return err(c, d->line, "no domain \"%s\"", d->str);
        strcpy(en->domain, d->str);
        en->line = d->line;
        sum += en->runtime_ns;
    }
    pp->nr_entries = (unsigned int)s->n;
    if ( pp->major_frame_ns < 0 )
        pp->major_frame_ns = sum;
    else if ( pp->major_frame_ns < sum )
        return err(c, json_get(j, "major_frame_us")->line, "major_frame_us "
                   "= %lld is shorter than the schedule (%lld us)",
                   (long long)pp->major_frame_ns / 1000,
                   (long long)sum / 1000);
    if ( pp->major_frame_ns == 0 )
        return err(c, s->line, "schedule is empty and major_frame_us is "
                   "not given");
    pp->arinc653 = true;
    return true;
}

bool scn_get_pool_params(struct ctx *c, const struct json *p,
                         struct scn_pool *pool)
{
    struct scn_pool_params *pp = &pool->params;
    const struct json *j;

    pp->credit_tslice_ms = pp->credit_ratelimit_us = -1;
    pp->credit2_runqueue = -1;
    pp->credit2_ratelimit_us = -1;
    if ( !p )
        return true;
    if ( (j = json_get(p, "credit")) && !get_credit(c, j, pp) )
        return false;
    if ( (j = json_get(p, "credit2")) && !get_credit2(c, j, pp) )
        return false;
    if ( (j = json_get(p, "arinc653")) && !get_arinc653(c, j, pp) )
        return false;
    return true;
}

bool scn_resolve_pool_params(struct ctx *c, struct scenario *sc)
{
    for ( size_t p = 0; p < sc->npools; p++ )
    {
        struct scn_pool_params *pp = &sc->pools[p].params;

        for ( unsigned int i = 0; pp->arinc653 && i < pp->nr_entries; i++ )
        {
            struct scn_a653_entry *en = &pp->entry[i];

            en->dom = scn_domain_index(sc, sc->ndomains, en->domain);
            if ( en->dom == sc->ndomains )
                return err(c, en->line, "no domain \"%s\"", en->domain);
            if ( en->vcpu >= sc->domains[en->dom].nvcpus )
                return err(c, en->line, "domain \"%s\" has no vCPU %u",
                           en->domain, en->vcpu);
        }
    }
    return true;
}
