/* SPDX-License-Identifier: MIT */
/*
 * The console threshold: messages at or above this severity (numerically
 * at or below it) reach the console; the ring keeps everything regardless.
 */
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/param.h>
#include "private.h"

static enum log_level threshold = LOGL_INFO;

bool console_set_loglvl(const char *s)
{
    static const struct {
        const char *name;
        enum log_level level;
    } names[] = {
        { "none",    LOGL_NONE },
        { "error",   LOGL_ERR },
        { "warning", LOGL_WARNING },
        { "info",    LOGL_INFO },
        { "debug",   LOGL_DEBUG },
        { "all",     LOGL_DEBUG },
    };
    unsigned int i;

    if ( s[0] >= '0' && s[0] <= '0' + LOGL_DEBUG && s[1] == '\0' )
    {
        threshold = s[0] - '0';
        return true;
    }
    for ( i = 0; i < ARRAY_SIZE(names); i++ )
    {
        if ( !strcmp(s, names[i].name) )
        {
            threshold = names[i].level;
            return true;
        }
    }
    return false;
}

enum log_level console_get_loglvl(void)
{
    return threshold;
}

/* loglvl=<level>: a bad value is reported by the command-line parser,
 * which names the option. */
static int parse_loglvl(const char *s)
{
    return console_set_loglvl(s) ? 0 : -EINVAL;
}
custom_param("loglvl", parse_loglvl);
