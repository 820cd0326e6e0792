/* SPDX-License-Identifier: MIT */
/*
 * The `domain=` options (orrery/boot_domains.h): parsed as the command
 * line is read, built in boot phase 6 once domains, event channels and
 * the scheduler exist.
 */
#include <orrery/boot_domains.h>
#include <orrery/console.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <orrery/lib.h>
#include <orrery/param.h>
#include <orrery/platform.h>

static struct boot_domain_spec specs[BOOT_MAX_DOMAINS];
static unsigned int nr_specs;
static domid_t built[BOOT_MAX_DOMAINS];
static unsigned int nr_built;

static int bad(const char **why, const char *msg)
{
    *why = msg;
    return -EINVAL;
}

/* A decimal number with an optional K/M/G suffix, whole string. */
static bool parse_size(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0, mul = 1;

    if ( !len )
        return false;
    switch ( s[len - 1] )
    {
    case 'K': case 'k': mul = 1ULL << 10; len--; break;
    case 'M': case 'm': mul = 1ULL << 20; len--; break;
    case 'G': case 'g': mul = 1ULL << 30; len--; break;
    }
    if ( !len )
        return false;
    for ( size_t i = 0; i < len; i++ )
    {
        if ( s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - 9) / 10 )
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if ( v > UINT64_MAX / mul )
        return false;
    *out = v * mul;
    return true;
}

static bool parse_uint(const char *s, size_t len, uint32_t max, uint32_t *out)
{
    uint64_t v;

    if ( !len || (s[len - 1] < '0' || s[len - 1] > '9') ||
         !parse_size(s, len, &v) || v > max )
        return false;
    *out = (uint32_t)v;
    return true;
}

static bool key_is(const char *k, size_t klen, const char *name)
{
    return strlen(name) == klen && memcmp(k, name, klen) == 0;
}

static int parse_pair(const char *k, size_t klen, const char *v, size_t vlen,
                      struct boot_domain_spec *s, const char **why)
{
    uint32_t u;

    if ( key_is(k, klen, "name") )
    {
        if ( !vlen || vlen >= sizeof(s->name) )
            return bad(why, "name must be 1 to 31 characters");
        memcpy(s->name, v, vlen);
        s->name[vlen] = '\0';
    }
    else if ( key_is(k, klen, "kernel") )
    {
        if ( !parse_uint(v, vlen, BOOT_MAX_MODULES - 1, &u) )
            return bad(why, "kernel must be a boot module index");
        s->module = u;
    }
    else if ( key_is(k, klen, "ramdisk") )
    {
        if ( !parse_uint(v, vlen, BOOT_MAX_MODULES - 1, &u) )
            return bad(why, "ramdisk must be a boot module index");
        s->ramdisk_module = u;
        s->has_ramdisk = true;
    }
    else if ( key_is(k, klen, "mem") )
    {
        if ( !parse_size(v, vlen, &s->mem) || s->mem < (1ULL << 20) ||
             (s->mem & (PAGE_SIZE - 1)) )
            return bad(why, "mem must be whole pages, at least 1M");
    }
    else if ( key_is(k, klen, "vcpus") )
    {
        if ( !parse_uint(v, vlen, DOMAIN_MAX_VCPUS, &u) || !u )
            return bad(why, "vcpus must be 1 to 128");
        s->vcpus = u;
    }
    else if ( key_is(k, klen, "type") )
    {
        if ( vlen == 3 && !memcmp(v, "pvh", 3) )
            s->type = ORR_GUEST_PVH;
        else if ( vlen == 3 && !memcmp(v, "hvm", 3) )
            s->type = ORR_GUEST_HVM;
        else
            return bad(why, "type must be pvh or hvm");
    }
    else if ( key_is(k, klen, "weight") )
    {
        if ( !parse_uint(v, vlen, 65535, &u) || !u )
            return bad(why, "weight must be 1 to 65535");
        s->weight = u;
    }
    else if ( key_is(k, klen, "cap") )
    {
        if ( !parse_uint(v, vlen, 100 * DOMAIN_MAX_VCPUS, &s->cap) )
            return bad(why, "cap must be a percentage of one CPU");
    }
    else
        return bad(why, "unknown key (name, kernel, ramdisk, mem, vcpus, "
                        "type, control, weight, cap, cmdline)");
    return 0;
}

