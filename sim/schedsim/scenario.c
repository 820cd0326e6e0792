/* SPDX-License-Identifier: MIT */
/*
 * Scenario files: JSON -> struct scenario, checking every key, type and
 * range, so that a typo is an error with its line instead of a default
 * silently used. This file: the top level, pools, events; the parts are
 * in scn_domain.c, scn_workload.c, scn_sched.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn_parse.h"

/*
 * "pools": pools other than pool 0, plus optionally {"id": 0, ...} to give
 * pool 0 (the pCPUs left over, the run's scheduler) its parameters.
 */
static bool get_pools(struct ctx *c, const struct json *j,
                      struct scenario *sc)
{
    static const char *const keys[] = { "id", "sched", "cpus", "credit",
                                        "credit2", "arinc653", NULL };
    cpumask_t used = CPUMASK_NONE;
    bool pool0 = false;

    sc->pools = calloc((j ? j->n : 0) + 1, sizeof(*sc->pools));
    sc->npools = 1;
    if ( !scn_get_pool_params(c, NULL, &sc->pools[0]) )
        return false;
    if ( j && !want(c, j, JSON_ARRAY, "pools") )
        return false;
    for ( size_t i = 0; j && i < j->n; i++ )
    {
        const struct json *p = j->items[i], *s, *cp;
        struct scn_pool *pool;
        unsigned int id = 0;

        if ( !want(c, p, JSON_OBJECT, "a pool") ||
             !only_keys(c, p, keys, "a pool") ||
             !get_uint(c, p, "id", 0, 1000000, &id) )
            return false;
        if ( !json_get(p, "id") )
            return err(c, p->line, "a pool needs an \"id\" (pool 0 is the "
                       "default pool, made of the pCPUs left over)");
        if ( id == 0 )
        {
            const char *bad = json_get(p, "cpus") ? "cpus" :
                              json_get(p, "sched") ? "sched" : NULL;

            if ( pool0 )
                return err(c, p->line, "pool 0 is defined twice");
            if ( bad )
                return err(c, json_get(p, bad)->line, "pool 0 takes no "
                           "\"%s\" (it has the pCPUs left over and the "
                           "run's scheduler)", bad);
            pool0 = true;
            if ( !scn_get_pool_params(c, p, &sc->pools[0]) )
                return false;
            continue;
        }
        for ( size_t k = 1; k < sc->npools; k++ )
            if ( sc->pools[k].id == id )
                return err(c, p->line, "pool %u is defined twice", id);
        pool = &sc->pools[sc->npools++];
        pool->id = id;
        if ( (s = json_get(p, "sched")) )
        {
            if ( !want(c, s, JSON_STRING, "sched") )
                return false;
            if ( sched_id_of(s->str) < 0 )
                return err(c, s->line, "unknown scheduler \"%s\"", s->str);
            snprintf(pool->sched, sizeof(pool->sched), "%s", s->str);
        }
        cp = json_get(p, "cpus");
        if ( !cp )
            return err(c, p->line, "pool %u needs \"cpus\"", id);
        if ( !get_cpus(c, cp, sc->pcpus, "cpus", &pool->cpus) )
            return false;
        if ( pool->cpus.bits & used.bits )
            return err(c, cp->line, "pool %u shares a pCPU with another "
                       "pool", id);
        used.bits |= pool->cpus.bits;
        if ( !scn_get_pool_params(c, p, pool) )
            return false;
    }
    sc->pools[0].cpus.bits = ~used.bits &
        (sc->pcpus == 64 ? ~0ULL : (1ULL << sc->pcpus) - 1);
    if ( cpumask_empty(sc->pools[0].cpus) )
        return err(c, j->line, "no pCPU is left for pool 0");
    return true;
}

static bool get_events(struct ctx *c, const struct json *j,
                       struct scenario *sc)
{
    static const char *const keys[] = { "at_ms", "action", "domain",
                                        "pool", "weight", "cap", NULL };
    static const char *const actions[] = { "pause", "unpause", "move",
                                           "weight", "cap" };

