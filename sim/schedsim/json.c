/* SPDX-License-Identifier: MIT */
/* A recursive-descent JSON reader that remembers line numbers. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#define MAX_DEPTH 64

struct parser {
    const char *text, *p;
    unsigned int line;
    char *err;
    size_t errlen;
    bool failed;
};

static void fail(struct parser *ps, const char *fmt, ...)
{
    va_list ap;
    int n;

    if ( ps->failed )
        return;
    ps->failed = true;
    n = snprintf(ps->err, ps->errlen, "%u: ", ps->line);
    va_start(ap, fmt);
    if ( n >= 0 && (size_t)n < ps->errlen )
        vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

static void skip_ws(struct parser *ps)
{
    for ( ;; )
    {
        if ( *ps->p == '\n' )
            ps->line++;
        else if ( *ps->p != ' ' && *ps->p != '\t' && *ps->p != '\r' )
            return;
        ps->p++;
    }
}

static struct json *node(struct parser *ps, enum json_type t)
{
    struct json *j = calloc(1, sizeof(*j));

    if ( !j )
    {
        fprintf(stderr, "schedsim: out of memory\n");
        exit(1);
    }
    j->type = t;
    j->line = ps->line;
    return j;
}

static void *grow(void *p, size_t n, size_t size)
{
    p = realloc(p, n * size);
    if ( !p )
    {
        fprintf(stderr, "schedsim: out of memory\n");
        exit(1);
    }
    return p;
}

static char *parse_string_raw(struct parser *ps)
{
    size_t len = 0, cap = 16;
    char *s = grow(NULL, cap, 1);

    ps->p++;                                    /* the opening quote */
    for ( ;; )
    {
        char c = *ps->p++;

        if ( c == '\0' || c == '\n' )
        {
            fail(ps, "unterminated string");
            free(s);
            return NULL;
        }
        if ( c == '"' )
            break;
        if ( (unsigned char)c < 0x20 )
        {
            fail(ps, "control character in a string");
            free(s);
            return NULL;
        }
        if ( c == '\\' )
        {
            char e = *ps->p++;

            switch ( e )
            {
            case '"': case '\\': case '/': c = e; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'u':
            {
                unsigned int v = 0;

                for ( int i = 0; i < 4; i++ )
                {
                    if ( !isxdigit((unsigned char)*ps->p) )
                    {
                        fail(ps, "bad \\u escape");
                        free(s);
                        return NULL;
                    }
                    v = v * 16 + (unsigned int)(isdigit((unsigned char)*ps->p)
                        ? *ps->p - '0' : (tolower(*ps->p) - 'a' + 10));
                    ps->p++;
                }
                c = v < 0x80 && v ? (char)v : '?';
                break;
            }
            default:
                fail(ps, "bad escape '\\%c'", e ? e : '0');
                free(s);
                return NULL;
            }
        }
        if ( len + 2 > cap )
            s = grow(s, cap *= 2, 1);
        s[len++] = c;
    }
    s[len] = '\0';
    return s;
}

static struct json *parse_value(struct parser *ps, unsigned int depth);

static struct json *parse_array(struct parser *ps, unsigned int depth)
{
    struct json *j = node(ps, JSON_ARRAY);

    ps->p++;
    skip_ws(ps);
    if ( *ps->p == ']' )
    {
        ps->p++;
        return j;
    }
    for ( ;; )
    {
        struct json *v = parse_value(ps, depth + 1);

        if ( !v )
            return j;
        j->items = grow(j->items, j->n + 1, sizeof(*j->items));
        j->items[j->n++] = v;
        skip_ws(ps);
        if ( *ps->p == ',' )
        {
            ps->p++;
            continue;
        }
        if ( *ps->p == ']' )
        {
            ps->p++;
            return j;
        }
        fail(ps, "expected ',' or ']' in an array");
        return j;
    }
}

static struct json *parse_object(struct parser *ps, unsigned int depth)
{
    struct json *j = node(ps, JSON_OBJECT);

