/* SPDX-License-Identifier: MIT */
/*
 * The checks every part of the scenario reader shares: types, allowed
 * keys, numbers in range, pCPU lists. Each failure prints
 * "file:line: message" and returns false, so a typo is an error with its
 * line instead of a default silently used.
 */
#ifndef SCHEDSIM_SCN_PARSE_H
#define SCHEDSIM_SCN_PARSE_H

#include "json.h"
#include "scenario.h"

struct ctx {
    const char *file;
};

bool err(struct ctx *c, unsigned int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool want(struct ctx *c, const struct json *j, enum json_type t,
          const char *what);
/* Every key of @obj must be in @allowed (NULL-terminated). */
bool only_keys(struct ctx *c, const struct json *obj,
               const char *const *allowed, const char *what);
/* A number in [min, max] under @key (absent: *out unchanged). */
bool get_num(struct ctx *c, const struct json *obj, const char *key,
             double min, double max, bool integer, double *out);
bool get_uint(struct ctx *c, const struct json *obj, const char *key,
              unsigned int min, unsigned int max, unsigned int *out);
/* A whole number of microseconds in [min, max] as ns (absent: unchanged). */
bool get_us(struct ctx *c, const struct json *obj, const char *key,
            double min, double max, int64_t *out_ns);
bool get_bool(struct ctx *c, const struct json *obj, const char *key,
              bool *out);
/* A list of pCPU numbers below @pcpus. */
bool get_cpus(struct ctx *c, const struct json *j, unsigned int pcpus,
              const char *what, cpumask_t *out);
/* The index of the domain called @name among the first @n, or @n. */
size_t scn_domain_index(const struct scenario *sc, size_t n,
                        const char *name);

/* Read and parse a JSON file; NULL after printing "file:line: ...". */
struct json *scn_read_json(const char *file);

/* The parts of the file (scn_*.c). */
/* The workload of vCPU @index of its domain. */
bool scn_get_workload(struct ctx *c, const struct json *j, size_t index,
                      struct scn_vcpu *v);
/* "rtapp": a file name or an rt-app document; @task: its "task" key. */
bool scn_get_rtapp(struct ctx *c, const struct json *spec,
                   const struct json *task, size_t index,
                   struct scn_vcpu *v);
/* The number of tasks of an "rtapp" workload, 0 after an error. */
size_t scn_rtapp_ntasks(struct ctx *c, const struct json *spec);
/* Once the domains are known: "notify" names them. */
bool scn_resolve_notify(struct ctx *c, struct scenario *sc);
bool scn_get_domain(struct ctx *c, const struct json *j,
                    struct scenario *sc, struct scn_domain *d);
bool scn_get_topology(struct ctx *c, const struct json *root,
                      struct scenario *sc);
bool scn_get_pool_params(struct ctx *c, const struct json *p,
                         struct scn_pool *pool);
/* Once the domains are known: ARINC653 schedules name them. */
bool scn_resolve_pool_params(struct ctx *c, struct scenario *sc);

#endif
