/* SPDX-License-Identifier: MIT */
/*
 * Scenario files: JSON -> struct scenario, checking every key, type and
 * range, so that a typo is an error with its line instead of a default
 * silently used.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "scenario.h"

struct ctx {
    const char *file;
};

static bool err(struct ctx *c, unsigned int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool err(struct ctx *c, unsigned int line, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s:%u: ", c->file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return false;
}

static bool want(struct ctx *c, const struct json *j, enum json_type t,
                 const char *what)
{
    if ( j->type == t )
        return true;
    return err(c, j->line, "%s must be %s, not %s", what, json_type_name(t),
               json_type_name(j->type));
}

/* Every key of @obj must be in @allowed (NULL-terminated). */
static bool only_keys(struct ctx *c, const struct json *obj,
                      const char *const *allowed, const char *what)
{
    for ( size_t i = 0; i < obj->n; i++ )
    {
        const char *const *a;

        for ( a = allowed; *a && strcmp(*a, obj->keys[i]) != 0; a++ )
            ;
        if ( !*a )
            return err(c, obj->key_lines[i], "unknown key \"%s\" in %s",
                       obj->keys[i], what);
    }
    return true;
}

/* A number in [min, max] under @key (absent: *out unchanged). */
static bool get_num(struct ctx *c, const struct json *obj, const char *key,
                    double min, double max, bool integer, double *out)
{
    const struct json *j = json_get(obj, key);

    if ( !j )
        return true;
    if ( !want(c, j, JSON_NUMBER, key) )
        return false;
    if ( integer && j->num != floor(j->num) )
        return err(c, j->line, "%s must be a whole number, not %g", key,
                   j->num);
    if ( !(j->num >= min && j->num <= max) )
        return err(c, j->line, "%s = %g is out of range [%g, %g]", key,
                   j->num, min, max);
    *out = j->num;
    return true;
}

static bool get_uint(struct ctx *c, const struct json *obj, const char *key,
                     unsigned int min, unsigned int max, unsigned int *out)
{
    double v = *out;

    if ( !get_num(c, obj, key, min, max, true, &v) )
        return false;
    *out = (unsigned int)v;
    return true;
}

static bool get_cpus(struct ctx *c, const struct json *j, unsigned int pcpus,
                     const char *what, cpumask_t *out)
{
    if ( !want(c, j, JSON_ARRAY, what) )
        return false;
    if ( j->n == 0 )
        return err(c, j->line, "%s lists no pCPU", what);
    *out = CPUMASK_NONE;
    for ( size_t i = 0; i < j->n; i++ )
    {
        const struct json *e = j->items[i];

        if ( !want(c, e, JSON_NUMBER, what) )
            return false;
        if ( e->num != floor(e->num) || e->num < 0 || e->num >= pcpus )
            return err(c, e->line, "%s: no pCPU %g (the host has %u)", what,
                       e->num, pcpus);
        cpumask_set(out, (unsigned int)e->num);
    }
    return true;
}

static bool get_workload(struct ctx *c, const struct json *j,
                         struct scn_vcpu *v)
{
    static const char *const keys[] = { "phases", "random", NULL };
    static const char *const pkeys[] = { "run_us", "sleep_us", NULL };
    const struct json *ph, *r;

