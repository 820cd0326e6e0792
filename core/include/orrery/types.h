/* SPDX-License-Identifier: MIT */
/*
 * Basic types for core/. Only the compiler's freestanding headers are used,
 * so this compiles the same in the image and on sim.
 *
 * Frame numbers are wrapper structs: passing a guest frame where a machine
 * frame is expected is a compile error (STYLE.md §8).
 */
#ifndef ORRERY_TYPES_H
#define ORRERY_TYPES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

/* A machine (host-physical) address. */
typedef uint64_t paddr_t;

/* A machine frame number: paddr >> PAGE_SHIFT. */
typedef struct { uint64_t m; } mfn_t;
/* A guest frame number, in some domain's guest-physical space. */
typedef struct { uint64_t g; } gfn_t;

#define _mfn(x) ((mfn_t){ (x) })
#define _gfn(x) ((gfn_t){ (x) })
static inline uint64_t mfn_x(mfn_t m) { return m.m; }
static inline uint64_t gfn_x(gfn_t g) { return g.g; }
static inline paddr_t mfn_to_paddr(mfn_t m) { return m.m << PAGE_SHIFT; }
static inline mfn_t paddr_to_mfn(paddr_t p) { return _mfn(p >> PAGE_SHIFT); }
#define INVALID_MFN _mfn(~0ULL)

typedef uint16_t domid_t;
typedef uint32_t evtchn_port_t;

/* Nanoseconds of system time since boot (monotonic, per the platform). */
typedef int64_t s_time_t;
#define NANOSECONDS(x) ((s_time_t)(x))
#define MICROSECS(x) ((s_time_t)(x) * 1000)
#define MILLISECS(x) ((s_time_t)(x) * 1000000)
#define SECONDS(x) ((s_time_t)(x) * 1000000000)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ROUNDUP(x, a) (((x) + (a) - 1) & ~((typeof(x))(a) - 1))
#define ROUNDDOWN(x, a) ((x) & ~((typeof(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((typeof(x))(a) - 1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))

#define __noreturn __attribute__((noreturn))
#define __packed __attribute__((packed))
#define __aligned(n) __attribute__((aligned(n)))
#define __printf(f, a) __attribute__((format(printf, f, a)))
#define __unused __attribute__((unused))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)

#endif /* ORRERY_TYPES_H */
