/* SPDX-License-Identifier: MIT */
/*
 * Orrery's errno values for the dt tests, from a file that includes no C
 * library header: <orrery/errno.h> and the host's <errno.h> (which CUnit
 * pulls in) must not meet.
 */
#include <orrery/errno.h>
#include "dt_errno.h"

const int ORR_ENOENT = -ENOENT;
const int ORR_EINVAL = -EINVAL;
const int ORR_EBADMSG = -EBADMSG;
const int ORR_EOVERFLOW = -EOVERFLOW;
const int ORR_EOPNOTSUPP = -EOPNOTSUPP;
const int ORR_ENOSPC = -ENOSPC;
