/* SPDX-License-Identifier: MIT */
/*
 * Entitled shares: what the pool's weights, caps and affinities promise
 * each domain, for the share-against-entitlement and fairness metrics.
 *
 * Weighted max-min fairness by progressive filling: every vCPU's rate
 * (pCPUs' worth of time) grows in proportion to its weight until it
 * reaches its demand (1 for a CPU hog, run/(run+sleep) for phases, C/T
 * for periodic jobs), its domain reaches its cap, or the pCPUs it may run
 * on are full -- which a max-flow from vCPUs through their hard affinity
 * to the pool's pCPUs (capacity 1 each) decides. Frozen vCPUs keep their
 * rate; the others grow on.
 *
 * Weights per vCPU follow the scheduler: credit shares a domain's weight
 * among its vCPUs, credit2 gives each vCPU the domain's weight, the
 * others (null, rr, rtds, arinc653) have no weights: equal shares.
 *
 * vCPUs of a domain with the same affinity and demand form one class (a
 * flow node), so a 256-vCPU host is a graph of a few dozen nodes.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define EPS 1e-12

struct cls {
    size_t dom;
    cpumask_t cpus;             /* hard affinity within the pool */
    double w, limit;            /* per vCPU */
    unsigned int count;
    double rate;                /* per vCPU */
    bool frozen;
};

/* Nodes: 0 source, 1 sink, 2.. classes, then the pool's pCPUs. */
struct net {
    unsigned int n;
    double *cap, *flow;         /* n x n */
};

#define AT(g, a, b) ((g)->cap[(size_t)(a) * (g)->n + (b)])
#define FL(g, a, b) ((g)->flow[(size_t)(a) * (g)->n + (b)])

/* Edmonds-Karp on the residual graph; returns the flow. */
static double maxflow(struct net *g)
{
    unsigned int n = g->n, *prev = malloc(n * sizeof(*prev)),
                 *queue = malloc(n * sizeof(*queue));
    double total = 0;

    memset(g->flow, 0, (size_t)n * n * sizeof(double));
    for ( ;; )
    {
        unsigned int head = 0, tail = 0;
        double push = INFINITY;

        for ( unsigned int i = 0; i < n; i++ )
            prev[i] = ~0u;
        prev[0] = 0;
        queue[tail++] = 0;
        while ( head < tail && prev[1] == ~0u )
        {
            unsigned int a = queue[head++];

            for ( unsigned int b = 0; b < n; b++ )
                if ( prev[b] == ~0u &&
                     AT(g, a, b) - FL(g, a, b) + FL(g, b, a) > EPS )
                {
                    prev[b] = a;
                    queue[tail++] = b;
                }
        }
        if ( prev[1] == ~0u )
            break;
        for ( unsigned int b = 1; b != 0; b = prev[b] )
        {
            unsigned int a = prev[b];

            push = fmin(push, AT(g, a, b) - FL(g, a, b) + FL(g, b, a));
        }
        for ( unsigned int b = 1; b != 0; b = prev[b] )
        {
            unsigned int a = prev[b];
            double back = fmin(push, FL(g, b, a));

            FL(g, b, a) -= back;
            FL(g, a, b) += push - back;
        }
        total += push;
    }
    free(prev);
    free(queue);
    return total;
}

/* The network for rates at level @t (frozen classes at their rate). */
static double build(struct net *g, struct cls *c, unsigned int nc,
                    const unsigned int *cpu_of, unsigned int ncpu,
                    double t, double *want)
{
    memset(g->cap, 0, (size_t)g->n * g->n * sizeof(double));
    *want = 0;
    for ( unsigned int k = 0; k < nc; k++ )
    {
        double r = c[k].frozen ? c[k].rate : c[k].rate + t * c[k].w;

        AT(g, 0, 2 + k) = r * c[k].count;
        *want += r * c[k].count;
        for ( unsigned int j = 0; j < ncpu; j++ )
            if ( cpumask_test(&c[k].cpus, cpu_of[j]) )
                AT(g, 2 + k, 2 + nc + j) = c[k].count;
    }
    for ( unsigned int j = 0; j < ncpu; j++ )
        AT(g, 2 + nc + j, 1) = 1;
    return maxflow(g);
}

static bool feasible(struct net *g, struct cls *c, unsigned int nc,
                     const unsigned int *cpu_of, unsigned int ncpu, double t)
{
    double want, got = build(g, c, nc, cpu_of, ncpu, t, &want);

    return got >= want - 1e-9 * (1 + want);
}

/* Classes that cannot grow at level @t: their node cannot reach the sink
 * in the residual graph of a maximum flow. */
static void freeze_blocked(struct net *g, struct cls *c, unsigned int nc,
                           const unsigned int *cpu_of, unsigned int ncpu,
                           double t)
{
    unsigned int n = g->n, *queue = malloc(n * sizeof(*queue)), head = 0,
                 tail = 0;
    bool *reach = calloc(n, sizeof(*reach));
    double want;

    build(g, c, nc, cpu_of, ncpu, t, &want);
    reach[1] = true;
    queue[tail++] = 1;
    while ( head < tail )
    {
        unsigned int b = queue[head++];

        for ( unsigned int a = 0; a < n; a++ )
            if ( !reach[a] && AT(g, a, b) - FL(g, a, b) + FL(g, b, a) > 1e-9 )
            {
                reach[a] = true;
                queue[tail++] = a;
            }
    }
    for ( unsigned int k = 0; k < nc; k++ )
        if ( !c[k].frozen && !reach[2 + k] )
            c[k].frozen = true;
    free(queue);
    free(reach);
}

