/* SPDX-License-Identifier: MIT */
/* smapsdiff.c — which smaps groups grew between two reads, sorted by growth; its CSV, written atomically. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomicfile.h"
#include "smapsparse.h"

/* Who owns what: the diff owns copies of the names it lists, so the dashboard can keep a diff on
 * screen (and export it later) after both tables are gone; atomicfile.c owns the file's safety. */

void mw__smaps_diff_free(mw__smaps_diff *d)
{
    free(d->rows);
    free(d->pool);
    memset(d, 0, sizeof(*d));
}

static int64_t clamp_diff(uint64_t now, uint64_t then)
{
    if (now >= then)
        return now - then > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)(now - then);
    return then - now > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)(then - now);
}

static int cmp_rows(const void *a, const void *b)
{
    const mw__smaps_row *x = a, *y = b;
    if (x->growth != y->growth)
        return x->growth > y->growth ? -1 : 1;
    if (x->rss_now != y->rss_now)
        return x->rss_now > y->rss_now ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Row for group g of table t: its name copied into pool at *used. */
static mw__smaps_row *add_row(mw__smaps_diff *d, size_t *used, const mw__smaps_table *t, size_t g)
{
    const char *nm = mw__smaps_name(t, g);
    size_t len = strlen(nm) + 1;
    mw__smaps_row *r = &d->rows[d->n++];
    memset(r, 0, sizeof(*r));
    memcpy(d->pool + *used, nm, len);
    r->name = (const char *)(uintptr_t)*used; /* an offset until the pool stops moving */
    *used += len;
    r->kind = t->g[g].kind;
    return r;
}

/* One anonymous mapping of either table, for the range match. */
typedef struct anon_ref {
    uint64_t start, end;
    size_t g;
    bool now;
} anon_ref;

static int cmp_anon(const void *a, const void *b)
{
    const anon_ref *x = a, *y = b;
    return x->start != y->start ? (x->start < y->start ? -1 : 1) : (int)x->now - (int)y->now;
}

static size_t collect_anon(const mw__smaps_table *t, bool now, anon_ref *out)
{
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++)
        if (t->g[i].kind == MW__SMAPS_ANON)
            out[n++] = (anon_ref){t->g[i].start, t->g[i].end, i, now};
    return n;
}

static uint64_t sat_add(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

/* One row for the overlapping set a[0..n) (sorted by start): named after its lowest now mapping
 * (a vanished set: its lowest then one); then and now summed. */
static void add_anon_set(mw__smaps_diff *d, size_t *used, const mw__smaps_table *then,
                         const mw__smaps_table *now, const anon_ref *a, size_t n)
{
    size_t first = n;
    for (size_t i = 0; i < n && first == n; i++)
        if (a[i].now)
            first = i;
    mw__smaps_row *r = first < n ? add_row(d, used, now, a[first].g) : add_row(d, used, then, a[0].g);
    bool had_then = false;
    for (size_t i = 0; i < n; i++) {
        const mw__smaps_group *g = a[i].now ? &now->g[a[i].g] : &then->g[a[i].g];
        if (!a[i].now) {
            had_then = true;
            r->rss_then = sat_add(r->rss_then, g->rss);
            continue;
        }
        r->rss_now = sat_add(r->rss_now, g->rss);
        r->pss_now = sat_add(r->pss_now, g->pss);
        r->size_now = sat_add(r->size_now, g->size);
        r->mappings_now += g->mappings;
    }
    r->change = first == n ? MW__SMAPS_GONE : had_then ? MW__SMAPS_BOTH : MW__SMAPS_NEW;
}

/* The anonymous groups of both tables, matched by overlapping range (see smapsparse.h). Within
 * one table mappings never overlap, so sorted by start, a mapping belongs to the set before it
 * exactly when it starts below the set's highest end. */
static int diff_anon(const mw__smaps_table *then, const mw__smaps_table *now, mw__smaps_diff *d,
                     size_t *used)
{
    anon_ref *a = malloc((then->n + now->n + 1) * sizeof(*a));
    if (!a)
        return MW_ENOMEM;
    size_t n = collect_anon(then, false, a);
    n += collect_anon(now, true, a + n);
    qsort(a, n, sizeof(*a), cmp_anon);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        uint64_t end = a[i].end;
        for (; j < n && a[j].start < end; j++)
            end = a[j].end > end ? a[j].end : end;
        add_anon_set(d, used, then, now, a + i, j - i);
        i = j;
    }
    free(a);
    return 0;
}

/* The named groups (everything but anonymous mappings): matched by name. */
static void diff_named(const mw__smaps_table *then, const mw__smaps_table *now, mw__smaps_diff *d,
                       size_t *used)
{
    for (size_t i = 0; i < now->n; i++) {
        const mw__smaps_group *g = &now->g[i];
        if (g->kind == MW__SMAPS_ANON)
            continue;
        long j = mw__smaps_find(then, mw__smaps_name(now, i));
        mw__smaps_row *r = add_row(d, used, now, i);
        r->change = j < 0 ? MW__SMAPS_NEW : MW__SMAPS_BOTH;
        r->rss_then = j < 0 ? 0 : then->g[j].rss;
        r->rss_now = g->rss;
        r->pss_now = g->pss;
        r->size_now = g->size;
        r->mappings_now = g->mappings;
    }
    for (size_t i = 0; i < then->n; i++) {
        if (then->g[i].kind == MW__SMAPS_ANON || mw__smaps_find(now, mw__smaps_name(then, i)) >= 0)
            continue;
        mw__smaps_row *r = add_row(d, used, then, i);
        r->change = MW__SMAPS_GONE;
        r->rss_then = then->g[i].rss;
    }
}

