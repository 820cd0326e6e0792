/* SPDX-License-Identifier: MIT */
#ifndef CORE_TRACE_KEYS_PRIVATE_H
#define CORE_TRACE_KEYS_PRIVATE_H

void register_builtin_keys(void);

#endif