    ps->p++;
    skip_ws(ps);
    if ( *ps->p == '}' )
    {
        ps->p++;
        return j;
    }
    for ( ;; )
    {
        unsigned int kline;
        struct json *v;
        char *key;

        skip_ws(ps);
        if ( *ps->p != '"' )
        {
            fail(ps, "expected a string key");
            return j;
        }
        kline = ps->line;
        key = parse_string_raw(ps);
        if ( !key )
            return j;
        for ( size_t i = 0; i < j->n; i++ )
            if ( strcmp(j->keys[i], key) == 0 )
            {
                fail(ps, "duplicate key \"%s\"", key);
                free(key);
                return j;
            }
        skip_ws(ps);
        if ( *ps->p != ':' )
        {
            fail(ps, "expected ':' after \"%s\"", key);
            free(key);
            return j;
        }
        ps->p++;
        v = parse_value(ps, depth + 1);
        if ( !v )
        {
            free(key);
            return j;
        }
        j->items = grow(j->items, j->n + 1, sizeof(*j->items));
        j->keys = grow(j->keys, j->n + 1, sizeof(*j->keys));
        j->key_lines = grow(j->key_lines, j->n + 1, sizeof(*j->key_lines));
        j->items[j->n] = v;
        j->keys[j->n] = key;
        j->key_lines[j->n++] = kline;
        skip_ws(ps);
        if ( *ps->p == ',' )
        {
            ps->p++;
            continue;
        }
        if ( *ps->p == '}' )
        {
            ps->p++;
            return j;
        }
        fail(ps, "expected ',' or '}' in an object");
        return j;
    }
}

static struct json *parse_value(struct parser *ps, unsigned int depth)
{
    struct json *j;

    skip_ws(ps);
    if ( depth > MAX_DEPTH )
    {
        fail(ps, "nested deeper than %d", MAX_DEPTH);
        return NULL;
    }
    switch ( *ps->p )
    {
    case '{':
        return parse_object(ps, depth);
    case '[':
        return parse_array(ps, depth);
    case '"':
        j = node(ps, JSON_STRING);
        j->str = parse_string_raw(ps);
        return j;
    case '\0':
        /* Name the last line, not the empty one after its newline. */
        if ( ps->p > ps->text && ps->p[-1] == '\n' )
            ps->line--;
        fail(ps, "unexpected end of file");
        return NULL;
    }
    if ( strncmp(ps->p, "true", 4) == 0 || strncmp(ps->p, "false", 5) == 0 )
    {
        j = node(ps, JSON_BOOL);
        j->b = *ps->p == 't';
        ps->p += j->b ? 4 : 5;
        return j;
    }
    if ( strncmp(ps->p, "null", 4) == 0 )
    {
        ps->p += 4;
        return node(ps, JSON_NULL);
    }
    if ( *ps->p == '-' || isdigit((unsigned char)*ps->p) )
    {
        char *end;

        j = node(ps, JSON_NUMBER);
        j->num = strtod(ps->p, &end);
        ps->p = end;
        return j;
    }
    fail(ps, "unexpected character '%c'", *ps->p);
    return NULL;
}

struct json *json_parse(const char *text, char *err, size_t errlen)
{
    struct parser ps = { .text = text, .p = text, .line = 1, .err = err,
                         .errlen = errlen };
    struct json *j = parse_value(&ps, 0);

    if ( !ps.failed )
    {
        skip_ws(&ps);
        if ( *ps.p )
            fail(&ps, "text after the end of the document");
    }
    if ( ps.failed )
    {
        json_free(j);
        return NULL;
    }
    return j;
}

void json_free(struct json *j)
{
    if ( !j )
        return;
    for ( size_t i = 0; i < j->n; i++ )
    {
        json_free(j->items[i]);
        if ( j->keys )
            free(j->keys[i]);
    }
    free(j->items);
    free(j->keys);
    free(j->key_lines);
    free(j->str);
    free(j);
}

const struct json *json_get(const struct json *obj, const char *key)
{
    if ( !obj || obj->type != JSON_OBJECT )
        return NULL;
    for ( size_t i = 0; i < obj->n; i++ )
        if ( strcmp(obj->keys[i], key) == 0 )
            return obj->items[i];
    return NULL;
}

const char *json_type_name(enum json_type t)
{
    static const char *const names[] = {
        "null", "a boolean", "a number", "a string", "an array",
        "an object",
    };

    return names[t];
}
