/* SPDX-License-Identifier: MIT */
/* test_export.c — the export loop: every format's file is exactly its header, rows and footer, written atomically. */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "export.h"
#include "file_fixtures.h"
#include "memwatch.h"

static char err[1024];

/* n samples, a mark on every tenth (labelled on odd tens), in a ring of cap. */
static void capture_with(mw__capture *c, size_t cap, uint64_t n)
{
    cr_assert_eq(mw__capture_init(c, cap), 0);
    c->pid = 4242;
    c->wall_offset_ns = 1795632001123456000LL;
    for (uint64_t i = 0; i < n; i++) {
        mw__sample s;
        memset(&s, 0, sizeof(s));
        s.t_ns = (int64_t)(i + 1) * 100000000;
        s.rss = 1000000 + i * 4096;
        s.vsz = 9000000 + i;
        s.nprocs = 1;
        mw__capture_add(c, &s);
        if (i % 10 == 0)
            mw__capture_mark(c, i % 20 ? "label, \"quoted\"" : NULL);
    }
}

/* What the format makes of c, record by record, without the export loop: a format with its own
 * export of a run (fmt->run) writes the tiers' buckets first, then the ring's samples. */
static char *expected_text(const mw__export_format *fmt, const mw__capture *c, size_t *len)
{
    size_t nb = mw__tiers_count(&c->tiers);
    size_t cap = (mw__ring_count(&c->ring) + nb + 2) * fmt->record_max, n = 0;
    char *buf = malloc(cap);
    const mw__export_run *run = fmt->run;
    if (run ? run->header != NULL : fmt->header != NULL)
        n += (run ? run->header : fmt->header)(buf + n, cap - n, c);
    static char span[MW__MARKER_CELL];
    for (size_t i = 0; run && i < nb; i++) {
        const mw__bucket *b = mw__tiers_at(&c->tiers, i);
        const char *label = (b->flags & MW_SAMPLE_MARK)
                                ? mw__capture_marker_span(c, b->seq_first, b->seq_end, span,
                                                          sizeof(span))
                                : NULL;
        n += run->bucket(buf + n, cap - n, c, b, label);
    }
    for (uint64_t seq = mw__ring_first(&c->ring); seq < mw__ring_end(&c->ring); seq++) {
        const mw__sample *s = mw__ring_at(&c->ring, seq);
        const char *label = (s->flags & MW_SAMPLE_MARK) ? marker_of(c, seq) : NULL;
        n += (run ? run->row : fmt->row)(buf + n, cap - n, c, s, label);
    }
    if (fmt->footer)
        n += fmt->footer(buf + n, cap - n, c);
    *len = n;
    return buf;
}

/* A new format gets this test for free: a row in the table is enough. */
Test(export, every_format_writes_exactly_its_header_rows_and_footer, .init = mkdir_tmp,
     .fini = rm_tmp)
{
    mw__capture c;
    capture_with(&c, 3000, 5000); /* wrapped, and several buffers long */
    for (size_t i = 0; mw__export_formats[i]; i++) {
        const mw__export_format *fmt = mw__export_formats[i];
        cr_assert(fmt->name && fmt->suffix && fmt->suffix[0] == '.' && fmt->row);
        char name[64];
        snprintf(name, sizeof(name), "out%s", fmt->suffix);
        size_t rows = 0, want_len, got_len;
        cr_assert_eq(mw__export(&c, fmt, in_dir(name), false, &rows, err, sizeof(err)), 0, "%s: %s",
                     fmt->name, err);
        /* the CSV export has 5000 - 3000 samples of the tiers in buckets of 3000 / 64 */
        size_t want_rows = 3000 + (fmt->run ? mw__tiers_count(&c.tiers) : 0);
        cr_assert_eq(rows, want_rows, "%s", fmt->name);
        char *want = expected_text(fmt, &c, &want_len), *got = read_file(in_dir(name), &got_len);
        cr_assert_eq(got_len, want_len, "%s", fmt->name);
        cr_assert(memcmp(got, want, want_len) == 0, "%s: the file differs from its records",
                  fmt->name);
        free(want);
        free(got);
        cr_assert_eq(count_entries(dir), (int)i + 1, "%s left a temporary", fmt->name);
    }
    mw__capture_destroy(&c);
}

/* ---- a test-only format: a footer, no header, and a row that can refuse -------------------- */

static bool refuse_rows;

static size_t fake_row(char *buf, size_t n, const mw__capture *c, const mw__sample *s,
                       const char *marker)
{
    (void)c, (void)marker;
    return refuse_rows ? 0 : (size_t)snprintf(buf, n, "%llu\n", (unsigned long long)s->rss);
}

static size_t fake_footer(char *buf, size_t n, const mw__capture *c)
{
    return (size_t)snprintf(buf, n, "end %zu\n", mw__ring_count(&c->ring));
}

static const mw__export_format fake = {"fake", ".txt", 32, NULL, fake_row, fake_footer, NULL};

Test(export, footer_follows_the_rows_and_a_missing_header_writes_nothing, .init = mkdir_tmp,
     .fini = rm_tmp)
{
    mw__capture c;
    capture_with(&c, 10, 2);
    cr_assert_eq(mw__export(&c, &fake, in_dir("f.txt"), false, NULL, err, sizeof(err)), 0, "%s",
                 err);
    char *got = read_file(in_dir("f.txt"), NULL);
    cr_assert_str_eq(got, "1000000\n1004096\nend 2\n");
    free(got);
    mw__capture_destroy(&c);
}

Test(export, a_row_that_does_not_fit_fails_and_leaves_nothing, .init = mkdir_tmp, .fini = rm_tmp)
{
    mw__capture c;
    capture_with(&c, 10, 2);
    refuse_rows = true;
    size_t rows = 7;
    cr_assert_eq(mw__export(&c, &fake, in_dir("f.txt"), false, &rows, err, sizeof(err)), MW_ESYS);
    cr_assert_eq(rows, 0);
    char want[600];
    snprintf(want, sizeof(want), "cannot export to %s: %s", in_dir("f.txt"), strerror(EINVAL));
    cr_assert_str_eq(err, want);
    cr_assert_eq(count_entries(dir), 0);
    mw__capture_destroy(&c);
}

Test(export, bad_arguments_are_einval_and_named)
{
    mw__capture c;
    capture_with(&c, 10, 2);
    cr_assert_eq(mw__export(&c, &fake, NULL, false, NULL, err, sizeof(err)), MW_EINVAL);
    cr_assert_str_eq(err, "cannot export to (null): Invalid argument");
    cr_assert_eq(mw__export(&c, NULL, "x", false, NULL, err, sizeof(err)), MW_EINVAL);
    cr_assert_eq(mw__export(NULL, &fake, "x", false, NULL, NULL, 0), MW_EINVAL);
    mw__capture_destroy(&c);
}
