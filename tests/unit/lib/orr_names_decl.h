/* SPDX-License-Identifier: MIT */
/* The renamed core/lib functions, for the test files (see orr_names.h). */
#ifndef ORR_NAMES_DECL_H
#define ORR_NAMES_DECL_H

#include <stdarg.h>
#include <stddef.h>
#include <orrery/types.h>

void *orr_memcpy(void *dst, const void *src, size_t n);
void *orr_memmove(void *dst, const void *src, size_t n);
void *orr_memset(void *s, int c, size_t n);
int orr_memcmp(const void *a, const void *b, size_t n);
size_t orr_strlen(const char *s);
size_t orr_strnlen(const char *s, size_t max);
int orr_strcmp(const char *a, const char *b);
int orr_strncmp(const char *a, const char *b, size_t n);
char *orr_strchr(const char *s, int c);
int orr_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int orr_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* A small deterministic PRNG (xorshift64*), same sequence everywhere. */
static inline unsigned long long test_rand(void)
{
    static unsigned long long s = 0x9e3779b97f4a7c15ULL;

    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 0x2545f4914f6cdd1dULL;
}

static inline unsigned int test_rand_below(unsigned int n)
{
    return (unsigned int)(test_rand() % n);
}

#endif /* ORR_NAMES_DECL_H */