    if ( j->type == JSON_STRING )
    {
        if ( strcmp(j->str, "cpu") != 0 )
            return err(c, j->line, "unknown workload \"%s\" (\"cpu\" or "
                       "an object with \"phases\")", j->str);
        v->cpu_bound = true;
        return true;
    }
    if ( !want(c, j, JSON_OBJECT, "workload") ||
         !only_keys(c, j, keys, "workload") )
        return false;
    ph = json_get(j, "phases");
    if ( !ph )
        return err(c, j->line, "workload needs \"phases\"");
    if ( !want(c, ph, JSON_ARRAY, "phases") )
        return false;
    if ( ph->n == 0 )
        return err(c, ph->line, "phases is empty");
    r = json_get(j, "random");
    if ( r && !want(c, r, JSON_BOOL, "random") )
        return false;
    v->random = r && r->b;
    v->nphases = ph->n;
    v->phases = calloc(ph->n, sizeof(*v->phases));
    for ( size_t i = 0; i < ph->n; i++ )
    {
        const struct json *p = ph->items[i];
        double run = -1, sleep = 0;

        if ( !want(c, p, JSON_OBJECT, "a phase") ||
             !only_keys(c, p, pkeys, "a phase") ||
             !get_num(c, p, "run_us", 0.001, 1e9, false, &run) ||
             !get_num(c, p, "sleep_us", 0, 1e9, false, &sleep) )
            return false;
        if ( run < 0 )
            return err(c, p->line, "a phase needs \"run_us\"");
        v->phases[i].run_ns = (int64_t)(run * 1000);
        v->phases[i].sleep_ns = (int64_t)(sleep * 1000);
    }
    return true;
}

/* One vCPU: @j is its object, or NULL for "as the domain says". */
static bool get_vcpu(struct ctx *c, const struct json *dom,
                     const struct json *j, unsigned int pcpus,
                     struct scn_vcpu *v)
{
    static const char *const keys[] = { "affinity", "soft_affinity",
                                        "workload", NULL };
    const struct json *src[2] = { dom, j }, *w = NULL, *a;

    v->hard = CPUMASK_ALL;
    v->soft = CPUMASK_ALL;
    if ( j && (!want(c, j, JSON_OBJECT, "a vCPU") ||
               !only_keys(c, j, keys, "a vCPU")) )
        return false;
    /* The domain's settings first, the vCPU's own override them. */
    for ( int i = 0; i < 2; i++ )
    {
        if ( !src[i] )
            continue;
        if ( (a = json_get(src[i], "affinity")) &&
             !get_cpus(c, a, pcpus, "affinity", &v->hard) )
            return false;
        if ( (a = json_get(src[i], "soft_affinity")) &&
             !get_cpus(c, a, pcpus, "soft_affinity", &v->soft) )
            return false;
        if ( json_get(src[i], "workload") )
            w = json_get(src[i], "workload");
    }
    if ( !w )
        return err(c, (j ? j : dom)->line, "no workload for this vCPU");
    return get_workload(c, w, v);
}

static bool get_domain(struct ctx *c, const struct json *j,
                       struct scenario *sc, struct scn_domain *d)
{
    static const char *const keys[] = { "name", "pool", "weight", "cap",
        "vcpus", "affinity", "soft_affinity", "workload", NULL };
    const struct json *n, *vs;
    unsigned int count = 1;

    if ( !want(c, j, JSON_OBJECT, "a domain") ||
         !only_keys(c, j, keys, "a domain") )
        return false;
    n = json_get(j, "name");
    if ( !n )
        return err(c, j->line, "a domain needs a \"name\"");
    if ( !want(c, n, JSON_STRING, "name") )
        return false;
    if ( !n->str[0] || strlen(n->str) >= SCN_NAME_LEN )
        return err(c, n->line, "name must be 1..%d characters",
                   SCN_NAME_LEN - 1);
    strcpy(d->name, n->str);
    if ( !get_uint(c, j, "pool", 0, 1000000, &d->pool) ||
         !get_uint(c, j, "weight", 1, 65535, &d->weight) ||
         !get_uint(c, j, "cap", 0, 6400, &d->cap) )
        return false;
    vs = json_get(j, "vcpus");
    if ( vs && vs->type == JSON_ARRAY )
        count = (unsigned int)vs->n;
    else if ( !get_uint(c, j, "vcpus", 1, 1024, &count) )
        return false;
    if ( count == 0 )
        return err(c, vs->line, "a domain needs at least one vCPU");
    if ( d->cap > 100 * count )
        return err(c, json_get(j, "cap")->line,
                   "cap %u%% is more than %u vCPUs can use", d->cap, count);
    d->nvcpus = count;
    d->vcpus = calloc(count, sizeof(*d->vcpus));
    for ( unsigned int i = 0; i < count; i++ )
        if ( !get_vcpu(c, j, vs && vs->type == JSON_ARRAY ? vs->items[i]
                                                          : NULL,
                       sc->pcpus, &d->vcpus[i]) )
            return false;
    return true;
}

