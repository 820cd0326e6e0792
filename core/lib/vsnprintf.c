/* SPDX-License-Identifier: MIT */
/*
 * vsnprintf/snprintf for the freestanding image (HOST_EXCLUDE: on sim the
 * host C library provides them; the unit test builds this file again
 * under orr_* names and compares the two on thousands of cases).
 *
 * Supported, with C99 semantics (C11 7.21.6.1):
 *   conversions  d i u x X o c s p %
 *   flags        - 0 + space #
 *   width and precision, both also as *
 *   lengths      hh h l ll z t j
 * %p prints like glibc: 0x-prefixed lowercase hex, "(nil)" for NULL.
 * %s of NULL prints "(null)" (cut by a precision like any string).
 * No floating point (the hypervisor has none) and no %n (a write through
 * a format argument is an exploit primitive). An unknown conversion is
 * copied to the output as written, so a bad format is visible in the log.
 *
 * Returns the length the complete output would have had, like C99; the
 * buffer always ends with a NUL when @size > 0.
 */
#include <orrery/ctype.h>
#include <orrery/lib.h>

#define F_LEFT  0x01    /* '-': pad on the right */
#define F_ZERO  0x02    /* '0': pad numbers with zeros */
#define F_PLUS  0x04    /* '+': sign always */
#define F_SPACE 0x08    /* ' ': space where a plus sign would go */
#define F_ALT   0x10    /* '#': 0x for hex, a leading 0 for octal */
#define F_UPPER 0x20    /* %X */

#define INT_MAX_ ((int)(~0U >> 1))

struct out {
    char *buf;
    size_t size;
    size_t len;         /* would-be length, may exceed size */
};

static void put(struct out *o, char c)
{
    if ( o->len + 1 < o->size )
        o->buf[o->len] = c;
    o->len++;
}

static void put_n(struct out *o, char c, int n)
{
    while ( n-- > 0 )
        put(o, c);
}

static void put_str(struct out *o, const char *s, size_t n)
{
    while ( n-- )
        put(o, *s++);
}

struct spec {
    unsigned int flags;
    int width;          /* 0: none */
    int prec;           /* -1: none */
};

/* A string field: used by %s, %c and the "(nil)" of %p. */
static void emit_field(struct out *o, const struct spec *sp,
                       const char *s, size_t n)
{
    int pad = sp->width > (int)n ? sp->width - (int)n : 0;

    if ( !(sp->flags & F_LEFT) )
        put_n(o, ' ', pad);
    put_str(o, s, n);
    if ( sp->flags & F_LEFT )
        put_n(o, ' ', pad);
}

/*
 * One integer: [spaces][sign or 0x][zeros][digits][spaces].
 * @neg with @v the magnitude; @sign_ok for the signed conversions.
 */
static void emit_number(struct out *o, const struct spec *sp,
                        uint64_t v, bool neg, bool sign_ok,
                        unsigned int base)
{
    const char *dig = (sp->flags & F_UPPER) ? "0123456789ABCDEF"
                                            : "0123456789abcdef";
    char digits[24], prefix[3];
    int nd = 0, np = 0, zeros = 0, pad, total;

    /* C99: value 0 with precision 0 prints no digits. */
    if ( !(v == 0 && sp->prec == 0) )
    {
        uint64_t x = v;

        do {
            digits[nd++] = dig[x % base];
            x /= base;
        } while ( x );
    }

    if ( sign_ok )
    {
        if ( neg )
            prefix[np++] = '-';
        else if ( sp->flags & F_PLUS )
            prefix[np++] = '+';
        else if ( sp->flags & F_SPACE )
            prefix[np++] = ' ';
    }
    if ( (sp->flags & F_ALT) && base == 16 && v != 0 )
    {
        prefix[np++] = '0';
        prefix[np++] = (sp->flags & F_UPPER) ? 'X' : 'x';
    }

    if ( sp->prec > nd )
        zeros = sp->prec - nd;
    /* '#' with octal: raise the precision so the first digit is a 0. */
    if ( (sp->flags & F_ALT) && base == 8 && zeros == 0 &&
         (nd == 0 || digits[nd - 1] != '0') )
        zeros = 1;
    /* '0' is ignored with '-' or with a precision (C11 7.21.6.1p6). */
    if ( (sp->flags & F_ZERO) && !(sp->flags & F_LEFT) && sp->prec < 0 &&
         sp->width > np + nd + zeros )
        zeros = sp->width - np - nd;

    total = np + zeros + nd;
    pad = sp->width > total ? sp->width - total : 0;

    if ( !(sp->flags & F_LEFT) )
        put_n(o, ' ', pad);
    put_str(o, prefix, np);
    put_n(o, '0', zeros);
    while ( nd )
        put(o, digits[--nd]);
    if ( sp->flags & F_LEFT )
        put_n(o, ' ', pad);
}

/* Read a decimal field width or precision, saturating at INT_MAX. */
static int read_int(const char **pf)
{
    const char *f = *pf;
    int v = 0;

    for ( ; is_digit(*f); f++ )
        v = (v > (INT_MAX_ - 9) / 10) ? INT_MAX_ : v * 10 + (*f - '0');
    *pf = f;
    return v;
}

enum length { L_NONE, L_HH, L_H, L_L, L_LL, L_Z, L_T, L_J };

