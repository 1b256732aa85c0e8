/* SPDX-License-Identifier: MIT */
/* tui.c — the one file that talks to curses: terminal setup and restore, keys, canvas to screen. */
#include "config.h"

#ifdef HAVE_NCURSESW_CURSES_H
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif
#ifdef HAVE_NCURSESW_TERM_H
#include <ncursesw/term.h>
#else
#include <term.h>
#endif

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "palette.h"
#include "tui.h"

struct app_tui {
    SCREEN *screen;
    bool active;
    bool unicode;
    bool color;
    attr_t attrs[MW__ST_COUNT]; /* curses attributes for each style */
    short pairs[MW__ST_COUNT];
    mw__cell *shown;            /* what the screen holds now (NULL: unknown, repaint all) */
    int shown_w, shown_h;
    mw__mouse mouse;            /* the last mouse event app_tui_key reported as MW__KEY_MOUSE */
};

static bool utf8_locale(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

int app_tui_check(char *err, size_t n)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(err, n, "the dashboard needs a terminal, but %s is not one "
                         "(use --no-tui to record without a dashboard)",
                 !isatty(STDIN_FILENO) ? "stdin" : "stdout");
        return -1;
    }
    const char *term = getenv("TERM");
    if (!term || !*term) {
        snprintf(err, n, "TERM is not set, so the dashboard cannot draw "
                         "(set TERM, e.g. xterm-256color, or use --no-tui)");
        return -1;
    }
    int terr = 0;
    if (setupterm(NULL, STDOUT_FILENO, &terr) != OK) {
        if (terr == 0)
            snprintf(err, n, "unknown terminal type TERM=%s (install its terminfo, set "
                             "TERM=xterm-256color, or use --no-tui)", term);
        else
            snprintf(err, n, "cannot use terminal TERM=%s (no terminfo database found; "
                             "use --no-tui)", term);
        return -1;
    }
    /* A hardcopy or dumb terminal cannot move the cursor: no dashboard can be drawn on it. */
    const char *cup = tigetstr("cup");
    bool hard = tigetflag("hc") > 0;
    del_curterm(cur_term);
    if (hard || !cup || cup == (char *)-1) {
        snprintf(err, n, "terminal TERM=%s cannot position the cursor, so the dashboard cannot "
                         "draw (use --no-tui)", term);
        return -1;
    }
    return 0;
}

/* The command line's --color, the same for every screen this process opens. */
static app_color color_mode = APP_COLOR_AUTO;

void app_tui_set_color(app_color mode) { color_mode = mode; }

static bool want_color(void)
{
    if (color_mode == APP_COLOR_NEVER || !has_colors())
        return false;
    const char *nc = getenv("NO_COLOR");
    return color_mode == APP_COLOR_ALWAYS || !(nc && *nc);
}

/* Styles keep their meaning without colour: bold, reverse, dim and distinct glyphs carry it.
 * With colour, plain chart bars need no extra emphasis (the `colour` attributes). Which colour
 * is palette.c's: only colours readable on light and dark backgrounds colour text. */
static void setup_styles(app_tui *t)
{
    static const struct {
        mw__style st;
        attr_t mono, colour;
    } map[] = {
        {MW__ST_NORMAL, A_NORMAL, A_NORMAL},
        {MW__ST_DIM, A_DIM, A_DIM},
        {MW__ST_TITLE, A_BOLD, A_BOLD},
        {MW__ST_RSS, A_NORMAL, A_NORMAL},
        {MW__ST_VSZ, A_NORMAL, A_NORMAL},
        {MW__ST_RANGE, A_DIM, A_NORMAL},
        {MW__ST_PEAK, A_BOLD, A_BOLD},
        {MW__ST_MARK, A_BOLD, A_BOLD},
        {MW__ST_ALERT, A_BOLD | A_REVERSE, A_BOLD | A_REVERSE},
        {MW__ST_STATUS, A_BOLD, A_BOLD},
        {MW__ST_ERROR, A_BOLD, A_BOLD},
        {MW__ST_HELP, A_NORMAL, A_NORMAL},
        {MW__ST_HWM, A_BOLD, A_BOLD},
        {MW__ST_PAUSED, A_BOLD | A_REVERSE, A_BOLD | A_REVERSE},
        {MW__ST_GROWTH, A_BOLD, A_BOLD},
        {MW__ST_KEY, A_BOLD, A_BOLD},
        {MW__ST_PSS, A_NORMAL, A_BOLD},
        {MW__ST_LEAK, A_BOLD | A_REVERSE, A_BOLD},
        {MW__ST_NOLEAK, A_BOLD, A_BOLD},
        {MW__ST_OTHER, A_BOLD, A_BOLD},
        {MW__ST_CG, A_NORMAL, A_NORMAL},
        {MW__ST_CG_ANON, A_NORMAL, A_NORMAL},
        {MW__ST_CG_FILE, A_NORMAL, A_NORMAL},
        {MW__ST_CG_KERNEL, A_NORMAL, A_NORMAL},
        {MW__ST_LIMIT, A_BOLD, A_BOLD},
    };
    bool many = t->color && COLORS >= 256;
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        mw__style st = map[i].st;
        short fg = mw__palette_color(st, many);
        t->attrs[st] = map[i].mono;
        t->pairs[st] = 0;
        if (t->color && fg != MW__COLOR_NONE) {
            short pair = (short)(i + 1);
            init_pair(pair, fg, -1);
            t->pairs[st] = pair;
            t->attrs[st] = map[i].colour;
        }
    }
}

