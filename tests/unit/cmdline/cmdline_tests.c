/* SPDX-License-Identifier: MIT */
/*
 * The command-line parser: every option type, bad values, unknown options,
 * quoting, duplicates, blank lines, overlong input. Most cases use a local
 * table through cmdline_parse_table(); one suite goes through the linker
 * section with the registration macros, as the hypervisor does.
 */
#include <string.h>
#include <orrery/console.h>
#include <orrery/param.h>
#include <sim/sim.h>
#include <orr_test.h>

static bool opt_bool;
static unsigned int opt_uint;
static uint64_t opt_size;
static char opt_str[8];
static char custom_seen[64];
static int custom_calls;

static int custom_fn(const char *v)
{
    custom_calls++;
    snprintf(custom_seen, sizeof(custom_seen), "%s", v);
    return strcmp(v, "bad") ? 0 : -22;
}

static const struct kernel_param table[] = {
    { .name = "sync_console", .type = PARAM_BOOL, .var.b = &opt_bool },
    { .name = "maxcpus", .type = PARAM_UINT, .var.u = &opt_uint },
    { .name = "xenheap", .type = PARAM_SIZE, .var.sz = &opt_size },
    { .name = "sched", .type = PARAM_STRING, .len = sizeof(opt_str),
      .var.str = opt_str },
    { .name = "console", .type = PARAM_CUSTOM, .var.fn = custom_fn },
};

static int parse(const char *line)
{
    return cmdline_parse_table(line, table, table + ARRAY_SIZE(table));
}

static void setup(void)
{
    opt_bool = false;
    opt_uint = 7;
    opt_size = 0;
    strcpy(opt_str, "credit");
    custom_seen[0] = '\0';
    custom_calls = 0;
    sim_console_clear();
}

static void teardown(void)
{
}

/* ---- types -------------------------------------------------------------- */

static void test_bool(void)
{
    static const struct {
        const char *line;
        bool want;
    } cases[] = {
        { "sync_console", true },
        { "sync_console=1", true }, { "sync_console=0", false },
        { "sync_console=yes", true }, { "sync_console=no", false },
        { "sync_console=on", true }, { "sync_console=off", false },
        { "sync_console=true", true }, { "sync_console=false", false },
        { "no-sync_console", false }, { "no-sync-console", false },
        { "sync-console", true },       /* '-' and '_' are one */
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        opt_bool = !cases[i].want;
        CU_ASSERT_EQUAL(parse(cases[i].line), 0);
        CU_ASSERT_EQUAL(opt_bool, cases[i].want);
    }
}

static void test_bool_bad(void)
{
    opt_bool = true;
    CU_ASSERT_EQUAL(parse("sync_console=maybe"), 1);
    CU_ASSERT_TRUE(opt_bool);               /* unchanged */
    ORR_ASSERT_CONTAINS(sim_console_text(),
                        "cmdline: invalid value 'maybe' for option "
                        "'sync_console'");
    CU_ASSERT_EQUAL(parse("sync_console="), 1);
    CU_ASSERT_EQUAL(parse("sync_console=YES"), 1);  /* case matters */
    CU_ASSERT_EQUAL(parse("no-sync_console=1"), 1);
    CU_ASSERT_TRUE(opt_bool);
    /* "no-" on a non-boolean is not an option either. */
    CU_ASSERT_EQUAL(parse("no-maxcpus"), 1);
    CU_ASSERT_EQUAL(opt_uint, 7);
    ORR_ASSERT_CONTAINS(sim_console_text(), "'maxcpus' is not a boolean");
}

static void test_integer(void)
{
    CU_ASSERT_EQUAL(parse("maxcpus=4"), 0);
    CU_ASSERT_EQUAL(opt_uint, 4);
    CU_ASSERT_EQUAL(parse("maxcpus=0x10"), 0);
    CU_ASSERT_EQUAL(opt_uint, 16);
    CU_ASSERT_EQUAL(parse("maxcpus=4294967295"), 0);
    CU_ASSERT_EQUAL(opt_uint, 4294967295u);

    opt_uint = 7;
    CU_ASSERT_EQUAL(parse("maxcpus=4294967296"), 1);    /* > UINT_MAX */
    CU_ASSERT_EQUAL(parse("maxcpus=-1"), 1);
    CU_ASSERT_EQUAL(parse("maxcpus=4K"), 1);            /* no suffixes */
    CU_ASSERT_EQUAL(parse("maxcpus=12x"), 1);
    CU_ASSERT_EQUAL(parse("maxcpus="), 1);
    CU_ASSERT_EQUAL(parse("maxcpus"), 1);
    CU_ASSERT_EQUAL(opt_uint, 7);
    ORR_ASSERT_CONTAINS(sim_console_text(),
                        "cmdline: option 'maxcpus' needs a value");
    ORR_ASSERT_CONTAINS(sim_console_text(),
                        "cmdline: invalid value '12x' for option 'maxcpus'");
}