    if ( !j )
        return true;
    if ( !want(c, j, JSON_ARRAY, "events") )
        return false;
    sc->events = calloc(j->n, sizeof(*sc->events));
    for ( size_t i = 0; i < j->n; i++ )
    {
        const struct json *e = j->items[i], *a, *d;
        struct scn_event *ev = &sc->events[sc->nevents++];
        double at = -1;
        size_t k;

        if ( !want(c, e, JSON_OBJECT, "an event") ||
             !only_keys(c, e, keys, "an event") ||
             !get_num(c, e, "at_ms", 0, 1e9, false, &at) )
            return false;
        a = json_get(e, "action");
        d = json_get(e, "domain");
        if ( at < 0 || !a || !d )
            return err(c, e->line, "an event needs at_ms, action, domain");
        if ( !want(c, a, JSON_STRING, "action") ||
             !want(c, d, JSON_STRING, "domain") )
            return false;
        ev->at_ns = (int64_t)(at * 1e6);
        for ( k = 0; k < 5 && strcmp(actions[k], a->str); k++ )
            ;
        if ( k == 5 )
            return err(c, a->line, "unknown action \"%s\"", a->str);
        ev->action = (enum scn_action)k;
        k = scn_domain_index(sc, sc->ndomains, d->str);
        if ( k == sc->ndomains )
            return err(c, d->line, "no domain \"%s\"", d->str);
        ev->domain = k;
        if ( (ev->action == SCN_MOVE && !json_get(e, "pool")) ||
             (ev->action == SCN_WEIGHT && !json_get(e, "weight")) ||
             (ev->action == SCN_CAP && !json_get(e, "cap")) )
            return err(c, e->line, "action \"%s\" needs \"%s\"", a->str,
                       a->str[0] == 'm' ? "pool" : a->str);
        if ( !get_uint(c, e, "pool", 0, 1000000, &ev->value) ||
             !get_uint(c, e, "weight", 1, 65535, &ev->value) ||
             !get_uint(c, e, "cap", 0, 6400, &ev->value) )
            return false;
        if ( i && ev->at_ns < sc->events[i - 1].at_ns )
            return err(c, e->line, "events must be in time order");
    }
    return true;
}

static bool pool_known(const struct scenario *sc, unsigned int id)
{
    for ( size_t i = 0; i < sc->npools; i++ )
        if ( sc->pools[i].id == id )
            return true;
    return false;
}

