/* SPDX-License-Identifier: MIT */
/* The platform console: captured in memory for tests to read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* Past this the oldest half is dropped: a runaway test should not eat
 * the host's memory. */
#define CAPTURE_MAX (16u << 20)

static char *text;
static size_t len, cap;
static int echo = -1;           /* ORRERY_SIM_ECHO, read once */
static void (*write_hook)(const char *, size_t);

void sim_console_set_hook(void (*hook)(const char *s, size_t len))
{
    write_hook = hook;
}

static void ensure(size_t more)
{
    if ( len + more + 1 <= cap )
        return;
    cap = MAX(cap * 2, len + more + 1);
    cap = MAX(cap, (size_t)4096);
    text = realloc(text, cap);
    if ( !text )
    {
        fprintf(stderr, "sim: console capture: out of memory\n");
        abort();
    }
}

void arch_console_write(const char *s, size_t n)
{
    if ( echo < 0 )
    {
        const char *e = getenv("ORRERY_SIM_ECHO");

        echo = e && !strcmp(e, "1");
    }
    if ( echo )
    {
        fwrite(s, 1, n, stdout);
        fflush(stdout);
    }

    if ( len + n > CAPTURE_MAX )
    {
        size_t drop = MIN(len, MAX(len / 2, len + n - CAPTURE_MAX));

        memmove(text, text + drop, len - drop);
        len -= drop;
    }
    ensure(n);
    memcpy(text + len, s, n);
    len += n;
    text[len] = '\0';

    if ( write_hook )
        write_hook(s, n);
}

const char *sim_console_text(void)
{
    return text ? text : "";
}

void sim_console_clear(void)
{
    len = 0;
    if ( text )
        text[0] = '\0';
}

void sim_console_reset(void)
{
    sim_console_clear();
    write_hook = NULL;
}
