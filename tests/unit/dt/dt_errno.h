/* SPDX-License-Identifier: MIT */
/* The negative errno values the dt_ reader returns (see dt_errno.c). */
#ifndef DT_ERRNO_H
#define DT_ERRNO_H

extern const int ORR_ENOENT, ORR_EINVAL, ORR_EBADMSG, ORR_EOVERFLOW,
    ORR_EOPNOTSUPP, ORR_ENOSPC;

#endif /* DT_ERRNO_H */
