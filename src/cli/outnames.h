/* SPDX-License-Identifier: MIT */
/* outnames.h — refuse at start two outputs (-o, --log, --summary-json, --prom-textfile, --plot) naming one file. */
#ifndef APP_OUTNAMES_H
#define APP_OUTNAMES_H

#include "app.h"

/* -1 when every output names its own file; else one line on stderr and APP_EXIT_USAGE. Only
 * words: nothing is created or opened, so it runs before anything is launched. */
int app_outputs_distinct(const app_options *o);

#endif
