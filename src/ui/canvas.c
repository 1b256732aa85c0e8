/* SPDX-License-Identifier: MIT */
/* canvas.c — the cell grid: clipped drawing, safe UTF-8 decoding, and text dumps for golden tests. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "memwatch.h"
#include "canvas.h"

int mw__canvas_resize(mw__canvas *c, int w, int h)
{
    if (w < 0)
        w = 0;
    if (h < 0)
        h = 0;
    size_t need = (size_t)w * (size_t)h;
    if (need > c->cap) {
        mw__cell *n = realloc(c->cells, need * sizeof(*n));
        if (!n)
            return MW_ENOMEM;
        c->cells = n;
        c->cap = need;
    }
    c->w = w;
    c->h = h;
    mw__canvas_clear(c);
    return 0;
}

void mw__canvas_destroy(mw__canvas *c)
{
    if (!c)
        return;
    free(c->cells);
    memset(c, 0, sizeof(*c));
}

void mw__canvas_clear(mw__canvas *c)
{
    if (c->w <= 0 || c->h <= 0)
        return;
    /* One blank row, then copies of it: this runs for every frame. */
    for (int x = 0; x < c->w; x++)
        c->cells[x] = (mw__cell){' ', MW__ST_NORMAL, {0, 0, 0}};
    for (int y = 1; y < c->h; y++)
        memcpy(&c->cells[(size_t)y * (size_t)c->w], c->cells, (size_t)c->w * sizeof(mw__cell));
}

const mw__cell *mw__canvas_at(const mw__canvas *c, int x, int y)
{
    if (x < 0 || y < 0 || x >= c->w || y >= c->h)
        return NULL;
    return &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
}

/* A conservative allow-list instead of wcwidth(): the view must not depend on the locale, and
 * tui.c must be able to trust that every cell is exactly one column. */
bool mw__cp_is_narrow(uint32_t cp)
{
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0xad)
        return false;
    if (cp < 0x300)
        return true; /* ASCII, Latin-1, Latin Extended, IPA, spacing modifiers */
    if (cp < 0x370)
        return false; /* combining diacritics */
    if (cp < 0x530)
        return !(cp >= 0x483 && cp <= 0x489); /* Greek, Cyrillic, minus their combining marks */
    if (cp >= 0x1e00 && cp < 0x2000)
        return true; /* Latin Extended Additional, Greek Extended */
    if (cp >= 0x2010 && cp < 0x2028)
        return true; /* dashes, quotes, bullet, ellipsis */
    if (cp >= 0x2030 && cp < 0x205f)
        return true;
    if (cp >= 0x2070 && cp < 0x20a0)
        return true; /* superscripts and subscripts (R²'s ² is Latin-1) */
    if (cp >= 0x20a0 && cp < 0x20c0)
        return true; /* currency */
    if (cp >= 0x2190 && cp < 0x2200)
        return true; /* arrows */
    if (cp >= 0x2200 && cp < 0x2300)
        return true; /* mathematical operators */
    if (cp >= 0x2500 && cp < 0x2600)
        return true; /* box drawing, block elements, geometric shapes */
    return false;
}

static mw__cell *cell(mw__canvas *c, int x, int y)
{
    return &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
}

void mw__canvas_put(mw__canvas *c, int x, int y, uint32_t cp, mw__style st)
{
    if (x < 0 || y < 0 || x >= c->w || y >= c->h)
        return;
    mw__cell *p = cell(c, x, y);
    /* Printable ASCII and the chart's own glyphs (box drawing, blocks) skip the full check:
     * a frame puts tens of thousands of them. */
    bool ok = (cp >= 0x20 && cp < 0x7f) || (cp >= 0x2500 && cp < 0x2600) || mw__cp_is_narrow(cp);
    p->cp = ok ? cp : '?';
    p->style = (uint8_t)st;
}

void mw__canvas_fill(mw__canvas *c, int x, int y, int w, int h, uint32_t cp, mw__style st)
{
    int x1 = x + w, y1 = y + h;
    if (x < 0)
        x = 0;
    if (y < 0)
        y = 0;
    if (x1 > c->w)
        x1 = c->w;
    if (y1 > c->h)
        y1 = c->h;
    mw__cell v = {mw__cp_is_narrow(cp) ? cp : '?', (uint8_t)st, {0, 0, 0}};
    for (int yy = y; yy < y1; yy++) {
        mw__cell *row = cell(c, 0, yy);
        for (int xx = x; xx < x1; xx++)
            row[xx] = v;
    }
}

uint32_t mw__utf8_next(const char **sp)
{
    const unsigned char *s = (const unsigned char *)*sp;
    unsigned char b = s[0];
    uint32_t cp;
    int len;
    if (b < 0x80) {
        *sp += 1;
        return b;
    } else if (b >= 0xc2 && b < 0xe0) {
        cp = b & 0x1f;
        len = 2;
    } else if (b >= 0xe0 && b < 0xf0) {
        cp = b & 0x0f;
        len = 3;
    } else if (b >= 0xf0 && b < 0xf5) {
        cp = b & 0x07;
        len = 4;
    } else {
        *sp += 1;
        return 0xfffd;
    }
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) { /* also stops at the NUL */
            *sp += 1;
            return 0xfffd;
        }
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    /* overlong forms, surrogates and out-of-range values are invalid */
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp < 0xe000)) {
        *sp += 1;
        return 0xfffd;
    }
    *sp += len;
    return cp;
}

