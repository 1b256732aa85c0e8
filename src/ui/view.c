/* SPDX-License-Identifier: MIT */
/* view.c — lays out the dashboard: header, the table's charts, growth figures, status, footer. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "proctable.h"
#include "units.h"
#include "view.h"
#include "viewparts.h"

#define NS_PER_S 1000000000LL

/* The smallest "nice" span >= d: a multiple of the largest ladder step <= d / 8. */
static int64_t axis_span_ns(int64_t d)
{
    static const int64_t steps_ms[] = {
        100, 200, 500, 1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000, 600000,
        900000, 1800000, 3600000, 7200000, 10800000, 21600000, 43200000, 86400000,
    };
    if (d <= 0)
        return d;
    int64_t step = 0;
    for (size_t i = 0; i < sizeof(steps_ms) / sizeof(steps_ms[0]); i++)
        if (steps_ms[i] * 1000000 * 8 <= d)
            step = steps_ms[i] * 1000000;
    if (step == 0)
        return d;
    return (d + step - 1) / step * step;
}

/* A still picture showing everything (replay, ended, paused) with --compare: the window also
 * covers the other capture, which may start earlier (aligned at a mark) or run longer. */
static void whole_other(mw__window *w, const mw__view_info *info)
{
    const mw__ring *o = &info->other->ring;
    if (mw__ring_end(o) == mw__ring_first(o))
        return;
    int64_t of = mw__capture_first_t_ns(info->other) + info->other_shift_ns;
    int64_t ol = mw__ring_at(o, mw__ring_end(o) - 1)->t_ns + info->other_shift_ns;
    w->t_from = of < w->t_from ? of : w->t_from;
    w->t_to = ol > w->t_to ? ol : w->t_to;
}

/* ---- growth figures ------------------------------------------------------------------------ */

/* The trend line of RSS over the window, in bytes per minute, on at most ~1024 evenly spaced
 * samples of the ring (the window can hold a million, and a frame must stay cheap) and, where it
 * reaches before the ring, the tiers' buckets (stats.h). Fewer than three samples show no
 * trend: two points are just the rate. */
static bool fit_window(const mw__capture *c, const mw__window *w, double *per_min, double *r2,
                       bool *flat)
{
    uint64_t n = w->to > w->from ? w->to - w->from : 0;
    bool tiers = w->t_from < mw__ring_at(&c->ring, mw__ring_first(&c->ring))->t_ns;
    mw__trend tr;
    if ((n < 3 && !tiers) ||
        !mw__trend_fit_run(&c->ring, &c->tiers, w->t_from, w->t_to, n / 1024 + 1, MW__FIELD_RSS, &tr) ||
        tr.n < 3)
        return false;
    *per_min = tr.slope * 60.0;
    *r2 = tr.r2;
    *flat = tr.flat;
    return true;
}

static void growth_text(char *buf, size_t n, int64_t d, const char *what)
{
    char v[32];
    snprintf(buf, n, "%s since %s", mw__format_bytes_signed(v, sizeof(v), d), what);
}

static mw__style growth_style(int64_t d) { return d > 0 ? MW__ST_GROWTH : MW__ST_NORMAL; }

/* "growth +120.3 MiB (+45.2%) since start  +12.0 MiB since baseline  +3.2 MiB since mark" */
static void growth_row(mw__line *l, const mw__capture *c, const mw__ui_state *st,
                       const mw__sample *now)
{
    char buf[128], v[32];
    const mw__sample *first = &c->all.first;
    int64_t d = (int64_t)(now->rss - first->rss);
    double pct;
    if (mw__growth_percent(first->rss, d, &pct))
        snprintf(buf, sizeof(buf), "%s (%+.1f%%) since start", mw__format_bytes_signed(v, sizeof(v), d),
                 pct);
    else
        growth_text(buf, sizeof(buf), d, "start");
    mw__line_add_pair(l, 2, "growth", MW__ST_TITLE, buf, growth_style(d));
    if (st->have_baseline && st->baseline_t_ns <= now->t_ns) {
        int64_t db = (int64_t)(now->rss - st->baseline_rss);
        growth_text(buf, sizeof(buf), db, "baseline");
        mw__line_add(l, 3, buf, growth_style(db));
    }
    const mw__mark *m = mw__capture_last_mark(c);
    const mw__sample *ms = m ? mw__ring_at(&c->ring, m->seq) : NULL;
    const mw__bucket *mb = m && !ms ? mw__tiers_holding(&c->tiers, m->seq) : NULL;
    mw__sample edge; /* a mark that left the ring: exact when it sits on its bucket's edge */
    if (mb && (mb->seq_first == m->seq || mb->seq_end - 1 == m->seq)) {
        mw__bucket_edge_sample(mb, mb->seq_first != m->seq, &edge);
        ms = &edge;
    }
    if (ms && ms->t_ns <= now->t_ns) {
        int64_t dm = (int64_t)(now->rss - ms->rss);
        growth_text(buf, sizeof(buf), dm, "mark");
        if (m->label[0] && strlen(buf) + strlen(m->label) + 4 < sizeof(buf))
            snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), " \"%s\"", m->label);
        mw__line_add(l, 3, buf, growth_style(dm));
    }
}

