/* SPDX-License-Identifier: MIT */
/* file_fixtures.h — test-only helpers for tests that write real files: a fresh directory per test. */
#ifndef MW_FILE_FIXTURES_H
#define MW_FILE_FIXTURES_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capture.h"

/* Each test binary (one process per test under Criterion) gets its own copy of these. */
static char dir[256]; /* a fresh temporary directory per test that needs files */

static inline void mkdir_tmp(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof(dir), "%s/mw-test-files.XXXXXX", t && *t ? t : "/tmp");
    cr_assert_not_null(mkdtemp(dir));
}

static inline int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *f)
{
    (void)st, (void)flag, (void)f;
    return remove(p);
}

static inline void rm_tmp(void)
{
    if (dir[0]) {
        chmod(dir, 0700);
        nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
}

static inline char *in_dir(const char *name)
{
    static char buf[4][512];
    static int k;
    char *p = buf[k++ % 4];
    snprintf(p, 512, "%s/%s", dir, name);
    return p;
}

/* Entries in d (no . and ..): proves no temporary was left behind. */
static inline int count_entries(const char *d)
{
    DIR *dp = opendir(d);
    cr_assert_not_null(dp);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dp)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(dp);
    return n;
}

static inline void write_file(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, n, f), n);
    cr_assert_eq(fclose(f), 0);
}

/* The whole file, NUL-terminated (the caller frees); *len (may be NULL) gets its length. */
static inline char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t r;
    while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap)
            buf = realloc(buf, (cap *= 2) + 1);
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* The marker cell of sample seq (every label on it, joined), or NULL; valid until the next call. */
static inline const char *marker_of(const mw__capture *c, uint64_t seq)
{
    static char b[MW__MARKER_CELL];
    return mw__capture_marker(c, seq, b, sizeof(b));
}

#endif
