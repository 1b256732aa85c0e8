/* SPDX-License-Identifier: MIT */
/* loadcsv.c — a saved capture (CSV) loaded for --replay or --compare, its refusals said in one line. */
#include "config.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "csv.h"
#include "loadcsv.h"

/* A file the CSV reader refused that starts like a JSON object: a -o --format jsonl recording.
 * Only a regular file is opened (a FIFO would block). */
static bool is_json_lines(const char *path)
{
    struct stat st;
    char first = 0;
    int fd = stat(path, &st) == 0 && S_ISREG(st.st_mode) ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    if (fd < 0)
        return false;
    bool json = read(fd, &first, 1) == 1 && first == '{';
    close(fd);
    return json;
}

int app_capture_load(const char *path, size_t history, const char *opt, mw__capture *cap)
{
    bool compare = strcmp(opt, "--compare") == 0;
    const char *what = compare ? "--compare: cannot compare with" : "cannot replay";
    if (mw__capture_init(cap, history) != 0) {
        fprintf(stderr, "memwatch: cannot keep %zu samples in memory: out of memory\n", history);
        return APP_EXIT_RUNTIME;
    }
    char err[1024];
    mw__csv_loaded got;
    if (mw__csv_load(path, cap, &got, err, sizeof(err)) != 0) {
        if (is_json_lines(path))
            fprintf(stderr, "memwatch: %s is JSON Lines; %s reads the CSV format\n", path, opt);
        else
            fprintf(stderr, "memwatch: %s %s\n", what, err);
        mw__capture_destroy(cap);
        return APP_EXIT_USAGE;
    }
    if (mw__ring_count(&cap->ring) == 0) {
        if (mw__tiers_count(&cap->tiers)) /* an export always ends with its newest samples */
            fprintf(stderr, "memwatch: %s %s: it holds merged rows only, no sample at full "
                    "resolution after them\n", what, path);
        else if (got.torn_line)
            fprintf(stderr, "memwatch: %s %s: it holds no complete row (line %llu is cut short)\n",
                    what, path, (unsigned long long)got.torn_line);
        else
            fprintf(stderr, "memwatch: %s %s: it holds no samples\n", what, path);
        mw__capture_destroy(cap);
        return APP_EXIT_USAGE;
    }
    if (got.torn_line) /* what a full disk or a kill leaves: the rows before it are good */
        fprintf(stderr, "memwatch: %s:%llu: the last line is cut short (a capture ended by a full "
                "disk or a kill?): %s the %llu complete rows\n", path,
                (unsigned long long)got.torn_line, compare ? "comparing with" : "replaying",
                (unsigned long long)got.rows);
    return 0;
}
