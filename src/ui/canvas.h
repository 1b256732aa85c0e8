/* SPDX-License-Identifier: MIT */
/* canvas.h — an in-memory grid of cells {code point, style}: what the view draws and tui.c copies. */
#ifndef MW_CANVAS_H
#define MW_CANVAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a cell means, not how it looks: tui.c maps each style to curses attributes (colour when
 * allowed, plus bold / reverse / dim so that monochrome and NO_COLOR stay readable). Where the
 * meaning matters without colour the view also uses a distinct glyph or text (▲ peak, PAUSED). */
typedef enum mw__style {
    MW__ST_NORMAL = 0,
    MW__ST_DIM,     /* secondary text, axis lines, gridlines */
    MW__ST_TITLE,   /* chart titles, header labels: bold */
    MW__ST_RSS,     /* RSS chart bars */
    MW__ST_VSZ,     /* VSZ chart bars */
    MW__ST_RANGE,   /* the min..max wick of a column that hides variation */
    MW__ST_PEAK,    /* the peak marker and its label */
    MW__ST_MARK,    /* user marks */
    MW__ST_ALERT,   /* alert threshold line, RSS over the threshold */
    MW__ST_STATUS,  /* the status line */
    MW__ST_ERROR,   /* error messages */
    MW__ST_HELP,    /* the help overlay box */
    MW__ST_HWM,     /* kernel high-water mark above the sampled peak */
    MW__ST_PAUSED,  /* PAUSED / REPLAY badges: reverse video */
    MW__ST_GROWTH,  /* a growing figure (positive growth, trend) */
    MW__ST_KEY,     /* key names in the footer and help: bold */
    MW__ST_PSS,     /* PSS chart bars */
    MW__ST_LEAK,    /* the verdict "leak": red */
    MW__ST_NOLEAK,  /* the verdict "no leak": green */
    MW__ST_OTHER,   /* --compare: the other capture's dots and its legend */
    MW__ST_CG,      /* --cgroup: the cgroup's memory chart bars */
    MW__ST_CG_ANON, /* --cgroup: its anonymous memory */
    MW__ST_CG_FILE, /* --cgroup: its page cache */
    MW__ST_CG_KERNEL, /* --cgroup: its kernel memory */
    MW__ST_LIMIT,   /* --cgroup: the limit line (and memory.high's) and their labels */
    MW__ST_COUNT
} mw__style;

typedef struct mw__cell {
    uint32_t cp;    /* a Unicode code point that occupies exactly one terminal column */
    uint8_t style;  /* mw__style */
    uint8_t zero[3]; /* always 0: no padding bytes, so whole rows compare with memcmp */
} mw__cell;

/* Owned by the caller; cells are row-major, w * h. */
typedef struct mw__canvas {
    int w, h;
    mw__cell *cells;
    size_t cap; /* cells allocated (resizing down never reallocates) */
} mw__canvas;

/* Size the grid to w x h (negative counts as 0) and clear it to blanks. Keeps the allocation
 * when it is large enough. Returns 0 or MW_ENOMEM. mw__canvas_destroy frees; a zeroed struct
 * is a valid empty canvas. */
int mw__canvas_resize(mw__canvas *c, int w, int h);
void mw__canvas_destroy(mw__canvas *c);
void mw__canvas_clear(mw__canvas *c);

/* The cell at (x, y), or NULL outside the grid. */
const mw__cell *mw__canvas_at(const mw__canvas *c, int x, int y);

/* True for code points that are safe to put in one cell: printable and one column wide in
 * every common terminal. Control characters, combining marks, wide (CJK, emoji) and unassigned
 * or ambiguous ranges are not. */
bool mw__cp_is_narrow(uint32_t cp);

/* Put one code point; anything not narrow becomes '?'. Outside the grid: nothing. */
void mw__canvas_put(mw__canvas *c, int x, int y, uint32_t cp, mw__style st);

/* Fill the rectangle (clipped) with cp. */
void mw__canvas_fill(mw__canvas *c, int x, int y, int w, int h, uint32_t cp, mw__style st);

/* Write UTF-8 text from (x, y), at most maxw columns (and never past the right edge): one cell
 * per code point; invalid UTF-8, controls and wide characters become '?', combining marks are
 * dropped, so the grid never misaligns. Returns the columns written. */
int mw__canvas_text(mw__canvas *c, int x, int y, int maxw, const char *utf8, mw__style st);

/* Columns mw__canvas_text would use for the whole string (no clipping). */
int mw__text_width(const char *utf8);

/* Decode one UTF-8 code point from *s, advancing it; invalid bytes give 0xFFFD and advance one.
 * Never reads past the terminating NUL. */
uint32_t mw__utf8_next(const char **s);
/* Encode cp into out (4 bytes room); returns the byte count (0 for an invalid cp). */
int mw__utf8_put(char *out, uint32_t cp);

/* One row of text laid out as segments, left to right, separated by a gap. A segment that does
 * not fit whole is skipped (never cut mid-word), so callers add the important ones first;
 * right-aligned segments shrink the room left for the others. */
typedef struct mw__line {
    mw__canvas *c;
    int x, y, end; /* next free column, row, one past the last usable column */
    bool any;      /* a left segment was placed: the next one gets the gap */
    bool rany;     /* a right segment was placed: the next right one gets the gap */
} mw__line;

void mw__line_init(mw__line *l, mw__canvas *c, int x, int y, int w);
/* Place text after `gap` blank columns (no gap before the first segment). Returns placed. */
bool mw__line_add(mw__line *l, int gap, const char *text, mw__style st);
/* Place a label and its value one column apart, both or neither: a label alone reads as a
 * broken screen. */
bool mw__line_add_pair(mw__line *l, int gap, const char *label, mw__style lst, const char *value,
                       mw__style vst);
/* Place text, cut to the room left with a trailing '…' (or '~' when ascii): only for text the
 * user chose (a command line), where a prefix is better than nothing. */
bool mw__line_add_cut(mw__line *l, int gap, const char *text, mw__style st, bool ascii);
/* Place text flush right, keeping `gap` columns from what is already on the left. */
bool mw__line_right(mw__line *l, int gap, const char *text, mw__style st);
/* One cell of a table column [x, x + w) on row y: flush right (numbers), or cut to fit with
 * mw__line_add_cut. w 0: a column not shown, nothing drawn. */
void mw__line_cell(mw__canvas *c, int x, int w, int y, const char *text, mw__style st, bool right,
                   bool ascii);

/* The grid as UTF-8 text, one line per row ending in '\n', trailing blanks trimmed (golden
 * tests). _styles_text gives the same shape with one letter per cell naming its style
 * (mw__style_letter; normal cells are ' ', trimmed) so tests can check what is highlighted.
 * Caller frees. NULL on out of memory. */
char *mw__canvas_to_text(const mw__canvas *c);
char *mw__canvas_styles_text(const mw__canvas *c);
char mw__style_letter(mw__style st);

#endif
