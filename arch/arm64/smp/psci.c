/* SPDX-License-Identifier: MIT */
/*
 * PSCI (Arm DEN 0022, "Power State Coordination Interface"): starting
 * CPUs and resetting the machine through firmware -- or QEMU, which
 * implements it itself for -kernel boots. Calls follow the SMC Calling
 * Convention (Arm DEN 0028): function id in w0, arguments in x1-x3,
 * result in x0; x4-x17 may be clobbered by SMCCC 1.0 firmware.
 */
#include <orrery/boot.h>
#include <orrery/console.h>
#include <asm/platform_info.h>

int64_t psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 asm ( "x0" ) = fn;
    register uint64_t x1 asm ( "x1" ) = a1;
    register uint64_t x2 asm ( "x2" ) = a2;
    register uint64_t x3 asm ( "x3" ) = a3;

    /* dt_boot.c only accepts the SMC conduit: an HVC from EL2 would come
     * back to EL2's own vectors. */
    asm volatile ( "smc #0"
                   : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
                   :
                   : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
                     "x12", "x13", "x14", "x15", "x16", "x17", "memory" );
    return (int64_t)x0;
}

/* PSCI return codes (DEN 0022 §5.2.2). */
const char *psci_error(int64_t err)
{
    switch ( err )
    {
    case 0:  return "success";
    case -1: return "NOT_SUPPORTED";
    case -2: return "INVALID_PARAMETERS";
    case -3: return "DENIED";
    case -4: return "ALREADY_ON";
    case -5: return "ON_PENDING";
    case -6: return "INTERNAL_FAILURE";
    case -7: return "NOT_PRESENT";
    case -8: return "DISABLED";
    case -9: return "INVALID_ADDRESS";
    default: return "unknown error";
    }
}
