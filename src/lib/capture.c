/* SPDX-License-Identifier: MIT */
/* capture.c — the program's record of a session: samples, marks, and the clock they are read against. */
#include "config.h"

#include <stdio.h>
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
    mw__tiers_init(&c->tiers, cap);
    return 0;
}

void mw__capture_destroy(mw__capture *c)
{
    if (!c)
        return;
    mw__ring_destroy(&c->ring);
    mw__tiers_destroy(&c->tiers);
    free(c->marks);
    c->marks = NULL;
    c->nmarks = c->marks_cap = 0;
}

static void flag_sample(mw__capture *c, uint64_t seq);

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
    /* The sample about to be overwritten keeps its place in the run, merged. Tiers that once
     * failed to allocate stay empty (charts then start at the ring, as before tiers). */
    uint64_t first = mw__ring_first(&c->ring);
    if (mw__ring_count(&c->ring) == c->ring.cap && mw__tiers_end(&c->tiers) == first)
        mw__tiers_push(&c->tiers, mw__ring_at(&c->ring, first));
    mw__ring_push(&c->ring, s);
    mw__summary_add(&c->all, s, seq);
    if (c->nmarks && c->marks[c->nmarks - 1].seq == seq)
        flag_sample(c, seq); /* marks made for it while it was still to come */
}

