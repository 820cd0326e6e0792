/* SPDX-License-Identifier: MIT */
/*
 * schedsim's event queue: a binary heap ordered by time, then by the
 * order events were queued, so that a run is a pure function of scenario
 * and seed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "engine_int.h"

static struct {
    struct event *h;
    size_t n, cap;
    uint64_t seq;
} heap;

void evq_reset(void)
{
    heap.n = 0;
    heap.seq = 0;
}

static bool before(const struct event *a, const struct event *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

void push(int64_t t, uint32_t type, uint32_t idx, uint32_t gen,
                 void *p)
{
    size_t i;

    if ( heap.n == heap.cap )
    {
        heap.cap = heap.cap ? heap.cap * 2 : 1024;
        heap.h = realloc(heap.h, heap.cap * sizeof(*heap.h));
        if ( !heap.h )
        {
            fprintf(stderr, "schedsim: out of memory\n");
            exit(1);
        }
    }
    i = heap.n++;
    heap.h[i] = (struct event){ t, heap.seq++, type, gen, idx, p };
    while ( i && before(&heap.h[i], &heap.h[(i - 1) / 2]) )
    {
        struct event tmp = heap.h[i];

        heap.h[i] = heap.h[(i - 1) / 2];
        heap.h[(i - 1) / 2] = tmp;
        i = (i - 1) / 2;
    }
}

static struct event pop(void)
{
    struct event top = heap.h[0];
    size_t i = 0;

    heap.h[0] = heap.h[--heap.n];
    for ( ;; )
    {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        struct event tmp;

        if ( l < heap.n && before(&heap.h[l], &heap.h[m]) )
            m = l;
        if ( r < heap.n && before(&heap.h[r], &heap.h[m]) )
            m = r;
        if ( m == i )
            break;
        tmp = heap.h[i];
        heap.h[i] = heap.h[m];
        heap.h[m] = tmp;
        i = m;
    }
    return top;
}

/* The next event at or before @until, if any. */
bool evq_next(int64_t until, struct event *e)
{
    if ( !heap.n || heap.h[0].t > until )
        return false;
    *e = pop();
    return true;
}

int64_t evq_peek(void)
{
    return heap.n ? heap.h[0].t : INT64_MAX;
}