static bool load(struct ctx *c, const struct json *root, struct scenario *sc)
{
    static const char *const keys[] = { "pcpus", "topology",
        "duration_ms", "sched", "overhead", "invariants", "pools",
        "domains", "events", "comment", NULL };
    static const char *const okeys[] = { "decision_ns", "switch_ns", NULL };
    static const char *const ikeys[] = { "starvation_ms", NULL };
    const struct json *j;
    double v;

    if ( !want(c, root, JSON_OBJECT, "the scenario") ||
         !only_keys(c, root, keys, "the scenario") )
        return false;
    if ( !json_get(root, "pcpus") && !json_get(root, "topology") )
        return err(c, root->line, "the scenario needs \"pcpus\" or "
                   "\"topology\"");
    if ( !get_uint(c, root, "pcpus", 1, NR_CPUS, &sc->pcpus) ||
         !scn_get_topology(c, root, sc) )
        return false;
    v = 10000;
    if ( !get_num(c, root, "duration_ms", 0.001, 1e7, false, &v) )
        return false;
    sc->duration_ns = (int64_t)(v * 1e6);
    if ( (j = json_get(root, "sched")) )
    {
        if ( !want(c, j, JSON_STRING, "sched") )
            return false;
        if ( sched_id_of(j->str) < 0 )
            return err(c, j->line, "unknown scheduler \"%s\"", j->str);
        snprintf(sc->sched, sizeof(sc->sched), "%s", j->str);
    }
    if ( (j = json_get(root, "overhead")) )
    {
        double d = 0, s = 0;

        if ( !want(c, j, JSON_OBJECT, "overhead") ||
             !only_keys(c, j, okeys, "overhead") ||
             !get_num(c, j, "decision_ns", 0, 1e7, true, &d) ||
             !get_num(c, j, "switch_ns", 0, 1e7, true, &s) )
            return false;
        sc->decision_ns = (int64_t)d;
        sc->switch_ns = (int64_t)s;
    }
    /* How long a runnable vCPU may wait for a pCPU before the checker
     * calls it starved (check.c); 0 turns the check off. */
    v = 1000;
    if ( (j = json_get(root, "invariants")) &&
         (!want(c, j, JSON_OBJECT, "invariants") ||
          !only_keys(c, j, ikeys, "invariants") ||
          !get_num(c, j, "starvation_ms", 0, 1e7, false, &v)) )
        return false;
    sc->starvation_ns = (int64_t)(v * 1e6);
    if ( !get_pools(c, json_get(root, "pools"), sc) )
        return false;
    j = json_get(root, "domains");
    if ( !j )
        return err(c, root->line, "the scenario needs \"domains\"");
    if ( !want(c, j, JSON_ARRAY, "domains") )
        return false;
    sc->domains = calloc(j->n, sizeof(*sc->domains));
    for ( size_t i = 0; i < j->n; i++ )
    {
        struct scn_domain *d = &sc->domains[sc->ndomains++];

        if ( !scn_get_domain(c, j->items[i], sc, d) )
            return false;
        for ( size_t k = 0; k + 1 < sc->ndomains; k++ )
            if ( strcmp(sc->domains[k].name, d->name) == 0 )
                return err(c, j->items[i]->line, "domain \"%s\" is "
                           "defined twice", d->name);
        if ( !pool_known(sc, d->pool) )
            return err(c, j->items[i]->line, "domain \"%s\": no pool %u",
                       d->name, d->pool);
    }
    if ( !scn_resolve_pool_params(c, sc) || !scn_resolve_notify(c, sc) ||
         !get_events(c, json_get(root, "events"), sc) )
        return false;
    for ( size_t i = 0; i < sc->nevents; i++ )
        if ( sc->events[i].action == SCN_MOVE &&
             !pool_known(sc, sc->events[i].value) )
            return err(c, root->line, "event %zu: no pool %u", i,
                       sc->events[i].value);
    return true;
}

struct json *scn_read_json(const char *file)
{
    char msg[256];
    struct json *root;
    FILE *f = fopen(file, "rb");
    char *text;
    long len;

    if ( !f )
    {
        fprintf(stderr, "%s:0: cannot open: %m\n", file);
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = calloc(1, (size_t)(len > 0 ? len : 0) + 1);
    if ( len > 0 && fread(text, 1, (size_t)len, f) != (size_t)len )
        len = -1;
    fclose(f);
    if ( len < 0 || memchr(text, '\0', (size_t)len) )
    {
        fprintf(stderr, "%s:0: cannot read it as text\n", file);
        free(text);
        return NULL;
    }
    root = json_parse(text, msg, sizeof(msg));
    free(text);
    if ( !root )
        fprintf(stderr, "%s:%s\n", file, msg);
    return root;
}

bool scenario_load(const char *file, struct scenario *sc)
{
    struct ctx c = { .file = file };
    struct json *root;
    bool ok;

    memset(sc, 0, sizeof(*sc));
    sc->file = file;
    if ( !(root = scn_read_json(file)) )
        return false;
    ok = load(&c, root, sc);
    json_free(root);
    if ( !ok )
        scenario_free(sc);
    return ok;
}

void scenario_free(struct scenario *sc)
{
    for ( size_t i = 0; i < sc->ndomains; i++ )
    {
        for ( size_t k = 0; k < sc->domains[i].nvcpus; k++ )
            free(sc->domains[i].vcpus[k].phases);
        free(sc->domains[i].vcpus);
    }
    free(sc->domains);
    free(sc->pools);
    free(sc->events);
}
