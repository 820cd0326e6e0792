/* SPDX-License-Identifier: MIT */
/*
 * Fixtures for the domctl/sysctl tests: CTL_CPUS simulated pCPUs, all
 * online; pool 0 runs credit on pCPU 0 only, so pCPU 1 is free for the
 * pools the tests make. A control domain d0 and a domU u1, each with
 * CTL_VCPUS vCPUs and RAM at gfns 0 .. CTL_RAM_PAGES-1. Requests are
 * written into the caller's RAM at CTL_ARG and go through
 * hypercall_dispatch() as a guest's would.
 */
#ifndef CTL_TEST_H
#define CTL_TEST_H

#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/hypercall.h>
#include <orrery/sched.h>
#include <orrery/vcpu_sched.h>
#include <public/domctl.h>
#include <public/sched.h>
#include <public/sysctl.h>
#include <public/xen.h>

#include "orr_test.h"

#define CTL_CPUS 2
#define CTL_VCPUS 2
#define CTL_RAM_PAGES 16
#define CTL_ARG 0x1000          /* the domctl/sysctl struct */
#define CTL_ARRAY 0x3000        /* arrays it points at */
#define CTL_HOLE (40ULL << 12)  /* nothing mapped there */
/* A valid id no domain has: ids are handed out upwards from 0 and the
 * tests make a few hundred domains in all. */
#define CTL_NO_DOMAIN 0x7000

extern struct domain *ctl_d0, *ctl_u1;

extern CU_TestInfo domctl_tests[];
extern CU_TestInfo domctl_sched_tests[];
extern CU_TestInfo sysctl_tests[];
extern CU_TestInfo cpupool_tests[];

void ctl_setup(void);
void ctl_teardown(void);

/* Guest memory of @d at @gaddr (RAM only). */
void ctl_poke(struct domain *d, uint64_t gaddr, const void *src, size_t len);
void ctl_peek(struct domain *d, uint64_t gaddr, void *dst, size_t len);

/* @op from vCPU 0 of @caller, versioned; @op is read back afterwards. */
int64_t ctl_domctl(struct domain *caller, struct orr_domctl *op);
int64_t ctl_sysctl(struct domain *caller, struct orr_sysctl *op);
/* The raw call with the argument at @gaddr. */
int64_t ctl_call(struct domain *caller, uint64_t nr, uint64_t gaddr);

/* Shorthands through sysctl cpupool_op from d0. */
int64_t ctl_pool(uint32_t op, uint32_t poolid, uint32_t sched_id,
                 uint32_t domid, uint32_t cpu);
struct orr_sysctl_cpupool_op ctl_pool_info(uint32_t poolid);
/* A pool @poolid running @sched_id on pCPU 1, with u1 moved into it. */
void ctl_pool_with_u1(uint32_t poolid, uint32_t sched_id);
/* Move u1 back to pool 0 and destroy @poolid (pools are xmalloc'ed: the
 * teardown's page count must not see them). */
void ctl_pool_drop(uint32_t poolid);

#endif
