/* SPDX-License-Identifier: MIT */
#include <orrery/lib.h>

/*
 * Copy at most @size - 1 bytes and always NUL-terminate (when @size > 0).
 * Returns strlen(@src), so truncation is "return value >= size".
 */
size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);

    if ( size )
    {
        size_t n = len < size - 1 ? len : size - 1;

        memcpy(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}
