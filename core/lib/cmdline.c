/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor command line: tokenising, and applying each token to the
 * option registered under its name (see <orrery/param.h> for the syntax).
 * Nothing here is fatal: a typo on a boot line must not stop the machine,
 * so every problem is a warning that names the option, and is counted.
 */
#include <orrery/console.h>
#include <orrery/ctype.h>
#include <orrery/lib.h>
#include <orrery/param.h>

BUILD_BUG_ON(sizeof(struct kernel_param) % 8);

/*
 * Section bounds from the linker. Weak, so that a program with no option
 * at all still links (both are then NULL and the table is empty).
 */
extern const struct kernel_param __start_orrery_params[] __attribute__((weak));
extern const struct kernel_param __stop_orrery_params[] __attribute__((weak));

static char saved_cmdline[CMDLINE_MAX];

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Names compare with '-' and '_' as one character, as Xen's do. */
static bool name_eq(const char *a, const char *b)
{
    for ( ; *a && *b; a++, b++ )
    {
        char x = (*a == '-') ? '_' : *a, y = (*b == '-') ? '_' : *b;

        if ( x != y )
            return false;
    }
    return *a == *b;
}

static const struct kernel_param *find(const char *name,
                                       const struct kernel_param *start,
                                       const struct kernel_param *end)
{
    const struct kernel_param *p;

    for ( p = start; p < end; p++ )
        if ( name_eq(p->name, name) )
            return p;
    return NULL;
}

/* 1, 0, or -1 for a value that is not a boolean. */
static int parse_bool(const char *v)
{
    static const char *const yes[] = { "1", "yes", "on", "true" };
    static const char *const no[] = { "0", "no", "off", "false" };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(yes); i++ )
    {
        if ( !strcmp(v, yes[i]) )
            return 1;
        if ( !strcmp(v, no[i]) )
            return 0;
    }
    return -1;
}

/*
 * Copy the next token from @p into @tok, removing the double quotes that
 * protect blanks. Returns where scanning stopped; *@len is the token's
 * full length, which may exceed @size - 1 (the copy is then cut).
 */
static const char *next_token(const char *p, char *tok, size_t size,
                              size_t *len, bool *open_quote)
{
    bool quoted = false;
    size_t n = 0;

    for ( ; *p && (quoted || !is_blank(*p)); p++ )
    {
        if ( *p == '"' )
        {
            quoted = !quoted;
            continue;
        }
        if ( n + 1 < size )
            tok[n] = *p;
        n++;
    }
    tok[n < size ? n : size - 1] = '\0';
    *len = n;
    *open_quote = quoted;
    return p;
}

/* Apply @val (NULL: the bare name) to @p. Returns false on a bad value. */
static bool apply(const struct kernel_param *p, const char *name,
                  const char *val)
{
    uint64_t v;
    int b, rc;

    switch ( p->type )
    {
    case PARAM_BOOL:
        b = val ? parse_bool(val) : 1;
        if ( b < 0 )
            break;
        *p->var.b = b;
        return true;

    case PARAM_UINT:
        if ( !val || !parse_u64(val, NULL, false, &v) || v > 0xffffffffU )
            break;
        *p->var.u = v;
        return true;

    case PARAM_SIZE:
        if ( !val || !parse_u64(val, NULL, true, &v) )
            break;
        *p->var.sz = v;
        return true;

    case PARAM_STRING:
        if ( !val )
            break;
        if ( strlen(val) >= p->len )
        {
            printk(LOG_WARNING "cmdline: value for option '%s' longer than "
                   "%zu characters, ignored\n", name, p->len - 1);
            return false;
        }
        strlcpy(p->var.str, val, p->len);
        return true;

    case PARAM_CUSTOM:
        rc = p->var.fn(val ? val : "");
        if ( rc == 0 )
            return true;
        printk(LOG_WARNING "cmdline: invalid value '%s' for option '%s' "
               "(error %d)\n", val ? val : "", name, rc);
        return false;
    }

    if ( val )
        printk(LOG_WARNING "cmdline: invalid value '%s' for option '%s'\n",
               val, name);
    else
        printk(LOG_WARNING "cmdline: option '%s' needs a value\n", name);
    return false;
}

/* One token, "name" or "name=value". Returns the number of warnings. */
static int handle(char *tok, const struct kernel_param *start,
                  const struct kernel_param *end)
{
    char *eq = strchr(tok, '=');
    const char *val = NULL;
    const struct kernel_param *p;

    if ( eq )
    {
        *eq = '\0';
        val = eq + 1;
    }
    if ( !*tok )
    {
        printk(LOG_WARNING "cmdline: option with no name ('=%s')\n",
               val ? val : "");
        return 1;
    }

    p = find(tok, start, end);
    if ( p )
        return apply(p, tok, val) ? 0 : 1;

    /* "no-name" turns a boolean off. */
    if ( !strncmp(tok, "no-", 3) || !strncmp(tok, "no_", 3) )
    {
        p = find(tok + 3, start, end);
        if ( p && p->type == PARAM_BOOL && !val )
        {
            *p->var.b = false;
            return 0;
        }
        if ( p )
        {
            printk(LOG_WARNING "cmdline: '%s%s%s' is not valid: '%s' is not "
                   "a boolean option taking 'no-'\n", tok, val ? "=" : "",
                   val ? val : "", tok + 3);
            return 1;
        }
    }

    printk(LOG_WARNING "cmdline: unknown option '%s'\n", tok);
    return 1;
}

int cmdline_parse_table(const char *cmdline, const struct kernel_param *start,
                        const struct kernel_param *end)
{
    char tok[CMDLINE_MAX];
    const char *p = cmdline ? cmdline : "";
    int warnings = 0;

    for ( ;; )
    {
        size_t len;
        bool open_quote;

        while ( is_blank(*p) )
            p++;
        if ( !*p )
            break;

        p = next_token(p, tok, sizeof(tok), &len, &open_quote);
        if ( len >= sizeof(tok) )
        {
            printk(LOG_WARNING "cmdline: option '%.32s...' longer than %zu "
                   "characters, ignored\n", tok, sizeof(tok) - 1);
            warnings++;
            continue;
        }
        if ( open_quote )
        {
            /* Still usable: the quote ran to the end of the line. */
            printk(LOG_WARNING "cmdline: unterminated quote in '%s'\n", tok);
            warnings++;
        }
        warnings += handle(tok, start, end);
    }
    return warnings;
}

void cmdline_parse(const char *cmdline)
{
    if ( !cmdline )
        cmdline = "";
    if ( strlcpy(saved_cmdline, cmdline, sizeof(saved_cmdline)) >=
         sizeof(saved_cmdline) )
        printk(LOG_WARNING "cmdline: command line longer than %zu bytes, "
               "the saved copy is truncated\n", sizeof(saved_cmdline) - 1);
    cmdline_parse_table(cmdline, __start_orrery_params, __stop_orrery_params);
}

const char *cmdline_get(void)
{
    return saved_cmdline;
}
