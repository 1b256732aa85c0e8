/* SPDX-License-Identifier: MIT */
/* loadcsv.h — a saved capture (CSV) loaded for --replay or --compare, its refusals said in one line. */
#ifndef APP_LOADCSV_H
#define APP_LOADCSV_H

#include "capture.h"

/* Initialise cap (history samples) and load path into it, for opt: "--replay" or "--compare"
 * (which the refusals are worded for). A JSON Lines file, a file the
 * reader refuses, and one with no complete row are refused in one line on stderr: returns 2
 * (cap destroyed); out of memory returns 1. A torn last line is said and the rows before it kept.
 * Returns 0 with cap holding at least one sample. */
int app_capture_load(const char *path, size_t history, const char *opt, mw__capture *cap);

#endif