/* "floor +1.1 MiB/min over 12m (R² 0.93)  leak": the verdict over the whole capture (not only
 * the window shown), from the floor index the view keeps up to date (verdict.h). When the
 * figures do not fit, the word alone; while not sure, the reason (dim) is the useful part. */
static void verdict_segments(mw__line *l, const mw__ui_state *st)
{
    mw_leak_result v;
    char buf[128], rate[32], r2[16];
    mw__verdict_decide(&st->floor, &v);
    const char *word = v.verdict == MW_LEAK_YES ? "leak" : v.verdict == MW_LEAK_NO ? "no leak"
                       : v.windows ? "leak? not sure" /* the figures say why */ : NULL;
    mw__style wst = v.verdict == MW_LEAK_YES ? MW__ST_LEAK
                    : v.verdict == MW_LEAK_NO ? MW__ST_NOLEAK : MW__ST_DIM;
    if (v.windows) {
        snprintf(buf, sizeof(buf), "%s/min over %s (%s)",
                 mw__format_bytes_signed(rate, sizeof(rate), (int64_t)(v.floor_slope * 60.0)),
                 mw__format_span((char[16]){0}, 16, (int64_t)(v.span_s * 1e9)),
                 mw__format_r2(r2, sizeof(r2), v.r2, mw__verdict_fit_flat(&v), st->ascii));
        /* the figures only with room for the word after them: the word is the verdict */
        int need = (l->any ? 3 : 0) + mw__text_width("floor ") + mw__text_width(buf) + 2 +
                   mw__text_width(word);
        if (l->end - l->x >= need)
            mw__line_add_pair(l, 3, "floor", MW__ST_TITLE, buf, growth_style((int64_t)v.floor_slope));
    }
    if (word) {
        mw__line_add(l, 2, word, wst);
    } else {
        snprintf(buf, sizeof(buf), "leak? %s", v.reason);
        if (!mw__line_add(l, 3, buf, MW__ST_DIM))
            mw__line_add(l, 3, "leak? not sure", MW__ST_DIM);
    }
}

/* "rate +2.0 MiB/min (last 1m)  trend +2.1 MiB/min (R² 0.97)": the rate is the plain difference
 * over the last minute; the trend is the least-squares line over the whole window on screen. */
static void rate_row(mw__line *l, const mw__capture *c, const mw__window *w, const mw__ui_state *st)
{
    char buf[96], v[32], sp[16];
    mw__sample nb, tb; /* the tiers' samples, when the window ends in or reaches into them */
    const mw__sample *now = mw__window_newest(c, w, &nb);
    int64_t t0 = now->t_ns - 60 * NS_PER_S;
    const mw__sample *then = mw__run_sample_at(c, w, t0 < w->t_first ? w->t_first : t0, &tb);
    if (now->t_ns > then->t_ns) {
        double per_min = ((double)now->rss - (double)then->rss) * 60e9 / (double)(now->t_ns - then->t_ns);
        snprintf(buf, sizeof(buf), "%s/min (last %s)", mw__format_bytes_signed(v, sizeof(v), (int64_t)per_min),
                 mw__format_span(sp, sizeof(sp), now->t_ns - then->t_ns));
        mw__line_add_pair(l, 2, "rate", MW__ST_TITLE, buf, growth_style((int64_t)per_min));
    }
    double slope, r2;
    bool flat;
    if (fit_window(c, w, &slope, &r2, &flat)) {
        snprintf(buf, sizeof(buf), "%s/min (%s)", mw__format_bytes_signed(v, sizeof(v), (int64_t)slope),
                 mw__format_r2(sp, sizeof(sp), r2, flat, st->ascii));
        mw__line_add_pair(l, 3, "trend", MW__ST_TITLE, buf, growth_style((int64_t)slope));
    }
    verdict_segments(l, st);
}