static void fill_pool(const struct sim_run *r, size_t p, struct report *rep)
{
    const struct scenario *sc = r->sc;
    const struct scn_pool *pool = &sc->pools[p];
    const char *sched = pool->sched[0] && p ? pool->sched : r->sched;
    unsigned int cpu_of[NR_CPUS], ncpu = 0, nc = 0, cpu;
    struct cls *c = NULL;
    struct net g;

    for_each_cpu(cpu, pool->cpus)
        cpu_of[ncpu++] = cpu;
    for ( size_t i = 0; i < sc->ndomains; i++ )
    {
        const struct scn_domain *d = &sc->domains[i];
        double w = d->weight ? d->weight : 256;

        if ( d->pool != pool->id )
            continue;
        if ( !strcmp(sched, "credit") )
            w /= (double)d->nvcpus;
        else if ( strcmp(sched, "credit2") )
            w = 1;
        for ( size_t k = 0; k < d->nvcpus; k++ )
        {
            cpumask_t m = cpumask_and(d->vcpus[k].hard, pool->cpus);
            double lim = fmin(1, vcpu_demand(&d->vcpus[k]));
            unsigned int j;

            for ( j = 0; j < nc; j++ )
                if ( c[j].dom == i && c[j].cpus.bits == m.bits &&
                     c[j].limit == lim )
                    break;
            if ( j == nc )
            {
                c = realloc(c, (nc + 1) * sizeof(*c));
                c[nc++] = (struct cls){ .dom = i, .cpus = m, .w = w,
                                        .limit = lim,
                                        .frozen = cpumask_empty(m) ||
                                                  lim <= 0 };
            }
            c[j].count++;
        }
    }
    g.n = 2 + nc + ncpu;
    g.cap = calloc((size_t)g.n * g.n, sizeof(double));
    g.flow = calloc((size_t)g.n * g.n, sizeof(double));
    for ( unsigned int round = 0; round <= nc; round++ )
    {
        double tmax = INFINITY, lo = 0, hi;
        bool any = false, blocked;

        /* How far until a vCPU meets its demand or a domain its cap. */
        for ( unsigned int k = 0; k < nc; k++ )
        {
            const struct scn_domain *d = &sc->domains[c[k].dom];
            double used = 0, grow = 0;

            if ( c[k].frozen )
                continue;
            any = true;
            tmax = fmin(tmax, (c[k].limit - c[k].rate) / c[k].w);
            for ( unsigned int j = 0; d->cap && j < nc; j++ )
                if ( c[j].dom == c[k].dom )
                {
                    used += c[j].rate * c[j].count;
                    grow += c[j].frozen ? 0 : c[j].w * c[j].count;
                }
            if ( d->cap && grow > 0 )
                tmax = fmin(tmax, (d->cap / 100.0 - used) / grow);
        }
        if ( !any )
            break;
        tmax = fmax(tmax, 0);
        blocked = !feasible(&g, c, nc, cpu_of, ncpu, tmax);
        if ( blocked )
        {
            /* The pCPUs fill up first: find when, by bisection. */
            hi = tmax;
            for ( int it = 0; it < 100 && hi - lo > 1e-13 * (1 + hi); it++ )
            {
                double mid = (lo + hi) / 2;

                if ( feasible(&g, c, nc, cpu_of, ncpu, mid) )
                    lo = mid;
                else
                    hi = mid;
            }
        }
        else
            lo = hi = tmax;
        for ( unsigned int k = 0; k < nc; k++ )
            if ( !c[k].frozen )
                c[k].rate += lo * c[k].w;
        /* Just past the level: who cannot grow any more. */
        if ( blocked )
            freeze_blocked(&g, c, nc, cpu_of, ncpu, hi - lo);
        /* Whoever reached a demand or a cap stops. */
        for ( unsigned int k = 0; k < nc; k++ )
        {
            const struct scn_domain *d = &sc->domains[c[k].dom];
            double used = 0;

            for ( unsigned int j = 0; d->cap && j < nc; j++ )
                if ( c[j].dom == c[k].dom )
                    used += c[j].rate * c[j].count;
            if ( c[k].rate >= c[k].limit - 1e-12 ||
                 (d->cap && used >= d->cap / 100.0 - 1e-12) )
                c[k].frozen = true;
        }
    }
    for ( unsigned int k = 0; k < nc; k++ )
        rep->dom[c[k].dom].entitled += c[k].rate * c[k].count;
    free(g.cap);
    free(g.flow);
    free(c);
}

void entitle(const struct sim_run *r, struct report *rep)
{
    for ( size_t p = 0; p < r->sc->npools; p++ )
        fill_pool(r, p, rep);
}
