/* SPDX-License-Identifier: MIT */
/*
 * hvsim: boot Orrery's core -- the same start_orrery() as on x86-64 and
 * Arm64 -- on the sim platform, in one host process on virtual time.
 *
 *   hvsim [--cpus N] [--mem MiB] [--cmdline "..."] [--keys KEYS]
 *         [--until-ms T]
 *
 * The console goes to stdout. After the boot settles (every CPU idle, no
 * timer armed) each byte of KEYS is typed on the console, one at a time,
 * each followed by a run to the next settled state. Exit status: 0 when
 * the machine settled, 1 on a panic or when virtual time ran out first,
 * 2 on a usage error, 3 when the machine was rebooted (debug key 'R').
 *
 * To step through the boot: gdb --args build/bin/hvsim, break start_orrery.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <orrery/boot.h>
#include <sim/sim.h>

static struct boot_info boot_info;

static void boot_cpu0(unsigned int cpu)
{
    (void)cpu;
    start_orrery(&boot_info);
}

static void to_stdout(const char *s, size_t len)
{
    fwrite(s, 1, len, stdout);
    fflush(stdout);
}

static void usage(void)
{
    fprintf(stderr, "usage: hvsim [--cpus N] [--mem MiB] [--cmdline STR] "
            "[--keys KEYS] [--until-ms T]\n");
    exit(2);
}

static unsigned long number(const char *opt, const char *s, unsigned long lo,
                            unsigned long hi)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);

    if ( !*s || *end || v < lo || v > hi )
    {
        fprintf(stderr, "hvsim: %s wants a number from %lu to %lu, not "
                "'%s'\n", opt, lo, hi, s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    unsigned int cpus = 4;
    unsigned long mem_mib = 64, until_ms = 10000;
    const char *cmdline = "", *keys = "";
    s_time_t until;

    for ( int i = 1; i < argc; i++ )
    {
        const char *opt = argv[i];

        if ( i + 1 >= argc )
            usage();
        if ( strcmp(opt, "--cpus") == 0 )
            cpus = (unsigned int)number(opt, argv[++i], 1, NR_CPUS);
        else if ( strcmp(opt, "--mem") == 0 )
            mem_mib = number(opt, argv[++i], 1, 4096);
        else if ( strcmp(opt, "--cmdline") == 0 )
            cmdline = argv[++i];
        else if ( strcmp(opt, "--keys") == 0 )
            keys = argv[++i];
        else if ( strcmp(opt, "--until-ms") == 0 )
            until_ms = number(opt, argv[++i], 1, 86400000);
        else
            usage();
    }

    sim_init(cpus, 0);
    sim_memory_init(mem_mib << 20);
    sim_console_set_hook(to_stdout);
    boot_info.loader = "hvsim";
    boot_info.cmdline = cmdline;
    sim_memory_map(&boot_info.map);
    until = MILLISECS(until_ms);

    sim_machine_start_cpu(0, boot_cpu0);
    if ( sim_machine_run(until) != SIM_MACHINE_QUIESCENT )
        goto time_up;
    for ( const char *k = keys; *k; k++ )
    {
        char key[2] = { *k, '\0' };

        sim_machine_input(0, key);
        if ( sim_machine_run(until) != SIM_MACHINE_QUIESCENT )
            goto time_up;
    }
    printf("hvsim: settled at %lld ns of virtual time\n",
           (long long)sim_now());
    return 0;

 time_up:
    printf("hvsim: virtual time ran out at %lld ns before the machine "
           "settled\n", (long long)sim_now());
    return 1;
}