static void test_size(void)
{
    CU_ASSERT_EQUAL(parse("xenheap=512M"), 0);
    ORR_ASSERT_EQ_U64(opt_size, 512ULL << 20);
    CU_ASSERT_EQUAL(parse("xenheap=16g"), 0);
    ORR_ASSERT_EQ_U64(opt_size, 16ULL << 30);
    CU_ASSERT_EQUAL(parse("xenheap=4096"), 0);
    ORR_ASSERT_EQ_U64(opt_size, 4096);
    CU_ASSERT_EQUAL(parse("xenheap=0x1000K"), 0);
    ORR_ASSERT_EQ_U64(opt_size, 0x1000ULL << 10);

    CU_ASSERT_EQUAL(parse("xenheap=12MB"), 1);
    CU_ASSERT_EQUAL(parse("xenheap=99999999999G"), 1);  /* overflow */
    CU_ASSERT_EQUAL(parse("xenheap"), 1);
    ORR_ASSERT_EQ_U64(opt_size, 0x1000ULL << 10);
}

static void test_string(void)
{
    CU_ASSERT_EQUAL(parse("sched=rtds"), 0);
    ORR_ASSERT_STREQ(opt_str, "rtds");
    CU_ASSERT_EQUAL(parse("sched=1234567"), 0);         /* 7 + NUL fits */
    ORR_ASSERT_STREQ(opt_str, "1234567");
    CU_ASSERT_EQUAL(parse("sched="), 0);                /* empty is a value */
    ORR_ASSERT_STREQ(opt_str, "");

    strcpy(opt_str, "null");
    CU_ASSERT_EQUAL(parse("sched=12345678"), 1);        /* one too long */
    ORR_ASSERT_STREQ(opt_str, "null");                  /* rejected whole */
    ORR_ASSERT_CONTAINS(sim_console_text(),
                        "cmdline: value for option 'sched' longer than 7 "
                        "characters, ignored");
    CU_ASSERT_EQUAL(parse("sched"), 1);
    ORR_ASSERT_STREQ(opt_str, "null");
}

static void test_custom(void)
{
    CU_ASSERT_EQUAL(parse("console=com1,vga"), 0);
    ORR_ASSERT_STREQ(custom_seen, "com1,vga");
    CU_ASSERT_EQUAL(parse("console"), 0);               /* bare: "" */
    ORR_ASSERT_STREQ(custom_seen, "");
    CU_ASSERT_EQUAL(parse("console=a=b"), 0);           /* first '=' splits */
    ORR_ASSERT_STREQ(custom_seen, "a=b");
    CU_ASSERT_EQUAL(custom_calls, 3);

    CU_ASSERT_EQUAL(parse("console=bad"), 1);
    ORR_ASSERT_CONTAINS(sim_console_text(),
                        "cmdline: invalid value 'bad' for option 'console' "
                        "(error -22)");
}

/* ---- the line ----------------------------------------------------------- */

static void test_unknown(void)
{
    CU_ASSERT_EQUAL(parse("maxcpus=2 frobnicate=3 sched=null"), 1);
    CU_ASSERT_EQUAL(opt_uint, 2);                       /* others applied */
    ORR_ASSERT_STREQ(opt_str, "null");
    ORR_ASSERT_CONTAINS(sim_console_text(),
                        "cmdline: unknown option 'frobnicate'");
    CU_ASSERT_EQUAL(parse("=5"), 1);
    CU_ASSERT_EQUAL(parse("no-such-thing maxcpu max_cpus"), 3);
    CU_ASSERT_EQUAL(opt_uint, 2);
}

static void test_quoting(void)
{
    CU_ASSERT_EQUAL(parse("console=\"a b\tc\" maxcpus=3"), 0);
    ORR_ASSERT_STREQ(custom_seen, "a b\tc");
    CU_ASSERT_EQUAL(opt_uint, 3);
    CU_ASSERT_EQUAL(parse("\"console=x y\""), 0);       /* whole token */
    ORR_ASSERT_STREQ(custom_seen, "x y");
    CU_ASSERT_EQUAL(parse("console=\"\""), 0);          /* empty, quoted */
    ORR_ASSERT_STREQ(custom_seen, "");
    CU_ASSERT_EQUAL(parse("console=pre\"mid dle\"post"), 0);
    ORR_ASSERT_STREQ(custom_seen, "premid dlepost");

    /* An unterminated quote runs to the end of the line, with a warning. */
    CU_ASSERT_EQUAL(parse("maxcpus=5 console=\"open to the end"), 1);
    ORR_ASSERT_STREQ(custom_seen, "open to the end");
    CU_ASSERT_EQUAL(opt_uint, 5);
    ORR_ASSERT_CONTAINS(sim_console_text(), "cmdline: unterminated quote");
}

static void test_duplicates_last_wins(void)
{
    CU_ASSERT_EQUAL(parse("maxcpus=1 maxcpus=2 sched=a sched=b maxcpus=9"),
                    0);
    CU_ASSERT_EQUAL(opt_uint, 9);
    ORR_ASSERT_STREQ(opt_str, "b");
    CU_ASSERT_EQUAL(parse("sync_console no-sync_console"), 0);
    CU_ASSERT_FALSE(opt_bool);
    /* A bad later value leaves the earlier good one. */
    CU_ASSERT_EQUAL(parse("maxcpus=4 maxcpus=x"), 1);
    CU_ASSERT_EQUAL(opt_uint, 4);
}

