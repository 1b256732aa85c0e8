/* SPDX-License-Identifier: MIT */
/* test_csv.c — the capture CSV: row format, quoting, atomic export and its failures, the -o stream, the strict reader. */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "file_fixtures.h"

/* ---- helpers -------------------------------------------------------------------------------- */

/* 2026-11-25T18:40:01.123456Z is the wall clock of the first sample, at monotonic 5.000000777 s. */
#define T0_NS 5000000777LL
#define WALL0_NS 1795632001123456000LL

static mw__sample sample_n(uint64_t i)
{
    mw__sample s;
    memset(&s, 0, sizeof(s));
    s.t_ns = T0_NS + (int64_t)i * 250000000 + (int64_t)(i % 3) * 333333;
    s.rss = 10000000 + i * 4096 + i;
    s.vsz = 900000000 + i * 65536;
    s.hwm = 20000000 + i * 8192;
    s.shared_kib = (uint32_t)(100 + i);
    s.anon_kib = (uint32_t)(200 + i);
    s.file_kib = (uint32_t)(300 + i);
    s.shmem_kib = (uint32_t)(4 + i % 5);
    s.swap_kib = (uint32_t)(i % 2);
    s.valid = (i % 4 == 3) ? MW_HAVE_ANON | MW_HAVE_SWAP
                           : MW_HAVE_ANON | MW_HAVE_FILE | MW_HAVE_SHMEM | MW_HAVE_SWAP | MW_HAVE_HWM;
    s.flags = (i % 7 == 0) ? MW_SAMPLE_HWM_ROSE : 0;
    s.nprocs = (uint16_t)(1 + i % 3);
    return s;
}

static void capture_with(mw__capture *c, size_t cap, uint64_t n)
{
    cr_assert_eq(mw__capture_init(c, cap), 0);
    c->pid = 4242;
    c->wall_offset_ns = WALL0_NS - T0_NS;
    for (uint64_t i = 0; i < n; i++) {
        mw__sample s = sample_n(i);
        mw__capture_add(c, &s);
        if (i == 2) { /* two marks faster than the interval: both kept */
            mw__capture_mark(c, "before, \"test\"");
            mw__capture_mark(c, "a | b");
        }
        if (i == 5)
            mw__capture_mark(c, NULL);
        if (i == 9)
            mw__capture_mark(c, "=HYPERLINK(\"http://x\")");
        if (i == 11) {
            mw__capture_mark(c, "'quoted");
            mw__capture_mark(c, NULL);
        }
    }
}

static char err[1024];


/* ---- format ------------------------------------------------------------------------------- */

Test(csv, header_is_the_documented_contract)
{
    cr_assert_str_eq(mw__csv_header,
                     "timestamp,elapsed_s,pid,rss_bytes,vsz_bytes,shared_bytes,anon_bytes,"
                     "file_bytes,shmem_bytes,swap_bytes,hwm_bytes,nprocs,hwm_rose,marker,"
                     "nprocs_unreadable,pss_bytes,pss_anon_bytes,pss_file_bytes,pss_shmem_bytes,"
                     "uss_bytes,swap_pss_bytes,cg_current_bytes,cg_peak_bytes,cg_limit_bytes,"
                     "cg_high_bytes,cg_anon_bytes,cg_file_bytes,cg_kernel_bytes,cg_swap_bytes");
}

Test(csv, later_columns_follow_marker_with_the_unreadable_count_and_pss)
{
    mw__capture c;
    capture_with(&c, 8, 1);
    mw__sample s = sample_n(0);
    s.valid |= MW_HAVE_PSS | MW_HAVE_USS; /* no parts, no SwapPss: those cells stay empty */
    mw__sample_set_field(&s, MW__FIELD_PSS, 5 << 20);
    mw__sample_set_field(&s, MW__FIELD_USS, 3 << 20);
    mw__sample_set_field(&s, MW__FIELD_PSS_ANON, 1 << 20); /* unknown: not written */
    s.unreadable = 7;
    s.nprocs = 12;
    char row[1024];
    mw__csv_format_row(row, sizeof(row), &c, &s, "x");
    cr_assert_str_eq(row, "2026-11-25T18:40:01.123Z,0.000,4242,10000000,900000000,102400,"
                          "204800,307200,4096,0,20000000,12,1,\"x\",7,5242880,,,,3145728,,,,,,,,,\n");
    mw__capture_destroy(&c);
}

Test(csv, row_has_utc_millisecond_timestamp_and_truncated_elapsed)
{
    mw__capture c;
    capture_with(&c, 8, 1);
    mw__sample s = sample_n(0);
    s.t_ns = T0_NS + 1234999999; /* 1.234999999 s later */
    char row[1024];
    size_t n = mw__csv_format_row(row, sizeof(row), &c, &s, NULL);
    cr_assert_str_eq(row, "2026-11-25T18:40:02.357Z,1.234,4242,10000000,900000000,102400,"
                          "204800,307200,4096,0,20000000,1,1,,0,,,,,,,,,,,,,,\n");
    cr_assert_eq(n, strlen(row));
    mw__capture_destroy(&c);
}

Test(csv, row_leaves_columns_the_os_did_not_provide_empty)
{
    mw__capture c;
    capture_with(&c, 8, 1);
    mw__sample s = sample_n(0);
    s.valid = 0;
    s.flags = 0;
    char row[1024];
    mw__csv_format_row(row, sizeof(row), &c, &s, NULL);
    cr_assert_str_eq(row, "2026-11-25T18:40:01.123Z,0.000,4242,10000000,900000000,102400,,,,,,1,0,,0,,,,,,,,,,,,,,\n");
    mw__capture_destroy(&c);
}

Test(csv, row_timestamp_crosses_a_leap_day_correctly)
{
    mw__capture c;
    cr_assert_eq(mw__capture_init(&c, 4), 0);
    c.wall_offset_ns = 1709251199999000000LL; /* 2024-02-29T23:59:59.999Z at t = 0 */
    mw__sample s = sample_n(0);
    s.t_ns = 0;
    mw__capture_add(&c, &s);
    char row[1024];
    mw__csv_format_row(row, sizeof(row), &c, &s, NULL);
    cr_assert(strncmp(row, "2024-02-29T23:59:59.999Z,0.000,", 31) == 0, "%s", row);
    s.t_ns = 1000000;
    mw__csv_format_row(row, sizeof(row), &c, &s, NULL);
    cr_assert(strncmp(row, "2024-03-01T00:00:00.000Z,0.001,", 31) == 0, "%s", row);
    mw__capture_destroy(&c);
}

