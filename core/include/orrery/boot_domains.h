/* SPDX-License-Identifier: MIT */
/*
 * Domains built at boot ("dom0less"), one `domain=` option each:
 *
 *   domain=name=NAME,kernel=N[,ramdisk=N][,mem=SIZE][,vcpus=N]
 *          [,type=pvh|hvm][,control][,weight=N][,cap=N]
 *          [,cmdline=GUEST COMMAND LINE]
 *
 * kernel is the index of the boot module holding the guest's ELF image
 * (0 is the first module: PVH's -initrd, GRUB's first module2); ramdisk
 * the index of a module copied into the guest's RAM as its first PVH
 * module (start info's modlist; Linux takes it as its initramfs). mem is a
 * size with an optional K/M/G suffix (default 32M); vcpus defaults to 1;
 * control makes it a control domain. weight and cap go to the pool's
 * scheduler when it has them (credit, credit2). cmdline takes the rest
 * of the option, commas and (quoted) blanks included; without it a
 * module's own command line is used. A mistake names the option and that
 * domain is not built; the others still are.
 */
#ifndef ORRERY_BOOT_DOMAINS_H
#define ORRERY_BOOT_DOMAINS_H

#include <orrery/boot.h>

#define BOOT_MAX_DOMAINS 8
#define BOOT_DOMAIN_NAME 32

struct boot_domain_spec {
    char name[BOOT_DOMAIN_NAME];
    unsigned int module;
    uint64_t mem;
    unsigned int vcpus;
    unsigned int type;          /* ORR_GUEST_PVH or ORR_GUEST_HVM */
    bool control;
    uint32_t weight, cap;       /* 0: the scheduler's default */
    bool has_cmdline;
    char cmdline[256];
    bool has_ramdisk;
    unsigned int ramdisk_module;    /* ramdisk=: a boot module index */
    /* The ramdisk module's bytes, set by boot_domains_create(). */
    const void *ramdisk;
    size_t ramdisk_size;
};

/* Parse one option's value. 0, or -EINVAL with *@why naming the problem. */
int boot_domain_parse(const char *value, struct boot_domain_spec *spec,
                      const char **why);

/* Boot: build every domain the command line asked for (phase 6), paused;
 * start them once the banner is out (phase 8), so that the boot's own
 * measurements run on a quiet machine. */
void boot_domains_create(const struct boot_info *bi);
void boot_domains_start(void);

/*
 * The platform builds one, left paused: its kernel image is @image (@size
 * bytes, in the hypervisor's address space). 0 with *@domid set, or an
 * error with *@why saying what went wrong (and no domain left).
 */
int arch_build_domain(const struct boot_domain_spec *spec, const void *image,
                      size_t size, domid_t *domid, const char **why);

#endif /* ORRERY_BOOT_DOMAINS_H */
