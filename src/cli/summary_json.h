/* SPDX-License-Identifier: MIT */
/* summary_json.h — --summary-json: the run's figures as a versioned JSON document for scripts. */
#ifndef APP_SUMMARY_JSON_H
#define APP_SUMMARY_JSON_H

#include <stdbool.h>

#include "app.h"
#include "gates.h"
#include "jsonw.h"

#define APP_SUMMARY_SCHEMA 1

/* --summary-json -: the document goes to standard output. */
bool app_summary_json_to_stdout(const app_options *o);
/* At start, before anything is launched: make the file (a temporary beside it, O_EXCL,
 * no-follow; an existing path is refused), like -o. *out is NULL when the option is not given.
 * Prints one line and returns the exit status (2) on failure; 0 on success. */
int app_summary_json_open(const app_options *o, app_summary_out **out);
/* Throw it away: nothing is left at the path. NULL is a no-op. */
void app_summary_json_discard(app_summary_out *f);
/* Build the document of the finished run s (how it ended, its gates, its exit status). */
void app_summary_json_build(app_json *j, const app_session *s, const app_run_end *how,
                            const app_gates *g, int status);
/* At the end: build, write and commit s->summary (freed, NULL after). Prints one line and
 * returns -1 on failure; 0 on success. */
int app_summary_json_finish(app_session *s, const app_run_end *how, const app_gates *g,
                            int status);

#endif
