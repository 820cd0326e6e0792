/* SPDX-License-Identifier: MIT */
/*
 * The C string functions core/ uses, for the freestanding image. On sim
 * the host C library provides them (this file is in HOST_EXCLUDE) and the
 * unit test compiles it again under orr_* names to compare with libc.
 *
 * Simple byte loops: clear rather than fast. This file is built with
 * -fno-tree-loop-distribute-patterns, or GCC would turn the loop in
 * memset() into a call to memset().
 */
#include <orrery/lib.h>

void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    while ( n-- )
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if ( d == s || n == 0 )
        return dst;
    /* Overlap with the destination above the source: copy backwards. */
    if ( d > s && d < s + n )
    {
        while ( n-- )
            d[n] = s[n];
        return dst;
    }
    while ( n-- )
        *d++ = *s++;
    return dst;
}

void *memset(void *s, int c, size_t n)
{
    unsigned char *p = s;

    while ( n-- )
        *p++ = (unsigned char)c;
    return s;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for ( ; n; n--, x++, y++ )
        if ( *x != *y )
            return *x < *y ? -1 : 1;
    return 0;
}

size_t strlen(const char *s)
{
    const char *p = s;

    while ( *p )
        p++;
    return p - s;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while ( n < max && s[n] )
        n++;
    return n;
}

/* C compares strings as unsigned char (C11 7.24.4). */
int strcmp(const char *a, const char *b)
{
    return strncmp(a, b, (size_t)-1);
}

int strncmp(const char *a, const char *b, size_t n)
{
    const unsigned char *x = (const void *)a, *y = (const void *)b;

    for ( ; n; n--, x++, y++ )
    {
        if ( *x != *y )
            return *x < *y ? -1 : 1;
        if ( !*x )
            break;
    }
    return 0;
}

/* Finding the terminator itself is allowed: strchr(s, 0) points at it. */
char *strchr(const char *s, int c)
{
    for ( ;; s++ )
    {
        if ( *s == (char)c )
            return (char *)s;
        if ( !*s )
            return NULL;
    }
}
