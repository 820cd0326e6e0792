/* SPDX-License-Identifier: MIT */
/*
 * A subset of rt-app's JSON as a workload: {"rtapp": FILE or DOCUMENT,
 * "task": NAME}. The document's "tasks" object holds one object per
 * thread; each becomes one vCPU. A task's keys, in order, are its events,
 * matched by prefix as rt-app does ("run0", "run1"...):
 *   "run"/"runtime" N   N us of CPU time
 *   "sleep" N           blocked for N us
 *   "timer" {"ref", "period": N}   blocked until the next N us boundary
 *                       since the task started (late: no wait)
 * and "loop" (times through the events, -1 for ever: the default),
 * "instance" (1 only), "policy"/"priority"/"nice" (read, not used: the
 * pool's scheduler decides). Instead of events, a task may have "phases":
 * {"name": {events..., "loop": N}...}, each phase's events N times, in
 * order. "global" is ignored. A FILE is taken relative to the scenario's
 * folder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn_parse.h"

/* The rt-app document of @spec, and the context to report against. */
static struct json *rtapp_doc(struct ctx *c, const struct json *spec,
                              struct ctx *rc, char *path, size_t len)
{
    const char *slash;

    if ( spec->type == JSON_OBJECT )
    {
        *rc = *c;
        return (struct json *)spec;
    }
    if ( spec->type != JSON_STRING )
    {
        err(c, spec->line, "rtapp must be a file name or an rt-app "
            "document, not %s", json_type_name(spec->type));
        return NULL;
    }
    slash = strrchr(c->file, '/');
    if ( spec->str[0] == '/' || !slash )
        snprintf(path, len, "%s", spec->str);
    else
        snprintf(path, len, "%.*s/%s", (int)(slash - c->file), c->file,
                 spec->str);
    rc->file = path;
    return scn_read_json(path);
}

static const struct json *tasks_of(struct ctx *c, const struct json *doc)
{
    static const char *const keys[] = { "tasks", "global", NULL };
    const struct json *t;

    if ( !want(c, doc, JSON_OBJECT, "an rt-app document") ||
         !only_keys(c, doc, keys, "an rt-app document") )
        return NULL;
    if ( !(t = json_get(doc, "tasks")) )
    {
        err(c, doc->line, "an rt-app document needs \"tasks\"");
        return NULL;
    }
    if ( !want(c, t, JSON_OBJECT, "tasks") )
        return NULL;
    if ( t->n == 0 )
    {
        err(c, t->line, "tasks is empty");
        return NULL;
    }
    return t;
}

size_t scn_rtapp_ntasks(struct ctx *c, const struct json *spec)
{
    char path[4096];
    struct ctx rc;
    struct json *doc = rtapp_doc(c, spec, &rc, path, sizeof(path));
    const struct json *t = doc ? tasks_of(&rc, doc) : NULL;
    size_t n = t ? t->n : 0;

    if ( doc && doc != spec )
        json_free(doc);
    return n;
}

static bool prefix(const char *key, const char *p)
{
    return !strncmp(key, p, strlen(p));
}

/* A new phase if the current one already has what @run (or a wait)
 * would add. */
static struct scn_phase *phase_for(struct scn_vcpu *v, bool run)
{
    struct scn_phase *cur = v->nphases ? &v->phases[v->nphases - 1] : NULL;

    if ( cur && !cur->sleep_ns && !cur->timer_ns && !(run && cur->run_ns) )
        return cur;
    /* Room doubles when the count reaches a power of two. */
    if ( !(v->nphases & (v->nphases - 1)) )
        v->phases = realloc(v->phases, (v->nphases ? 2 * v->nphases : 1) *
                                       sizeof(*v->phases));
    cur = &v->phases[v->nphases++];
    memset(cur, 0, sizeof(*cur));
    return cur;
}

/* Most phases an unrolled rt-app task may have (its "phases" loops). */
#define RTAPP_MAX_PHASES 100000

/* The events of @t (a task or one of its phases), in order, appended to
 * @v's phases; the keys in @skip are not events. */
