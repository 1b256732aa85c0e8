/* SPDX-License-Identifier: MIT */
/* capture.c — the program's record of a session: samples, marks, and the clock they are read against. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture.h"

int mw__capture_init(mw__capture *c, size_t cap)
{
    memset(c, 0, sizeof(*c));
    int rc = mw__ring_init(&c->ring, cap);
    if (rc)
        return rc;
    mw__summary_reset(&c->all);
    return 0;
}

void mw__capture_destroy(mw__capture *c)
{
    if (!c)
        return;
    mw__ring_destroy(&c->ring);
    free(c->marks);
    c->marks = NULL;
    c->nmarks = c->marks_cap = 0;
}

void mw__capture_add(mw__capture *c, const mw__sample *s)
{
    if (!c->have_t0) {
        c->have_t0 = true;
        c->t0_ns = s->t_ns;
        /* Replay sets the offset from the file before adding; live capture reads the clocks. */
        if (c->wall_offset_ns == 0) {
            struct timespec rt;
            clock_gettime(CLOCK_REALTIME, &rt);
            c->wall_offset_ns = mw__ts_to_ns(&rt) - mw__now_ns();
        }
    }
    uint64_t seq = mw__ring_end(&c->ring);
    mw__ring_push(&c->ring, s);
    mw__summary_add(&c->all, s, seq);
}

static void copy_label(char *dst, const char *src)
{
    size_t i = 0;
    if (src) {
        for (; src[i] && i < MW__MARK_LABEL_MAX - 1; i++) {
            unsigned char ch = (unsigned char)src[i];
            dst[i] = (ch < 0x20 || ch == 0x7f) ? ' ' : (char)ch;
        }
    }
    /* Do not leave half a UTF-8 sequence at the cut. */
    if (src && src[i]) {
        size_t cut = i;
        while (i > 0 && ((unsigned char)dst[i - 1] & 0xc0) == 0x80)
            i--;
        if (i > 0 && ((unsigned char)dst[i - 1] & 0xc0) == 0xc0) {
            /* Keep a sequence that ends exactly at the cut; drop one that does not fit. */
            unsigned char lead = (unsigned char)dst[i - 1];
            size_t need = lead >= 0xf0 ? 4 : (lead >= 0xe0 ? 3 : 2);
            i = cut - (i - 1) >= need ? cut : i - 1;
        }
    }
    dst[i] = '\0';
}

int mw__capture_mark(mw__capture *c, const char *label)
{
    if (mw__ring_end(&c->ring) == 0)
        return MW_ENODATA;
    uint64_t seq = mw__ring_end(&c->ring) - 1;
    mw__sample *last = &c->ring.buf[seq % c->ring.cap];
    last->flags |= MW_SAMPLE_MARK;
    c->all.last.flags |= MW_SAMPLE_MARK;

    mw__mark *m;
    if (c->nmarks && c->marks[c->nmarks - 1].seq == seq) {
        m = &c->marks[c->nmarks - 1]; /* a second mark on the same sample replaces the label */
    } else {
        if (c->nmarks == MW__MARKS_MAX) {
            memmove(c->marks, c->marks + 1, (c->nmarks - 1) * sizeof(*c->marks));
            c->nmarks--;
        }
        if (c->nmarks == c->marks_cap) {
            size_t ncap = c->marks_cap ? c->marks_cap * 2 : 16;
            mw__mark *nm = realloc(c->marks, ncap * sizeof(*nm));
            if (!nm)
                return MW_ENOMEM;
            c->marks = nm;
            c->marks_cap = ncap;
        }
        m = &c->marks[c->nmarks++];
    }
    m->seq = seq;
    copy_label(m->label, label);
    return 0;
}

const char *mw__capture_mark_label(const mw__capture *c, uint64_t seq)
{
    size_t lo = 0, hi = c->nmarks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->marks[mid].seq < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < c->nmarks && c->marks[lo].seq == seq)
        return c->marks[lo].label;
    return NULL;
}

const mw__mark *mw__capture_last_mark(const mw__capture *c)
{
    return c->nmarks ? &c->marks[c->nmarks - 1] : NULL;
}

int64_t mw__capture_wall_ns(const mw__capture *c, const mw__sample *s)
{
    return s->t_ns + c->wall_offset_ns;
}

double mw__capture_elapsed_s(const mw__capture *c, const mw__sample *s)
{
    return c->have_t0 ? (double)(s->t_ns - c->t0_ns) / 1e9 : 0.0;
}