int mw__smaps_diff_make(const mw__smaps_table *then, const mw__smaps_table *now, mw__smaps_diff *d)
{
    mw__smaps_diff_free(d);
    size_t cap = then->n + now->n;
    d->rows = malloc((cap ? cap : 1) * sizeof(*d->rows));
    d->pool = malloc(then->pool_len + now->pool_len + 1);
    size_t used = 0;
    if (!d->rows || !d->pool || diff_anon(then, now, d, &used) != 0) {
        mw__smaps_diff_free(d);
        return MW_ENOMEM;
    }
    diff_named(then, now, d, &used);
    for (size_t i = 0; i < d->n; i++) {
        d->rows[i].name = d->pool + (uintptr_t)d->rows[i].name;
        d->rows[i].growth = clamp_diff(d->rows[i].rss_now, d->rows[i].rss_then);
    }
    qsort(d->rows, d->n, sizeof(*d->rows), cmp_rows);
    d->total_growth = clamp_diff(now->rss, then->rss);
    return 0;
}

/* ---- CSV ------------------------------------------------------------------------------------- */

const char mw__smaps_csv_header[] = "group,kind,change,rss_then_bytes,rss_now_bytes,rss_growth_bytes,"
                                    "pss_now_bytes,size_now_bytes,mappings_now,since,baseline_s,read_s\n";

static const char *const change_names[] = {"both", "new", "gone"};

/* s at p, quoted (RFC 4180) and guarded against spreadsheet formulas; room: 2 * strlen(s) + 3.
 * Returns the end. */
static char *put_quoted(char *p, const char *s)
{
    *p++ = '"';
    char c0 = s[0];
    if (c0 == '=' || c0 == '+' || c0 == '-' || c0 == '@' || c0 == '\'' || c0 == '\t' || c0 == '\r')
        *p++ = '\'';
    for (; *s; s++) {
        if (*s == '"')
            *p++ = '"';
        *p++ = *s;
    }
    *p++ = '"';
    return p;
}

size_t mw__smaps_csv_row(char *buf, size_t n, const mw__smaps_row *r)
{
    size_t len = strlen(r->name);
    if (n < 2 * len + 256)
        return 0;
    char *p = put_quoted(buf, r->name);
    int m = snprintf(p, n - (size_t)(p - buf), ",%s,%s,%llu,%llu,%lld,%llu,%llu,%u\n",
                     mw__smaps_kind_names[r->kind < MW__SMAPS_KINDS ? r->kind : MW__SMAPS_OTHER],
                     change_names[r->change <= MW__SMAPS_GONE ? r->change : 0],
                     (unsigned long long)r->rss_then, (unsigned long long)r->rss_now,
                     (long long)r->growth, (unsigned long long)r->pss_now,
                     (unsigned long long)r->size_now, (unsigned)r->mappings_now);
    if (m < 0 || (size_t)m >= n - (size_t)(p - buf))
        return 0;
    return (size_t)(p - buf) + (size_t)m;
}

#define OUTBUF (64 * 1024)

/* ",\"since\",baseline_s,read_s\n": the end of every row. n >= 2 * sizeof(since) + 96. */
static void row_tail(char *tail, size_t n, const mw__smaps_diff *d)
{
    char since[sizeof(d->since)];
    snprintf(since, sizeof(since), "%s", d->since); /* NUL-terminated even if the caller's is not */
    tail[0] = ',';
    char *p = put_quoted(tail + 1, since);
    char then[32] = "";
    if (d->then_ms >= 0)
        snprintf(then, sizeof(then), "%lld.%03lld", (long long)(d->then_ms / 1000),
                 (long long)(d->then_ms % 1000));
    int64_t now = d->now_ms > 0 ? d->now_ms : 0;
    snprintf(p, n - (size_t)(p - tail), ",%s,%lld.%03lld\n", then, (long long)(now / 1000),
             (long long)(now % 1000));
}

static int write_rows(mw__atomicfile *f, const mw__smaps_diff *d, char *buf)
{
    char tail[2 * sizeof(d->since) + 96];
    row_tail(tail, sizeof(tail), d);
    size_t tail_len = strlen(tail);
    size_t used = strlen(mw__smaps_csv_header);
    memcpy(buf, mw__smaps_csv_header, used);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < d->n; i++) {
        size_t need = 2 * strlen(d->rows[i].name) + 256 + tail_len;
        if (need > OUTBUF) {
            errno = EINVAL; /* a name longer than the parser ever keeps */
            return MW_ESYS;
        }
        if (used + need > OUTBUF) {
            rc = mw__atomicfile_write(f, buf, used);
            used = 0;
        }
        if (rc == 0) {
            used += mw__smaps_csv_row(buf + used, OUTBUF - used, &d->rows[i]) - 1; /* its "\n" */
            memcpy(buf + used, tail, tail_len);
            used += tail_len;
        }
    }
    return rc ? rc : mw__atomicfile_write(f, buf, used);
}

int mw__smaps_diff_export(const mw__smaps_diff *d, const char *path, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!d || !path || !*path) {
        mw__file_error(err, errlen, "export to", path ? path : "(null)", strerror(EINVAL));
        return MW_EINVAL;
    }
    char *buf = malloc(OUTBUF);
    if (!buf) {
        mw__file_error(err, errlen, "export to", path, strerror(ENOMEM));
        return MW_ENOMEM;
    }
    mw__atomicfile *f = NULL;
    int rc = mw__atomicfile_create(path, false, &f);
    if (rc == 0 && (rc = write_rows(f, d, buf)) == 0)
        rc = mw__atomicfile_commit(f);
    mw__atomicfile_destroy(f); /* removes the temporary unless committed; keeps errno */
    int e = errno;
    free(buf);
    if (rc)
        mw__file_error(err, errlen, "export to", path, strerror(e));
    return rc;
}
