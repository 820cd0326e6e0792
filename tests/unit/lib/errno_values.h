/* SPDX-License-Identifier: MIT */
#ifndef ERRNO_VALUES_H
#define ERRNO_VALUES_H

struct errno_value {
    const char *name;
    int value;
};

/* Terminated by { NULL, 0 }. */
extern const struct errno_value orrery_errno_values[];

#endif
