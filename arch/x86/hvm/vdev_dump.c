/* SPDX-License-Identifier: MIT */
/*
 * Debug key 'I' (Xen's "dump HVM irq info"): for every type=hvm domain,
 * the PICs' IRR/ISR/IMR/ELCR and INT, the IOAPIC's unmasked entries and
 * raised lines, the PIT counters and the RTC's registers A-C.
 */
#include <orrery/console.h>
#include <orrery/keyhandler.h>

#include "vdev.h"

static void dump_pic(const struct vpic *p, const char *which)
{
    printk("  PIC %s: IRR %02x ISR %02x IMR %02x ELCR %02x vectors %#x%s%s\n",
           which, p->irr, p->isr, p->imr, p->elcr, p->base,
           p->output ? ", INT" : "", p->init_step ? ", initialising" : "");
}

static void dump_one(struct domain *d, void *arg)
{
    struct hvm_vdev *h = hvm_vdev(d);
    unsigned long flags;

    (void)arg;
    if ( !h )
        return;
    spin_lock_irqsave(&h->lock, flags);
    printk("d%u (%s):\n", d->domain_id, d->name);
    dump_pic(&h->pic[0], "master");
    dump_pic(&h->pic[1], "slave");
    printk("  IOAPIC: ID %u, lines %06x\n", h->ioapic.id >> 24,
           h->ioapic.lines);
    for ( unsigned int pin = 0; pin < VIOAPIC_PINS; pin++ )
        if ( !(h->ioapic.redir[pin] & IOREDTBL_MASKED) )
            printk("    pin %2u: %016llx\n", pin,
                   (unsigned long long)h->ioapic.redir[pin]);
    for ( unsigned int i = 0; i < 3; i++ )
    {
        const struct vpit_channel *c = &h->pit.ch[i];

        printk("  PIT %u: mode %u count %#x%s%s%s\n", i, c->mode, c->reload,
               c->armed ? "" : ", idle", c->held ? ", held" : "",
               c->bcd ? ", BCD" : "");
    }
    printk("  RTC: A %02x B %02x C %02x, %lld s from the wallclock\n",
           h->rtc.cmos[0x0a], h->rtc.cmos[0x0b], h->rtc.cmos[0x0c],
           (long long)h->rtc.offset);
    if ( h->cb_gsi )
        printk("  callback GSI %u %s\n", h->cb_gsi,
               h->cb_level ? "asserted" : "low");
    spin_unlock_irqrestore(&h->lock, flags);
}

static void key_hvm_irq(unsigned char key)
{
    (void)key;
    printk("'I' pressed: HVM PIC/IOAPIC/PIT/RTC state\n");
    domain_for_each(dump_one, NULL);
}

void hvm_vdev_register_key(void)
{
    static bool done;

    if ( done )
        return;
    register_keyhandler('I', key_hvm_irq, "dump HVM PIC/IOAPIC/PIT/RTC");
    done = true;
}
