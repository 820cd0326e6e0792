/* SPDX-License-Identifier: MIT */
/*
 * Orrery's errno values, gathered in a file that includes nothing from the
 * C library: <orrery/errno.h> and the host's <errno.h> must not meet (CUnit
 * includes the latter, so the checks live in util_tests.c).
 */
#include <orrery/errno.h>
#include "errno_values.h"

#define E(name) { #name, name }

const struct errno_value orrery_errno_values[] = {
    E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
    E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
    E(EFAULT), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV), E(EINVAL),
    E(ENFILE), E(EMFILE), E(ENOSPC), E(EROFS), E(EMLINK), E(EDOM),
    E(ERANGE), E(EDEADLK), E(ENAMETOOLONG), E(ENOLCK), E(ENOSYS),
    E(ENOTEMPTY), E(ENODATA), E(ETIME), E(EBADMSG), E(EOVERFLOW), E(EILSEQ),
    E(ERESTART), E(ENOTSOCK), E(EOPNOTSUPP), E(EADDRINUSE),
    E(EADDRNOTAVAIL), E(ENOBUFS), E(EISCONN), E(ENOTCONN), E(ETIMEDOUT),
    E(ECONNREFUSED),
    { 0, 0 },
};
