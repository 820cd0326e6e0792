/* SPDX-License-Identifier: MIT */
/*
 * credit2 caps, as Xen implements them: a capped domain has a budget of
 * cap% x C2_BUDGET_PERIOD of pCPU time per period, replenished every
 * period. A unit about to run takes a share of it (the domain's total
 * divided among its units) and runs no longer than that share; what it
 * did not use goes back when it stops, what it overran is the domain's
 * debt, carried into the next period. A unit that finds the budget
 * empty is parked -- it stays queued but no pCPU picks it -- until the
 * replenishment.
 *
 * Replenishment is lazy: the first hook at or after a period boundary
 * settles it; while any unit is parked every slice ends by the boundary,
 * so that it is settled on time.
 */
#include <orrery/lib.h>

#include "credit2.h"

/* May @cu run now, as far as its cap is concerned? (No side effect.) */
bool c2_budget_ok(const struct c2_unit *cu)
{
    return !cu->sdom->cap || cu->budget > 0 || cu->sdom->budget > 0;
}

/* Make sure @cu holds budget to run on; false: it is parked. */
bool c2_budget_grab(struct c2_priv *prv, struct c2_unit *cu)
{
    struct c2_dom *sd = cu->sdom;
    s_time_t quota;

    if ( !sd->cap || cu->budget > 0 )
        return true;
    /* An overrun is the domain's debt. */
    sd->budget += cu->budget;
    cu->budget = 0;
    if ( sd->budget <= 0 )
    {
        sd->parked = true;
        prv->any_parked = true;
        return false;
    }
    quota = sd->tot_budget / (s_time_t)MAX(sd->dom->nr_units, 1U);
    quota = MIN(MAX(quota, C2_MIN_TIMER), sd->budget);
    sd->budget -= quota;
    cu->budget = quota;
    return true;
}

/* @cu stops running: what it holds (or owes) goes back. */
void c2_budget_return(struct c2_unit *cu)
{
    if ( !cu->sdom->cap )
        return;
    cu->sdom->budget += cu->budget;
    cu->budget = 0;
}

void c2_budget_set_cap(struct c2_priv *prv, struct c2_dom *sd, uint32_t cap)
{
    struct list_head *pos;

    if ( cap == sd->cap )
        return;
    if ( !sd->cap )
        prv->nr_capped++;
    else if ( !cap )
        prv->nr_capped--;
    sd->cap = cap;
    sd->tot_budget = C2_BUDGET_PERIOD * cap / 100;
    sd->budget = sd->tot_budget;
    /* Units that held nothing start holding from now on; parked ones
     * may run again: wake an idle pCPU for them. */
    list_for_each(pos, &sd->dom->units)
    {
        struct c2_unit *cu =
            c2_unit(list_entry(pos, struct sched_unit, dom_list));

        cu->budget = 0;
        if ( cu->queued )
            c2_kick_idle(prv, cu);
    }
    sd->parked = false;
    c2_tell_idlers(prv);
}

void c2_replenish(struct scheduler *s, s_time_t now)
{
    struct c2_priv *prv = c2_priv(s);
    struct list_head *pd, *pu;
    unsigned int n = 0;

    if ( now < prv->next_repl )
        return;
    /* Every period missed; after a long stretch one or two do: the
     * budget is clamped to one period anyway. */
    while ( now >= prv->next_repl )
    {
        if ( n++ < 2 )
            list_for_each(pd, &prv->doms)
            {
                struct c2_dom *sd = list_entry(pd, struct c2_dom, list);

                if ( sd->cap )
                    sd->budget = MIN(sd->budget + sd->tot_budget,
                                     sd->tot_budget);
            }
        prv->next_repl += C2_BUDGET_PERIOD;
    }
    if ( !prv->any_parked )
        return;
    prv->any_parked = false;
    list_for_each(pd, &prv->doms)
    {
        struct c2_dom *sd = list_entry(pd, struct c2_dom, list);

        if ( !sd->parked )
            continue;
        sd->parked = false;
        list_for_each(pu, &sd->dom->units)
        {
            struct c2_unit *cu =
                c2_unit(list_entry(pu, struct sched_unit, dom_list));

            if ( cu->queued && c2_budget_ok(cu) )
                c2_tickle(prv, cu, now);
        }
    }
}