int mw__capture_add_bucket(mw__capture *c, const mw__bucket *b)
{
    if (mw__ring_count(&c->ring) || mw__tiers_end(&c->tiers) != mw__ring_end(&c->ring))
        return MW_EINVAL; /* merged rows come before every sample */
    int rc = mw__tiers_append(&c->tiers, b);
    if (rc)
        return rc;
    if (!c->have_t0) {
        c->have_t0 = true;
        c->t0_ns = b->t_first;
    }
    mw__summary_add_bucket(&c->all, b);
    return mw__ring_skip_to(&c->ring, mw__tiers_end(&c->tiers)); /* the ring follows the bucket */
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

/* The first mark on seq or after it (marks are sorted by seq). Binary search. */
static size_t first_mark_at(const mw__capture *c, uint64_t seq)
{
    size_t lo = 0, hi = c->nmarks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->marks[mid].seq < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* A label's bytes in a marker cell: each '|' doubled. */
static size_t cell_label_len(const char *l)
{
    size_t n = 0;
    for (; *l; l++)
        n += *l == '|' ? 2 : 1;
    return n;
}

static size_t cell_len(const mw__capture *c, uint64_t seq)
{
    size_t n = 0;
    for (size_t i = first_mark_at(c, seq); i < c->nmarks && c->marks[i].seq == seq; i++)
        n += (n ? 3 : 0) + cell_label_len(c->marks[i].label);
    return n;
}

static void flag_sample(mw__capture *c, uint64_t seq)
{
    c->ring.buf[seq % c->ring.cap].flags |= MW_SAMPLE_MARK;
    if (seq + 1 == mw__ring_end(&c->ring))
        c->all.last.flags |= MW_SAMPLE_MARK;
}

/* The label a mark made as the run's ordinal-th gets: cut to fit, no controls. Numbered when it
 * has none, or none is left once cut (a label of stray UTF-8 continuation bytes): an empty cell
 * would read back as a numbered mark anyway. */
static void make_label(char l[MW__MARK_LABEL_MAX], const char *label, uint64_t ordinal)
{
    l[0] = '\0';
    if (label)
        copy_label(l, label);
    if (!l[0])
        snprintf(l, MW__MARK_LABEL_MAX, "M%llu", (unsigned long long)ordinal);
}

/* Append a mark on seq (>= every mark's seq), if its cell stays within limit bytes. */
static int push_mark(mw__capture *c, uint64_t seq, const char *label, size_t limit)
{
    char l[MW__MARK_LABEL_MAX];
    make_label(l, label, c->marks_made + 1);
    size_t used = cell_len(c, seq);
    if (used + (used ? 3 : 0) + cell_label_len(l) > limit)
        return MW_EINVAL;
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
    mw__mark *m = &c->marks[c->nmarks++];
    m->seq = seq;
    memcpy(m->label, l, sizeof(l));
    c->marks_made++;
    return 0;
}

void mw__capture_settle_marks(mw__capture *c)
{
    uint64_t end = mw__ring_end(&c->ring);
    if (end == 0)
        return;
    for (size_t i = c->nmarks; i > 0 && c->marks[i - 1].seq >= end; i--)
        c->marks[i - 1].seq = end - 1;
    if (c->nmarks && c->marks[c->nmarks - 1].seq == end - 1)
        flag_sample(c, end - 1);
}

static int mark_newest(mw__capture *c, const char *label, size_t limit)
{
    if (mw__ring_end(&c->ring) == 0)
        return MW_ENODATA;
    mw__capture_settle_marks(c);
    uint64_t seq = mw__ring_end(&c->ring) - 1;
    int rc = push_mark(c, seq, label, limit);
    if (rc == 0)
        flag_sample(c, seq);
    return rc;
}

int mw__capture_mark(mw__capture *c, const char *label)
{
    return mark_newest(c, label, MW__MARKER_MAX);
}

int mw__capture_mark_next(mw__capture *c, const char *label)
{
    return push_mark(c, mw__ring_end(&c->ring), label, MW__MARKER_MAX);
}

/* What to do with each label of a cell: measure the cell it makes, or add it. */
typedef struct cell_walk {
    mw__capture *c;    /* NULL: only measure */
    uint64_t seq;      /* UINT64_MAX: add to the newest sample; else to this one (merged) */
    uint64_t ordinal;  /* the next mark's ordinal in the run (numbers an unlabelled one) */
    size_t len;        /* the cell's bytes so far, as mw__capture_marker would write them */
} cell_walk;

static int walk_label(cell_walk *w, const char *label)
{
    if (w->c && w->seq != UINT64_MAX)
        return push_mark(w->c, w->seq, label, MW__MARKER_SETTLED_MAX);
    if (w->c)
        return mark_newest(w->c, label, MW__MARKER_SETTLED_MAX);
    char l[MW__MARK_LABEL_MAX];
    make_label(l, label, w->ordinal++);
    w->len += (w->len ? 3 : 0) + cell_label_len(l);
    return 0;
}

/* Split a marker cell back into its labels, as mw__capture_marker joined them. */
static int walk_cell(cell_walk *w, const char *cell, size_t len)
{
    char l[MW__MARK_LABEL_MAX * 2];
    size_t n = 0;
    for (size_t i = 0; i <= len; i++) {
        bool sep = i + 2 < len && cell[i] == ' ' && cell[i + 1] == '|' && cell[i + 2] == ' ';
        if (i == len || sep) {
            l[n] = '\0';
            int rc = walk_label(w, l);
            if (rc)
                return rc;
            n = 0;
            i += sep ? 2 : 0;
            continue;
        }
        if (cell[i] == '|' && i + 1 < len && cell[i + 1] == '|')
            i++; /* a label's own '|', doubled by the writer */
        if (n + 1 < sizeof(l))
            l[n++] = cell[i];
    }
    return 0;
}

size_t mw__capture_cell_len(const mw__capture *c, const char *cell, size_t len)
{
    cell_walk w = {NULL, UINT64_MAX, c->marks_made + 1, 0};
    walk_cell(&w, cell, len);
    return w.len;
}

int mw__capture_mark_cell(mw__capture *c, const char *cell, size_t len)
{
    if (mw__ring_end(&c->ring) == 0)
        return MW_ENODATA;
    /* All or nothing: a cell that cannot be whole on the newest sample adds no mark. */
    size_t used = cell_len(c, mw__ring_end(&c->ring) - 1);
    if (used + (used ? 3 : 0) + mw__capture_cell_len(c, cell, len) > MW__MARKER_SETTLED_MAX)
        return MW_EINVAL;
    cell_walk w = {c, UINT64_MAX, 0, 0};
    return walk_cell(&w, cell, len);
}

int mw__capture_mark_cell_merged(mw__capture *c, const char *cell, size_t len)
{
    const mw__bucket *b = mw__tiers_count(&c->tiers)
                              ? mw__tiers_at(&c->tiers, mw__tiers_count(&c->tiers) - 1) : NULL;
    if (!b || mw__ring_count(&c->ring) || mw__capture_cell_len(c, cell, len) > MW__MARKER_MAX)
        return MW_EINVAL;
    cell_walk w = {c, b->seq_first, 0, 0};
    return walk_cell(&w, cell, len);
}

/* The labels of the marks on samples [first, end) joined into buf, up to limit bytes of them
 * (and what buf holds), or NULL if there are none. */
static const char *join_marks(const mw__capture *c, uint64_t first, uint64_t end, size_t limit,
                              char *buf, size_t n)
{
    size_t i = first_mark_at(c, first), o = 0;
    if (i == c->nmarks || c->marks[i].seq >= end || n == 0)
        return NULL;
    for (; i < c->nmarks && c->marks[i].seq < end; i++) {
        size_t need = (o ? 3 : 0) + cell_label_len(c->marks[i].label);
        if (o + need > limit || o + need >= n)
            break;
        if (o) {
            memcpy(buf + o, " | ", 3);
            o += 3;
        }
        for (const char *p = c->marks[i].label; *p; p++) {
            if (*p == '|')
                buf[o++] = '|';
            buf[o++] = *p;
        }
    }
    buf[o] = '\0';
    return buf;
}

const char *mw__capture_marker_span(const mw__capture *c, uint64_t first, uint64_t end, char *buf,
                                    size_t n)
{
    return join_marks(c, first, end, MW__MARKER_MAX, buf, n); /* as many as one cell holds */
}

const char *mw__capture_marker(const mw__capture *c, uint64_t seq, char *buf, size_t n)
{
    /* a sample's own marks are within MW__MARKER_SETTLED_MAX: only a small buffer cuts them */
    return join_marks(c, seq, seq + 1, MW__MARKER_SETTLED_MAX, buf, n);
}

const mw__mark *mw__capture_last_mark(const mw__capture *c)
{
    return c->nmarks ? &c->marks[c->nmarks - 1] : NULL;
}

int64_t mw__capture_first_t_ns(const mw__capture *c)
{
    const mw__ring *r = &c->ring;
    uint64_t first = mw__ring_first(r);
    if (mw__ring_count(r) == 0)
        return 0;
    if (mw__tiers_count(&c->tiers) && mw__tiers_end(&c->tiers) == first)
        return mw__tiers_at(&c->tiers, 0)->t_first; /* the tiers end where the ring begins */
    return mw__ring_at(r, first)->t_ns;
}

int64_t mw__capture_wall_ns(const mw__capture *c, const mw__sample *s)
{
    return s->t_ns + c->wall_offset_ns;
}

double mw__capture_elapsed_s(const mw__capture *c, const mw__sample *s)
{
    return c->have_t0 ? (double)(s->t_ns - c->t0_ns) / 1e9 : 0.0;
}
