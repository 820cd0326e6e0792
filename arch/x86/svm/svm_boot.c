/* SPDX-License-Identifier: MIT */
/* arch_virt_init() on x86: SVM on every CPU, then the optional selftests. */
#include <orrery/boot.h>
#include <orrery/console.h>

#include "svm.h"
#include "svm_boot.h"
#include "svm_guest.h"

void arch_virt_init(void)
{
    if ( !svm_init() )
        return;
    printk("SVM: nested paging%s%s%s%s, %u ASIDs\n",
           svm_caps.page1gb ? ", 1G pages" : "",
           svm_caps.nrips ? ", next-RIP" : "",
           svm_caps.decode_assists ? ", decode assists" : "",
           svm_caps.flush_by_asid ? ", flush-by-ASID" : "",
           svm_caps.nr_asids);
    if ( svm_register_domain_hooks() )
        panic("SVM: cannot register its domain hooks");
    svm_intr_init();
    svm_selftest();
    guest_selftest();
}
