/* SPDX-License-Identifier: MIT */
/*
 * --trace FILE: scheduler events in xentrace's binary record format
 * (xen-abi-facts §3 "xentrace"), so one decoder
 * (tools/xentrace/xentrace-format.py) reads sim runs and, later, real
 * boots. Format and payloads: docs/schedsim.md "Traces".
 */
#ifndef SCHEDSIM_TRACE_H
#define SCHEDSIM_TRACE_H

#include <stdbool.h>
#include <stdint.h>

/* Event classes and ids (Xen's public/trace.h values). */
#define TRC_GEN                 0x0001f000
#define TRC_SCHED               0x0002f000
#define TRC_SCHED_MIN           0x00021000
#define TRC_SCHED_VERBOSE       0x00028000
#define TRC_TRACE_CPU_CHANGE    (TRC_GEN + 3)
#define TRC_SCHED_RUNSTATE_CHANGE   (TRC_SCHED_MIN + 1)
#define TRC_SCHED_CONTINUE_RUNNING  (TRC_SCHED_MIN + 2)
#define TRC_SCHED_DOM_ADD       (TRC_SCHED_VERBOSE + 1)
#define TRC_SCHED_SLEEP         (TRC_SCHED_VERBOSE + 3)
#define TRC_SCHED_WAKE          (TRC_SCHED_VERBOSE + 4)
#define TRC_SCHED_BLOCK         (TRC_SCHED_VERBOSE + 6)
#define TRC_SCHED_SWITCH        (TRC_SCHED_VERBOSE + 10)

/* The domain id idle pCPUs "run" in traces (Xen's DOMID_IDLE). */
#define TRACE_DOMID_IDLE        0x7fff

struct trace;

/* Open @path for writing; NULL after printing why. */
struct trace *trace_open(const char *path);
/* Flush and close; false if writing failed (printed). */
bool trace_close(struct trace *t);
/*
 * One record from @cpu at virtual time @now (ns; written as the TSC of
 * a 1 GHz clock) with @n (at most 7) extra words.
 */
void trace_rec(struct trace *t, unsigned int cpu, int64_t now,
               uint32_t event, unsigned int n, const uint32_t *extra);

#endif