int app_tui_start(app_tui **out, bool ascii, char *err, size_t n)
{
    app_tui *t = calloc(1, sizeof(*t));
    if (!t) {
        snprintf(err, n, "out of memory");
        return -1;
    }
    /* newterm, not initscr: initscr exits the program on failure instead of returning. */
    t->screen = newterm(NULL, stdout, stdin);
    if (!t->screen) {
        snprintf(err, n, "cannot initialise the terminal (TERM=%s); use --no-tui",
                 getenv("TERM") ? getenv("TERM") : "");
        free(t);
        return -1;
    }
    set_term(t->screen);
    t->active = true;
    cbreak(); /* Ctrl-C stays a signal: the quit handler restores the terminal */
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    set_escdelay(25);
    /* No typeahead check: with it, ncurses polls stdin and flushes its output every few
     * cursor moves of a refresh, a write() per chart row (bench row 4c measured the cost). */
    typeahead(-1);
    curs_set(0);
    t->unicode = !ascii && utf8_locale();
    t->color = want_color();
    if (t->color) {
        start_color();
        use_default_colors();
    }
    setup_styles(t);
    /* ncurses 6.4 flushes its output after every cursor move until the screen has been
     * suspended and resumed once (its "_endwin" state leaves ewInitial only then): a write()
     * per changed run, ~75 a frame. One endwin/doupdate round trip at start makes a frame one
     * write, as it always should have been. */
    endwin();
    doupdate();
    *out = t;
    return 0;
}

void app_tui_stop(app_tui *t)
{
    if (!t)
        return;
    if (t->active) {
        curs_set(1);
        endwin();
        t->active = false;
    }
    if (t->screen) {
        delscreen(t->screen);
        t->screen = NULL;
    }
    free(t->shown);
    free(t);
}

bool app_tui_unicode(const app_tui *t) { return t->unicode; }
bool app_tui_color(const app_tui *t) { return t->color; }

void app_tui_size(const app_tui *t, int *w, int *h)
{
    (void)t;
    *w = COLS;
    *h = LINES;
}

void app_tui_mouse_on(app_tui *t)
{
    (void)t;
    /* No click resolution: a press is reported at once (a click should not wait 166 ms for a
     * possible double click). ncurses turns on xterm's SGR reports (1006) itself when the
     * terminal's kmous is "\E[<", as xterm-256color's is: no 223-column limit. */
    mouseinterval(0);
    mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
}

const mw__mouse *app_tui_mouse_last(const app_tui *t) { return &t->mouse; }

/* A KEY_MOUSE: the event as a pure struct (mouse.h); MW__KEY_NONE when it is none of ours (with
 * the mouse off ncurses still reads the report, so it never arrives as typed keys). */
static mw__key mouse_event(app_tui *t)
{
    MEVENT me;
    if (getmouse(&me) != OK)
        return MW__KEY_NONE;
    mw__mouse ev = {.x = me.x, .y = me.y, .ctrl = (me.bstate & BUTTON_CTRL) != 0,
                    .shift = (me.bstate & BUTTON_SHIFT) != 0};
    if (me.bstate & BUTTON1_PRESSED)
        ev.button = MW__MOUSE_CLICK;
    else if (me.bstate & BUTTON4_PRESSED)
        ev.button = MW__MOUSE_WHEEL_UP;
    else if (me.bstate & BUTTON5_PRESSED)
        ev.button = MW__MOUSE_WHEEL_DOWN;
    else
        return MW__KEY_NONE;
    t->mouse = ev;
    return MW__KEY_MOUSE;
}

