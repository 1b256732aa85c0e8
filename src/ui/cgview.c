/* SPDX-License-Identifier: MIT */
/* cgview.c — the dashboard's rows for a watched cgroup: current, kernel's peak, limit and headroom; its parts. */
#include "config.h"

#include <stdio.h>

#include "units.h"
#include "viewparts.h"

bool mw__view_cgroup_only(const mw__sample *s)
{
    return s && s->nprocs == 0 && mw__field_known(MW__FIELD_CG_CURRENT, s->valid);
}

/* A limit of the newest sample, or 0 when it is unknown or "max" (no line to draw). */
uint64_t mw__view_cg_line(const mw__sample *s, mw__field f)
{
    if (!s || !mw__field_known(f, s->valid))
        return 0;
    uint64_t v = mw__sample_field(s, f);
    return v == MW_CG_UNLIMITED ? 0 : v;
}

/* "cgroup 60.5 MiB  peak 64.0 MiB (kernel's)  limit 96.0 MiB  headroom 35.5 MiB  high ...". */
static void limits_row(mw__line *l, const mw__sample *s)
{
    char buf[96], v[32], h[32];
    mw__line_add_pair(l, 2, "cgroup", MW__ST_TITLE,
                      mw__format_bytes(v, sizeof(v), mw__sample_field(s, MW__FIELD_CG_CURRENT)),
                      MW__ST_CG);
    if (mw__field_known(MW__FIELD_CG_PEAK, s->valid)) {
        snprintf(buf, sizeof(buf), "peak %s (kernel's)",
                 mw__format_bytes(v, sizeof(v), mw__sample_field(s, MW__FIELD_CG_PEAK)));
        mw__line_add(l, 2, buf, MW__ST_PEAK);
    }
    if (mw__field_known(MW__FIELD_CG_LIMIT, s->valid)) {
        uint64_t lim = mw__view_cg_line(s, MW__FIELD_CG_LIMIT);
        uint64_t cur = mw__sample_field(s, MW__FIELD_CG_CURRENT);
        if (!lim)
            snprintf(buf, sizeof(buf), "no limit");
        else
            snprintf(buf, sizeof(buf), "limit %s  headroom %s", mw__format_bytes(v, sizeof(v), lim),
                     cur >= lim ? "none" : mw__format_bytes(h, sizeof(h), lim - cur));
        mw__line_add(l, 2, buf, MW__ST_LIMIT);
    }
    uint64_t high = mw__view_cg_line(s, MW__FIELD_CG_HIGH);
    if (high) {
        snprintf(buf, sizeof(buf), "high %s", mw__format_bytes(v, sizeof(v), high));
        mw__line_add(l, 2, buf, MW__ST_LIMIT);
    }
}

/* "parts anon 40.1 MiB  file 8.0 MiB  kernel 2.0 MiB  swap 0 B": what the hierarchy gives. */
static void parts_row(mw__line *l, const mw__sample *s)
{
    static const struct {
        mw__field f;
        const char *name;
        mw__style st;
    } parts[] = {
        {MW__FIELD_CG_ANON, "anon", MW__ST_CG_ANON},
        {MW__FIELD_CG_FILE, "file", MW__ST_CG_FILE},
        {MW__FIELD_CG_KERNEL, "kernel", MW__ST_CG_KERNEL},
        {MW__FIELD_CG_SWAP, "swap", MW__ST_NORMAL},
    };
    char buf[64], v[32];
    bool first = true;
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        if (!mw__field_known(parts[i].f, s->valid))
            continue;
        snprintf(buf, sizeof(buf), "%s %s", parts[i].name,
                 mw__format_bytes(v, sizeof(v), mw__sample_field(s, parts[i].f)));
        if (first)
            mw__line_add_pair(l, 2, "parts", MW__ST_TITLE, buf, parts[i].st);
        else
            mw__line_add(l, 2, buf, parts[i].st);
        first = false;
    }
}

void mw__view_cgroup_rows(mw__canvas *cv, int y, int rows, const mw__sample *s)
{
    mw__line l;
    mw__line_init(&l, cv, 0, y, cv->w);
    limits_row(&l, s);
    if (rows > 1) {
        mw__line_init(&l, cv, 0, y + 1, cv->w);
        parts_row(&l, s);
    }
}