int mw__utf8_put(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    } else if (cp < 0x10000) {
        if (cp >= 0xd800 && cp < 0xe000)
            return 0;
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    } else if (cp <= 0x10ffff) {
        out[0] = (char)(0xf0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[3] = (char)(0x80 | (cp & 0x3f));
        return 4;
    }
    return 0;
}

static bool is_combining(uint32_t cp)
{
    return (cp >= 0x300 && cp < 0x370) || (cp >= 0x483 && cp <= 0x489) ||
           (cp >= 0x1ab0 && cp < 0x1b00) || (cp >= 0x1dc0 && cp < 0x1e00) ||
           (cp >= 0x20d0 && cp < 0x2100) || (cp >= 0xfe20 && cp < 0xfe30) || cp == 0x200b ||
           cp == 0x200c || cp == 0x200d || (cp >= 0xfe00 && cp < 0xfe10);
}

int mw__canvas_text(mw__canvas *c, int x, int y, int maxw, const char *utf8, mw__style st)
{
    int n = 0;
    if (!utf8 || y < 0 || y >= c->h)
        return 0;
    if (maxw > c->w - x)
        maxw = c->w - x;
    while (*utf8 && n < maxw) {
        uint32_t cp = mw__utf8_next(&utf8);
        if (is_combining(cp))
            continue;
        mw__canvas_put(c, x + n, y, cp, st);
        n++;
    }
    return n;
}

int mw__text_width(const char *utf8)
{
    int n = 0;
    while (utf8 && *utf8)
        if (!is_combining(mw__utf8_next(&utf8)))
            n++;
    return n;
}

void mw__line_init(mw__line *l, mw__canvas *c, int x, int y, int w)
{
    l->c = c;
    l->x = x;
    l->y = y;
    l->end = x + w > c->w ? c->w : x + w;
    l->any = l->rany = false;
}

/* Columns free for a segment placed `gap` after the last left one, keeping the same gap from
 * the right-aligned ones; `at` is where the left text ends (l->x, or further for a pair). */
static int line_room(const mw__line *l, int at, int gap)
{
    return l->end - (l->rany ? gap : 0) - at - (l->any || at > l->x ? gap : 0);
}

bool mw__line_add(mw__line *l, int gap, const char *text, mw__style st)
{
    int g = l->any ? gap : 0;
    int tw = mw__text_width(text);
    if (tw > line_room(l, l->x, gap))
        return false;
    l->x += g + mw__canvas_text(l->c, l->x + g, l->y, tw, text, st);
    l->any = true;
    return true;
}

bool mw__line_add_pair(mw__line *l, int gap, const char *label, mw__style lst, const char *value,
                       mw__style vst)
{
    int lw = mw__text_width(label);
    int label_end = l->x + (l->any ? gap : 0) + lw;
    if (lw > line_room(l, l->x, gap) || mw__text_width(value) > line_room(l, label_end, 1))
        return false;
    return mw__line_add(l, gap, label, lst) && mw__line_add(l, 1, value, vst);
}

bool mw__line_add_cut(mw__line *l, int gap, const char *text, mw__style st, bool ascii)
{
    if (mw__line_add(l, gap, text, st))
        return true;
    int g = l->any ? gap : 0;
    int room = line_room(l, l->x, gap);
    if (room < 2)
        return false;
    mw__canvas_text(l->c, l->x + g, l->y, room - 1, text, st);
    mw__canvas_put(l->c, l->x + g + room - 1, l->y, ascii ? '~' : 0x2026, st);
    l->x += g + room;
    l->any = true;
    return true;
}

bool mw__line_right(mw__line *l, int gap, const char *text, mw__style st)
{
    int tw = mw__text_width(text);
    int at = l->end - tw - (l->rany ? gap : 0);
    if (at < l->x + (l->any ? gap : 0))
        return false;
    mw__canvas_text(l->c, at, l->y, tw, text, st);
    l->end = at;
    l->rany = true;
    return true;
}

char mw__style_letter(mw__style st)
{
    static const char letters[] = " dtrvwpmaseh!PgKoLNcGnfkl";
    _Static_assert(sizeof(letters) == MW__ST_COUNT + 1, "one letter per style");
    return (unsigned)st < MW__ST_COUNT ? letters[st] : '?';
}

/* One line per row, trailing blanks trimmed: the glyphs, or one style letter per cell. */
static char *dump(const mw__canvas *c, bool styles)
{
    size_t cap = (size_t)c->w * (size_t)c->h * 4 + (size_t)c->h + 1;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    size_t len = 0;
    for (int y = 0; y < c->h; y++) {
        size_t keep = len;
        for (int x = 0; x < c->w; x++) {
            const mw__cell *p = mw__canvas_at(c, x, y);
            bool blank;
            if (styles) {
                char l = mw__style_letter((mw__style)p->style);
                out[len++] = l;
                blank = l == ' ';
            } else {
                len += (size_t)mw__utf8_put(out + len, p->cp);
                blank = p->cp == ' ';
            }
            if (!blank)
                keep = len;
        }
        len = keep;
        out[len++] = '\n';
    }
    out[len] = '\0';
    return out;
}

char *mw__canvas_to_text(const mw__canvas *c) { return dump(c, false); }
char *mw__canvas_styles_text(const mw__canvas *c) { return dump(c, true); }

void mw__line_cell(mw__canvas *c, int x, int w, int y, const char *text, mw__style st, bool right,
                   bool ascii)
{
    if (w <= 0)
        return;
    mw__line l;
    mw__line_init(&l, c, x, y, w);
    if (right)
        mw__line_right(&l, 0, text, st);
    else
        mw__line_add_cut(&l, 0, text, st, ascii);
}