static const char *marker_cell(const char *label, unsigned flags)
{
    static char row[1024];
    mw__capture c;
    capture_with(&c, 4, 1);
    mw__sample s = sample_n(1);
    s.flags = (uint8_t)flags;
    cr_assert_gt(mw__csv_format_row(row, sizeof(row), &c, &s, label), 0);
    mw__capture_destroy(&c);
    char *cell = row;
    for (int i = 0; i < 13; i++)
        cell = strchr(cell, ',') + 1;
    /* The marker cell, then the later columns: the unreadable count, six empty PSS cells and
     * eight empty cgroup ones. */
    static const char tail[] = ",0,,,,,,,,,,,,,,\n";
    size_t n = strlen(cell);
    cr_assert(n >= sizeof(tail) - 1 && strcmp(cell + n - (sizeof(tail) - 1), tail) == 0, "%s", row);
    strcpy(cell + n - (sizeof(tail) - 1), "\n");
    return cell;
}

Test(csv, marker_is_quoted_per_rfc4180)
{
    cr_assert_str_eq(marker_cell("a,b \"c\"", MW_SAMPLE_MARK), "\"a,b \"\"c\"\"\"\n");
    cr_assert_str_eq(marker_cell("line1\nline2", MW_SAMPLE_MARK), "\"line1\nline2\"\n");
    cr_assert_str_eq(marker_cell(NULL, MW_SAMPLE_MARK), "\"\"\n"); /* a mark without label */
    cr_assert_str_eq(marker_cell(NULL, 0), "\n");                  /* no mark */
}

Test(csv, marker_cannot_inject_a_spreadsheet_formula)
{
    cr_assert_str_eq(marker_cell("=1+1", MW_SAMPLE_MARK), "\"'=1+1\"\n");
    cr_assert_str_eq(marker_cell("+cmd", MW_SAMPLE_MARK), "\"'+cmd\"\n");
    cr_assert_str_eq(marker_cell("-2", MW_SAMPLE_MARK), "\"'-2\"\n");
    cr_assert_str_eq(marker_cell("@SUM(A1)", MW_SAMPLE_MARK), "\"'@SUM(A1)\"\n");
    cr_assert_str_eq(marker_cell("\t=x", MW_SAMPLE_MARK), "\"'\t=x\"\n");
    cr_assert_str_eq(marker_cell("\r=x", MW_SAMPLE_MARK), "\"'\r=x\"\n");
    cr_assert_str_eq(marker_cell("'a", MW_SAMPLE_MARK), "\"''a\"\n"); /* so the reader can undo */
    cr_assert_str_eq(marker_cell("a=b", MW_SAMPLE_MARK), "\"a=b\"\n");
}

Test(csv, format_row_refuses_a_small_buffer)
{
    mw__capture c;
    capture_with(&c, 4, 1);
    mw__sample s = sample_n(0);
    char row[64];
    cr_assert_eq(mw__csv_format_row(row, sizeof(row), &c, &s, NULL), 0);
    mw__capture_destroy(&c);
}

/* ---- export and load round trip ----------------------------------------------------------- */