/* How coarse the history shown before the ring is: "merged: 64 samples/bucket" (window wholly in
 * the tiers), "older part merged: 1-8 samples/bucket" (reaching into them), the widths of the
 * buckets the window's columns are drawn from. False when the window is all in the ring, or
 * its buckets hold one sample each (the tiers of a small ring start at full resolution). */
static bool merged_note(char *buf, size_t n, const mw__capture *c, const mw__window *w)
{
    const mw__ring *r = &c->ring;
    const mw__tiers *t = &c->tiers;
    if (w->empty || mw__tiers_end(t) != mw__ring_first(r) || !mw__tiers_count(t) ||
        w->t_from >= mw__ring_at(r, mw__ring_first(r))->t_ns)
        return false;
    uint64_t lo = UINT64_MAX, hi = 0;
    mw__tiers_walk wk;
    mw__tiers_walk_from(&wk, t, mw__tiers_seek_time(t, w->t_from));
    for (const mw__bucket *b; (b = mw__tiers_walk_next(&wk)) != NULL && b->t_first <= w->t_to;) {
        uint64_t k = b->seq_end - b->seq_first;
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
    }
    if (hi <= 1)
        return false; /* buckets of one sample: full resolution still */
    char range[48];
    if (lo == hi)
        snprintf(range, sizeof(range), "%llu", (unsigned long long)lo);
    else
        snprintf(range, sizeof(range), "%llu-%llu", (unsigned long long)lo, (unsigned long long)hi);
    snprintf(buf, n, "%s: %s samples/bucket", w->end_bucket ? "merged" : "older part merged", range);
    return true;
}

/* The colour of a field's value: that of its chart where it has one. */
static mw__style field_style(mw__field f)
{
    for (int i = 0; i < mw__charts_n; i++)
        if (mw__charts[i].field == f)
            return mw__charts[i].style;
    return MW__ST_NORMAL;
}

/* "now RSS 512.3 MiB  VSZ 1.2 GiB  shared 12.0 MiB  anon ...  file ...  shmem ...  swap ...":
 * every labelled field of the table (fields.h) the OS reported, in the table's order. */
static void values_row(mw__line *l, const mw__sample *s)
{
    char buf[64], v[32];
    bool first = true;
    for (int i = 0; i < MW__FIELD_COUNT; i++) {
        mw__field f = (mw__field)i;
        if (!mw__fields[f].label || !mw__field_known(f, s->valid))
            continue;
        /* MW__UNIT_BYTES is the only unit so far. */
        snprintf(buf, sizeof(buf), "%s %s", mw__fields[f].label,
                 mw__format_bytes(v, sizeof(v), mw__sample_field(s, f)));
        if (first)
            mw__line_add_pair(l, 2, "now", MW__ST_TITLE, buf, field_style(f));
        else
            mw__line_add(l, 2, buf, field_style(f));
        first = false;
    }
}

/* The kernel saw more than any sample: say so, it is the whole point of reading VmHWM. */
static bool hwm_note(char *buf, size_t n, const mw__capture *c)
{
    if (c->all.max_hwm <= c->all.peak_rss.rss)
        return false;
    char h[32], p[32];
    snprintf(buf, n, "HWM %s > sampled peak %s: a spike happened between samples",
             mw__format_bytes(h, sizeof(h), c->all.max_hwm),
             mw__format_bytes(p, sizeof(p), c->all.peak_rss.rss));
    return true;
}

/* "compare with before.csv (t=0 at each start): peak 120 MiB vs 95 MiB (+26%), growth ...":
 * what --compare's dots are, and the two runs' figures side by side. */
static void compare_row(mw__line *l, const mw__view_info *info, bool ascii)
{
    char buf[512];
    snprintf(buf, sizeof(buf), "%s %s (%s): %s", ascii ? "o" : "\u2022", info->other_name,
             info->aligned ? info->aligned : "t=0 at each start", info->compare_line);
    mw__line_add(l, 0, "compare", MW__ST_TITLE);
    mw__line_add_cut(l, 1, buf, MW__ST_OTHER, ascii);
}

/* ---- layout -------------------------------------------------------------------------------- */

/* Whether chart row i is drawn: the newest sample has what it needs (PSS only with --pss). */
static bool chart_shown(int i, const mw__sample *now)
{
    if (mw__charts[i].process && now->nprocs == 0)
        return false; /* a cgroup watched alone: no process figure to draw */
    return (now->valid & mw__charts[i].needs) == mw__charts[i].needs;
}

/* The chart's note: "(shared pages divided; read every 5s)", and "(read every 5s)" for when
 * that does not fit. */