static void test_blank_lines(void)
{
    CU_ASSERT_EQUAL(parse(""), 0);
    CU_ASSERT_EQUAL(parse("   \t  "), 0);
    CU_ASSERT_EQUAL(parse(NULL), 0);
    CU_ASSERT_EQUAL(parse("\t maxcpus=6 \t\t sched=x  \n"), 0);
    CU_ASSERT_EQUAL(opt_uint, 6);
    ORR_ASSERT_STREQ(opt_str, "x");
    CU_ASSERT_EQUAL(custom_calls, 0);
    ORR_ASSERT_STREQ(sim_console_text(), "");           /* no warnings */
}

static void test_overlong_token(void)
{
    static char line[3000];

    /* A 2000-byte value cannot be held: the option is skipped, whole. */
    strcpy(line, "maxcpus=3 console=");
    memset(line + strlen(line), 'v', 2000);
    strcat(line, " sched=ok");
    CU_ASSERT_EQUAL(parse(line), 1);
    CU_ASSERT_EQUAL(custom_calls, 0);
    CU_ASSERT_EQUAL(opt_uint, 3);
    ORR_ASSERT_STREQ(opt_str, "ok");
    ORR_ASSERT_CONTAINS(sim_console_text(), "characters, ignored");
}

/* ---- through the linker section ----------------------------------------- */

static bool reg_bool = true;
static unsigned int reg_uint;
static uint64_t reg_size;
static char reg_str[16] = "default";
static int reg_custom_calls;

static int reg_custom(const char *v)
{
    reg_custom_calls++;
    return *v ? 0 : -1;
}

boolean_param("test_flag", reg_bool);
integer_param("test_count", reg_uint);
size_param("test_size", reg_size);
string_param("test_name", reg_str);
custom_param("test_custom", reg_custom);

static void test_registered(void)
{
    cmdline_parse("no-test_flag test_count=12 test_size=2M "
                  "test_name=\"two words\" test_custom=x");
    CU_ASSERT_FALSE(reg_bool);
    CU_ASSERT_EQUAL(reg_uint, 12);
    ORR_ASSERT_EQ_U64(reg_size, 2 << 20);
    ORR_ASSERT_STREQ(reg_str, "two words");
    CU_ASSERT_EQUAL(reg_custom_calls, 1);
    ORR_ASSERT_STREQ(cmdline_get(),
                     "no-test_flag test_count=12 test_size=2M "
                     "test_name=\"two words\" test_custom=x");
    ORR_ASSERT_STREQ(sim_console_text(), "");
}

/* core/console registers loglvl=: it is found in the same section. */
static void test_registered_loglvl(void)
{
    cmdline_parse("loglvl=debug");
    CU_ASSERT_EQUAL(console_get_loglvl(), LOGL_DEBUG);
    cmdline_parse("loglvl=loud");
    CU_ASSERT_EQUAL(console_get_loglvl(), LOGL_DEBUG);
    ORR_ASSERT_CONTAINS(sim_console_text(),
                        "cmdline: invalid value 'loud' for option 'loglvl'");
    cmdline_parse("loglvl=info");
    CU_ASSERT_EQUAL(console_get_loglvl(), LOGL_INFO);
}

static void test_saved_line_truncated(void)
{
    static char line[2000];

    memset(line, ' ', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\0';
    memcpy(line + 1500, "test_count=77", 13);
    cmdline_parse(line);
    CU_ASSERT_EQUAL(reg_uint, 77);          /* the whole line is parsed */
    CU_ASSERT_EQUAL(strlen(cmdline_get()), CMDLINE_MAX - 1);
    ORR_ASSERT_CONTAINS(sim_console_text(), "saved copy is truncated");
    cmdline_parse("");
    ORR_ASSERT_STREQ(cmdline_get(), "");
}

static CU_TestInfo type_tests[] = {
    ORR_CASE(test_bool),
    ORR_CASE(test_bool_bad),
    ORR_CASE(test_integer),
    ORR_CASE(test_size),
    ORR_CASE(test_string),
    ORR_CASE(test_custom),
    CU_TEST_INFO_NULL,
};

static CU_TestInfo line_tests[] = {
    ORR_CASE(test_unknown),
    ORR_CASE(test_quoting),
    ORR_CASE(test_duplicates_last_wins),
    ORR_CASE(test_blank_lines),
    ORR_CASE(test_overlong_token),
    CU_TEST_INFO_NULL,
};

static CU_TestInfo registered_tests[] = {
    ORR_CASE(test_registered),
    ORR_CASE(test_registered_loglvl),
    ORR_CASE(test_saved_line_truncated),
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    ORR_SUITE_EACH("types", setup, teardown, type_tests),
    ORR_SUITE_EACH("line", setup, teardown, line_tests),
    ORR_SUITE_EACH("registered", setup, teardown, registered_tests),
    CU_SUITE_INFO_NULL,
};

ORR_TEST_MAIN(suites)
