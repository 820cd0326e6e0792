/* SPDX-License-Identifier: MIT */
/*
 * A small JSON reader for scenario files: the whole document as a tree,
 * every value with the line it starts on, so that the scenario checker
 * can say "file:line: message". RFC 8259 syntax, except that numbers are
 * read as doubles and \u escapes above U+007F become '?'.
 */
#ifndef SCHEDSIM_JSON_H
#define SCHEDSIM_JSON_H

#include <stdbool.h>
#include <stddef.h>

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING,
                 JSON_ARRAY, JSON_OBJECT };

struct json {
    enum json_type type;
    unsigned int line;
    bool b;
    double num;
    char *str;                  /* JSON_STRING */
    size_t n;                   /* items of an array or object */
    struct json **items;        /* array items, object values */
    char **keys;                /* object keys */
    unsigned int *key_lines;
};

/*
 * Parse @text. On error returns NULL and writes "LINE: message" into
 * @err (the caller prefixes the file name).
 */
struct json *json_parse(const char *text, char *err, size_t errlen);
void json_free(struct json *j);
/* The value under @key of an object, NULL if absent. */
const struct json *json_get(const struct json *obj, const char *key);
const char *json_type_name(enum json_type t);

#endif
