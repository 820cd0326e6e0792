/* SPDX-License-Identifier: MIT */
/*
 * Forced into core/lib/string.c and vsnprintf.c (-include) when the lib
 * test compiles them: Orrery's versions get orr_* names, so they can be
 * compared with the host C library's in the same program.
 */
#define memcpy orr_memcpy
#define memmove orr_memmove
#define memset orr_memset
#define memcmp orr_memcmp
#define strlen orr_strlen
#define strnlen orr_strnlen
#define strcmp orr_strcmp
#define strncmp orr_strncmp
#define strchr orr_strchr
#define snprintf orr_snprintf
#define vsnprintf orr_vsnprintf