static int64_t arg_signed(va_list *ap, enum length len)
{
    switch ( len )
    {
    case L_HH: return (signed char)va_arg(*ap, int);
    case L_H:  return (short)va_arg(*ap, int);
    case L_L:  return va_arg(*ap, long);
    case L_LL: return va_arg(*ap, long long);
    case L_Z:  /* the signed type of size_t's width */
    case L_T:  return va_arg(*ap, ptrdiff_t);
    case L_J:  return va_arg(*ap, intmax_t);
    default:   return va_arg(*ap, int);
    }
}

static uint64_t arg_unsigned(va_list *ap, enum length len)
{
    switch ( len )
    {
    case L_HH: return (unsigned char)va_arg(*ap, unsigned int);
    case L_H:  return (unsigned short)va_arg(*ap, unsigned int);
    case L_L:  return va_arg(*ap, unsigned long);
    case L_LL: return va_arg(*ap, unsigned long long);
    case L_Z:  return va_arg(*ap, size_t);
    case L_T:  return (size_t)va_arg(*ap, ptrdiff_t);
    case L_J:  return va_arg(*ap, uintmax_t);
    default:   return va_arg(*ap, unsigned int);
    }
}

static enum length read_length(const char **pf)
{
    const char *f = *pf;
    enum length len = L_NONE;

    switch ( *f )
    {
    case 'h':
        len = (f[1] == 'h') ? L_HH : L_H;
        break;
    case 'l':
        len = (f[1] == 'l') ? L_LL : L_L;
        break;
    case 'z': len = L_Z; break;
    case 't': len = L_T; break;
    case 'j': len = L_J; break;
    }
    if ( len == L_HH || len == L_LL )
        f += 2;
    else if ( len != L_NONE )
        f++;
    *pf = f;
    return len;
}

/* va_list is passed by pointer so that helpers can consume arguments
 * portably (it is an array type on x86-64). */
static void format(struct out *o, const char *fmt, va_list *ap)
{
    while ( *fmt )
    {
        const char *start = fmt;
        struct spec sp = { .flags = 0, .width = 0, .prec = -1 };
        enum length len;
        uint64_t u;
        int64_t s;
        char c;

        if ( *fmt != '%' )
        {
            put(o, *fmt++);
            continue;
        }
        fmt++;

        for ( ;; fmt++ )
        {
            if ( *fmt == '-' )      sp.flags |= F_LEFT;
            else if ( *fmt == '0' ) sp.flags |= F_ZERO;
            else if ( *fmt == '+' ) sp.flags |= F_PLUS;
            else if ( *fmt == ' ' ) sp.flags |= F_SPACE;
            else if ( *fmt == '#' ) sp.flags |= F_ALT;
            else break;
        }

        if ( *fmt == '*' )
        {
            sp.width = va_arg(*ap, int);
            if ( sp.width < 0 )
            {
                /* A negative * width is a '-' flag and a width. */
                sp.flags |= F_LEFT;
                sp.width = (sp.width == -INT_MAX_ - 1) ? INT_MAX_
                                                       : -sp.width;
            }
            fmt++;
        }
        else
            sp.width = read_int(&fmt);

        if ( *fmt == '.' )
        {
            fmt++;
            if ( *fmt == '*' )
            {
                sp.prec = va_arg(*ap, int);
                if ( sp.prec < 0 )
                    sp.prec = -1;           /* as if omitted */
                fmt++;
            }
            else
                sp.prec = read_int(&fmt);
        }

        len = read_length(&fmt);

        switch ( *fmt )
        {
        case 'd':
        case 'i':
            s = arg_signed(ap, len);
            u = s < 0 ? -(uint64_t)s : (uint64_t)s;
            emit_number(o, &sp, u, s < 0, true, 10);
            break;
        case 'u':
            emit_number(o, &sp, arg_unsigned(ap, len), false, false, 10);
            break;
        case 'X':
            sp.flags |= F_UPPER;
            /* fall through */
        case 'x':
            emit_number(o, &sp, arg_unsigned(ap, len), false, false, 16);
            break;
        case 'o':
            emit_number(o, &sp, arg_unsigned(ap, len), false, false, 8);
            break;
        case 'p':
        {
            const void *p = va_arg(*ap, const void *);

            if ( !p )
            {
                emit_field(o, &sp, "(nil)", 5);
                break;
            }
            sp.flags |= F_ALT;
            emit_number(o, &sp, (uintptr_t)p, false, true, 16);
            break;
        }
        case 'c':
            c = (char)va_arg(*ap, int);
            emit_field(o, &sp, &c, 1);
            break;
        case 's':
        {
            const char *str = va_arg(*ap, const char *);

            if ( !str )
                str = "(null)";
            emit_field(o, &sp, str,
                       sp.prec < 0 ? strlen(str) : strnlen(str, sp.prec));
            break;
        }
        case '%':
            put(o, '%');
            break;
        case '\0':
            /* A lone '%' at the end: print what there was. */
            put_str(o, start, fmt - start);
            continue;
        default:
            put_str(o, start, fmt + 1 - start);
            break;
        }
        fmt++;
    }
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { .buf = buf, .size = size, .len = 0 };
    va_list aq;

    va_copy(aq, ap);
    format(&o, fmt, &aq);
    va_end(aq);

    if ( size )
        buf[o.len < size ? o.len : size - 1] = '\0';
    /* C11: a length that does not fit in an int is an error. */
    return o.len > (size_t)INT_MAX_ ? -1 : (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
