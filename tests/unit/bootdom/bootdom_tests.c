/* SPDX-License-Identifier: MIT */
/* The domain= option (orrery/boot_domains.h): what parses, what does not. */
#include <orrery/boot_domains.h>
#include <orrery/domain.h>
#include <orrery/errno.h>
#include <string.h>

#include "orr_test.h"

static struct boot_domain_spec s;
static const char *why;

static void test_full_spec(void)
{
    CU_ASSERT_EQUAL_FATAL(boot_domain_parse(
        "name=web,kernel=2,mem=64M,vcpus=4,type=pvh,control,weight=512,"
        "cap=150,cmdline=console=hvc0,earlyprintk=xen root=/dev/xvda",
        &s, &why), 0);
    ORR_ASSERT_STREQ(s.name, "web");
    CU_ASSERT_EQUAL(s.module, 2);
    ORR_ASSERT_EQ_U64(s.mem, 64ULL << 20);
    CU_ASSERT_EQUAL(s.vcpus, 4);
    CU_ASSERT_EQUAL(s.type, ORR_GUEST_PVH);
    CU_ASSERT(s.control);
    CU_ASSERT_EQUAL(s.weight, 512);
    CU_ASSERT_EQUAL(s.cap, 150);
    CU_ASSERT(s.has_cmdline);
    /* cmdline takes the rest, commas and blanks included. */
    ORR_ASSERT_STREQ(s.cmdline, "console=hvc0,earlyprintk=xen root=/dev/xvda");
}

static void test_defaults(void)
{
    CU_ASSERT_EQUAL_FATAL(boot_domain_parse("kernel=0,name=a", &s, &why), 0);
    ORR_ASSERT_EQ_U64(s.mem, 32ULL << 20);
    CU_ASSERT_EQUAL(s.vcpus, 1);
    CU_ASSERT_EQUAL(s.type, ORR_GUEST_PVH);
    CU_ASSERT(!s.control && !s.has_cmdline && !s.weight && !s.cap);
    CU_ASSERT(!s.has_ramdisk);
    CU_ASSERT_EQUAL_FATAL(boot_domain_parse("name=l,kernel=0,ramdisk=1",
                                            &s, &why), 0);
    CU_ASSERT(s.has_ramdisk);
    CU_ASSERT_EQUAL(s.ramdisk_module, 1);
    CU_ASSERT_EQUAL(s.module, 0);
    CU_ASSERT_EQUAL_FATAL(boot_domain_parse("name=b,kernel=0,mem=1G,type=hvm",
                                            &s, &why), 0);
    ORR_ASSERT_EQ_U64(s.mem, 1ULL << 30);
    CU_ASSERT_EQUAL(s.type, ORR_GUEST_HVM);
    CU_ASSERT_EQUAL_FATAL(boot_domain_parse("name=c,kernel=0,mem=2048k",
                                            &s, &why), 0);
    ORR_ASSERT_EQ_U64(s.mem, 2ULL << 20);
}

static void expect_bad(const char *value, const char *msg)
{
    why = NULL;
    CU_ASSERT_EQUAL(boot_domain_parse(value, &s, &why), -EINVAL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(why);
    ORR_ASSERT_STREQ(why, msg);
}

static void test_mistakes(void)
{
    expect_bad("kernel=0", "a domain needs a name=");
    expect_bad("name=a", "a domain needs a kernel= (a boot module index)");
    expect_bad("name=,kernel=0", "name must be 1 to 31 characters");
    expect_bad("name=0123456789abcdef0123456789abcdef,kernel=0",
               "name must be 1 to 31 characters");
    expect_bad("name=a,kernel=x", "kernel must be a boot module index");
    expect_bad("name=a,kernel=16", "kernel must be a boot module index");
    expect_bad("name=a,kernel=1M", "kernel must be a boot module index");
    expect_bad("name=a,kernel=0,mem=3", "mem must be whole pages, at least 1M");
    expect_bad("name=a,kernel=0,mem=512K", "mem must be whole pages, at least 1M");
    expect_bad("name=a,kernel=0,mem=99999999999999999999G",
               "mem must be whole pages, at least 1M");
    expect_bad("name=a,kernel=0,mem=M", "mem must be whole pages, at least 1M");
    expect_bad("name=a,kernel=0,vcpus=0", "vcpus must be 1 to 128");
    expect_bad("name=a,kernel=0,vcpus=129", "vcpus must be 1 to 128");
    expect_bad("name=a,kernel=0,type=pv", "type must be pvh or hvm");
    expect_bad("name=a,kernel=0,weight=0", "weight must be 1 to 65535");
    expect_bad("name=a,kernel=0,weight=65536", "weight must be 1 to 65535");
    expect_bad("name=a,kernel=0,cap=12801", "cap must be a percentage of one CPU");
    expect_bad("name=a,kernel=0,colour=blue",
               "unknown key (name, kernel, ramdisk, mem, vcpus, type, control, "
               "weight, cap, cmdline)");
    expect_bad("name=a,kernel=0,ramdisk=x", "ramdisk must be a boot module index");
    expect_bad("name=a,kernel=0,ramdisk=16",
               "ramdisk must be a boot module index");
    expect_bad("name=a,kernel=0,ramdisk=", "ramdisk must be a boot module index");
    expect_bad("name=a,kernel=0,privileged", "expected key=value");
}

static void test_long_cmdline(void)
{
    char v[400] = "name=a,kernel=0,cmdline=";

    memset(v + strlen(v), 'x', 300);
    expect_bad(v, "cmdline is longer than 255 characters");
}

static CU_TestInfo tests[] = {
    ORR_CASE(test_full_spec),
    ORR_CASE(test_defaults),
    ORR_CASE(test_mistakes),
    ORR_CASE(test_long_cmdline),
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "domain-option", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