int boot_domain_parse(const char *value, struct boot_domain_spec *s,
                      const char **why)
{
    const char *p = value;
    bool have_kernel = false;

    memset(s, 0, sizeof(*s));
    s->mem = 32ULL << 20;
    s->vcpus = 1;
    s->type = ORR_GUEST_PVH;

    while ( *p )
    {
        const char *end = strchr(p, ','), *eq;
        size_t len, klen;
        int rc;

        if ( strncmp(p, "cmdline=", 8) == 0 )
        {
            /* The rest of the option, commas included. */
            if ( strlen(p + 8) >= sizeof(s->cmdline) )
                return bad(why, "cmdline is longer than 255 characters");
            strlcpy(s->cmdline, p + 8, sizeof(s->cmdline));
            s->has_cmdline = true;
            break;
        }
        len = end ? (size_t)(end - p) : strlen(p);
        for ( klen = 0; klen < len && p[klen] != '='; klen++ )
            ;
        eq = klen < len ? p + klen : NULL;
        if ( !eq )
        {
            if ( !key_is(p, klen, "control") )
                return bad(why, "expected key=value");
            s->control = true;
        }
        else
        {
            rc = parse_pair(p, klen, eq + 1, len - klen - 1, s, why);
            if ( rc )
                return rc;
            have_kernel |= key_is(p, klen, "kernel");
        }
        p += len;
        if ( *p == ',' )
            p++;
    }
    if ( !s->name[0] )
        return bad(why, "a domain needs a name=");
    if ( !have_kernel )
        return bad(why, "a domain needs a kernel= (a boot module index)");
    return 0;
}

static int domain_option(const char *value)
{
    struct boot_domain_spec s;
    const char *why;

    if ( boot_domain_parse(value, &s, &why) )
    {
        printk(LOG_ERR "domain=%s: %s; that domain is not built\n", value,
               why);
        return 0;       /* reported here, in words; not a second warning */
    }
    if ( nr_specs == BOOT_MAX_DOMAINS )
    {
        printk(LOG_ERR "domain=%s: at most %u domains are built at boot\n",
               value, BOOT_MAX_DOMAINS);
        return 0;
    }
    for ( unsigned int i = 0; i < nr_specs; i++ )
        if ( strcmp(specs[i].name, s.name) == 0 )
        {
            printk(LOG_ERR "domain=%s: a domain named %s exists already\n",
                   value, s.name);
            return 0;
        }
    specs[nr_specs++] = s;
    return 0;
}
custom_param("domain", domain_option);

void boot_domains_create(const struct boot_info *bi)
{
    for ( unsigned int i = 0; i < nr_specs; i++ )
    {
        struct boot_domain_spec *s = &specs[i];
        const struct boot_module *m;
        const char *why = NULL;
        domid_t id;
        int rc;

        if ( s->module >= bi->nr_modules )
        {
            printk(LOG_ERR "domain=%s: kernel=%u, but there %s %u boot "
                   "module%s\n", s->name, s->module,
                   bi->nr_modules == 1 ? "is" : "are", bi->nr_modules,
                   bi->nr_modules == 1 ? "" : "s");
            continue;
        }
        if ( s->has_ramdisk && s->ramdisk_module >= bi->nr_modules )
        {
            printk(LOG_ERR "domain=%s: ramdisk=%u, but there %s %u boot "
                   "module%s\n", s->name, s->ramdisk_module,
                   bi->nr_modules == 1 ? "is" : "are", bi->nr_modules,
                   bi->nr_modules == 1 ? "" : "s");
            continue;
        }
        if ( s->has_ramdisk )
        {
            m = &bi->modules[s->ramdisk_module];
            s->ramdisk = (const uint8_t *)arch_mfn_to_virt(
                             _mfn(m->start >> PAGE_SHIFT)) +
                         (m->start & (PAGE_SIZE - 1));
            s->ramdisk_size = m->size;
        }
        m = &bi->modules[s->module];
        if ( !s->has_cmdline && m->cmdline )
        {
            strlcpy(s->cmdline, m->cmdline, sizeof(s->cmdline));
            s->has_cmdline = true;
        }
        rc = arch_build_domain(s, arch_mfn_to_virt(_mfn(m->start >> PAGE_SHIFT)) +
                                  (m->start & (PAGE_SIZE - 1)),
                               m->size, &id, &why);
        if ( rc )
        {
            printk(LOG_ERR "domain=%s: %s (%d); not built\n", s->name,
                   why ? why : "failed", rc);
            continue;
        }
        built[nr_built++] = id;
        printk("Domain %s: d%u, %u vCPU%s, %llu MiB, kernel module %u\n",
               s->name, id, s->vcpus, s->vcpus == 1 ? "" : "s",
               (unsigned long long)(s->mem >> 20), s->module);
        if ( s->has_ramdisk )
            printk("Domain %s: ramdisk module %u, %zu bytes\n", s->name,
                   s->ramdisk_module, s->ramdisk_size);
    }
}

void boot_domains_start(void)
{
    for ( unsigned int i = 0; i < nr_built; i++ )
    {
        struct domain *d = domain_get(built[i]);

        if ( !d )
            continue;           /* gone already */
        if ( domain_unpause(d) )
            printk(LOG_ERR "d%u: cannot be started\n", built[i]);
        domain_put(d);
    }
}
