/* SPDX-License-Identifier: MIT */
/* svgtext.h — the plot's text tools: a growing buffer, XML-safe text, nice axis steps, time labels. */
#ifndef MW_SVGTEXT_H
#define MW_SVGTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes being written; failed stays set after an allocation failure (further writes do nothing). */
typedef struct mw__svgbuf {
    char *p;
    size_t len, cap;
    bool failed;
} mw__svgbuf;

__attribute__((format(printf, 2, 3)))
void mw__svg_printf(mw__svgbuf *b, const char *fmt, ...);
/* Text from elsewhere (a command line, a mark's label) as XML character data: made readable
 * first as on a terminal (mw__safe_text: controls and invalid UTF-8 become \xHH, bidi overrides
 * \uHHHH), then & < > " ' as entities and the two non-characters XML refuses (U+FFFE, U+FFFF)
 * as \uFFFE, \uFFFF, so the document stays well-formed whatever the bytes. */
void mw__svg_text(mw__svgbuf *b, const char *s);

/* A step for a byte axis covering range with about want ticks: m x 1024^k, m in 1, 2, 5, 10,
 * 20, 50, 100, 200, 500 (so the labels of mw__format_bytes read as round numbers). >= 1. */
uint64_t mw__svg_bytes_step(uint64_t range, int want);
/* A step in seconds for a time axis of span_s seconds: at most about 8 ticks, on a ladder of
 * 1-2-5 below a second, then 1 2 5 10 15 30 s, 1 2 5 10 15 30 min, 1 2 3 6 12 h, days. */
double mw__svg_time_step(double span_s);
/* A tick label for t seconds on an axis with this step: "0.25s" below a second's step, else
 * mw__format_span ("45s", "12m30s", "3h20m"). */
char *mw__svg_time_label(char *buf, size_t n, double t, double step);
/* Elapsed time with sub-second detail for peaks and marks: "1.234 s" under a minute, then
 * "00:03:12.4". */
char *mw__svg_elapsed(char *buf, size_t n, double t);

#endif