mw__key app_tui_key(app_tui *t, int timeout_ms)
{
    wtimeout(stdscr, timeout_ms);
    wint_t ch;
    int r = wget_wch(stdscr, &ch);
    if (r == ERR)
        return MW__KEY_NONE;
    if (r == KEY_CODE_YES) {
        switch (ch) {
        case KEY_LEFT: return MW__KEY_LEFT;
        case KEY_RIGHT: return MW__KEY_RIGHT;
        case KEY_UP: return MW__KEY_UP;
        case KEY_DOWN: return MW__KEY_DOWN;
        case KEY_HOME: return MW__KEY_HOME;
        case KEY_END: return MW__KEY_END;
        case KEY_PPAGE: return MW__KEY_PGUP;
        case KEY_NPAGE: return MW__KEY_PGDN;
        case KEY_BACKSPACE: return MW__KEY_BACKSPACE;
        case KEY_ENTER: return MW__KEY_ENTER;
        case KEY_RESIZE: return MW__KEY_RESIZE;
        case KEY_F(1): return MW__KEY_F1;
        case KEY_F(10): return MW__KEY_F10;
        case KEY_MOUSE: return mouse_event(t);
        default: return MW__KEY_NONE;
        }
    }
    switch (ch) {
    case 3: return MW__KEY_CTRL_C;
    case 27: return MW__KEY_ESC;
    case '\r':
    case '\n': return MW__KEY_ENTER;
    case 8:
    case 127: return MW__KEY_BACKSPACE;
    case 12: return MW__KEY_RESIZE; /* Ctrl-L: repaint, as after a resize */
    default: return (mw__key)ch;
    }
}

static bool same_cell(const mw__cell *a, const mw__cell *b)
{
    return a->cp == b->cp && a->style == b->style;
}

static void put_cell(app_tui *t, int x, int y, const mw__cell *c)
{
    uint32_t cp = c->cp;
    /* The canvas only holds narrow printable cells; this is the last guard before the terminal
     * (C0, DEL and C1 are controls to it, in any mode). */
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (!t->unicode && cp > 0x7e))
        cp = cp > 0x7e ? '?' : ' ';
    mw__style st = c->style < MW__ST_COUNT ? (mw__style)c->style : MW__ST_NORMAL;
    wchar_t wc[2] = {(wchar_t)cp, 0};
    cchar_t cc;
    setcchar(&cc, wc, t->attrs[st], t->pairs[st], NULL);
    mvwadd_wch(stdscr, y, x, &cc);
}

void app_tui_invalidate(app_tui *t)
{
    free(t->shown);
    t->shown = NULL;
    clearok(curscr, TRUE);
}

void app_tui_draw(app_tui *t, const mw__canvas *cv)
{
    int w = cv->w < COLS ? cv->w : COLS;
    int h = cv->h < LINES ? cv->h : LINES;
    if (!t->shown || t->shown_w != cv->w || t->shown_h != cv->h) {
        free(t->shown);
        t->shown = calloc((size_t)cv->w * (size_t)(cv->h > 0 ? cv->h : 1), sizeof(mw__cell));
        t->shown_w = cv->w;
        t->shown_h = cv->h;
        werase(stdscr);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                put_cell(t, x, y, &cv->cells[(size_t)y * (size_t)cv->w + (size_t)x]);
    } else {
        /* Only changed cells: a live chart changes a few columns per frame, keeping CPU low.
         * Whole unchanged rows (most of them) are skipped with one memcmp. */
        for (int y = 0; y < h; y++) {
            size_t row = (size_t)y * (size_t)cv->w;
            if (memcmp(&t->shown[row], &cv->cells[row], (size_t)w * sizeof(mw__cell)) == 0)
                continue;
            for (int x = 0; x < w; x++) {
                size_t i = row + (size_t)x;
                if (!same_cell(&t->shown[i], &cv->cells[i]))
                    put_cell(t, x, y, &cv->cells[i]);
            }
        }
    }
    if (t->shown)
        memcpy(t->shown, cv->cells, (size_t)cv->w * (size_t)cv->h * sizeof(mw__cell));
    wnoutrefresh(stdscr);
    doupdate();
}

void app_tui_bell(app_tui *t)
{
    (void)t;
    beep();
}
