/* SPDX-License-Identifier: MIT */
/* test_looks.c — the dashboard's view options (y-axis from 0) as golden screens and their keys. */
#include "config.h"
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "ui_fixtures.h"
#include "view.h"

/* One dashboard: its capture, key state and screen (set up in each test, freed by done()). */
typedef struct dash {
    mw__capture cap;
    mw__ui_state st;
    mw__canvas cv;
} dash;

static void done(dash *d)
{
    mw__canvas_destroy(&d->cv);
    mw__ui_destroy(&d->st);
    mw__capture_destroy(&d->cap);
}

static char *render(dash *d, int w, int h)
{
    mw__view_info in;
    memset(&in, 0, sizeof(in));
    in.state = "running";
    in.interval_ms = 250;
    in.elapsed_ns = mw__ring_last(&d->cap.ring)->t_ns - d->cap.t0_ns;
    cr_assert_eq(mw__canvas_resize(&d->cv, w, h), 0);
    mw__view_build(&d->cv, &d->cap, &in, &d->st);
    return mw__canvas_to_text(&d->cv);
}

/* The lowest y-axis label of a chart: the last labelled row from its title down to its x-axis
 * (the row holding └), e.g. "0 MiB" or "100 MiB". */
static void lowest_label(const char *text, const char *chart, char *out, size_t n)
{
    const char *row = strstr(text, chart);
    cr_assert(row, "no %s chart", chart);
    out[0] = '\0';
    while ((row = strchr(row, '\n')) && row[1]) {
        row++;
        const char *end = strchr(row, '\n');
        size_t len = end ? (size_t)(end - row) : strlen(row);
        const char *gut = NULL;
        for (const char *g = row; g < row + len && !gut; g++)
            if (!strncmp(g, "\u2524", 3) || !strncmp(g, "\u2514", 3)) /* ┤ └ */
                gut = g;
        const char *b = row;
        while (*b == ' ')
            b++;
        if (gut && b < gut - 1) /* a label left of the gutter */
            snprintf(out, n, "%.*s", (int)(gut - 1 - b), b);
        if (gut && !strncmp(gut, "\u2514", 3))
            return;
    }
    cr_assert_fail("no x-axis under %s", chart);
}

Test(looks, zero_key_pins_the_y_axis_at_zero_and_says_so)
{
    dash d = {0};
    fx_capture(&d.cap, 3600);
    mw__ui_init(&d.st);
    fx_leak(&d.cap, 300, FX_S / 4, -1);
    char *fitted = render(&d, 80, 24);
    char lo[32];
    lowest_label(fitted, "RSS", lo, sizeof(lo));
    cr_expect(lo[0] && strcmp(lo, "0 MiB") != 0, "fitted: lowest label '%s':\n%s", lo, fitted);
    cr_expect(!strstr(fitted, "y from 0"), "%s", fitted);

    cr_assert_eq(mw__ui_key(&d.st, '0', &d.cap), MW__ACT_NONE);
    cr_expect(d.st.y_zero);
    char *pinned = render(&d, 80, 24);
    fx_golden("view-yzero-80x24", pinned);
    lowest_label(pinned, "RSS", lo, sizeof(lo));
    cr_expect_str_eq(lo, "0 MiB", "lowest RSS label '%s':\n%s", lo, pinned);
    cr_expect(strstr(pinned, "y from 0"), "%s", pinned);

    mw__ui_key(&d.st, '0', &d.cap);
    cr_expect(!d.st.y_zero, "0 again goes back to the fitted axis");
    char *back = render(&d, 80, 24);
    cr_expect_str_eq(back, fitted);
    free(fitted);
    free(pinned);
    free(back);
    done(&d);
}
