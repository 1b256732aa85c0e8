/* SPDX-License-Identifier: MIT */
/* test_palette.c — every text style's colour reads at >= 4.5:1 on white and on black (xterm). */
#include <criterion/criterion.h>
#include <math.h>

#include "palette.h"

/* The xterm palette: the 16 system colours, the 6x6x6 cube, the grey ramp. */
static void xterm_rgb(int index, int rgb[3])
{
    static const int sys[16][3] = {
        {0, 0, 0},       {205, 0, 0},   {0, 205, 0},   {205, 205, 0},
        {0, 0, 238},     {205, 0, 205}, {0, 205, 205}, {229, 229, 229},
        {127, 127, 127}, {255, 0, 0},   {0, 255, 0},   {255, 255, 0},
        {92, 92, 255},   {255, 0, 255}, {0, 255, 255}, {255, 255, 255},
    };
    static const int level[6] = {0, 95, 135, 175, 215, 255};
    if (index < 16) {
        for (int i = 0; i < 3; i++)
            rgb[i] = sys[index][i];
    } else if (index < 232) {
        int c = index - 16;
        rgb[0] = level[c / 36];
        rgb[1] = level[c / 6 % 6];
        rgb[2] = level[c % 6];
    } else {
        rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (index - 232);
    }
}

/* WCAG 2: relative luminance from linearised sRGB channels. */
static double linear(int c)
{
    double s = c / 255.0;
    return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4);
}

static double luminance(const int rgb[3])
{
    return 0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2]);
}

static double contrast(int index, int bg)
{
    int rgb[3];
    xterm_rgb(index, rgb);
    double l = luminance(rgb), b = bg ? 1.0 : 0.0;
    return l > b ? (l + 0.05) / (b + 0.05) : (b + 0.05) / (l + 0.05);
}

Test(palette, arithmetic_matches_the_issue_measurements)
{
    /* The issue measured xterm's yellow, cyan and green text on white: 1.7, 2.0 and 2.2 (the
     * bright variants) — the figures this arithmetic must reproduce to be trusted. */
    cr_expect(fabs(contrast(3, 1) - 1.7) < 0.05, "yellow on white %.2f", contrast(3, 1));
    cr_expect(contrast(0, 1) > 20.9 && contrast(15, 0) > 20.9);
    cr_expect(contrast(29, 1) >= 4.5 && contrast(29, 0) >= 4.5);
}

static void check_style(mw__style st, bool many)
{
    short c = mw__palette_color(st, many);
    if (c == MW__COLOR_NONE || !mw__palette_is_text(st))
        return;
    cr_expect(c >= 0 && c < (many ? 256 : 16), "style %d colour %d out of range", st, c);
    cr_expect(contrast(c, 1) >= 4.5, "style %d (%s palette) colour %d: %.2f:1 on white", st,
              many ? "256" : "16", c, contrast(c, 1));
    cr_expect(contrast(c, 0) >= 4.5, "style %d (%s palette) colour %d: %.2f:1 on black", st,
              many ? "256" : "16", c, contrast(c, 0));
}

Test(palette, every_text_colour_reads_on_white_and_on_black)
{
    for (int st = 0; st < MW__ST_COUNT; st++) {
        check_style((mw__style)st, true);
        check_style((mw__style)st, false);
    }
}

Test(palette, series_keep_a_colour_where_the_terminal_has_256)
{
    /* Colour still tells the series apart: readability is not bought by dropping it all. */
    cr_expect_neq(mw__palette_color(MW__ST_RSS, true), MW__COLOR_NONE);
    cr_expect_neq(mw__palette_color(MW__ST_VSZ, true), MW__COLOR_NONE);
    cr_expect_neq(mw__palette_color(MW__ST_PSS, true), MW__COLOR_NONE);
    cr_expect_neq(mw__palette_color(MW__ST_RSS, true), mw__palette_color(MW__ST_VSZ, true));
    /* With 8 or 16 colours only the min..max wick, a glyph that never carries text, has one. */
    cr_expect_neq(mw__palette_color(MW__ST_RANGE, false), MW__COLOR_NONE);
    cr_expect(!mw__palette_is_text(MW__ST_RANGE));
}
