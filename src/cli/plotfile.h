/* SPDX-License-Identifier: MIT */
/* plotfile.h — --plot FILE.svg: the file made at start, the picture written at the end or from a replay. */
#ifndef APP_PLOTFILE_H
#define APP_PLOTFILE_H

#include "app.h"
#include "compare.h"

/* At start, before anything is launched: make the file (a temporary beside it, O_EXCL,
 * no-follow; an existing path is refused), like -o. *out is NULL when --plot is not given.
 * Prints one line and returns the exit status (2) on failure; 0 on success. */
int app_plot_open(const app_options *o, app_plot_out **out);
/* Throw it away: nothing is left at the path. NULL is a no-op. */
void app_plot_discard(app_plot_out *f);
/* At the end of a live run: draw s's capture into s->plot and commit it (freed, NULL after).
 * Prints one line and returns -1 on failure; 0 on success (or without --plot). */
int app_plot_finish(app_session *s);
/* memwatch --replay FILE --plot OUT: draw the loaded capture c (and --compare's k, or NULL;
 * run_replay checked that both have a --compare-at mark) into f and commit it (f is freed);
 * no terminal. Returns the exit status (1 when it cannot be written, said in one line). */
int app_plot_replayed(app_plot_out *f, const app_options *o, const mw__capture *c,
                      const app_compare *k);

#endif
