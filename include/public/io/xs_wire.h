/* SPDX-License-Identifier: MIT */
/*
 * The xenstore wire protocol: message header, message types, and the
 * shared ring page between a guest and xenstored (found through
 * HVM_PARAM_STORE_PFN). The layout follows Xen's public io/xs_wire.h.
 */
#ifndef PUBLIC_IO_XS_WIRE_H
#define PUBLIC_IO_XS_WIRE_H

#include <public/xen.h>

enum xsd_sockmsg_type {
    XS_CONTROL,                  /* 0; was XS_DEBUG */
    XS_DIRECTORY,
    XS_READ,
    XS_GET_PERMS,
    XS_WATCH,
    XS_UNWATCH,
    XS_TRANSACTION_START,
    XS_TRANSACTION_END,
    XS_INTRODUCE,
    XS_RELEASE,
    XS_GET_DOMAIN_PATH,          /* 10 */
    XS_WRITE,
    XS_MKDIR,
    XS_RM,
    XS_SET_PERMS,
    XS_WATCH_EVENT,
    XS_ERROR,
    XS_IS_DOMAIN_INTRODUCED,
    XS_RESUME,
    XS_SET_TARGET,
    XS_RESET_WATCHES = 21,       /* 20 was XS_RESTRICT, withdrawn */
    XS_DIRECTORY_PART,
    XS_TYPE_COUNT,
};

/* Every message starts with this header, then @len payload bytes. */
struct xsd_sockmsg {
    uint32_t type;               /* enum xsd_sockmsg_type */
    uint32_t req_id;             /* echoed in the reply */
    uint32_t tx_id;              /* transaction, 0 for none */
    uint32_t len;                /* payload bytes */
};

#define XENSTORE_PAYLOAD_MAX 4096
#define XENSTORE_RING_SIZE   1024
typedef uint32_t XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))

#define XENSTORE_SERVER_FEATURE_RECONNECTION (1U << 0)
#define XENSTORE_SERVER_FEATURE_ERROR        (1U << 1)
#define XENSTORE_CONNECTED 0
#define XENSTORE_RECONNECT 1

struct xenstore_domain_interface {
    char req[XENSTORE_RING_SIZE];  /* guest -> xenstored */
    char rsp[XENSTORE_RING_SIZE];  /* xenstored -> guest */
    XENSTORE_RING_IDX req_cons, req_prod;
    XENSTORE_RING_IDX rsp_cons, rsp_prod;
    uint32_t server_features;
    uint32_t connection;         /* XENSTORE_CONNECTED / RECONNECT */
    uint32_t error;
};

XEN_ABI_SIZE(xsd_sockmsg, 16);
XEN_ABI_CHECK(xenstore_domain_interface, rsp, 1024);
XEN_ABI_CHECK(xenstore_domain_interface, req_cons, 2048);
XEN_ABI_CHECK(xenstore_domain_interface, req_prod, 2052);
XEN_ABI_CHECK(xenstore_domain_interface, rsp_cons, 2056);
XEN_ABI_CHECK(xenstore_domain_interface, rsp_prod, 2060);
XEN_ABI_CHECK(xenstore_domain_interface, server_features, 2064);
XEN_ABI_CHECK(xenstore_domain_interface, connection, 2068);
XEN_ABI_CHECK(xenstore_domain_interface, error, 2072);
XEN_ABI_SIZE(xenstore_domain_interface, 2076);

#endif /* PUBLIC_IO_XS_WIRE_H */