static void chart_note(const mw__chart_row *row, const mw__view_info *info, char *note, size_t n,
                       char *brief, size_t bn)
{
    char every[32] = "", iv[16];
    note[0] = brief[0] = '\0';
    if (row->pss_cadence && info->pss_interval_ms) {
        snprintf(every, sizeof(every), "read every %s",
                 mw__format_interval(iv, sizeof(iv), info->pss_interval_ms));
        snprintf(brief, bn, "(%s)", every);
    }
    if (row->note)
        snprintf(note, n, "(%s%s%s)", row->note, every[0] ? "; " : "", every);
    else if (every[0])
        snprintf(note, n, "(%s)", every);
}

/* The chart table's charts that are shown, stacked in rows [y, y + h), each getting its
 * weight's share of the height (rounded up; the last takes the rest). */
static void draw_charts(mw__canvas *cv, int y, int h, const mw__capture *c, const mw__window *w,
                        const mw__view_info *info, mw__ui_state *st)
{
    /* The capture's newest sample, not the newest shown: scrolling back keeps the layout. */
    const mw__sample *now = mw__ring_last(&c->ring);
    int total = 0, sum = 0, top = 0, last = -1;
    for (int i = 0; i < mw__charts_n; i++)
        if (chart_shown(i, now)) {
            total += mw__charts[i].weight;
            last = i;
        }
    for (int i = 0; i < mw__charts_n && total > 0; i++) {
        const mw__chart_row *row = &mw__charts[i];
        if (!chart_shown(i, now))
            continue;
        sum += row->weight;
        int bottom = i < last ? (h * sum + total - 1) / total : h;
        char note[96], brief[48];
        chart_note(row, info, note, sizeof(note), brief, sizeof(brief));
        mw__chart_spec sp = {
            .title = row->title, .note = note[0] ? note : NULL, .short_note = brief[0] ? brief : NULL,
            .field = row->field, .style = row->style, .ascii = st->ascii,
            .hidden_peaks = row->hwm_peaks, .alert = row->alert ? info->alert_bytes : 0,
            .t0_ns = c->t0_ns, .t_from = w->t_from, .t_to = w->t_to, .from = w->from, .to = w->to,
            .tiers = &c->tiers,
            .y_zero = st->y_zero, .wall = st->wall_time, .wall_offset_ns = c->wall_offset_ns,
            .limit = row->cg_limits ? mw__view_cg_line(now, MW__FIELD_CG_LIMIT) : 0,
            .high = row->cg_limits ? mw__view_cg_line(now, MW__FIELD_CG_HIGH) : 0,
        };
        if (info->other) {
            sp.other = &info->other->ring;
            sp.other_ix = &st->other_index;
            sp.other_tiers = &info->other->tiers;
            sp.other_shift_ns = info->other_shift_ns;
            sp.other_name = info->other_name;
        }
        mw__chart_result res;
        mw__chart_draw(cv, 0, y + top, cv->w, bottom - top, &c->ring, &st->index, &sp, &res);
        if (st->nplaces < MW__PLACES_MAX) /* for the mouse: what a click lands on */
            st->places[st->nplaces++] = (mw__chart_place){0, y + top, cv->w, bottom - top,
                res.plot_x, res.plot_w, i, w->t_from, w->t_to, w->from, w->to};
        top = bottom;
    }
}

/* The program's notes (the time to a limit, a cgroup's true peak, an OOM kill), one a row from y;
 * counted in the stats rows. */
static void note_rows(mw__canvas *cv, int y, const mw__view_info *info, const mw__ui_state *st)
{
    mw__line l;
    for (int i = 0; i < MW__VIEW_NOTES && info->notes[i].text; i++) {
        mw__line_init(&l, cv, 0, y + i, cv->w);
        mw__line_add_cut(&l, 0, info->notes[i].text, info->notes[i].style, st->ascii);
    }
}

/* The figures under the charts from row y: growth, rate/trend/verdict, now, HWM note, compare,
 * the program's notes (stats rows; one row: as much of growth and rate as fits). hwm: the note,
 * or NULL. */
