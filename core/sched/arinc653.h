/* SPDX-License-Identifier: MIT */
/* ARINC653: shared between arinc653.c (windows) and arinc653_ctl.c. */
#ifndef SCHED_ARINC653_H
#define SCHED_ARINC653_H

#include <orrery/sched-if.h>

#define A653_DEFAULT_WINDOW     MILLISECS(10)   /* Xen's DEFAULT_TIMESLICE */

struct a653_priv {
    s_time_t major_frame;
    unsigned int nr_entries;
    struct arinc653_entry entry[ARINC653_MAX_ENTRIES];
    struct sched_unit *unit[ARINC653_MAX_ENTRIES];  /* NULL: none yet */
    bool is_default;                /* no putinfo yet: dom0's windows */
    bool restart;                   /* next decision starts a frame */
    s_time_t epoch;                 /* when the first frame started */
};

static inline struct a653_priv *priv(const struct scheduler *s)
{
    return s->priv;
}

static inline bool entry_names(const struct arinc653_entry *e,
                               const struct sched_unit *u)
{
    return e->domid == u->dom->domid && e->vcpu_id == u->unit_id;
}

/* The pCPU a unit runs on (u->res is the framework's while it runs). */
struct a653_unit {
    unsigned int home;
};

static inline unsigned int home(const struct sched_unit *u)
{
    return ((const struct a653_unit *)u->priv)->home;
}

/* arinc653.c */
/* Every pCPU of the pool decides again (a unit changed home). */
void a653_kick_all(struct scheduler *s);
/* The schedule changed: a major frame starts at the next decision. */
void a653_restart(struct scheduler *s);
/* Give @u a home it may use, keeping the one it has when allowed. */
void a653_place(struct sched_unit *u);

/* arinc653_ctl.c */
int a653_get_params(struct scheduler *s, struct sched_pool_params *sp);
int a653_set_params(struct scheduler *s, const struct sched_pool_params *sp);
void a653_dump(struct scheduler *s);

#endif
