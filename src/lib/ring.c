/* SPDX-License-Identifier: MIT */
/* ring.c — fixed-capacity sample ring: push overwrites the oldest, readers address by sequence. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ring.h"

int mw__ring_init(mw__ring *r, size_t cap)
{
    if (!r || cap == 0 || cap > SIZE_MAX / sizeof(mw__sample))
        return MW_EINVAL;
    r->buf = malloc(cap * sizeof(mw__sample));
    if (!r->buf)
        return MW_ENOMEM;
    r->cap = cap;
    r->end = r->base = 0;
    return 0;
}

void mw__ring_destroy(mw__ring *r)
{
    if (!r)
        return;
    free(r->buf);
    r->buf = NULL;
    r->cap = 0;
    r->end = r->base = 0;
}

void mw__ring_clear(mw__ring *r) { r->end = r->base = 0; }

int mw__ring_skip_to(mw__ring *r, uint64_t seq)
{
    if (mw__ring_count(r))
        return MW_EINVAL;
    r->end = r->base = seq;
    return 0;
}

mw__sample *mw__ring_push(mw__ring *r, const mw__sample *s)
{
    mw__sample *slot = &r->buf[r->end % r->cap];
    *slot = *s;
    r->end++;
    return slot;
}

void mw__ring_span(const mw__ring *r, uint64_t from, uint64_t to, const mw__sample **a,
                   size_t *na, const mw__sample **b, size_t *nb)
{
    uint64_t first = mw__ring_first(r);
    *a = *b = NULL;
    *na = *nb = 0;
    if (from < first)
        from = first;
    if (to > r->end)
        to = r->end;
    if (from >= to)
        return;
    size_t start = (size_t)(from % r->cap);
    size_t n = (size_t)(to - from);
    size_t run = r->cap - start;
    *a = &r->buf[start];
    if (n <= run) {
        *na = n;
        return;
    }
    *na = run;
    *b = r->buf;
    *nb = n - run;
}

size_t mw__ring_copy(const mw__ring *r, uint64_t from, mw__sample *out, size_t cap,
                     uint64_t *copied_from)
{
    uint64_t first = mw__ring_first(r);
    if (from < first)
        from = first;
    if (copied_from)
        *copied_from = from;
    uint64_t to = r->end;
    if (from >= to || cap == 0)
        return 0;
    if (to - from > cap)
        to = from + cap;
    const mw__sample *a, *b;
    size_t na, nb;
    mw__ring_span(r, from, to, &a, &na, &b, &nb);
    if (na)
        memcpy(out, a, na * sizeof(*a));
    if (nb)
        memcpy(out + na, b, nb * sizeof(*b));
    return na + nb;
}
