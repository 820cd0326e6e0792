/* SPDX-License-Identifier: MIT */
/*
 * The hardware-reduced ACPI sleep and reset registers of PVH domains
 * (pvh_acpi.h): the way a guest's ACPI code turns itself off or restarts.
 * For power-off the guest writes
 * SLP_TYP and SLP_EN to the sleep control register (ACPI 6.x §4.8.3.7);
 * the sleep type \_S5 names is a power-off, which shuts the domain down
 * as SCHEDOP_shutdown(SHUTDOWN_poweroff) would. Other sleep states are not
 * offered (the DSDT names only S5), so other writes are ignored. The
 * status register reads 0: WAK_STS never sets, there being no wake-up.
 * The reset register's value (FADT RESET_VALUE) is a reboot, as
 * SCHEDOP_shutdown(SHUTDOWN_reboot); it reads 0.
 */
#include <orrery/domain.h>
#include <orrery/errno.h>

#include <public/sched.h>

#include "portio.h"
#include "pvh_acpi.h"

#define SLP_TYP_SHIFT 2
#define SLP_TYP_MASK  0x1c
#define SLP_EN        0x20

static bool claims(struct vcpu *v, uint16_t port)
{
    (void)v;
    return port == PVH_ACPI_SLEEP_CONTROL || port == PVH_ACPI_SLEEP_STATUS ||
           port == PVH_ACPI_RESET_PORT;
}

static uint8_t sleep_read(struct vcpu *v, uint16_t port)
{
    (void)v;
    (void)port;
    return 0;
}

static void sleep_write(struct vcpu *v, uint16_t port, uint8_t val)
{
    if ( port == PVH_ACPI_SLEEP_CONTROL && (val & SLP_EN) &&
         ((val & SLP_TYP_MASK) >> SLP_TYP_SHIFT) == PVH_ACPI_S5_TYP )
        domain_shutdown(v->domain, SHUTDOWN_poweroff);
    else if ( port == PVH_ACPI_RESET_PORT && val == PVH_ACPI_RESET_VALUE )
        domain_shutdown(v->domain, SHUTDOWN_reboot);
}

static const struct hvm_portio_ops sleep_ops = {
    .claims = claims,
    .read = sleep_read,
    .write = sleep_write,
};

int pvh_acpi_init(void)
{
    return hvm_portio_register(&sleep_ops) ? 0 : -ENOSPC;
}
