/* SPDX-License-Identifier: MIT */
/* Shared checks of the scenario reader (scn_parse.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "scn_parse.h"

bool err(struct ctx *c, unsigned int line, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s:%u: ", c->file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return false;
}

bool want(struct ctx *c, const struct json *j, enum json_type t,
          const char *what)
{
    if ( j->type == t )
        return true;
    return err(c, j->line, "%s must be %s, not %s", what, json_type_name(t),
               json_type_name(j->type));
}

bool only_keys(struct ctx *c, const struct json *obj,
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

bool get_num(struct ctx *c, const struct json *obj, const char *key,
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

bool get_uint(struct ctx *c, const struct json *obj, const char *key,
              unsigned int min, unsigned int max, unsigned int *out)
{
    double v = *out;

    if ( !get_num(c, obj, key, min, max, true, &v) )
        return false;
    *out = (unsigned int)v;
    return true;
}

bool get_us(struct ctx *c, const struct json *obj, const char *key,
            double min, double max, int64_t *out_ns)
{
    double v = 0;

    if ( !json_get(obj, key) )
        return true;
    if ( !get_num(c, obj, key, min, max, true, &v) )
        return false;
    *out_ns = (int64_t)v * 1000;
    return true;
}

bool get_bool(struct ctx *c, const struct json *obj, const char *key,
              bool *out)
{
    const struct json *j = json_get(obj, key);

    if ( !j )
        return true;
    if ( !want(c, j, JSON_BOOL, key) )
        return false;
    *out = j->b;
    return true;
}

bool get_cpus(struct ctx *c, const struct json *j, unsigned int pcpus,
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

size_t scn_domain_index(const struct scenario *sc, size_t n,
                        const char *name)
{
    size_t k;

    for ( k = 0; k < n && strcmp(sc->domains[k].name, name); k++ )
        ;
    return k;
}
