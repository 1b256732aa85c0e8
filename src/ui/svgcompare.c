/* SPDX-License-Identifier: MIT */
/* svgcompare.c — --compare: where each capture's t=0 is, and the line comparing two captures (pure). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "stats.h"
#include "svgcompare.h"
#include "units.h"

bool mw__compare_anchor(const mw__capture *c, const char *label, int64_t *t_ns)
{
    const mw__sample *s = mw__ring_at(&c->ring, mw__ring_first(&c->ring));
    if (!s)
        return false;
    if (!label) {
        *t_ns = s->t_ns;
        return true;
    }
    for (size_t i = 0; i < c->nmarks; i++) {
        s = mw__ring_at(&c->ring, c->marks[i].seq);
        if (s && strcmp(c->marks[i].label, label) == 0) {
            *t_ns = s->t_ns;
            return true;
        }
    }
    return false;
}

typedef struct figures {
    uint64_t peak;
    int64_t growth;
    bool have_trend;
    double per_min; /* bytes per minute */
} figures;

static figures figures_of(const mw__capture *c)
{
    figures f = {0};
    /* Peak and growth from the running summary (O(1), and true for a run longer than the
     * history kept); the trend over the whole run (ring and tiers), as the summary fits it. */
    f.peak = c->all.field[MW__FIELD_RSS].max;
    f.growth = mw__summary_growth(&c->all);
    mw__trend tr;
    f.have_trend = mw__trend_fit_run(&c->ring, &c->tiers, INT64_MIN, INT64_MAX, 1, MW__FIELD_RSS, &tr);
    f.per_min = f.have_trend ? tr.slope * 60 : 0;
    return f;
}

static char *trend_text(char *buf, size_t n, const figures *f)
{
    if (!f->have_trend)
        snprintf(buf, n, "—");
    else
        snprintf(buf, n, "%s/min", mw__format_bytes_signed((char[32]){0}, 32, (int64_t)f->per_min));
    return buf;
}

char *mw__compare_line(char *buf, size_t n, const mw__capture *a, const mw__capture *b)
{
    figures fa = figures_of(a), fb = figures_of(b);
    char pa[32], pb[32], ga[32], gb[32], ta[32], tb[32], pct[32] = "";
    if (fb.peak) /* how much higher (or lower) this run's peak is than the other's */
        snprintf(pct, sizeof(pct), " (%+.0f%%)",
                 ((double)fa.peak - (double)fb.peak) * 100.0 / (double)fb.peak);
    snprintf(buf, n, "peak %s vs %s%s, growth %s vs %s, trend %s vs %s",
             mw__format_bytes(pa, sizeof(pa), fa.peak), mw__format_bytes(pb, sizeof(pb), fb.peak),
             pct, mw__format_bytes_signed(ga, sizeof(ga), fa.growth),
             mw__format_bytes_signed(gb, sizeof(gb), fb.growth), trend_text(ta, sizeof(ta), &fa),
             trend_text(tb, sizeof(tb), &fb));
    return buf;
}
