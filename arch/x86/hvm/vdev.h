/* SPDX-License-Identifier: MIT */
/*
 * The emulated platform devices of a type=hvm domain (Xen's HVM emulation
 * set beyond the vLAPIC): a cascaded 8259A PIC pair with the ELCR, an
 * 82093AA-style IOAPIC, an 8254 PIT with the port 0x61 channel-2 gate
 * and an MC146818A RTC/CMOS. PVH domains have none of them (Xen's PVH
 * emulation flags are X86_EMU_LAPIC only, xen-abi-facts §1.4): for them
 * hvm_vdev() is NULL, no port or MMIO handler here claims anything, and
 * their accesses fall through to the all-ones default.
 *
 * ISA interrupt routing (hvm_isa_irq_set): ISA IRQ n drives PIC input n
 * (0-7 master, 8-15 slave, the slave's INT on master IR2) and IOAPIC pin
 * n -- the identity mapping for pins 0-15, including IRQ0 on pin 0. Real
 * boards wire the 8254 to INTIN2 and say so with a MADT interrupt source
 * override. Identity is what ACPI assumes for ISA IRQs without an
 * override (ACPI spec, MADT "Interrupt Source Override Structure"),
 * and Orrery's MADT (pvh_acpi.c) has
 * none -- nor, so far, an IOAPIC entry or PCAT_COMPAT for type=hvm, so
 * a guest finds these devices at their fixed PC addresses.
 * The PIC's INT reaches vCPU 0 as ExtINT (through vLAPIC LVT0 in ExtINT
 * mode, or directly while vCPU 0's vLAPIC is hardware-disabled); the
 * IOAPIC sends its vectors to the vLAPICs.
 *
 * One lock per domain covers every device: port and MMIO handlers (any
 * vCPU), the PIT and RTC timers (softirq on some CPU), the injection
 * path's INTA and the vLAPIC's EOI broadcast all take it.
 */
#ifndef ARCH_X86_HVM_VDEV_H
#define ARCH_X86_HVM_VDEV_H

#include <orrery/domain.h>
#include <orrery/spinlock.h>
#include <orrery/timer.h>

/* ---- 8259A PIC (Intel 8259A datasheet, order no. 231468) --------------- */

struct vpic {
    uint8_t irr, isr, imr;
    uint8_t elcr;               /* 1: level-triggered input (ELCR) */
    uint8_t elcr_mask;          /* the ELCR bits that exist */
    uint8_t lines;              /* input levels, for edges and level IRR */
    uint8_t base;               /* ICW2: the vector of IR0 */
    uint8_t icw3;
    uint8_t init_step;          /* 0: operational; 2-4: next ICW */
    uint8_t lowest;             /* the IR with the lowest priority */
    bool icw4_needed, single, aeoi, rotate_aeoi, sfnm;
    bool special_mask, read_isr, poll;
    bool slave;
    bool output;                /* the INT pin */
};

/* ---- IOAPIC (Intel 82093AA datasheet, order no. 290566) ---------------- */

#define VIOAPIC_BASE     0xfec00000ULL
#define VIOAPIC_PINS     24
#define VIOAPIC_VERSION  0x11   /* 82093AA: version 0x11 */

/* Redirection table entry bits (82093AA §3.2.4). */
#define IOREDTBL_VECTOR      0xffULL
#define IOREDTBL_DELMODE(e)  (((e) >> 8) & 7)
#define IOREDTBL_LOGICAL     (1ULL << 11)
#define IOREDTBL_DELIVS      (1ULL << 12)
#define IOREDTBL_POLARITY    (1ULL << 13)
#define IOREDTBL_REMOTE_IRR  (1ULL << 14)
#define IOREDTBL_LEVEL       (1ULL << 15)
#define IOREDTBL_MASKED      (1ULL << 16)
#define IOREDTBL_DEST(e)     ((uint8_t)((e) >> 56))
/* What software may write: not Delivery Status nor Remote IRR. */
#define IOREDTBL_RW_MASK     (0xff000000000000ffULL | (7ULL << 8) | \
                              IOREDTBL_LOGICAL | IOREDTBL_POLARITY | \
                              IOREDTBL_LEVEL | IOREDTBL_MASKED)

struct vioapic {
    uint32_t id;                /* IOAPICID, bits 27:24 */
    uint8_t regsel;             /* IOREGSEL */
    uint32_t lines;             /* input pin levels */
    uint64_t redir[VIOAPIC_PINS];
};

/* ---- 8254 PIT (Intel 8254 datasheet, order no. 231164) ----------------- */

#define PIT_HZ 1193182u         /* the PC's 14.31818 MHz / 12 */

struct vpit_channel {
    uint32_t reload;            /* the count register; 0 means 0x10000 */
    uint8_t mode;               /* 0-5 */
    uint8_t rw;                 /* 1 LSB, 2 MSB, 3 LSB then MSB */
    bool bcd;
    bool gate;
    bool armed;                 /* a count was written, counting runs */
    bool triggered;             /* modes 1, 5: a gate edge started it */
    bool null_count;            /* written but not yet loaded (status) */
    s_time_t start;             /* when the count was (re)loaded */
    bool held;                  /* a low gate holds count and output */
    uint32_t frozen;            /* ... at these values */
    bool out_frozen;
    bool write_msb_next;
    uint8_t write_lsb;
    bool read_msb_next;
    uint8_t latched_bytes;      /* count latch: bytes still to read */
    uint16_t latch;
    bool status_latched;
    uint8_t status;
};

