/* SPDX-License-Identifier: MIT */
/* gates.c — --fail-above, --fail-growth, --fail-leak: judge a run against the limits a script set. */
#include "config.h"

#include <string.h>

#include "gates.h"
#include "stats.h"
#include "units.h"

const char *app_gate_option(app_gate_kind k)
{
    static const char *const names[APP_GATE_COUNT] = {"--fail-above", "--fail-growth",
                                                       "--fail-leak"};
    return names[k];
}

bool app_gates_asked(const app_options *o)
{
    return o->fail_above_bytes || o->fail_growth_bytes || o->fail_leak;
}

static const char *const source_key[APP_PEAK_SOURCE_COUNT] = {"sampled", "kernel_hwm",
                                                                "process_hwm", "exit_maxrss"};
static const char *const source_text[APP_PEAK_SOURCE_COUNT] = {
    "sampled", "kernel high-water mark", "one process's kernel high-water mark",
    "largest process per the kernel at exit"};
static const char *const source_short[APP_PEAK_SOURCE_COUNT] = {"sampled", "kernel mark",
                                                                  "spike", "at exit"};

const char *app_peak_source_key(app_peak_source src)
{
    return source_key[src];
}

static void raise_peak(app_gate *g, uint64_t v, app_peak_source src)
{
    if (v > (uint64_t)g->figure) {
        g->figure = (int64_t)v;
        g->source = src;
    }
}

/* --fail-above judges the largest peak proven, each figure the summary prints as one: a sample,
 * the kernel's high-water mark (one process; with -c only a single process's proven spike,
 * never the upper-bound sum), and wait4's max RSS unless --interval-peaks reset the marks it
 * comes from. Each is a lower bound of the true peak, so any above the limit trips the gate. */
static void eval_above(const app_session *s, app_gate *g)
{
    const mw__capture *c = &s->cap;
    g->on = s->opt->fail_above_bytes != 0;
    g->limit = s->opt->fail_above_bytes;
    if (!g->on)
        return;
    g->source = APP_PEAK_SAMPLED;
    if (c->all.n > 0)
        raise_peak(g, c->all.peak_rss.rss, APP_PEAK_SAMPLED);
    mw_tree_process spike;
    if (!s->opt->children)
        raise_peak(g, c->all.max_hwm, APP_PEAK_HWM);
    else if (s->watcher && mw_watcher_top_spike(s->watcher, &spike) == 0)
        raise_peak(g, spike.hwm, APP_PEAK_SPIKE);
    if (!s->opt->interval_peaks)
        raise_peak(g, s->target.maxrss_bytes, APP_PEAK_EXIT);
    g->decided = c->all.n > 0 || g->figure > 0;
    g->tripped = g->decided && (uint64_t)g->figure > g->limit;
}

void app_gates_eval(const app_session *s, const mw_leak_result *leak, app_gates *out)
{
    const app_options *o = s->opt;
    const mw__capture *c = &s->cap;
    memset(out, 0, sizeof(*out));
    out->tree = o->children;
    bool have = c->all.n > 0;
    app_gate *g = &out->g[APP_GATE_ABOVE];
    eval_above(s, g);

    g = &out->g[APP_GATE_GROWTH];
    g->on = o->fail_growth_bytes != 0;
    g->limit = o->fail_growth_bytes;
    g->decided = g->on && have;
    g->figure = have ? mw__summary_growth(&c->all) : 0;
    g->tripped = g->decided && g->figure > 0 && (uint64_t)g->figure > g->limit;

    g = &out->g[APP_GATE_LEAK];
    g->on = o->fail_leak;
    if (!g->on || !have)
        return;
    if (leak) {
        g->leak = *leak;
        g->have_leak = true;
    } else {
        g->have_leak = mw__verdict_of_run(&c->ring, &c->tiers, &g->leak) == 0;
    }
    /* "not sure" decides nothing: a run too short, or too noisy, to tell. */
    g->decided = g->have_leak && g->leak.verdict != MW_LEAK_UNSURE;
    g->tripped = g->decided && g->leak.verdict == MW_LEAK_YES;
}

bool app_gates_tripped(const app_gates *g)
{
    for (int k = 0; k < APP_GATE_COUNT; k++)
        if (g->g[k].tripped)
            return true;
    return false;
}

