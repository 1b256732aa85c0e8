/* SPDX-License-Identifier: MIT */
/* svgheader.c — --plot's picture: its title, subtitle, --compare line and legend. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "svgcompare.h"
#include "svgplotint.h"
#include "units.h"

static bool any_tree(const plot *pl)
{
    for (uint64_t q = pl->from; q < pl->to; q++)
        if (mw__ring_at(pl->r, q)->nprocs > 1)
            return true;
    return false;
}

/* --compare: the other capture's legend entry, named, with the figures of both side by side. */
static void compare_row(plot *pl, const mw__plot_info *info)
{
    char name[48], line[320];
    mw__safe_text(name, sizeof(name), info && info->other_name ? info->other_name : "other");
    mw__svg_printf(&pl->b, "<g class=\"compare\" font-size=\"11\" fill=\"" INK "\"><line x1=\"%d\" "
                   "y1=\"54\" x2=\"%d\" y2=\"54\" stroke=\"" OTHER_COLOUR "\" stroke-width=\"2\" "
                   "stroke-dasharray=\"5 3\"/><text x=\"%d\" y=\"58\">vs ", PX0, PX0 + 18, PX0 + 22);
    mw__svg_text(&pl->b, name);
    mw__svg_printf(&pl->b, ": ");
    mw__svg_text(&pl->b, mw__compare_line(line, sizeof(line), pl->c, pl->o));
    if (info && info->align_mark) {
        mw__svg_printf(&pl->b, "; t=0 at mark ");
        mw__svg_text(&pl->b, info->align_mark);
    }
    mw__svg_printf(&pl->b, "</text></g>\n");
}

/* The title's text: a command line that does not fit the page's width (16 px bold, after
 * "memwatch: ") first loses its program's directory, then is cut with "…". */
static void title_text(mw__svgbuf *b, const char *title)
{
    enum { FIT = 67 };
    const char *end = title + strcspn(title, " "), *slash = NULL;
    for (const char *p = title; p < end; p++)
        if (*p == '/')
            slash = p;
    if (strlen(title) > FIT && slash && slash + 1 < end)
        title = slash + 1;
    char cut[FIT + 1], whole[512];
    mw__safe_text(cut, sizeof(cut), title);
    /* Escaping never shortens text: longer than the cut means cut; shorter text fits `whole`,
     * and comparing the two tells whether an escape pushed it past the cut. */
    bool was_cut = strlen(title) > FIT ||
                   strlen(mw__safe_text(whole, sizeof(whole), title)) > strlen(cut);
    for (size_t n = strlen(cut); was_cut && n > 0 && cut[n - 1] == ' '; n--)
        cut[n - 1] = '\0';
    mw__svg_text(b, cut);
    mw__svg_printf(b, "%s</text>\n", was_cut ? "…" : "");
}

/* Title (what was watched, and when in UTC), subtitle (what the picture holds), legend. */
void mw__svg_header(plot *pl, const mw__plot_info *info, const panel *ps, int np)
{
    const mw__capture *c = pl->c;
    const mw__sample *first = mw__ring_at(pl->r, pl->from);
    char when[40] = "", pidname[48];
    if (first) {
        time_t sec = (time_t)(mw__capture_wall_ns(c, first) / 1000000000);
        struct tm tm;
        gmtime_r(&sec, &tm);
        strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    const char *title = info && info->title ? info->title : c->command[0] ? c->command : NULL;
    snprintf(pidname, sizeof(pidname), "PID %ld", (long)c->pid);
    mw__svg_printf(&pl->b, "<text class=\"title\" x=\"%d\" y=\"22\" font-size=\"16\" "
                   "font-weight=\"bold\" fill=\"" INK "\">memwatch: ", PX0);
    title_text(&pl->b, title ? title : pidname);
    if (!first)
        return;
    char iv[32], span[32], counts[64];
    uint64_t n = pl->to - pl->from;
    uint64_t ms = info && info->interval_ms ? info->interval_ms
                  : n > 1 ? (uint64_t)(pl->span / 1000000 / (int64_t)(n - 1)) : 0;
    snprintf(counts, sizeof(counts), "%s", info && info->rss_counts ? info->rss_counts
                                           : any_tree(pl) ? "tree total" : "process");
    mw__svg_printf(&pl->b, "<text class=\"subtitle\" x=\"%d\" y=\"40\" font-size=\"12\" fill=\""
                   INK "\">%s: %llu samples, every %s%s, over %s; RSS counts: %s", PX0,
                   when, (unsigned long long)n, info && info->interval_ms ? "" : "~",
                   mw__format_interval(iv, sizeof(iv), ms ? ms : 1),
                   mw__svg_elapsed(span, sizeof(span), n > 1 ? (double)pl->span / 1e9 : 0), counts);
    if (mw__ring_dropped(pl->r))
        mw__svg_printf(&pl->b, "; the %llu oldest samples were no longer kept",
                       (unsigned long long)mw__ring_dropped(pl->r));
    mw__svg_printf(&pl->b, "</text>\n");
    if (pl->o)
        compare_row(pl, info);
    mw__svg_printf(&pl->b, "<g class=\"legend\" font-size=\"11\" fill=\"" INK "\" "
                   "transform=\"translate(0,%d)\">\n", pl->o ? ROW : 0);
    int x = PX0;
    for (int i = 0; i < np; i++, x += 70)
        mw__svg_printf(&pl->b, "<line x1=\"%d\" y1=\"55\" x2=\"%d\" y2=\"55\" stroke=\"%s\" "
                       "stroke-width=\"3\"/><text x=\"%d\" y=\"59\">%s</text>\n", x, x + 18,
                       ps[i].colour, x + 22, ps[i].name);
    mw__svg_printf(&pl->b, "<circle cx=\"%d\" cy=\"55\" r=\"4\" fill=\"" PEAK_COLOUR "\"/>"
                   "<text x=\"%d\" y=\"59\">peak (sampled)</text>\n", x + 4, x + 12);
    x += 110;
    mw__svg_printf(&pl->b, "<polygon fill=\"" SPIKE_COLOUR "\" points=\"%d,59 %d,52 %d,52\"/>"
                   "<text x=\"%d\" y=\"59\">spike between samples (kernel high-water mark)"
                   "</text>\n", x + 4, x, x + 8, x + 12);
    x += 300;
    mw__svg_printf(&pl->b, "<line x1=\"%d\" y1=\"50\" x2=\"%d\" y2=\"61\" stroke=\"" MARK_COLOUR
                   "\" stroke-dasharray=\"4 3\"/><text x=\"%d\" y=\"59\">mark</text>\n</g>\n",
                   x + 4, x + 4, x + 10);
}