struct vpit {
    struct vpit_channel ch[3];
    bool speaker_data;          /* port 0x61 bit 1 */
    struct timer timer;         /* channel 0 -> IRQ0 */
    s_time_t next;              /* the channel-0 timer's due time */
    bool irq_high;              /* the IRQ0 line (mode 0's output) */
};

/* ---- MC146818A RTC (Motorola MC146818A datasheet) ---------------------- */

#define RTC_CMOS_SIZE 128

struct vrtc {
    uint8_t index;              /* port 0x70 bits 6:0 */
    uint8_t cmos[RTC_CMOS_SIZE];
    int64_t offset;             /* guest time - domain wallclock, seconds */
    struct timer timer;         /* the next periodic or update event */
    s_time_t pbase;             /* periodic: counting from here ... */
    uint64_t pticks;            /* ... in 32.768 kHz ticks to the next */
    int64_t last_second;        /* the RTC second last looked at */
};

/* ---- The per-domain set ------------------------------------------------ */

struct hvm_vdev {
    struct domain *d;
    spinlock_t lock;
    struct vpic pic[2];         /* master, slave */
    struct vioapic ioapic;
    struct vpit pit;
    struct vrtc rtc;
    /* HVM_PARAM_CALLBACK_IRQ of type GSI: the line driven, and how. */
    unsigned int cb_gsi;
    bool cb_level;
};

static inline struct hvm_vdev *hvm_vdev(const struct domain *d)
{
    return d ? d->arch_priv : NULL;
}

/* Build: give @d the devices (one xen page, charged to its ledger);
 * -ENOMEM. Undone by its teardown (the hook hvm_vdev_init registers). */
int hvm_vdev_create(struct domain *d);
void hvm_vdev_destroy(struct domain *d);
/* Boot: the port and MMIO handlers, the teardown hook, the vLAPIC EOI
 * hook. -ENOSPC/-EBUSY from the registries. */
int hvm_vdev_init(void);
/* Debug key 'I' (vdev_dump.c); once, from hvm_vdev_init. */
void hvm_vdev_register_key(void);

/* ISA IRQ @irq (0-15) to @level; lock held. */
void hvm_isa_irq_set(struct hvm_vdev *h, unsigned int irq, bool level);

/* The vendor's injection path for vCPU @v: does the PIC present an
 * ExtINT @v accepts now (vCPU 0, LVT0 ExtINT or vLAPIC off)? And the
 * INTA cycle that takes it: the vector to inject. */
bool hvm_extint_pending(struct vcpu *v);
unsigned int hvm_extint_ack(struct vcpu *v);

/*
 * HVM_PARAM_CALLBACK_IRQ = (0 << 56) | gsi (xen-abi-facts §1.5, Xen's
 * HVMIRQ_callback_gsi): GSI 1-23 is held asserted while vCPU 0's
 * evtchn_upcall_pending is set -- through the PIC and IOAPIC pin for an
 * ISA GSI (1-15), the IOAPIC pin alone for 16-23. The vendor code calls
 * this before each entry of any vCPU (and at HLT); the vLAPIC's EOI
 * brings the line up to date too, so a handler that cleared the flag
 * is not interrupted again. A no-op for PVH domains and other types.
 */
void hvm_callback_gsi_sync(struct vcpu *v);

/* ---- Inside the set (lock held) ---------------------------------------- */

void vpic_reset(struct vpic *p, bool slave);
void vpic_set_line(struct hvm_vdev *h, unsigned int irq, bool level);
unsigned int vpic_intack(struct hvm_vdev *h);
uint8_t vpic_port_read(struct hvm_vdev *h, uint16_t port);
void vpic_port_write(struct hvm_vdev *h, uint16_t port, uint8_t val);

void vioapic_reset(struct vioapic *io);
void vioapic_set_line(struct hvm_vdev *h, unsigned int pin, bool level);
void vioapic_eoi(struct hvm_vdev *h, unsigned int vector);
uint32_t vioapic_mmio_read(struct hvm_vdev *h, unsigned int off);
void vioapic_mmio_write(struct hvm_vdev *h, unsigned int off, uint32_t val);

void vpit_init(struct hvm_vdev *h);
void vpit_destroy(struct hvm_vdev *h);
uint8_t vpit_port_read(struct hvm_vdev *h, uint16_t port);
void vpit_port_write(struct hvm_vdev *h, uint16_t port, uint8_t val);

void vrtc_init(struct hvm_vdev *h);
void vrtc_destroy(struct hvm_vdev *h);
uint8_t vrtc_port_read(struct hvm_vdev *h, uint16_t port);
void vrtc_port_write(struct hvm_vdev *h, uint16_t port, uint8_t val);

/* vdev.c: the PIC's INT changed (kick vCPU 0); an IOAPIC message. */
void hvm_pic_output_changed(struct hvm_vdev *h);
void hvm_ioapic_deliver(struct hvm_vdev *h, uint64_t entry);

#endif /* ARCH_X86_HVM_VDEV_H */