Test(csv, export_then_load_gives_identical_samples_marks_and_timestamps, .init = mkdir_tmp,
     .fini = rm_tmp)
{
    mw__capture a, b;
    capture_with(&a, 64, 40);
    size_t rows = 0;
    cr_assert_eq(mw__csv_export(&a, in_dir("a.csv"), false, &rows, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(rows, 40);
    cr_assert_eq(mw__capture_init(&b, 64), 0);
    cr_assert_eq(mw__csv_load(in_dir("a.csv"), &b, NULL, err, sizeof(err)), 0, "%s", err);

    cr_assert_eq(b.pid, 4242);
    cr_assert_eq(mw__ring_count(&b.ring), 40);
    for (uint64_t i = 0; i < 40; i++) {
        const mw__sample *x = mw__ring_at(&a.ring, i), *y = mw__ring_at(&b.ring, i);
        char ra[1024], rb[1024]; /* same timestamp and elapsed_s text, same everything */
        mw__csv_format_row(ra, sizeof(ra), &a, x, marker_of(&a, i));
        mw__csv_format_row(rb, sizeof(rb), &b, y, marker_of(&b, i));
        cr_assert_str_eq(ra, rb);
        cr_assert_eq((x->t_ns - a.t0_ns) / 1000000, (y->t_ns - b.t0_ns) / 1000000, "row %d", (int)i);
        cr_assert_eq(x->rss, y->rss);
        cr_assert_eq(x->vsz, y->vsz);
        cr_assert_eq(x->shared_kib, y->shared_kib);
        cr_assert_eq(x->valid, y->valid, "row %d", (int)i);
        cr_assert_eq(x->flags, y->flags, "row %d", (int)i);
        cr_assert_eq(x->nprocs, y->nprocs);
        if (x->valid & MW_HAVE_HWM)
            cr_assert_eq(x->hwm, y->hwm);
        if (x->valid & MW_HAVE_ANON)
            cr_assert_eq(x->anon_kib, y->anon_kib);
        if (x->valid & MW_HAVE_FILE)
            cr_assert_eq(x->file_kib, y->file_kib);
        if (x->valid & MW_HAVE_SHMEM)
            cr_assert_eq(x->shmem_kib, y->shmem_kib);
        if (x->valid & MW_HAVE_SWAP)
            cr_assert_eq(x->swap_kib, y->swap_kib);
    }
    cr_assert_eq(b.nmarks, 6, "every mark, however many on one sample, reads back");
    for (size_t i = 0; i < 6; i++) {
        cr_assert_eq(a.marks[i].seq, b.marks[i].seq);
        cr_assert_str_eq(a.marks[i].label, b.marks[i].label);
    }
    /* Exporting the loaded capture reproduces the file byte for byte. */
    cr_assert_eq(mw__csv_export(&b, in_dir("b.csv"), false, &rows, err, sizeof(err)), 0, "%s", err);
    char *fa = read_file(in_dir("a.csv"), NULL), *fb = read_file(in_dir("b.csv"), NULL);
    cr_assert_str_eq(fa, fb);
    cr_assert(strncmp(fa, "timestamp,elapsed_s,", 20) == 0);
    cr_assert(strstr(fa, "\n2026-11-25T18:40:01.123Z,0.000,4242,") != NULL);
    free(fa);
    free(fb);
    mw__capture_destroy(&a);
    mw__capture_destroy(&b);
}

Test(csv, export_creates_mode_0644_under_the_umask, .init = mkdir_tmp, .fini = rm_tmp)
{
    mw__capture a;
    capture_with(&a, 8, 3);
    mode_t old = umask(022);
    cr_assert_eq(mw__csv_export(&a, in_dir("m.csv"), false, NULL, err, sizeof(err)), 0, "%s", err);
    umask(077);
    cr_assert_eq(mw__csv_export(&a, in_dir("p.csv"), false, NULL, err, sizeof(err)), 0, "%s", err);
    umask(old);
    struct stat st;
    cr_assert_eq(stat(in_dir("m.csv"), &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0644);
    cr_assert_eq(stat(in_dir("p.csv"), &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600);
    cr_assert_eq(count_entries(dir), 2);
    mw__capture_destroy(&a);
}

Test(csv, export_of_a_wrapped_ring_writes_its_older_history_merged_first, .init = mkdir_tmp,
     .fini = rm_tmp)
{
    mw__capture a, b;
    capture_with(&a, 10, 25); /* 15 samples behind a ring of 10: tiers of 1-sample buckets */
    size_t rows;
    cr_assert_eq(mw__csv_export(&a, in_dir("w.csv"), false, &rows, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(rows, 25);
    cr_assert_eq(mw__capture_init(&b, 100), 0);
    cr_assert_eq(mw__csv_load(in_dir("w.csv"), &b, NULL, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(mw__ring_count(&b.ring), 10, "the merged rows go to the tiers, not the ring");
    cr_assert_eq(mw__tiers_count(&b.tiers), 15);
    cr_assert_eq(mw__ring_first(&b.ring), 15);
    /* Elapsed time still counts from the capture's first sample. */
    cr_assert_eq(mw__ring_at(&b.ring, 15)->t_ns / 1000000, (sample_n(15).t_ns - T0_NS) / 1000000);
    cr_assert_eq(mw__tiers_at(&b.tiers, 0)->t_first, 0);
    mw__capture_destroy(&a);
    mw__capture_destroy(&b);
}

/* ---- export failures ---------------------------------------------------------------------- */

/* Export a small capture to name (in dir) and expect rc with "cannot export to PATH: cause". */
static void expect_export_error(const char *name, bool overwrite, int rc, const char *cause)
{
    mw__capture a;
    capture_with(&a, 8, 3);
    cr_assert_eq(mw__csv_export(&a, in_dir(name), overwrite, NULL, err, sizeof(err)), rc, "%s", err);
    char want[600];
    snprintf(want, sizeof(want), "cannot export to %s: %s", in_dir(name), cause);
    cr_assert_str_eq(err, want);
    mw__capture_destroy(&a);
}

Test(csv, export_never_silently_replaces_an_existing_file, .init = mkdir_tmp, .fini = rm_tmp)
{
    mw__capture a;
    capture_with(&a, 8, 3);
    write_file(in_dir("x.csv"), "keep me\n", 8);
    expect_export_error("x.csv", false, MW_EALREADY, "File exists");
    char *got = read_file(in_dir("x.csv"), NULL);
    cr_assert_str_eq(got, "keep me\n");
    free(got);
    cr_assert_eq(count_entries(dir), 1);
    /* Asked explicitly: replaced. */
    cr_assert_eq(mw__csv_export(&a, in_dir("x.csv"), true, NULL, err, sizeof(err)), 0, "%s", err);
    got = read_file(in_dir("x.csv"), NULL);
    cr_assert(strncmp(got, "timestamp,", 10) == 0);
    free(got);
    cr_assert_eq(count_entries(dir), 1);
    mw__capture_destroy(&a);
}

Test(csv, export_does_not_follow_a_symlink_planted_at_its_temporary_name, .init = mkdir_tmp,
     .fini = rm_tmp)
{
    mw__capture a;
    capture_with(&a, 8, 3);
    write_file(in_dir("victim"), "precious\n", 9);
    char tmpname[128];
    snprintf(tmpname, sizeof(tmpname), ".out.csv.%ld.000000", (long)getpid()); /* first try */
    cr_assert_eq(symlink(in_dir("victim"), in_dir(tmpname)), 0);
    cr_assert_eq(mw__csv_export(&a, in_dir("out.csv"), false, NULL, err, sizeof(err)), 0, "%s", err);
    char *got = read_file(in_dir("victim"), NULL);
    cr_assert_str_eq(got, "precious\n");
    free(got);
    struct stat st;
    cr_assert_eq(lstat(in_dir(tmpname), &st), 0);
    cr_assert(S_ISLNK(st.st_mode));
    cr_assert_eq(lstat(in_dir("out.csv"), &st), 0);
    cr_assert(S_ISREG(st.st_mode));
    cr_assert_eq(count_entries(dir), 3); /* victim, the planted link, out.csv: no temporary */
    mw__capture_destroy(&a);
}

Test(csv, export_into_a_path_that_is_a_directory_fails_cleanly, .init = mkdir_tmp, .fini = rm_tmp)
{
    cr_assert_eq(mkdir(in_dir("d"), 0755), 0);
    expect_export_error("d", true, MW_EINVAL, "Is a directory");
    cr_assert_eq(count_entries(dir), 1);
    cr_assert_eq(count_entries(in_dir("d")), 0);
}

Test(csv, export_under_a_regular_file_reports_not_a_directory, .init = mkdir_tmp, .fini = rm_tmp)
{
    write_file(in_dir("f"), "x", 1);
    expect_export_error("f/x.csv", false, MW_ESYS, "Not a directory");
    cr_assert_eq(count_entries(dir), 1);
}

Test(csv, export_into_an_unwritable_directory_reports_permission_denied, .init = mkdir_tmp,
     .fini = rm_tmp)
{
    if (geteuid() == 0) {
        rm_tmp(); /* a skipped test does not run .fini */
        cr_skip_test("root bypasses directory permissions");
    }
    cr_assert_eq(mkdir(in_dir("ro"), 0555), 0);
    expect_export_error("ro/x.csv", false, MW_ESYS, "Permission denied");
    cr_assert_eq(count_entries(in_dir("ro")), 0);
}

/* A write that fails half way (the way a full disk does): RLIMIT_FSIZE makes write() fail with
 * EFBIG after 4 KiB, whoever we are; the export must report it and leave nothing behind. */
Test(csv, export_reports_a_failed_write_and_leaves_no_file, .init = mkdir_tmp, .fini = rm_tmp)
{
    mw__capture a;
    capture_with(&a, 2000, 2000);
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit old, rl;
    cr_assert_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
    rl = old;
    rl.rlim_cur = 4096; /* the soft limit only: an unprivileged test can raise it back */
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
    size_t rows = 99;
    cr_assert_eq(mw__csv_export(&a, in_dir("big.csv"), false, &rows, err, sizeof(err)), MW_ESYS);
    char want[600];
    snprintf(want, sizeof(want), "cannot export to %s: File too large", in_dir("big.csv"));
    cr_assert_str_eq(err, want);
    cr_assert_eq(rows, 0);
    cr_assert_eq(count_entries(dir), 0);
    /* The capture is untouched: a later export (room again) works. */
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
    cr_assert_eq(mw__csv_export(&a, in_dir("big.csv"), false, &rows, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(rows, 2000);
    mw__capture_destroy(&a);
}

/* ---- the -o stream -------------------------------------------------------------------------- */

static int stream_rows(mw__csv_stream *st, mw__capture *c, uint64_t from, uint64_t to)
{
    for (uint64_t i = from; i < to; i++) {
        mw__sample s = sample_n(i);
        mw__capture_add(c, &s);
        int rc = mw__csv_stream_write(st, c, &s, NULL, err, sizeof(err));
        if (rc)
            return rc;
    }
    return mw__csv_stream_flush(st, err, sizeof(err));
}

Test(csv, stream_writes_header_then_rows_and_never_appends_to_an_existing_capture,
     .init = mkdir_tmp, .fini = rm_tmp)
{
    mw__capture a, b;
    capture_with(&a, 64, 0);
    mw__csv_stream *st;
    cr_assert_eq(mw__csv_stream_open(in_dir("rec.csv"), &st, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(stream_rows(st, &a, 0, 5), 0, "%s", err);
    cr_assert_eq(mw__csv_stream_rows(st), 5);
    cr_assert_eq(mw__csv_stream_rows_out(st), 5);
    cr_assert_eq(mw__csv_stream_close(st, err, sizeof(err)), 0, "%s", err);
    size_t len1;
    char *before = read_file(in_dir("rec.csv"), &len1);

    /* A second session to the same name is refused, and the file stays as it was. */
    st = (mw__csv_stream *)1;
    cr_assert_eq(mw__csv_stream_open(in_dir("rec.csv"), &st, err, sizeof(err)), MW_EALREADY);
    cr_assert_null(st);
    char want[700];
    snprintf(want, sizeof(want), "cannot record to %s: it exists, and memwatch never appends to "
             "or overwrites a capture; remove it or choose another name", in_dir("rec.csv"));
    cr_assert_str_eq(err, want);
    size_t len2;
    char *after = read_file(in_dir("rec.csv"), &len2);
    cr_assert(len1 == len2 && memcmp(before, after, len1) == 0);
    cr_assert(strncmp(after, mw__csv_header, strlen(mw__csv_header)) == 0);
    free(before);
    free(after);
    cr_assert_eq(mw__capture_init(&b, 64), 0);
    cr_assert_eq(mw__csv_load(in_dir("rec.csv"), &b, NULL, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(mw__ring_count(&b.ring), 5);
    mw__capture_destroy(&a);
    mw__capture_destroy(&b);
}

/* open_refused NAME RC WORDS: opening NAME fails with RC, creates nothing, and err names it. */
static void open_refused(const char *path, int want_rc, const char *words)
{
    mw__csv_stream *st = (mw__csv_stream *)1;
    cr_assert_eq(mw__csv_stream_open(path, &st, err, sizeof(err)), want_rc, "%s: %s", path, err);
    cr_assert_null(st);
    cr_assert(strstr(err, path) && strstr(err, words), "%s", err);
}

Test(csv, stream_refuses_links_and_non_regular_files_without_opening_them, .init = mkdir_tmp,
     .fini = rm_tmp)
{
    alarm(10); /* a watchdog: Criterion 2.4's .timeout leaks under ASan (see test_watcher) */
    write_file(in_dir("notes.txt"), "my notes\n", 9);
    cr_assert_eq(symlink(in_dir("notes.txt"), in_dir("link.csv")), 0);
    open_refused(in_dir("link.csv"), MW_EINVAL, "it is a symbolic link");
    char *got = read_file(in_dir("notes.txt"), NULL);
    cr_assert_str_eq(got, "my notes\n");
    free(got);
    cr_assert_eq(symlink(in_dir("planted.csv"), in_dir("dangling.csv")), 0);
    open_refused(in_dir("dangling.csv"), MW_EINVAL, "it is a symbolic link");
    cr_assert_eq(access(in_dir("planted.csv"), F_OK), -1, "nothing created where the link points");
    /* A FIFO nobody reads: refused at once (opening it would block until a reader came). */
    cr_assert_eq(mkfifo(in_dir("fifo"), 0600), 0);
    open_refused(in_dir("fifo"), MW_EINVAL, "it is a FIFO, not a regular file (for standard "
                                            "output, use -o -)");
    open_refused(dir, MW_EINVAL, "it is a directory, not a regular file");
    if (access("/dev/null", F_OK) == 0)
        open_refused("/dev/null", MW_EINVAL, "it is a character device, not a regular file");
    open_refused(in_dir("notes.txt"), MW_EALREADY, "it exists");
    cr_assert_eq(count_entries(dir), 4); /* notes.txt, the two links, the FIFO: nothing new */
}

Test(csv, stream_discard_removes_only_the_file_it_created, .init = mkdir_tmp, .fini = rm_tmp)
{
    mw__csv_stream *st;
    cr_assert_eq(mw__csv_stream_open(in_dir("a.csv"), &st, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(mw__csv_stream_discard(st), 0);
    cr_assert_eq(count_entries(dir), 0);
    /* Someone else's file put at the name since is theirs: kept. */
    cr_assert_eq(mw__csv_stream_open(in_dir("b.csv"), &st, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(unlink(in_dir("b.csv")), 0);
    write_file(in_dir("b.csv"), "theirs\n", 7);
    cr_assert_eq(mw__csv_stream_discard(st), 0);
    char *got = read_file(in_dir("b.csv"), NULL);
    cr_assert_str_eq(got, "theirs\n");
    free(got);
    cr_assert_eq(mw__csv_stream_discard(NULL), 0);
}

Test(csv, stream_reports_a_full_disk)
{
    int fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        cr_skip_test("no /dev/full");
    mw__capture a;
    capture_with(&a, 64, 0);
    mw__csv_stream *st;
    cr_assert_eq(mw__csv_stream_open_fd(fd, "/dev/full", &st), 0);
    int rc = stream_rows(st, &a, 0, 3), e = errno;
    cr_assert_eq(rc, MW_ESYS);
    cr_assert_eq(e, ENOSPC);
    cr_assert_str_eq(err, "cannot write to /dev/full: No space left on device; the file holds its "
                          "first 0 rows");
    /* Sticky: later writes say the same; the capture keeps every sample. */
    mw__sample s = sample_n(3);
    cr_assert_eq(mw__csv_stream_write(st, &a, &s, NULL, err, sizeof(err)), MW_ESYS);
    cr_assert_eq(mw__ring_count(&a.ring), 3);
    cr_assert_eq(mw__csv_stream_close(st, err, sizeof(err)), MW_ESYS);
    mw__capture_destroy(&a);
}

/* A write cut short by a size limit (the way a full disk cuts it): the message and
 * mw__csv_stream_rows_out say how many complete rows the file holds, and the file replays them
 * with its torn last line named. */
Test(csv, stream_cut_short_says_how_many_rows_the_file_holds, .init = mkdir_tmp, .fini = rm_tmp)
{
    mw__capture a, b;
    capture_with(&a, 256, 0);
    mw__csv_stream *st;
    cr_assert_eq(mw__csv_stream_open(in_dir("cut.csv"), &st, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(stream_rows(st, &a, 0, 10), 0, "%s", err);
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl;
    cr_assert_eq(getrlimit(RLIMIT_FSIZE, &rl), 0);
    rl.rlim_cur = 4096;
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
    cr_assert_eq(stream_rows(st, &a, 10, 200), MW_ESYS);
    uint64_t held = mw__csv_stream_rows_out(st);
    size_t len;
    char *text = read_file(in_dir("cut.csv"), &len);
    cr_assert_eq(len, 4096);
    uint64_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    free(text);
    cr_assert_eq(held, lines - 1, "rows held %llu, complete lines %llu",
                 (unsigned long long)held, (unsigned long long)lines);
    char want[700];
    snprintf(want, sizeof(want), "cannot write to %s: File too large; the file holds its first "
             "%llu rows", in_dir("cut.csv"), (unsigned long long)held);
    cr_assert_str_eq(err, want);
    mw__csv_stream_close(st, err, sizeof(err));
    mw__csv_loaded info = {99, 99};
    cr_assert_eq(mw__capture_init(&b, 256), 0);
    cr_assert_eq(mw__csv_load(in_dir("cut.csv"), &b, &info, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(info.rows, held);
    cr_assert_eq(info.torn_line, held + 2);
    cr_assert_eq(mw__ring_count(&b.ring), held);
    mw__capture_destroy(&a);
    mw__capture_destroy(&b);
}

Test(csv, stream_notices_the_file_vanishing_or_being_replaced, .init = mkdir_tmp, .fini = rm_tmp)
{
    mw__capture a;
    capture_with(&a, 64, 0);
    mw__csv_stream *st;
    cr_assert_eq(mw__csv_stream_open(in_dir("gone.csv"), &st, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(stream_rows(st, &a, 0, 2), 0, "%s", err);
    cr_assert_eq(unlink(in_dir("gone.csv")), 0);
    cr_assert_eq(stream_rows(st, &a, 2, 4), MW_ESYS);
    cr_assert(strstr(err, "deleted") != NULL, "%s", err);
    mw__csv_stream_close(st, err, sizeof(err));

    cr_assert_eq(mw__csv_stream_open(in_dir("moved.csv"), &st, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(link(in_dir("moved.csv"), in_dir("kept")), 0); /* the old file lives on */
    write_file(in_dir("other"), "x\n", 2);
    cr_assert_eq(rename(in_dir("other"), in_dir("moved.csv")), 0);
    cr_assert_eq(stream_rows(st, &a, 4, 5), MW_ESYS);
    cr_assert(strstr(err, "replaced") != NULL, "%s", err);
    mw__csv_stream_close(st, err, sizeof(err));
    mw__capture_destroy(&a);
}

/* ---- reading: what is accepted ------------------------------------------------------------ */

#define HDR "timestamp,elapsed_s,pid,rss_bytes,vsz_bytes,shared_bytes"

static int load_text(const char *text, mw__capture *c)
{
    return mw__csv_load_mem(text, strlen(text), "t.csv", c, err, sizeof(err));
}

Test(csv, reader_takes_the_six_contract_columns_alone)
{
    mw__capture c;
    cr_assert_eq(mw__capture_init(&c, 8), 0);
    cr_assert_eq(load_text(HDR "\n2026-01-01T00:00:00.000Z,0.000,7,100,200,4096\n"
                                "2026-01-01T00:00:01.500Z,1.5,7,110,200,0", &c), 0, "%s", err);
    cr_assert_eq(mw__ring_count(&c.ring), 2);
    cr_assert_eq(c.pid, 7);
    cr_assert_eq(mw__ring_at(&c.ring, 1)->t_ns, 1500000000);
    cr_assert_eq(mw__ring_at(&c.ring, 0)->shared_kib, 4);
    cr_assert_eq(mw__ring_at(&c.ring, 0)->valid, 0);
    cr_assert_eq(mw__ring_at(&c.ring, 0)->nprocs, 1);
    mw__capture_destroy(&c);
}

Test(csv, reader_maps_extra_columns_by_name_and_ignores_unknown_ones)
{
    mw__capture c;
    cr_assert_eq(mw__capture_init(&c, 8), 0);
    cr_assert_eq(load_text(HDR ",future,marker,hwm_bytes,hwm_rose,nprocs,anon_bytes\r\n"
                               "2026-01-01T00:00:00.000Z,0.000,7,100,200,0,\"x,y\",\"a, \"\"b\"\"\","
                               "5000,1,3,2048\r\n", &c), 0, "%s", err);
    const mw__sample *s = mw__ring_at(&c.ring, 0);
    cr_assert_eq(s->hwm, 5000);
    cr_assert_eq(s->anon_kib, 2);
    cr_assert_eq(s->nprocs, 3);
    cr_assert_eq(s->valid, MW_HAVE_HWM | MW_HAVE_ANON);
    cr_assert_eq(s->flags, MW_SAMPLE_HWM_ROSE | MW_SAMPLE_MARK);
    cr_assert_str_eq(marker_of(&c, 0), "a, \"b\"");
    mw__capture_destroy(&c);
}

Test(csv, reader_counts_lines_inside_quoted_fields_for_messages)
{
    mw__capture c;
    cr_assert_eq(mw__capture_init(&c, 8), 0);
    cr_assert_eq(load_text(HDR ",marker\n"
                               "2026-01-01T00:00:00.000Z,0.000,7,100,200,0,\"two\nlines\"\n"
                               "2026-01-01T00:00:01.000Z,1.000,7,1x0,200,0,\n", &c), MW_EINVAL);
    cr_assert_str_eq(err, "t.csv:4: bad rss_bytes '1x0'");
    cr_assert_str_eq(marker_of(&c, 0), "two lines"); /* control chars -> space */
    mw__capture_destroy(&c);
}

Test(csv, reader_accepts_a_byte_order_mark_and_a_header_only_file)
{
    mw__capture c;
    cr_assert_eq(mw__capture_init(&c, 8), 0);
    cr_assert_eq(load_text("\xef\xbb\xbf" HDR "\n", &c), 0, "%s", err);
    cr_assert_eq(mw__ring_count(&c.ring), 0);
    mw__capture_destroy(&c);
}

/* ---- reading: a torn last line (a capture cut by a full disk or a kill) ------------------------ */

#define ROW1 "2026-01-01T00:00:00.000Z,0.000,7,100,200,4096"
#define ROW2 "2026-01-01T00:00:01.000Z,1.000,7,110,200,4096"

Test(csv, reader_leaves_out_a_torn_last_line_and_keeps_every_complete_row)
{
    static const char *const torn[] = {
        HDR "\n" ROW1 "\n" ROW2 "\n2026-01-01T00:00:02.0",          /* too few fields */
        HDR "\n" ROW1 "\n" ROW2 "\n2026-01-01T00:00:02.000Z,2.000,7,1", /* too few fields */
        HDR "\n" ROW1 "\n" ROW2 "\n2026-01-01T00:00:02.000Z,2.000,7,1,2,", /* a cut last cell */
        HDR ",marker\n" ROW1 ",\n" ROW2 ",\"lap\"\n" ROW2 ",\"step 2",   /* inside a quote */
        HDR ",marker\n" ROW1 ",\n" ROW2 ",\"lap\"\n" ROW2 ",\"",         /* just opened */
    };
    for (size_t i = 0; i < sizeof(torn) / sizeof(torn[0]); i++) {
        mw__capture c;
        cr_assert_eq(mw__capture_init(&c, 8), 0);
        cr_expect_eq(load_text(torn[i], &c), 0, "case %zu: %s", i, err);
        cr_expect_eq(mw__ring_count(&c.ring), 2, "case %zu", i);
        cr_expect_eq(mw__ring_at(&c.ring, 1)->rss, 110, "case %zu", i);
        mw__capture_destroy(&c);
    }
}

Test(csv, reader_keeps_a_complete_last_row_without_its_newline)
{
    mw__capture c;
    cr_assert_eq(mw__capture_init(&c, 8), 0);
    cr_assert_eq(load_text(HDR ",marker\n" ROW1 ",\n" ROW2 ",\"end\"", &c), 0, "%s", err);
    cr_assert_eq(mw__ring_count(&c.ring), 2);
    char cell[MW__MARKER_CELL];
    cr_assert_str_eq(mw__capture_marker(&c, 1, cell, sizeof(cell)), "end");
    mw__capture_destroy(&c);
}

Test(csv, reader_still_refuses_a_torn_line_that_is_not_the_last)
{
    static const struct bad_torn {
        const char *text, *msg;
    } cases[] = {
        /* What the old append path made of a torn tail: a newline, then more rows. */
        {HDR "\n" ROW1 "\n2026-01-01T00:00:02.0\n" ROW2 "\n", "t.csv:3: expected 6 fields, found 1"},
        {HDR "\n" ROW1 "\n2026-01-01T00:00:01.000Z,1.000,7\n", "t.csv:3: expected 6 fields, found 3"},
        {HDR ",marker\n" ROW1 ",\"two\nlines", "t.csv:2: unterminated quoted field"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        mw__capture c;
        cr_assert_eq(mw__capture_init(&c, 8), 0);
        cr_expect_eq(load_text(cases[i].text, &c), MW_EINVAL, "case %zu", i);
        cr_expect_str_eq(err, cases[i].msg, "case %zu", i);
        mw__capture_destroy(&c);
    }
}

Test(csv, reader_names_the_torn_line_of_a_file, .init = mkdir_tmp, .fini = rm_tmp)
{
    const char *text = HDR "\n" ROW1 "\n" ROW2 "\n2026-01-01T00:00:02.000Z,2.0";
    write_file(in_dir("run.csv"), text, strlen(text));
    mw__capture c;
    cr_assert_eq(mw__capture_init(&c, 8), 0);
    mw__csv_loaded info = {99, 99};
    cr_assert_eq(mw__csv_load(in_dir("run.csv"), &c, &info, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(info.rows, 2);
    cr_assert_eq(info.torn_line, 4);
    cr_assert_str_eq(err, "");
    write_file(in_dir("whole.csv"), text, strlen(text) - 29);
    cr_assert_eq(mw__csv_load(in_dir("whole.csv"), &c, &info, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(info.rows, 2);
    cr_assert_eq(info.torn_line, 0);
    mw__capture_destroy(&c);
}

/* ---- reading: what is refused, each with FILE[:LINE]: reason --------------------------------- */

static const struct bad_case {
    const char *text;
    size_t len;
    const char *msg;
} bad_cases[] = {
#define BAD(text, msg) {text, sizeof(text) - 1, msg}
    BAD("", "t.csv: empty file"),
    BAD("\x7f" "ELF\x02\x01\x01\x00\x00\x00", "t.csv:1: not a text CSV file (NUL byte)"),
    BAD("time,rss\n1,2\n", "t.csv:1: not a memwatch capture: the header must begin with "
                        "timestamp,elapsed_s,pid,rss_bytes,vsz_bytes,shared_bytes"),
    BAD("elapsed_s,timestamp,pid,rss_bytes,vsz_bytes,shared_bytes\n",
     "t.csv:1: not a memwatch capture: the header must begin with "
     "timestamp,elapsed_s,pid,rss_bytes,vsz_bytes,shared_bytes"),
    BAD(HDR ",marker,marker\n", "t.csv:1: duplicate column marker"),
    BAD(HDR "\n2026-01-01T00:00:00.000Z,0.000,7,100,200\n", "t.csv:2: expected 6 fields, found 5"),
    BAD(HDR "\n2026-01-01T00:00:00.000Z,0.000,7,100,200,0\n2026-01-01T00:00:00.000Z,0.000,7,-1,200,0\n",
     "t.csv:3: bad rss_bytes '-1'"),
    BAD(HDR "\n2026-01-01T00:00:00.000Z,0.000,7,18446744073709551616,200,0\n",
     "t.csv:2: bad rss_bytes '18446744073709551616'"),
    BAD(HDR "\n2026-01-01T00:00:00.000Z,0.000,7, 100,200,0\n", "t.csv:2: bad rss_bytes ' 100'"),
    BAD(HDR "\n2026-01-01T00:00:00.000Z,0.000,7,100,,0\n", "t.csv:2: bad vsz_bytes ''"),
    BAD(HDR "\n2026-02-30T00:00:00.000Z,0.000,7,100,200,0\n",
     "t.csv:2: bad timestamp '2026-02-30T00:00:00.000Z'"),
    BAD(HDR "\n2026-01-01 00:00:00,0.000,7,100,200,0\n", "t.csv:2: bad timestamp '2026-01-01 00:00:00'"),
    BAD(HDR "\n2026-01-01T00:00:00.000Z,1e3,7,100,200,0\n", "t.csv:2: bad elapsed_s '1e3'"),
    BAD(HDR "\n2026-01-01T00:00:00.000Z,0.000,99999999999,100,200,0\n", "t.csv:2: bad pid '99999999999'"),
    BAD(HDR "\n2026-01-01T00:00:02.000Z,2.000,7,100,200,0\n2026-01-01T00:00:01.000Z,1.000,7,100,200,0\n",
     "t.csv:3: elapsed_s goes backwards (1.000 is before the previous row)"),
    BAD(HDR ",hwm_rose\n2026-01-01T00:00:00.000Z,0.000,7,100,200,0,yes\n", "t.csv:2: bad hwm_rose 'yes'"),
    BAD(HDR ",marker\n2026-01-01T00:00:00.000Z,0.000,7,100,200,0,\"open\n",
     "t.csv:2: unterminated quoted field"),
    BAD(HDR ",marker\n2026-01-01T00:00:00.000Z,0.000,7,100,200,0,\"a\"b\n",
     "t.csv:2: unexpected text after a closing quote"),
    BAD(HDR ",marker\n2026-01-01T00:00:00.000Z,0.000,7,100,200,0,a\"b\n",
     "t.csv:2: a quote inside an unquoted field"),
    BAD(HDR "\n2026-01-01T00:00:00.000Z,0.000,7,100,200,0\n2026-01-01T00:00:01.000Z,1.000,7,1\0000,200,0\n",
     "t.csv:3: not a text CSV file (NUL byte)"),
#undef BAD
};

Test(csv, reader_refuses_each_bad_input_with_file_line_and_reason)
{
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        mw__capture c;
        cr_assert_eq(mw__capture_init(&c, 8), 0);
        err[0] = '\0';
        cr_expect_eq(mw__csv_load_mem(bad_cases[i].text, bad_cases[i].len, "t.csv", &c, err,
                                      sizeof(err)), MW_EINVAL, "case %zu: %s", i, err);
        cr_expect_str_eq(err, bad_cases[i].msg, "case %zu", i);
        mw__capture_destroy(&c);
    }
}

Test(csv, reader_refuses_a_missing_file_a_directory_and_an_empty_file, .init = mkdir_tmp,
     .fini = rm_tmp)
{
    mw__capture c;
    cr_assert_eq(mw__capture_init(&c, 8), 0);
    char want[600];
    cr_assert_eq(mw__csv_load(in_dir("nope.csv"), &c, NULL, err, sizeof(err)), MW_ESYS);
    snprintf(want, sizeof(want), "%s: No such file or directory", in_dir("nope.csv"));
    cr_assert_str_eq(err, want);
    cr_assert_eq(mw__csv_load(dir, &c, NULL, err, sizeof(err)), MW_EINVAL);
    snprintf(want, sizeof(want), "%s: is a directory, not a capture file", dir);
    cr_assert_str_eq(err, want);
    write_file(in_dir("empty.csv"), "", 0);
    cr_assert_eq(mw__csv_load(in_dir("empty.csv"), &c, NULL, err, sizeof(err)), MW_EINVAL);
    snprintf(want, sizeof(want), "%s: empty file", in_dir("empty.csv"));
    cr_assert_str_eq(err, want);
    char bin[4096];
    for (size_t i = 0; i < sizeof(bin); i++)
        bin[i] = (char)(i * 7919 % 251);
    write_file(in_dir("bin"), bin, sizeof(bin));
    cr_assert_eq(mw__csv_load(in_dir("bin"), &c, NULL, err, sizeof(err)), MW_EINVAL);
    snprintf(want, sizeof(want), "%s:1: not a text CSV file (NUL byte)", in_dir("bin"));
    cr_assert_str_eq(err, want);
    mw__capture_destroy(&c);
}

Test(csv, reader_refuses_a_fifo_or_a_device_at_once, .init = mkdir_tmp, .fini = rm_tmp)
{
    alarm(10); /* a watchdog: Criterion 2.4's .timeout leaks under ASan (see test_watcher) */
    mw__capture c;
    cr_assert_eq(mw__capture_init(&c, 8), 0);
    char want[600];
    cr_assert_eq(mkfifo(in_dir("fifo"), 0600), 0); /* nobody writes: opening it would block */
    cr_assert_eq(mw__csv_load(in_dir("fifo"), &c, NULL, err, sizeof(err)), MW_EINVAL);
    snprintf(want, sizeof(want), "%s: is a FIFO, not a capture file", in_dir("fifo"));
    cr_assert_str_eq(err, want);
    if (access("/dev/null", R_OK) == 0) {
        cr_assert_eq(mw__csv_load("/dev/null", &c, NULL, err, sizeof(err)), MW_EINVAL);
        cr_assert_str_eq(err, "/dev/null: is a character device, not a capture file");
    }
    mw__capture_destroy(&c);
}

Test(csv, reader_stops_at_a_line_of_one_mebibyte, .init = mkdir_tmp, .fini = rm_tmp)
{
    size_t big = 1 << 20;
    char *text = malloc(big + 200);
    int n = sprintf(text, HDR ",marker\n2026-01-01T00:00:00.000Z,0.000,7,100,200,0,\n"
                              "2026-01-01T00:00:01.000Z,1.000,7,100,200,0,");
    memset(text + n, 'a', big);
    strcpy(text + n + big, "\n");
    write_file(in_dir("long.csv"), text, strlen(text));
    mw__capture c;
    cr_assert_eq(mw__capture_init(&c, 8), 0);
    cr_assert_eq(mw__csv_load(in_dir("long.csv"), &c, NULL, err, sizeof(err)), MW_EINVAL);
    char want[600];
    snprintf(want, sizeof(want), "%s:3: line too long (more than 65536 bytes)", in_dir("long.csv"));
    cr_assert_str_eq(err, want);
    /* Same from memory, and inside a quoted field. */
    cr_assert_eq(mw__csv_load_mem(text, strlen(text), "m.csv", &c, err, sizeof(err)), MW_EINVAL);
    cr_assert_str_eq(err, "m.csv:3: line too long (more than 65536 bytes)");
    text[n] = '"';
    cr_assert_eq(mw__csv_load_mem(text, strlen(text), "m.csv", &c, err, sizeof(err)), MW_EINVAL);
    cr_assert_str_eq(err, "m.csv:3: line too long (more than 65536 bytes)");
    free(text);
    mw__capture_destroy(&c);
}

Test(csv, reader_loads_a_million_rows_keeping_the_newest, .init = mkdir_tmp, .fini = rm_tmp)
{
    alarm(120); /* a watchdog: Criterion 2.4's .timeout leaks under ASan (see test_watcher) */
    mw__capture a, b;
    capture_with(&a, 4, 0);
    FILE *f = fopen(in_dir("million.csv"), "w");
    cr_assert_not_null(f);
    fprintf(f, "%s\n", mw__csv_header);
    char row[1024];
    for (uint64_t i = 0; i < 1000000; i++) {
        mw__sample s = sample_n(i);
        s.flags = 0;
        mw__capture_add(&a, &s);
        if (i % 100000 == 99999)
            mw__capture_mark(&a, "lap");
        size_t n = mw__csv_format_row(row, sizeof(row), &a, mw__ring_last(&a.ring),
                                      (i % 100000 == 99999) ? "lap" : NULL);
        fwrite(row, 1, n, f);
    }
    cr_assert_eq(fclose(f), 0);
    cr_assert_eq(mw__capture_init(&b, 1000), 0);
    cr_assert_eq(mw__csv_load(in_dir("million.csv"), &b, NULL, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(mw__ring_count(&b.ring), 1000);
    cr_assert_eq(mw__ring_end(&b.ring), 1000000);
    cr_assert_eq(b.all.n, 1000000);
    cr_assert_eq(mw__ring_last(&b.ring)->rss, sample_n(999999).rss);
    cr_assert_eq(mw__ring_at(&b.ring, 999000)->rss, sample_n(999000).rss);
    cr_assert_eq(b.all.peak_rss.rss, sample_n(999999).rss);
    cr_assert_str_eq(mw__capture_last_mark(&b)->label, "lap");
    cr_assert_eq(mw__capture_last_mark(&b)->seq, 999999);
    mw__capture_destroy(&a);
    mw__capture_destroy(&b);
}

Test(csv, timestamp_and_elapsed_parsers_are_strict)
{
    int64_t v;
    cr_assert_eq(mw__csv_parse_timestamp("1970-01-01T00:00:00.000Z", 24, &v), 0);
    cr_assert_eq(v, 0);
    cr_assert_eq(mw__csv_parse_timestamp("2024-02-29T23:59:59.999Z", 24, &v), 0);
    cr_assert_eq(v, 1709251199999LL);
    cr_assert_eq(mw__csv_parse_timestamp("2023-02-29T00:00:00.000Z", 24, &v), MW_EINVAL);
    cr_assert_eq(mw__csv_parse_timestamp("2024-13-01T00:00:00.000Z", 24, &v), MW_EINVAL);
    cr_assert_eq(mw__csv_parse_timestamp("2024-01-01T24:00:00.000Z", 24, &v), MW_EINVAL);
    cr_assert_eq(mw__csv_parse_timestamp("2024-01-01T00:00:00.000", 23, &v), MW_EINVAL);
    cr_assert_eq(mw__csv_parse_elapsed("12.5", 4, &v), 0);
    cr_assert_eq(v, 12500000000LL);
    cr_assert_eq(mw__csv_parse_elapsed("0.000000001", 11, &v), 0);
    cr_assert_eq(v, 1);
    cr_assert_eq(mw__csv_parse_elapsed("1.", 2, &v), MW_EINVAL);
    cr_assert_eq(mw__csv_parse_elapsed(".5", 2, &v), MW_EINVAL);
    cr_assert_eq(mw__csv_parse_elapsed("-1", 2, &v), MW_EINVAL);
    cr_assert_eq(mw__csv_parse_elapsed("9999999999", 10, &v), MW_EINVAL);
}

Test(csv, marks_settled_on_the_last_sample_load_back_whole_and_write_back_the_same, .init = mkdir_tmp,
     .fini = rm_tmp)
{
    /* Recording stops with a full cell on the last sample and a full one waiting for the next. */
    mw__capture a, b;
    capture_with(&a, 8, 1);
    const char *l = "a label of forty-seven bytes, to fill a cell up";
    while (mw__capture_mark_next(&a, l) == 0)
        ;
    mw__sample s = sample_n(1);
    mw__capture_add(&a, &s);
    while (mw__capture_mark_next(&a, l) == 0)
        ;
    mw__capture_settle_marks(&a);
    cr_assert_eq(mw__csv_export(&a, in_dir("a.csv"), false, NULL, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(mw__capture_init(&b, 8), 0);
    cr_assert_eq(mw__csv_load(in_dir("a.csv"), &b, NULL, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(b.nmarks, a.nmarks, "every mark loads back (%zu of %zu)", b.nmarks, a.nmarks);
    cr_assert_eq(mw__csv_export(&b, in_dir("b.csv"), false, NULL, err, sizeof(err)), 0, "%s", err);
    char *fa = read_file(in_dir("a.csv"), NULL), *fb = read_file(in_dir("b.csv"), NULL);
    cr_assert_str_eq(fa, fb, "load -> write is a fixed point");
    free(fa);
    free(fb);
    mw__capture_destroy(&a);

    /* More than memwatch ever writes on one row: an error naming the line, never a silent cut. */
    char text[4096] = HDR ",marker\n" ROW1 ",\"";
    for (int i = 0; i < 45; i++)
        strcat(text, i ? " | " : ""), strcat(text, l);
    strcat(text, "\"\n");
    cr_assert_eq(load_text(text, &b), MW_EINVAL);
    cr_assert_str_eq(err, "t.csv:2: marker: more marks than a row can hold (over 2051 bytes of labels)");
    mw__capture_destroy(&b);
}

Test(csv, unlabelled_marks_are_written_numbered_and_old_empty_cells_load_numbered, .init = mkdir_tmp,
     .fini = rm_tmp)
{
    mw__capture a;
    cr_assert_eq(mw__capture_init(&a, 8), 0);
    mw__sample s = {.t_ns = 0, .rss = 1, .nprocs = 1};
    mw__capture_add(&a, &s);
    mw__capture_mark(&a, NULL);
    mw__capture_mark(&a, "build done");
    mw__capture_mark(&a, "");
    size_t rows = 0;
    cr_assert_eq(mw__csv_export(&a, in_dir("m.csv"), false, &rows, err, sizeof(err)), 0, "%s", err);
    char *text = read_file(in_dir("m.csv"), NULL);
    cr_expect(strstr(text, ",\"M1 | build done | M3\",0,") != NULL, "%s", text);
    free(text);
    mw__capture_destroy(&a);

    /* A file from before numbering: "" is a mark without a label. */
    mw__capture c;
    cr_assert_eq(mw__capture_init(&c, 8), 0);
    cr_assert_eq(load_text(HDR ",marker\n2026-01-01T00:00:00.000Z,0.000,7,100,200,0,\"\"\n"
                               "2026-01-01T00:00:01.000Z,1.000,7,100,200,0,\n"
                               "2026-01-01T00:00:02.000Z,2.000,7,100,200,0,\"x | \"\n", &c), 0, "%s", err);
    cr_expect_str_eq(marker_of(&c, 0), "M1");
    cr_expect_null(marker_of(&c, 1));
    cr_expect_str_eq(marker_of(&c, 2), "x | M3");
    mw__capture_destroy(&c);
}
