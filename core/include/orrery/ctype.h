/* SPDX-License-Identifier: MIT */
/*
 * ASCII character classes for core/. The names carry an is_ prefix with an
 * underscore so that they never collide with the C library's <ctype.h>
 * macros when core/ is compiled for sim. No locale: these are the
 * C-locale answers, which is what command lines and formats want.
 */
#ifndef ORRERY_CTYPE_H
#define ORRERY_CTYPE_H

#include <orrery/types.h>

static inline bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static inline bool is_xdigit(int c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Space, \t, \n, \v, \f, \r: the C locale's isspace() set. */
static inline bool is_space(int c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static inline bool is_upper(int c)
{
    return c >= 'A' && c <= 'Z';
}

static inline bool is_lower(int c)
{
    return c >= 'a' && c <= 'z';
}

static inline bool is_alpha(int c)
{
    return is_upper(c) || is_lower(c);
}

static inline int to_lower(int c)
{
    return is_upper(c) ? c - 'A' + 'a' : c;
}

static inline int to_upper(int c)
{
    return is_lower(c) ? c - 'a' + 'A' : c;
}

/* Value of a hex digit, or -1. */
static inline int hex_value(int c)
{
    if ( is_digit(c) )
        return c - '0';
    c = to_lower(c);
    if ( c >= 'a' && c <= 'f' )
        return c - 'a' + 10;
    return -1;
}

#endif /* ORRERY_CTYPE_H */
