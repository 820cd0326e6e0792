/* SPDX-License-Identifier: MIT */
/* Between the smp kernel's files: its limits, the state its vCPUs share
 * and the test steps (main.c runs them in order). */
#ifndef SMP_TEST_H
#define SMP_TEST_H

#include <orrery/types.h>

#define MAX_VCPUS 8
#define PINGS 64
#define RING_LAPS 16
#define BAD_GPA 0x40000000ul            /* 1 GiB: past the 16 MiB of RAM */
#define CMD_DOWN_SELF 1
#define CMD_SPIN      2
#define SPIN_NS 100000000ull            /* 100 ms */

extern uint8_t ap_stack[MAX_VCPUS][16384];
extern unsigned int nr;

/* Per vCPU, written by that vCPU (or its interrupt handler). */
extern volatile unsigned int arrived[MAX_VCPUS];
extern volatile unsigned int wakeups[MAX_VCPUS];
extern volatile unsigned int pings[MAX_VCPUS];
extern volatile unsigned int bcast[MAX_VCPUS];
extern volatile unsigned int selfs[MAX_VCPUS];
extern volatile unsigned int ring[MAX_VCPUS];
extern volatile const char *ap_error[MAX_VCPUS];
extern volatile unsigned int pongs;
/* The BSP's requests to an AP's main loop, and its answers. */
extern volatile unsigned int cmd[MAX_VCPUS];
extern volatile long cmd_rc[MAX_VCPUS];
extern volatile unsigned int cmd_done[MAX_VCPUS];
extern volatile unsigned int spin_stop[MAX_VCPUS];

long vcpu_op(unsigned int op, unsigned int id, void *arg);
/* Spin until *@p reaches @want or 2 s pass; spin for @ms. */
bool wait_for(volatile unsigned int *p, unsigned int want);
void settle_ms(unsigned int ms);
/* Where each AP starts (in C, on ap_stack[id]). */
void ap_main(unsigned int id);

/* startup.c: bad initialise/up arguments; INIT and STARTUP IPIs. */
void test_bad_arguments(void);
void init_sipi(void);
/* ipi.c: IPIs between the vCPUs; VCPUOP_down of an AP. */
void ping_pong(const char *how);
void token_ring(void);
void shorthands(void);
void down_other(void);
void down_self(void);

#endif /* SMP_TEST_H */
