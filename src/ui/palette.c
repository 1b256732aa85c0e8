/* SPDX-License-Identifier: MIT */
/* palette.c — the style → xterm colour table, and the WCAG contrast arithmetic that checks it. */
#include "palette.h"

#include <stddef.h>

/* Only five colours of the 256-colour palette read at >= 4.5:1 on white and on black alike
 * (relative luminance 0.175 .. 0.183): 29 green, 63 blue, 98 violet, 131 brick red, 163
 * magenta (and grey 243). Yellow and cyan never do, so the styles that were yellow or cyan text
 * keep the default foreground and their bold/reverse. `c8` is the colour on a terminal with
 * fewer than 256 colours: only chart bars that never carry text may have one there. */
static const struct {
    mw__style st;
    bool text;
    short c256, c8;
} table[] = {
    {MW__ST_NORMAL, true, MW__COLOR_NONE, MW__COLOR_NONE},
    {MW__ST_DIM, true, MW__COLOR_NONE, MW__COLOR_NONE},
    {MW__ST_TITLE, true, MW__COLOR_NONE, MW__COLOR_NONE},
    {MW__ST_RSS, true, 29, MW__COLOR_NONE},       /* bars, its title's value, table figures */
    {MW__ST_VSZ, true, 63, MW__COLOR_NONE},       /* bars, and the value in its title row */
    {MW__ST_RANGE, false, 243, 3},                /* the min..max wick: a glyph, no text */
    {MW__ST_PEAK, true, 131, MW__COLOR_NONE},     /* marker and its label */
    {MW__ST_MARK, true, 163, MW__COLOR_NONE},
    {MW__ST_ALERT, true, 131, MW__COLOR_NONE},    /* reverse video: the colour is behind text */
    {MW__ST_STATUS, true, MW__COLOR_NONE, MW__COLOR_NONE},
    {MW__ST_ERROR, true, 131, MW__COLOR_NONE},
    {MW__ST_HELP, true, MW__COLOR_NONE, MW__COLOR_NONE},
    {MW__ST_HWM, true, MW__COLOR_NONE, MW__COLOR_NONE},
    {MW__ST_PAUSED, true, MW__COLOR_NONE, MW__COLOR_NONE},
    {MW__ST_GROWTH, true, MW__COLOR_NONE, MW__COLOR_NONE},
    {MW__ST_KEY, true, MW__COLOR_NONE, MW__COLOR_NONE},
    {MW__ST_PSS, true, 98, MW__COLOR_NONE},
    {MW__ST_LEAK, true, 131, MW__COLOR_NONE},
    {MW__ST_NOLEAK, true, 29, MW__COLOR_NONE},
    {MW__ST_OTHER, true, 243, MW__COLOR_NONE},    /* --compare: dots (a shape of their own) */
    {MW__ST_CG, true, 29, MW__COLOR_NONE},        /* --cgroup: as RSS, the main figure */
    {MW__ST_CG_ANON, true, 63, MW__COLOR_NONE},
    {MW__ST_CG_FILE, true, 98, MW__COLOR_NONE},
    {MW__ST_CG_KERNEL, true, 163, MW__COLOR_NONE},
    {MW__ST_LIMIT, true, 131, MW__COLOR_NONE},    /* the limit line: a glyph row, and its label */
};

short mw__palette_color(mw__style st, bool many)
{
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (table[i].st == st)
            return many ? table[i].c256 : table[i].c8;
    return MW__COLOR_NONE;
}

bool mw__palette_is_text(mw__style st)
{
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (table[i].st == st)
            return table[i].text;
    return true; /* a style not listed yet: judged as text, the stricter rule */
}
