/* SPDX-License-Identifier: MIT */
/*
 * Freestanding C-library subset for core/ (core/lib). In the image these
 * are Orrery's own implementations; on sim the host C library provides the
 * same functions (and ASan checks them), and the unit tests build Orrery's
 * versions under test names.
 */
#ifndef ORRERY_LIB_H
#define ORRERY_LIB_H

#include <orrery/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* Orrery's own helpers (no libc equivalent, always compiled). */
size_t strlcpy(char *dst, const char *src, size_t size);
/* Parse an unsigned number in base 10, or 16 with 0x; accepts a K/M/G
 * suffix when @allow_suffix. Returns false on junk or overflow. */
bool parse_u64(const char *s, const char **end, bool allow_suffix,
               uint64_t *out);
/* Heapsort: no recursion, no allocation; not stable. */
void sort(void *base, size_t n, size_t size,
          int (*cmp)(const void *, const void *));

#endif /* ORRERY_LIB_H */
