/* SPDX-License-Identifier: MIT */
/*
 * The PV console ring (reference §1.6): one page shared by the guest and
 * its console backend, found through HVM_PARAM_CONSOLE_PFN and signalled
 * through HVM_PARAM_CONSOLE_EVTCHN. Indexes run freely as u32 and are
 * masked by the array size when used.
 */
#ifndef PUBLIC_IO_CONSOLE_H
#define PUBLIC_IO_CONSOLE_H

#include <public/xen.h>

typedef uint32_t XENCONS_RING_IDX;

#define XENCONS_IN_SIZE  1024
#define XENCONS_OUT_SIZE 2048
#define MASK_XENCONS_IDX(idx, size) ((idx) & ((size) - 1))

#define XENCONSOLE_CONNECTED 0
#define XENCONSOLE_RECONNECT 1

struct xencons_interface {
    char in[XENCONS_IN_SIZE];    /* backend -> guest */
    char out[XENCONS_OUT_SIZE];  /* guest -> backend */
    XENCONS_RING_IDX in_cons, in_prod;
    XENCONS_RING_IDX out_cons, out_prod;
    uint8_t connection;          /* XENCONSOLE_* */
};

XEN_ABI_CHECK(xencons_interface, out, 1024);
XEN_ABI_CHECK(xencons_interface, in_cons, 3072);
XEN_ABI_CHECK(xencons_interface, in_prod, 3076);
XEN_ABI_CHECK(xencons_interface, out_cons, 3080);
XEN_ABI_CHECK(xencons_interface, out_prod, 3084);
XEN_ABI_CHECK(xencons_interface, connection, 3088);
XEN_ABI_SIZE(xencons_interface, 3092);

#endif /* PUBLIC_IO_CONSOLE_H */
