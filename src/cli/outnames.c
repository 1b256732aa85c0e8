/* SPDX-License-Identifier: MIT */
/* outnames.c — refuse at start two outputs (-o, --log, --summary-json, --prom-textfile, --plot) naming one file. */
#include "config.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "outnames.h"

typedef struct out_name {
    const char *opt;  /* the option, for the message */
    const char *path; /* NULL: not asked for, or not a file (standard output) */
} out_name;

/* Whether a and b name one file: the same directory (by dev/ino, so "x", "./x" and "d/../x"
 * agree) and the same last component. A directory that cannot be looked at is compared by its
 * spelling; creating the file fails on it later anyway, with its own message. */
static bool same_file(const char *a, const char *b)
{
    char da[PATH_MAX], db[PATH_MAX], ba[PATH_MAX], bb[PATH_MAX];
    if (strlen(a) >= PATH_MAX || strlen(b) >= PATH_MAX)
        return strcmp(a, b) == 0;
    /* dirname() and basename() may write into their argument: each gets its own copy. */
    strcpy(da, a);
    strcpy(db, b);
    strcpy(ba, a);
    strcpy(bb, b);
    const char *na = basename(ba), *nb = basename(bb);
    if (strcmp(na, nb) != 0)
        return false;
    const char *pa = dirname(da), *pb = dirname(db);
    struct stat sa, sb;
    if (stat(pa, &sa) != 0 || stat(pb, &sb) != 0)
        return strcmp(pa, pb) == 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int app_outputs_distinct(const app_options *o)
{
    bool json_stdout = o->summary_json && strcmp(o->summary_json, "-") == 0;
    bool log_stdout = o->log_path && strcmp(o->log_path, "-") == 0;
    const out_name n[] = {
        {"-o", app_output_is_stdout(o) ? NULL : o->output},
        {"--log", log_stdout ? NULL : o->log_path},
        {"--summary-json", json_stdout ? NULL : o->summary_json},
        {"--prom-textfile", o->prom_textfile},
        {"--plot", o->plot},
    };
    size_t count = sizeof(n) / sizeof(n[0]);
    for (size_t i = 0; i < count; i++)
        for (size_t j = i + 1; j < count; j++)
            if (n[i].path && n[j].path && same_file(n[i].path, n[j].path)) {
                fprintf(stderr, "memwatch: %s %s and %s %s name the same file: each output needs "
                                "its own (see 'memwatch --help')\n",
                        n[i].opt, n[i].path, n[j].opt, n[j].path);
                return APP_EXIT_USAGE;
            }
    return -1;
}