static void figure_rows(mw__canvas *cv, int y, int stats, const mw__capture *c, const mw__window *w,
                        const mw__view_info *info, const mw__ui_state *st, const char *hwm, bool cmp)
{
    mw__sample nb;
    const mw__sample *now = mw__window_newest(c, w, &nb);
    mw__line l;
    mw__line_init(&l, cv, 0, y, cv->w);
    if (info->gate) /* first: the run fails for it, whatever else fits */
        mw__line_add_cut(&l, 0, info->gate, MW__ST_ERROR, st->ascii);
    if (mw__view_cgroup_only(now)) { /* no process: its RSS growth and verdict mean nothing */
        mw__view_cgroup_rows(cv, y, stats == 1 ? 1 : 2, now);
        if (stats > 1)
            note_rows(cv, y + 2, info, st);
        return;
    }
    growth_row(&l, c, st, now);
    if (stats == 1) {
        rate_row(&l, c, w, st); /* whatever fits after growth */
        return;
    }
    mw__line_init(&l, cv, 0, y + 1, cv->w);
    rate_row(&l, c, w, st);
    mw__line_init(&l, cv, 0, y + 2, cv->w);
    values_row(&l, now);
    if (hwm) {
        mw__line_init(&l, cv, 0, y + 3, cv->w);
        mw__line_add_cut(&l, 0, hwm, MW__ST_HWM, st->ascii);
    }
    if (cmp) {
        mw__line_init(&l, cv, 0, y + 3 + (hwm != NULL), cv->w);
        compare_row(&l, info, st->ascii);
    }
    note_rows(cv, y + 3 + (hwm != NULL) + cmp, info, st);
}

void mw__view_build(mw__canvas *cv, const mw__capture *c, const mw__view_info *info,
                    mw__ui_state *st)
{
    mw__canvas_clear(cv);
    st->nplaces = 0;
    st->other = info->other;
    st->other_shift_ns = info->other_shift_ns;
    st->other_name = info->other_name;
    int W = cv->w, H = cv->h;
    if (W < MW__VIEW_MIN_W || H < MW__VIEW_MIN_H) {
        mw__view_too_small(cv);
        return;
    }
    mw__chart_index_update(&st->index, &c->ring);
    if (info->other)
        mw__chart_index_update(&st->other_index, &info->other->ring);
    mw__floor_sync_run(&st->floor, &c->ring, &c->tiers); /* the whole run; on failure empty */
    mw__window w;
    mw__view_window(st, c, &w);
    /* Live and showing everything: round the axis end up to a step of about 1/8..1/20 of the
     * span. The scale then changes only when the data crosses a step, and in between a new
     * sample redraws a column or two, which keeps the terminal traffic (and CPU) low. A still
     * picture (paused, exited, replay) uses the exact span. */
    if (!w.empty && !st->paused && st->zoom == 0 && !info->gone && !info->replay)
        w.t_to = w.t_from + axis_span_ns(w.t_to - w.t_from);
    else if (!w.empty && st->zoom == 0 && info->other)
        whole_other(&w, info);

    mw__view_header(cv, c, info, st);
    char hwm[128];
    bool have_hwm = !w.empty && hwm_note(hwm, sizeof(hwm), c);
    bool have_cmp = !w.empty && info->other && info->compare_line;
    int notes = 0;
    while (!w.empty && notes < MW__VIEW_NOTES && info->notes[notes].text)
        notes++;
    int stats = H >= 18 ? 3 + have_hwm + have_cmp + notes : 1;
    int charts = H - 2 - stats - 2;
    /* The process table takes the rows it needs (title, column names, one per process) under the
     * charts, up to half of their room, so the charts stay in sight; a small screen gives it
     * everything but the header, status and footer. */
    bool table = st->table && info->procs.on && info->procs.tree;
    int table_h = 0;
    if (table && charts >= 16) {
        size_t want = info->procs.n + 2;
        table_h = want < (size_t)(charts / 2) ? (int)want : charts / 2;
        charts -= table_h;
    }

    if (w.empty) {
        mw__line l;
        mw__line_init(&l, cv, 0, 2 + charts / 2, W);
        mw__line_add(&l, 0, "waiting for the first sample...", MW__ST_DIM);
    } else {
        draw_charts(cv, 2, charts, c, &w, info, st);
        figure_rows(cv, 2 + charts + table_h, stats, c, &w, info, st, have_hwm ? hwm : NULL, have_cmp);
    }
    long pid = info->pid ? info->pid : (long)c->pid;
    if (table && table_h)
        mw__proctable_draw(cv, 0, 2 + charts, W, table_h, &info->procs, pid, st);
    else if (table) { /* no room for both: the table covers the charts and figures */
        mw__proctable_draw(cv, 0, 2, W, H - 4, &info->procs, pid, st);
        st->nplaces = 0; /* nothing to click on */
    }
    char merged[96];
    mw__view_status(cv, H - 2, info, st, merged_note(merged, sizeof(merged), c, &w) ? merged : NULL);
    mw__view_footer(cv, H - 1, st);
    if (st->where)
        mw__view_where(cv, info, st);
    if (st->help)
        mw__view_help(cv, st);
}
