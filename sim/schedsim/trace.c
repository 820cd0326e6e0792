/* SPDX-License-Identifier: MIT */
/*
 * xentrace records (xen-abi-facts §3): a header word -- event id in bits
 * 0..27, the number of extra words (0..7) in bits 28..30, bit 31 set when
 * a 64-bit TSC follows -- then the TSC (low word first) and the extra
 * words, all little-endian u32. As in the files the xentrace tool writes,
 * records come in per-pCPU runs, each led by a TRC_TRACE_CPU_CHANGE
 * record whose extra words are the pCPU and the byte length of the run.
 * schedsim's runs interleave pCPUs in time order, so a run is buffered
 * until another pCPU's record comes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"

#define RUN_MAX 4096                /* words buffered per run */

struct trace {
    FILE *f;
    const char *path;
    unsigned int cpu;               /* of the buffered run */
    size_t n;                       /* words buffered */
    uint32_t buf[RUN_MAX];
    bool failed;
};

static void put_words(struct trace *t, const uint32_t *w, size_t n)
{
    unsigned char b[4];

    for ( size_t i = 0; i < n; i++ )
    {
        /* Little-endian on every host, as the file format is. */
        b[0] = (unsigned char)w[i];
        b[1] = (unsigned char)(w[i] >> 8);
        b[2] = (unsigned char)(w[i] >> 16);
        b[3] = (unsigned char)(w[i] >> 24);
        if ( fwrite(b, 1, 4, t->f) != 4 )
            t->failed = true;
    }
}

static void flush_run(struct trace *t)
{
    /* CPU change: no TSC, two extra words (cpu, bytes that follow). */
    uint32_t hdr[3] = { TRC_TRACE_CPU_CHANGE | (2u << 28), t->cpu,
                        (uint32_t)(t->n * 4) };

    if ( !t->n )
        return;
    put_words(t, hdr, 3);
    put_words(t, t->buf, t->n);
    t->n = 0;
}

struct trace *trace_open(const char *path)
{
    struct trace *t = calloc(1, sizeof(*t));

    if ( !t )
        return NULL;
    t->f = fopen(path, "wb");
    if ( !t->f )
    {
        fprintf(stderr, "schedsim: %s: %s\n", path, strerror(errno));
        free(t);
        return NULL;
    }
    t->path = path;
    return t;
}

bool trace_close(struct trace *t)
{
    bool ok;

    if ( !t )
        return true;
    flush_run(t);
    ok = !t->failed && fclose(t->f) == 0;
    if ( !ok )
        fprintf(stderr, "schedsim: %s: write failed\n", t->path);
    free(t);
    return ok;
}

void trace_rec(struct trace *t, unsigned int cpu, int64_t now,
               uint32_t event, unsigned int n, const uint32_t *extra)
{
    uint64_t tsc = (uint64_t)now;

    if ( n > 7 )
        n = 7;
    if ( cpu != t->cpu || t->n + 3 + n > RUN_MAX )
    {
        flush_run(t);
        t->cpu = cpu;
    }
    t->buf[t->n++] = (event & 0x0fffffff) | (n << 28) | (1u << 31);
    t->buf[t->n++] = (uint32_t)tsc;
    t->buf[t->n++] = (uint32_t)(tsc >> 32);
    for ( unsigned int i = 0; i < n; i++ )
        t->buf[t->n++] = extra[i];
}