static bool get_pools(struct ctx *c, const struct json *j,
                      struct scenario *sc)
{
    static const char *const keys[] = { "id", "sched", "cpus", NULL };
    cpumask_t used = CPUMASK_NONE;

    sc->pools = calloc((j ? j->n : 0) + 1, sizeof(*sc->pools));
    sc->npools = 1;
    if ( j && !want(c, j, JSON_ARRAY, "pools") )
        return false;
    for ( size_t i = 0; j && i < j->n; i++ )
    {
        const struct json *p = j->items[i], *s, *cp;
        struct scn_pool *pool = &sc->pools[sc->npools++];
        unsigned int id = 0;

        if ( !want(c, p, JSON_OBJECT, "a pool") ||
             !only_keys(c, p, keys, "a pool") ||
             !get_uint(c, p, "id", 1, 1000000, &id) )
            return false;
        if ( !json_get(p, "id") )
            return err(c, p->line, "a pool needs an \"id\" (pool 0 is the "
                       "default pool, made of the pCPUs left over)");
        for ( size_t k = 1; k + 1 < sc->npools; k++ )
            if ( sc->pools[k].id == id )
                return err(c, p->line, "pool %u is defined twice", id);
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
        for ( k = 0; k < sc->ndomains && strcmp(sc->domains[k].name,
                                                d->str); k++ )
            ;
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
    static const char *const keys[] = { "pcpus", "duration_ms", "sched",
        "overhead", "pools", "domains", "events", "comment", NULL };
    static const char *const okeys[] = { "decision_ns", "switch_ns", NULL };
    const struct json *j;
    double v;

    if ( !want(c, root, JSON_OBJECT, "the scenario") ||
         !only_keys(c, root, keys, "the scenario") )
        return false;
    if ( !json_get(root, "pcpus") )
        return err(c, root->line, "the scenario needs \"pcpus\"");
    if ( !get_uint(c, root, "pcpus", 1, NR_CPUS, &sc->pcpus) )
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

        if ( !get_domain(c, j->items[i], sc, d) )
            return false;
        for ( size_t k = 0; k + 1 < sc->ndomains; k++ )
            if ( strcmp(sc->domains[k].name, d->name) == 0 )
                return err(c, j->items[i]->line, "domain \"%s\" is "
                           "defined twice", d->name);
        if ( !pool_known(sc, d->pool) )
            return err(c, j->items[i]->line, "domain \"%s\": no pool %u",
                       d->name, d->pool);
    }
    if ( !get_events(c, json_get(root, "events"), sc) )
        return false;
    for ( size_t i = 0; i < sc->nevents; i++ )
        if ( sc->events[i].action == SCN_MOVE &&
             !pool_known(sc, sc->events[i].value) )
            return err(c, root->line, "event %zu: no pool %u", i,
                       sc->events[i].value);
    return true;
}

bool scenario_load(const char *file, struct scenario *sc)
{
    struct ctx c = { .file = file };
    char msg[256];
    struct json *root;
    FILE *f = fopen(file, "rb");
    char *text;
    long len;
    bool ok;

    memset(sc, 0, sizeof(*sc));
    sc->file = file;
    if ( !f )
    {
        fprintf(stderr, "%s:0: cannot open: %m\n", file);
        return false;
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
        return false;
    }
    root = json_parse(text, msg, sizeof(msg));
    free(text);
    if ( !root )
    {
        fprintf(stderr, "%s:%s\n", file, msg);
        return false;
    }
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