static bool add_events(struct ctx *c, const struct json *t,
                       const char *const *skip, struct scn_vcpu *v)
{
    for ( size_t i = 0; i < t->n; i++ )
    {
        const char *k = t->keys[i];
        const struct json *e = t->items[i];
        const char *const *sk;

        for ( sk = skip; *sk && strcmp(*sk, k); sk++ )
            ;
        if ( *sk )
            continue;
        if ( v->nphases >= RTAPP_MAX_PHASES )
            return err(c, t->key_lines[i], "the task unrolls to more than "
                       "%d steps", RTAPP_MAX_PHASES);
        if ( prefix(k, "run") || prefix(k, "sleep") )
        {
            if ( e->type != JSON_NUMBER || e->num < 0 || e->num > 1e9 ||
                 e->num != (double)(int64_t)e->num )
                return err(c, e->line, "%s must be whole microseconds "
                           "(0 .. 1e9)", k);
            if ( prefix(k, "run") )
                phase_for(v, true)->run_ns += (int64_t)e->num * 1000;
            else if ( e->num > 0 )
                phase_for(v, false)->sleep_ns = (int64_t)e->num * 1000;
        }
        else if ( prefix(k, "timer") )
        {
            static const char *const tkeys[] = { "ref", "period", "mode",
                                                 NULL };
            double period = -1;

            if ( !want(c, e, JSON_OBJECT, k) ||
                 !only_keys(c, e, tkeys, "an rt-app timer") ||
                 !get_num(c, e, "period", 1, 1e9, true, &period) )
                return false;
            if ( period < 0 )
                return err(c, e->line, "an rt-app timer needs \"period\"");
            phase_for(v, false)->timer_ns = (int64_t)period * 1000;
        }
        else
            return err(c, t->key_lines[i], "rt-app event \"%s\" is not "
                       "supported (run, runtime, sleep, timer; loop, "
                       "instance, phases)", k);
    }
    return true;
}

/*
 * "phases": {"name": {events..., "loop": N}...}: each phase's events N
 * times (default 1), the phases in order -- unrolled into @v's phases,
 * which the task's "loop" then repeats.
 */
static bool add_phases(struct ctx *c, const struct json *ph,
                       struct scn_vcpu *v)
{
    static const char *const skip[] = { "loop", NULL };

    if ( !want(c, ph, JSON_OBJECT, "phases") )
        return false;
    if ( ph->n == 0 )
        return err(c, ph->line, "phases is empty");
    for ( size_t i = 0; i < ph->n; i++ )
    {
        const struct json *p = ph->items[i];
        double loop = 1;

        if ( !want(c, p, JSON_OBJECT, "an rt-app phase") ||
             !get_num(c, p, "loop", 1, RTAPP_MAX_PHASES, true, &loop) )
            return false;
        for ( int n = 0; n < (int)loop; n++ )
            if ( !add_events(c, p, skip, v) )
                return false;
    }
    return true;
}

static bool get_task(struct ctx *c, const struct json *t, struct scn_vcpu *v)
{
    static const char *const skip[] = { "loop", "instance", "policy",
        "priority", "nice", "phases", NULL };
    const struct json *ph;
    double loop = -1, inst = 1;

    if ( !want(c, t, JSON_OBJECT, "an rt-app task") ||
         !get_num(c, t, "loop", -1, 1e15, true, &loop) ||
         !get_num(c, t, "instance", 1, 1, true, &inst) )
        return false;
    if ( loop == 0 )
        return err(c, json_get(t, "loop")->line, "loop = 0: the task "
                   "would do nothing (-1 is for ever)");
    v->loops = (int64_t)loop;
    if ( !add_events(c, t, skip, v) )
        return false;
    if ( (ph = json_get(t, "phases")) )
    {
        if ( v->nphases )
            return err(c, ph->line, "a task has events or \"phases\", "
                       "not both");
        if ( !add_phases(c, ph, v) )
            return false;
    }
    if ( !v->nphases )
        return err(c, t->line, "the task has no run, sleep or timer");
    return true;
}

bool scn_get_rtapp(struct ctx *c, const struct json *spec,
                   const struct json *task, size_t index,
                   struct scn_vcpu *v)
{
    char path[4096];
    struct ctx rc;
    struct json *doc = rtapp_doc(c, spec, &rc, path, sizeof(path));
    const struct json *t = doc ? tasks_of(&rc, doc) : NULL;
    size_t k = 0;
    bool ok = false;

    if ( !t )
        goto out;
    if ( task )
    {
        if ( !want(c, task, JSON_STRING, "task") )
            goto out;
        for ( k = 0; k < t->n && strcmp(t->keys[k], task->str); k++ )
            ;
        if ( k == t->n )
        {
            err(c, task->line, "no task \"%s\" in the rt-app document",
                task->str);
            goto out;
        }
    }
    else
        k = index % t->n;
    ok = get_task(&rc, t->items[k], v);
 out:
    if ( doc && doc != spec )
        json_free(doc);
    return ok;
}
