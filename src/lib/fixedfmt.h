/* SPDX-License-Identifier: MIT */
/* fixedfmt.h — one locale-free fixed-point number formatter for every machine-read file. */
#ifndef MW_FIXEDFMT_H
#define MW_FIXEDFMT_H

#include <stddef.h>

/* Why not printf's %f: it writes the locale's decimal point (a comma in de_DE after the program's
 * setlocale(LC_ALL, "")), which JSON and Prometheus's text format both reject. */

/* Bytes a buffer for mw__fixed_format needs at most. */
#define MW__FIXED_MAX 48

/* v with `decimals` digits after a '.' (clamped to 0..6), rounded half away from zero, no sign on
 * a value that rounds to zero, into buf (n >= MW__FIXED_MAX always holds it). Returns the length
 * written, or 0 and an empty buf if v is not finite (the caller decides what NaN or infinity
 * means in its format) or n is too small. */
size_t mw__fixed_format(char *buf, size_t n, double v, int decimals);

#endif