/* Two sizes that print alike get their exact bytes, so "100.0 MiB > 100.0 MiB" never shows. */
static void two_sizes(char *a, char *b, size_t n, uint64_t x, uint64_t y, bool sign)
{
    if (sign)
        mw__format_bytes_signed(a, n, (int64_t)x);
    else
        mw__format_bytes(a, n, x);
    mw__format_bytes(b, n, y);
    const char *ax = a + (sign && (a[0] == '+' || a[0] == '-'));
    if (strcmp(ax, b) == 0) {
        size_t la = strlen(a), lb = strlen(b);
        snprintf(a + la, n - la, " (%llu B)", (unsigned long long)x);
        snprintf(b + lb, n - lb, " (%llu B)", (unsigned long long)y);
    }
}

/* "peak RSS 120.3 MiB > --fail-above 100.0 MiB", "growth +30.0 MiB > --fail-growth 20.0 MiB",
 * "verdict leak (floor +5.9 MiB/min over 40s, R² 0.97) under --fail-leak". Short (the
 * dashboard's growth row, which must keep room for the growth): "peak RSS 120.3 MiB > 100.0 MiB",
 * "verdict leak". */
static void gate_text(const app_gates *gs, app_gate_kind k, bool shrt, char *buf, size_t n)
{
    const app_gate *g = &gs->g[k];
    char a[64], b[64];
    const char *cmp = g->tripped ? ">" : "<=";
    const char *opt = shrt ? "" : app_gate_option(k), *sp = shrt ? "" : " ";
    const char *tree = gs->tree && !shrt ? " of the tree" : "";
    switch (k) {
    case APP_GATE_ABOVE:
        two_sizes(a, b, sizeof(a), (uint64_t)g->figure, g->limit, false);
        snprintf(buf, n, "peak RSS%s %s (%s) %s %s%s%s", tree, a,
                 (shrt ? source_short : source_text)[g->source], cmp, opt, sp, b);
        break;
    case APP_GATE_GROWTH:
        if (g->figure < 0) {
            mw__format_bytes_signed(a, sizeof(a), g->figure);
            mw__format_bytes(b, sizeof(b), g->limit);
        } else {
            two_sizes(a, b, sizeof(a), (uint64_t)g->figure, g->limit, true);
        }
        snprintf(buf, n, "growth%s %s %s %s%s%s", tree, a, cmp, opt, sp, b);
        break;
    default:
        if (shrt)
            snprintf(buf, n, "verdict %s", mw__verdict_word(g->leak.verdict));
        else
            snprintf(buf, n, "verdict %s (%s) under %s", mw__verdict_word(g->leak.verdict),
                     g->leak.reason, app_gate_option(k));
        break;
    }
}

void app_gates_report(FILE *f, const app_gates *g)
{
    char buf[256];
    for (int k = 0; k < APP_GATE_COUNT; k++) {
        if (!g->g[k].tripped)
            continue;
        gate_text(g, (app_gate_kind)k, false, buf, sizeof(buf));
        fprintf(f, "memwatch: gate tripped: %s\n", buf);
    }
    fflush(f);
}

void app_gates_summary(FILE *f, const app_gates *g)
{
    char buf[256];
    for (int k = 0; k < APP_GATE_COUNT; k++) {
        const app_gate *x = &g->g[k];
        if (!x->on)
            continue;
        if (x->decided) {
            gate_text(g, (app_gate_kind)k, false, buf, sizeof(buf));
            fprintf(f, "  gate      %s: %s\n", x->tripped ? "TRIPPED" : "passed", buf);
        } else if (k == APP_GATE_LEAK && x->have_leak) {
            fprintf(f, "  gate      %s: not decided (not sure: %s)\n", app_gate_option(k),
                    x->leak.reason);
        } else {
            fprintf(f, "  gate      %s: not decided (no sample taken)\n", app_gate_option(k));
        }
    }
}

const char *app_gates_live(const app_session *s, const mw__floor *floor, char *buf, size_t n)
{
    if (!s || !app_gates_asked(s->opt))
        return NULL;
    mw_leak_result v;
    if (s->opt->fail_leak)
        mw__verdict_decide(floor, &v);
    app_gates g;
    app_gates_eval(s, s->opt->fail_leak ? &v : NULL, &g);
    size_t len = 0;
    buf[0] = '\0';
    for (int k = 0; k < APP_GATE_COUNT && len + 1 < n; k++) {
        if (!g.g[k].tripped)
            continue;
        char one[256];
        gate_text(&g, (app_gate_kind)k, true, one, sizeof(one));
        int w = snprintf(buf + len, n - len, "%s%s", len ? "; " : "GATE ", one);
        len += w > 0 ? (size_t)w : 0;
    }
    return buf[0] ? buf : NULL;
}
