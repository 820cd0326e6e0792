/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor command-line options, registered where they are used:
 *
 *     static unsigned int max_cpus = NR_CPUS;
 *     integer_param("maxcpus", max_cpus);
 *
 * Each macro places one struct kernel_param in the linker section
 * "orrery_params"; cmdline_parse() walks the section from
 * __start_orrery_params to __stop_orrery_params (symbols GNU ld and lld
 * define for any section whose name is a C identifier). So there is no
 * central list of options to edit. An image linker script must KEEP() the
 * section and let those two symbols be defined.
 *
 * Syntax: options are separated by spaces or tabs; "name" or "name=value";
 * double quotes may enclose any part of a token so that a value can hold
 * spaces (sched="credit 2" or "sched=credit 2"). In names, '-' and '_' are
 * the same character. A bad option is reported with a warning and ignored:
 * the command line is never fatal.
 *
 *   boolean_param(name, bool var)        name, no-name, name=1/0/yes/no/
 *                                        on/off/true/false
 *   integer_param(name, unsigned int var)  decimal or 0x hex
 *   size_param(name, uint64_t var)       as integer, with a K/M/G suffix
 *   string_param(name, char var[N])      a value longer than N-1 bytes is
 *                                        rejected, the old value is kept
 *   custom_param(name, int fn(const char *value))
 *                                        "name" alone passes ""; a non-zero
 *                                        return is reported as a warning
 */
#ifndef ORRERY_PARAM_H
#define ORRERY_PARAM_H

#include <orrery/types.h>

enum param_type {
    PARAM_BOOL,
    PARAM_UINT,
    PARAM_SIZE,
    PARAM_STRING,
    PARAM_CUSTOM,
};

struct kernel_param {
    const char *name;
    enum param_type type;
    size_t len;                 /* PARAM_STRING: the buffer's size */
    union {
        bool *b;
        unsigned int *u;
        uint64_t *sz;
        char *str;
        int (*fn)(const char *value);
    } var;
};

/*
 * The entries must form an array: aligned(8) fixes the stride (the struct's
 * size is a multiple of 8, checked in cmdline.c), and ASan must not pad
 * them with redzones on sim. Clang needs to be told; GCC never instruments
 * a global with an explicit section and warns about the attribute. (A
 * compiler test, not a platform one.)
 */
#ifdef __clang__
#define __param_no_asan __attribute__((no_sanitize("address")))
#else
#define __param_no_asan
#endif

#define __param_entry(n_) \
    static const struct kernel_param __PARAM_ID(__kparam_, __COUNTER__) \
    __attribute__((used, section("orrery_params"), aligned(8))) \
    __param_no_asan = { .name = (n_),
#define __PARAM_ID(a, b) __PARAM_ID_(a, b)
#define __PARAM_ID_(a, b) a##b

/* (The macro arguments are not called "var": that would rewrite ".var".) */
#define boolean_param(name, v_) \
    __param_entry(name) .type = PARAM_BOOL, .var.b = &(v_) }
#define integer_param(name, v_) \
    __param_entry(name) .type = PARAM_UINT, .var.u = &(v_) }
#define size_param(name, v_) \
    __param_entry(name) .type = PARAM_SIZE, .var.sz = &(v_) }
#define string_param(name, v_) \
    _Static_assert(!__builtin_types_compatible_p(typeof(v_), \
                                                 typeof(&(v_)[0])), \
                   "string_param needs a char array, not a pointer"); \
    __param_entry(name) .type = PARAM_STRING, .len = sizeof(v_), \
                        .var.str = (v_) }
#define custom_param(name, fn_) \
    __param_entry(name) .type = PARAM_CUSTOM, .var.fn = (fn_) }

#define CMDLINE_MAX 1024

/* Parse @cmdline against every registered option and keep a copy of it. */
void cmdline_parse(const char *cmdline);

/* Parse against the table [@start, @end); returns the number of warnings. */
int cmdline_parse_table(const char *cmdline, const struct kernel_param *start,
                        const struct kernel_param *end);

/* The line last given to cmdline_parse() (at most CMDLINE_MAX - 1 bytes),
 * or "" before any. */
const char *cmdline_get(void);

#endif /* ORRERY_PARAM_H */
