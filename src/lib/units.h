/* SPDX-License-Identifier: MIT */
/* units.h — pure parsers and formatters: durations ("250ms"), sizes ("512M"), and text safe for a terminal. */
#ifndef MW_UNITS_H
#define MW_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parse a duration into milliseconds. Accepts a non-negative decimal number with an optional
 * unit: ms, s, m (minutes), h (lower case only); a bare number is milliseconds. Surrounding blanks
 * are not allowed. Fractions are exact and round to the nearest millisecond ("0.1s" = 100, "1.5ms"
 * = 2). Returns 0, or MW_EINVAL for empty input, garbage, a negative value, a sub-millisecond result
 * that is not zero, or overflow. Range checks (e.g. 1ms..1h) are the caller's. */
int mw__parse_duration_ms(const char *s, uint64_t *out_ms);

/* Parse a size into bytes. A non-negative decimal number with an optional binary suffix
 * K, M, G, T (also B, KB/KiB, MB/MiB, ... case-insensitive, all powers of 1024); bare = bytes.
 * One space may separate number and unit, so what mw__format_bytes prints parses back.
 * Fractions round to the nearest byte.
 * Returns 0 or MW_EINVAL (garbage, negative, overflow). */
int mw__parse_size(const char *s, uint64_t *out_bytes);

/* "812.4 MiB", "3.0 GiB", "512 KiB", "17 B": B and KiB whole, one decimal from MiB up; the unit
 * is the largest whose rounded figure stays below 1024 ("1.0 GiB", never "1024.0 MiB").
 * 32 bytes always suffice. Returns buf. */
char *mw__format_bytes(char *buf, size_t n, uint64_t bytes);
/* Signed variant: "+2.1 MiB", "-512 KiB", "+0 B". Returns buf. */
char *mw__format_bytes_signed(char *buf, size_t n, int64_t bytes);
/* Interval ladder label: "10ms", "250ms", "1s", "2.5s", "1m", "1h" (and "90s", "1.25s" off the
 * ladder: no trailing zeros). Returns buf. */
char *mw__format_interval(char *buf, size_t n, uint64_t ms);
/* Elapsed clock: "00:03:12", "27:45:09" (hours grow past 99). Negative counts as 0. Returns buf. */
char *mw__format_clock(char *buf, size_t n, int64_t ns);
/* A time span for an axis, truncated to two units: "800ms", "45s", "12m", "12m5s", "3h20m",
 * "2d4h". Negative counts as 0. Returns buf. */
char *mw__format_span(char *buf, size_t n, int64_t ns);
/* A fit's R²: "R² 0.97"; a flat series (zero variance, R² undefined) "R² —"; ascii "R^2 -".
 * Returns buf. */
char *mw__format_r2(char *buf, size_t n, double r2, bool flat, bool ascii);

/* Text that came from another process (its name, its command line, a replayed file's marks) made
 * safe to print on a terminal: any process may name itself with bytes a terminal obeys (ESC ] 0;
 * sets the window title, U+009B starts a control sequence in a UTF-8 terminal). Mapping:
 *   ESC                                   -> \e
 *   other C0 controls (incl. tab, newline), DEL -> \xHH (\x07, \x0a, \x7f)
 *   C1 controls U+0080..U+009F (UTF-8 C2 80..C2 9F) and the bidirectional overrides and
 *   isolates U+202A..U+202E, U+2066..U+2069 (they reorder what follows) -> \uHHHH (\u009b)
 *   each byte of invalid UTF-8 (stray, overlong, surrogate, cut short, > U+10FFFF) -> \xHH
 * Everything else, a backslash included, is copied as it is: the result is for reading, not for
 * decoding. Cut to fit n (always NUL-terminated) at a whole character or escape. in NULL counts as
 * "". Returns out. */
char *mw__safe_text(char *out, size_t n, const char *in);

#endif
