/* SPDX-License-Identifier: MIT */
/*
 * HVM parameters, read and written with HVMOP_get_param/set_param
 * (reference §1.1, §1.6). A parameter never set reads back as 0.
 */
#ifndef PUBLIC_HVM_PARAMS_H
#define PUBLIC_HVM_PARAMS_H

#include <public/xen.h>

/*
 * How event upcalls reach the guest. Bits 63:56 give the type; with
 * type 2 (vector) bits 7:0 are the vector injected directly while
 * vcpu_info.evtchn_upcall_pending is set (§1.5).
 */
#define HVM_PARAM_CALLBACK_IRQ        0
#define HVM_PARAM_CALLBACK_TYPE_SHIFT 56
#define HVM_PARAM_CALLBACK_TYPE_GSI     0
#define HVM_PARAM_CALLBACK_TYPE_PCI_INTX 1
#define HVM_PARAM_CALLBACK_TYPE_VECTOR  2

#define HVM_PARAM_STORE_PFN           1
#define HVM_PARAM_STORE_EVTCHN        2
#define HVM_PARAM_PAE_ENABLED         4   /* deprecated */
#define HVM_PARAM_VIRIDIAN            9
#define HVM_PARAM_DM_DOMAIN          13   /* deprecated */
#define HVM_PARAM_VM86_TSS           15
#define HVM_PARAM_CONSOLE_PFN        17
#define HVM_PARAM_CONSOLE_EVTCHN     18
#define HVM_PARAM_ACPI_IOPORTS_LOCATION 19
/* 20-23, 25, 30: the memory-event params, deprecated */
#define HVM_PARAM_IOREQ_SERVER_PFN   32
#define HVM_PARAM_NR_IOREQ_SERVER_PAGES 33
#define HVM_PARAM_VM_GENERATION_ID_ADDR 34
#define HVM_PARAM_ALTP2M             35
#define HVM_PARAM_X87_FIP_WIDTH      36
#define HVM_PARAM_VM86_TSS_SIZED     37
#define HVM_PARAM_MCA_CAP            38
#define HVM_NR_PARAMS                39

#define HVMOP_set_param                0
#define HVMOP_get_param                1
#define HVMOP_pagetable_dying          9
#define HVMOP_set_evtchn_upcall_vector 23

struct xen_hvm_param {
    xen_domid_t domid;
    uint16_t pad;
    uint32_t index;              /* HVM_PARAM_* */
    uint64_t value;
};

struct xen_hvm_evtchn_upcall_vector {
    uint32_t vcpu;
    uint8_t vector;
    uint8_t pad[3];
};

XEN_ABI_SIZE(xen_hvm_param, 16);
XEN_ABI_CHECK(xen_hvm_param, index, 4);
XEN_ABI_CHECK(xen_hvm_param, value, 8);
XEN_ABI_SIZE(xen_hvm_evtchn_upcall_vector, 8);
XEN_ABI_CHECK(xen_hvm_evtchn_upcall_vector, vector, 4);

#endif /* PUBLIC_HVM_PARAMS_H */
