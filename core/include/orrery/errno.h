/* SPDX-License-Identifier: MIT */
/*
 * Error numbers, with the values of Xen's public errno.h (the numbers a
 * guest sees in a hypercall's negative return value). Core code returns
 * -EINVAL and friends.
 *
 * The names are the plain C names because core/ never includes a C
 * library header. Consequence for sim: a file that includes <orrery/errno.h>
 * must NOT also include the host's <errno.h> (the macros would clash, and
 * the two need not agree for every value). A test that needs the host's
 * errno should live in a separate source file from one using these.
 */
#ifndef ORRERY_ERRNO_H
#define ORRERY_ERRNO_H

#define EPERM            1  /* Operation not permitted */
#define ENOENT           2  /* No such file or directory */
#define ESRCH            3  /* No such process (domain, vCPU) */
#define EINTR            4  /* Interrupted */
#define EIO              5  /* I/O error */
#define ENXIO            6  /* No such device or address */
#define E2BIG            7  /* Argument list too long */
#define ENOEXEC          8  /* Exec format error */
#define EBADF            9  /* Bad file number */
#define ECHILD          10  /* No child processes */
#define EAGAIN          11  /* Try again */
#define EWOULDBLOCK EAGAIN
#define ENOMEM          12  /* Out of memory */
#define EACCES          13  /* Permission denied */
#define EFAULT          14  /* Bad address (guest memory copy failed) */
#define EBUSY           16  /* Device or resource busy */
#define EEXIST          17  /* Already exists */
#define EXDEV           18  /* Cross-device link */
#define ENODEV          19  /* No such device */
#define EINVAL          22  /* Invalid argument */
#define ENFILE          23  /* File table overflow */
#define EMFILE          24  /* Too many open files */
#define ENOSPC          28  /* No space left */
#define EROFS           30  /* Read-only */
#define EMLINK          31  /* Too many links */
#define EDOM            33  /* Argument out of domain */
#define ERANGE          34  /* Result out of range */
#define EDEADLK         35  /* Resource deadlock would occur */
#define ENAMETOOLONG    36  /* Name too long */
#define ENOLCK          37  /* No locks available */
#define ENOSYS          38  /* Function (hypercall) not implemented */
#define ENOTEMPTY       39  /* Not empty */
#define ENODATA         61  /* No data available */
#define ETIME           62  /* Timer expired */
#define EBADMSG         74  /* Not a data message */
#define EOVERFLOW       75  /* Value too large for defined data type */
#define EILSEQ          84  /* Illegal byte sequence */
#define ERESTART        85  /* Restart the hypercall (continuation) */
#define ENOTSOCK        88  /* Not a socket */
#define EOPNOTSUPP      95  /* Operation not supported */
#define EADDRINUSE      98  /* Address already in use */
#define EADDRNOTAVAIL   99  /* Cannot assign requested address */
#define ENOBUFS        105  /* No buffer space available */
#define EISCONN        106  /* Already connected */
#define ENOTCONN       107  /* Not connected */
#define ETIMEDOUT      110  /* Timed out */
#define ECONNREFUSED   111  /* Connection refused */

#endif /* ORRERY_ERRNO_H */
