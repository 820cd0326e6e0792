/* SPDX-License-Identifier: MIT */
/*
 * The fatal paths. On hardware arch_halt() never returns; on sim a test
 * may arm SIM_CATCH_HALT() and get control back with longjmp, so that
 * "this input must panic" is an ordinary assertion.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "internal.h"

#define SIM_EXIT_HALT 1
#define SIM_EXIT_REBOOT 3

static jmp_buf catch_env;
static bool armed;
static enum sim_stop last_stop;
static char fault_msg[512];
static unsigned int stop_requests;

void sim_halt_reset(void)
{
    armed = false;
    last_stop = SIM_RUNNING;
    fault_msg[0] = '\0';
    stop_requests = 0;
}

jmp_buf *sim_halt_arm(void)
{
    armed = true;
    last_stop = SIM_RUNNING;
    return &catch_env;
}

void sim_halt_disarm(void)
{
    armed = false;
}

enum sim_stop sim_last_stop(void)
{
    return last_stop;
}

const char *sim_fault_message(void)
{
    return fault_msg;
}

unsigned int sim_stop_requests(void)
{
    return stop_requests;
}

/* Back to the armed catch point, which is disarmed (one-shot). */
static void stop(enum sim_stop why)
{
    last_stop = why;
    if ( armed )
    {
        armed = false;
        longjmp(catch_env, why);
    }
}

void sim_fault(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(fault_msg, sizeof(fault_msg), fmt, ap);
    va_end(ap);
    stop(SIM_FAULT);
    fflush(stdout);
    fprintf(stderr, "sim: fault: %s\n", fault_msg);
    abort();
}

void arch_halt(void)
{
    sim_cpus[sim_cur_cpu].irqs_on = false;
    stop(SIM_HALTED);
    fflush(stdout);
    fprintf(stderr, "sim: CPU%u halted at %lld ns\n", sim_cur_cpu,
            (long long)sim_time);
    exit(SIM_EXIT_HALT);
}

void arch_reboot(void)
{
    stop(SIM_REBOOTED);
    fflush(stdout);
    fprintf(stderr, "sim: reboot requested by CPU%u at %lld ns\n",
            sim_cur_cpu, (long long)sim_time);
    exit(SIM_EXIT_REBOOT);
}

/* The sim's "registers": what is meaningful about a simulated CPU. */
void arch_dump_state(void)
{
    char line[160];
    int n;

    n = snprintf(line, sizeof(line),
                 "(sim) CPU%u state: time %lld ns, interrupts %s, "
                 "timer %lld ns, IPIs pending %#x\n",
                 sim_cur_cpu, (long long)sim_time,
                 sim_cpus[sim_cur_cpu].irqs_on ? "on" : "off",
                 (long long)sim_cpus[sim_cur_cpu].deadline,
                 sim_cpus[sim_cur_cpu].ipi_pending);
    arch_console_write(line, n < (int)sizeof(line) ? (size_t)n
                                                   : sizeof(line) - 1);
}

/* Recorded, not acted on: the other simulated CPUs only run when the
 * sim switches to them, and a halted machine switches no more. */
void arch_stop_other_cpus(void)
{
    stop_requests++;
}
