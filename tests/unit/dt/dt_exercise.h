/* SPDX-License-Identifier: MIT */
/*
 * Calls every dt_ accessor on a blob that passed dt_check(), at every
 * node, every property and every structure offset (misaligned and
 * mid-value ones included), so that ASan sees any read outside the blob.
 * Shared by unit.dt's corruption test and the fuzz/dt harness.
 */
#ifndef DT_EXERCISE_H
#define DT_EXERCISE_H

#include <stddef.h>

/* Returns a checksum of what it read, so that nothing is optimised out. */
unsigned long dt_exercise(const void *blob);

#endif /* DT_EXERCISE_H */
