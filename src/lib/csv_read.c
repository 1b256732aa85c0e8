/* SPDX-License-Identifier: MIT */
/* csv_read.c — load a capture CSV (export or -o recording) for replay: strict, a torn last line forgiven. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "csv.h"
#include "csv_reader.h"

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

#define READ_CHUNK (256 * 1024)

typedef mw__csv_reader reader;

/* Which column of a row holds what (-1: absent): time and pid, one per field of the table
 * (fields.h; one with no CSV column never matches), then the sample's own columns. */
enum { C_TS, C_EL, C_PID, C_FIELDS, C_NPROCS = C_FIELDS + MW__FIELD_COUNT, C_ROSE, C_MARKER,
       C_UNREADABLE, C_MERGED, C_FIRST_EL = C_MERGED + MW__FIELD_COUNT * MW__CSV_MERGED_PER_FIELD,
       C_SPIKE, C_SAMPLES, C_COUNT };
_Static_assert(16 + (1 + MW__CSV_MERGED_PER_FIELD) * MW__FIELD_COUNT <= MW__CSV_MAX_FIELDS,
               "an export's header must fit the reader's MW__CSV_MAX_FIELDS");
/* A merged column: field f's k-th (first, min, max, mean, sd, min_elapsed_s, max_elapsed_s,
 * known). */
#define C_MERGED_OF(f, k) (C_MERGED + (f) * MW__CSV_MERGED_PER_FIELD + (k))
enum { M_FIRST, M_MIN, M_MAX, M_MEAN, M_SD, M_MIN_EL, M_MAX_EL, M_KNOWN };

/* Column k's name, NULL for a field that is not exported. */
static const char *col_name(int k)
{
    static const char *const lead[] = {"timestamp", "elapsed_s", "pid"};
    static const char *const tail[] = {"nprocs", "hwm_rose", "marker", "nprocs_unreadable"};
    static const char *const run[] = {"first_elapsed_s", "spike_hwm_bytes", "samples"};
    if (k < C_FIELDS)
        return lead[k];
    if (k >= C_FIRST_EL)
        return run[k - C_FIRST_EL];
    if (k >= C_MERGED)
        return mw__csv_merged_cols[(k - C_MERGED) / MW__CSV_MERGED_PER_FIELD]
                                  [(k - C_MERGED) % MW__CSV_MERGED_PER_FIELD];
    return k < C_NPROCS ? mw__fields[k - C_FIELDS].csv : tail[k - C_NPROCS];
}

/* A field every capture has: always known, so always written. */
static bool field_required(int k) { return k >= C_FIELDS && k < C_NPROCS && !mw__fields[k - C_FIELDS].have; }

/* A short printable excerpt of a bad cell for messages. */
static const char *excerpt(char *out, size_t outlen, const char *s, size_t n)
{
    size_t i = 0, max = outlen > 4 ? outlen - 4 : 0;
    for (; i < n && i < max; i++)
        out[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
    if (i < n && outlen >= 4)
        memcpy(out + i, "...", 3), i += 3;
    out[i] = '\0';
    return out;
}

/* ---- rows into the capture --------------------------------------------------------------------- */

static int check_header(reader *r, int col[C_COUNT])
{
    static const char bom[] = "\xef\xbb\xbf";
    if (r->nf && r->flen[0] >= 3 && memcmp(r->f[0], bom, 3) == 0) {
        r->f[0] += 3; /* a spreadsheet's UTF-8 byte order mark */
        r->flen[0] -= 3;
    }
    for (size_t i = 0; i < r->nf; i++)
        for (size_t k = 0; k < r->flen[i]; k++) {
            unsigned char ch = (unsigned char)r->f[i][k];
            if (ch < 0x20 || ch == 0x7f)
                return mw__csv_fail(r, 1, "not a text CSV file");
        }
    for (int k = 0; k < C_COUNT; k++)
        col[k] = -1;
    for (size_t i = 0; i < r->nf; i++) {
        for (int k = 0; k < C_COUNT; k++) {
            const char *name = col_name(k);
            if (!name || strlen(name) != r->flen[i] || memcmp(name, r->f[i], r->flen[i]) != 0)
                continue;
            if (col[k] >= 0)
                return mw__csv_fail(r, 1, "duplicate column %s", name);
            col[k] = (int)i;
        }
    }
    /* The contract of the format: time, pid and the always-known fields lead, in this order
     * ("timestamp,elapsed_s,pid,rss_bytes,vsz_bytes,shared_bytes"). */
    char lead[256] = "";
    int pos = 0;
    bool ok = true;
    for (int k = 0; k < C_NPROCS; k++) {
        if (!col_name(k) || (k >= C_FIELDS && !field_required(k)))
            continue;
        ok = ok && col[k] == pos;
        size_t used = strlen(lead);
        snprintf(lead + used, sizeof(lead) - used, "%s%s", pos++ ? "," : "", col_name(k));
    }
    if (!ok)
        return mw__csv_fail(r, 1, "not a memwatch capture: the header must begin with %s", lead);
    return 0;
}

typedef struct row_state {
    uint64_t rows;
    int64_t prev_el;
    bool full;       /* a full-resolution row was read: no merged row may follow */
} row_state;

/* Column k (a C_* name) at field index i of the row. */
static int bad_field(reader *r, uint64_t line, int k, int i)
{
    char ex[40];
    return mw__csv_fail(r, line, "bad %s '%s'", col_name(k),
                        excerpt(ex, sizeof(ex), r->f[i], r->flen[i]));
}

/* The row's marker cell without the writer's formula guard: false when the row has no mark. */
static bool marker_cell(const reader *r, const int col[C_COUNT], const char **cell, size_t *n)
{
    if (col[C_MARKER] < 0)
        return false;
    size_t i = (size_t)col[C_MARKER];
    if (!r->flen[i] && !r->fquoted[i])
        return false;
    *cell = r->f[i];
    *n = r->flen[i];
    if (*n && (*cell)[0] == '\'') {
        (*cell)++;
        (*n)--;
    }
    return true;
}

/* Marks loaded from a file can be dense (one per row); the capture forgets its oldest one by
 * one past MW__MARKS_MAX, so forget the oldest half at once here to keep loading linear. */
static int add_mark(mw__capture *c, const char *cell, size_t n, bool merged)
{
    if (c->nmarks == MW__MARKS_MAX) {
        size_t drop = MW__MARKS_MAX / 2;
        memmove(c->marks, c->marks + drop, (c->nmarks - drop) * sizeof(*c->marks));
        c->nmarks -= drop;
    }
    /* "a | b": two marks on one sample (a merged row's: on its first) */
    return merged ? mw__capture_mark_cell_merged(c, cell, n) : mw__capture_mark_cell(c, cell, n);
}

/* An optional cell of column k into *v (false: empty or absent), or an error. */
static int opt_u64(reader *r, uint64_t line, const int col[C_COUNT], int k, uint64_t *v, bool *got)
{
    *got = col[k] >= 0 && r->flen[col[k]];
    if (*got && mw__csv_parse_u64(r->f[col[k]], r->flen[col[k]], v))
        return bad_field(r, line, k, col[k]);
    return 0;
}

/* Field f of a merged row (its last value known) into b: every merged cell is required. */
static int merged_field(reader *r, uint64_t line, const int col[C_COUNT], int f, mw__bucket *b)
{
    mw__bucket_field *bf = &b->field[f];
    uint64_t v[M_MIN_EL];
    int64_t t[2];
    for (int k = 0; k <= M_MAX_EL; k++) {
        int kk = C_MERGED_OF(f, k), i = col[kk];
        if (i < 0)
            return mw__csv_fail(r, line, "a merged row needs column %s", col_name(kk));
        int bad = k >= M_MIN_EL ? mw__csv_parse_elapsed(r->f[i], r->flen[i], &t[k - M_MIN_EL])
                                : mw__csv_parse_u64(r->f[i], r->flen[i], &v[k]);
        if (bad)
            return bad_field(r, line, kk, i);
    }
    bf->first = v[M_FIRST];
    bf->min = v[M_MIN];
    bf->max = v[M_MAX];
    bf->min_t = t[0];
    bf->max_t = t[1];
    bool some; /* X_known: empty when every sample of the row knew it */
    int rc = opt_u64(r, line, col, C_MERGED_OF(f, M_KNOWN), &bf->known, &some);
    if (rc == 0 && some && (bf->known == 0 || bf->known > b->seq_end))
        rc = bad_field(r, line, C_MERGED_OF(f, M_KNOWN), col[C_MERGED_OF(f, M_KNOWN)]);
    if (rc)
        return rc;
    bf->known = some ? bf->known : b->seq_end;
    double k = (double)bf->known, sd = (double)v[M_SD];
    bf->sum = (double)v[M_MEAN] * k;
    double dev = bf->sum - k * (double)bf->first;
    bf->sq = k * sd * sd + dev * dev / k; /* squares around first, as the tiers keep them */
    if (bf->min > bf->max || bf->first < bf->min || bf->first > bf->max || bf->last < bf->min ||
        bf->last > bf->max || v[M_MEAN] < bf->min || v[M_MEAN] > bf->max ||
        v[M_SD] > bf->max - bf->min || bf->min_t < b->t_first || bf->min_t > b->t_last ||
        bf->max_t < b->t_first || bf->max_t > b->t_last)
        return mw__csv_fail(r, line, "%s: its first, last and mean must lie within its min .. max, "
                            "its sd within their span, the times of min and max within the row's",
                            mw__fields[f].csv);
    return 0;
}

/* The row's merged cells, if it is a merged row (*merged: first_elapsed_s is there). s holds
 * its usual columns (the last values), el_ns its time; after_full: a full-resolution row came
 * before (merged rows come first). */
static int parse_merged(reader *r, uint64_t line, const int col[C_COUNT], const mw__sample *s,
                        int64_t el_ns, bool after_full, mw__bucket *b, bool *merged)
{
    if (after_full && col[C_FIRST_EL] >= 0 && r->flen[col[C_FIRST_EL]])
        return mw__csv_fail(r, line, "a merged row after full-resolution rows (merged rows come "
                                     "first)");
    uint64_t n = 1, hwm = 0;
    bool got_n, got_hwm;
    int rc = opt_u64(r, line, col, C_SAMPLES, &n, &got_n);
    if (rc == 0 && got_n && n == 0)
        rc = bad_field(r, line, C_SAMPLES, col[C_SAMPLES]);
    if (rc == 0)
        rc = opt_u64(r, line, col, C_SPIKE, &hwm, &got_hwm);
    *merged = col[C_FIRST_EL] >= 0 && r->flen[col[C_FIRST_EL]];
    if (rc || !*merged)
        return rc ? rc : n == 1 ? 0 : mw__csv_fail(r, line, "samples %llu on a row without "
                                                  "first_elapsed_s (a merged row has both)",
                                                  (unsigned long long)n);
    memset(b, 0, sizeof(*b));
    int i = col[C_FIRST_EL];
    if (mw__csv_parse_elapsed(r->f[i], r->flen[i], &b->t_first) || b->t_first > el_ns)
        return bad_field(r, line, C_FIRST_EL, i);
    b->t_last = el_ns;
    b->seq_end = n;
    b->hwm = hwm;
    b->flags = s->flags;
    for (int f = 0; f < MW__FIELD_COUNT; f++) {
        if (!mw__fields[f].csv || !mw__field_known((mw__field)f, s->valid))
            continue;
        b->field[f].last = mw__sample_field(s, (mw__field)f);
        if ((rc = merged_field(r, line, col, f, b)) != 0)
            return rc;
    }
    return 0;
}

/* A merged row's bucket into the capture's tiers, its marks on its first sample. */
static int add_merged(reader *r, uint64_t line, mw__capture *c, mw__bucket *b, const char *cell,
                      size_t cell_n)
{
    if (b->seq_end > UINT64_MAX / 4 - mw__tiers_end(&c->tiers))
        return mw__csv_fail(r, line, "samples: more than a run can hold");
    if (cell && mw__capture_cell_len(c, cell, cell_n) > MW__MARKER_MAX)
        return mw__csv_fail(r, line, "marker: more marks than a merged row holds (over %d bytes "
                                     "of labels)", MW__MARKER_MAX);
    b->flags |= cell ? MW_SAMPLE_MARK : 0;
    int rc = mw__capture_add_bucket(c, b);
    if (rc == MW_EINVAL)
        return mw__csv_fail(r, line, "a merged row after the samples");
    return rc == 0 && cell ? add_mark(c, cell, cell_n, true) : rc;
}

static int add_row(reader *r, uint64_t line, const int col[C_COUNT], mw__capture *c, row_state *rs)
{
    mw__sample s;
    memset(&s, 0, sizeof(s));
    int64_t ts_ms, el_ns;
    uint64_t v;
    if (mw__csv_parse_timestamp(r->f[C_TS], r->flen[C_TS], &ts_ms))
        return bad_field(r, line, C_TS, C_TS);
    if (mw__csv_parse_elapsed(r->f[C_EL], r->flen[C_EL], &el_ns))
        return bad_field(r, line, C_EL, C_EL);
    if (mw__csv_parse_u64(r->f[C_PID], r->flen[C_PID], &v) || v > 0x7fffffff)
        return bad_field(r, line, C_PID, C_PID);
    pid_t pid = (pid_t)v;
    for (int k = C_FIELDS; k < C_NPROCS; k++) {
        int i = col[k];
        /* A required column is there (check_header); an empty optional cell is an unknown. */
        if (i < 0 || (r->flen[i] == 0 && !field_required(k)))
            continue;
        if (mw__csv_parse_u64(r->f[i], r->flen[i], &v))
            return bad_field(r, line, k, i);
        s.valid |= mw__fields[k - C_FIELDS].have;
        mw__sample_set_field(&s, (mw__field)(k - C_FIELDS), v);
    }
    s.nprocs = 1;
    if (col[C_NPROCS] >= 0 && r->flen[col[C_NPROCS]]) {
        if (mw__csv_parse_u64(r->f[col[C_NPROCS]], r->flen[col[C_NPROCS]], &v))
            return bad_field(r, line, C_NPROCS, col[C_NPROCS]);
        s.nprocs = v > UINT16_MAX ? UINT16_MAX : (uint16_t)v;
    }
    if (col[C_UNREADABLE] >= 0 && r->flen[col[C_UNREADABLE]]) {
        if (mw__csv_parse_u64(r->f[col[C_UNREADABLE]], r->flen[col[C_UNREADABLE]], &v))
            return bad_field(r, line, C_UNREADABLE, col[C_UNREADABLE]);
        s.unreadable = v > UINT16_MAX ? UINT16_MAX : (uint16_t)v;
    }
    if (col[C_ROSE] >= 0) {
        size_t i = (size_t)col[C_ROSE];
        if (r->flen[i] == 1 && r->f[i][0] == '1')
            s.flags |= MW_SAMPLE_HWM_ROSE;
        else if (r->flen[i] > 1 || (r->flen[i] == 1 && r->f[i][0] != '0'))
            return bad_field(r, line, C_ROSE, col[C_ROSE]);
    }

    /* Every mark of the cell, or an error: as many as memwatch ever writes on one row. */
    const char *cell = NULL;
    size_t cell_n = 0;
    bool marked = marker_cell(r, col, &cell, &cell_n);
    if (marked && mw__capture_cell_len(c, cell, cell_n) > MW__MARKER_SETTLED_MAX)
        return mw__csv_fail(r, line, "marker: more marks than a row can hold (over %d bytes of "
                                     "labels)", MW__MARKER_SETTLED_MAX);
    mw__bucket b;
    bool merged;
    int rc = parse_merged(r, line, col, &s, el_ns, rs->full, &b, &merged);
    if (rc)
        return rc;
    if (rs->rows && (merged ? b.t_first : el_ns) < rs->prev_el)
        return mw__csv_fail(r, line, "elapsed_s goes backwards (%.*s is before the previous row)",
                    (int)(r->flen[C_EL] > 32 ? 32 : r->flen[C_EL]), r->f[C_EL]);
    if (!rs->rows) {
        /* Times are int64 ns: years 1678..2261 only, and the offset must not overflow. */
        if (ts_ms > INT64_MAX / 1000000 || ts_ms < INT64_MIN / 1000000 ||
            ts_ms * 1000000 < INT64_MIN + el_ns)
            return mw__csv_fail(r, line, "timestamp out of range");
        c->pid = pid;
        c->have_t0 = true;
        c->t0_ns = 0;
        c->wall_offset_ns = ts_ms * 1000000 - el_ns;
    }
    if (el_ns > INT64_MAX - (c->wall_offset_ns > 0 ? c->wall_offset_ns : 0))
        return mw__csv_fail(r, line, "elapsed_s out of range");
    s.t_ns = el_ns;
    rs->prev_el = el_ns;
    rs->rows++;
    if (merged)
        return add_merged(r, line, c, &b, marked ? cell : NULL, cell_n);
    rs->full = true;
    mw__capture_add(c, &s);
    return marked ? add_mark(c, cell, cell_n, false) : 0; /* fits a new sample: only MW_ENOMEM */
}

/* The last line of the file, cut short (no newline, too few fields or a cell cut in two): leave
 * it out and say where it was, as a warning rather than an error. */
static int torn_tail(reader *r, uint64_t line)
{
    if (r->err && r->errlen)
        r->err[0] = '\0';
    r->torn_line = line;
    return 0;
}

/* The rows after the header, until the end or the first error. */
static int load_rows(reader *r, const int col[C_COUNT], size_t ncols, mw__capture *c,
                     row_state *rs)
{
    for (;;) {
        uint64_t line = r->line;
        int rc = mw__csv_next_record(r);
        if (rc == MW__REC_EOF)
            return 0;
        if (rc == MW__REC_TORN)
            return torn_tail(r, line);
        if (rc < 0)
            return rc;
        /* Only the file's last record can end without its newline (parse_record). */
        bool cut = r->p[-1] != '\n';
        if (r->nf == 1 && r->flen[0] == 0 && !r->fquoted[0])
            continue; /* a blank line */
        if (r->nf < ncols && cut)
            return torn_tail(r, line);
        if (r->nf != ncols)
            return mw__csv_fail(r, line, "expected %zu fields, found %zu", ncols, r->nf);
        rc = add_row(r, line, col, c, rs);
        if (rc == MW_EINVAL && cut)
            return torn_tail(r, line);
        if (rc != 0)
            return rc;
    }
}

static int load(reader *r, mw__capture *c, mw__csv_loaded *info)
{
    if (r->err && r->errlen)
        r->err[0] = '\0';
    mw__ring_clear(&c->ring);
    mw__tiers_clear(&c->tiers);
    mw__summary_reset(&c->all);
    c->pid = 0;
    c->command[0] = '\0';
    c->have_t0 = false;
    c->t0_ns = c->wall_offset_ns = 0;
    c->lost = 0;
    c->nmarks = 0;
    c->marks_made = 0;

    int col[C_COUNT], rc;
    row_state rs = {0, 0, false};
    r->line = 1;
    r->torn_line = 0;
    /* The header: the first line, nothing before it. */
    rc = mw__csv_next_record(r);
    if (rc == MW__REC_EOF)
        return mw__csv_fail(r, 0, "empty file");
    if (rc == MW__REC_TORN)
        return mw__csv_fail(r, 1, "unterminated quoted field");
    if (rc < 0)
        return rc;
    if ((rc = check_header(r, col)) != 0)
        return rc;
    rc = load_rows(r, col, r->nf, c, &rs);
    if (rc == 0 && info) {
        info->rows = rs.rows;
        info->torn_line = r->torn_line;
    }
    return rc;
}

int mw__csv_load_mem(const char *data, size_t len, const char *name, mw__capture *c, char *err,
                     size_t errlen)
{
    if (!c || (!data && len))
        return MW_EINVAL;
    reader *r = malloc(sizeof(*r));
    if (!r)
        return MW_ENOMEM;
    r->name = name ? name : "(memory)";
    r->fd = -1;
    r->buf = NULL;
    r->p = data ? data : "";
    r->end = r->p + len;
    r->eof = true;
    r->err = err;
    r->errlen = errlen;
    int rc = load(r, c, NULL);
    free(r);
    return rc;
}

/* Open path for reading, refusing what is not a regular file by kind, before opening it: a FIFO
 * would block until a writer came, and a device or a socket is not a capture. Returns the fd, or
 * -1 with the message set (*rc: MW_ESYS or MW_EINVAL). */
static int open_capture(reader *r, const char *path, int *rc)
{
    struct stat st;
    int fd = -1;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        *rc = mw__csv_fail(r, 0, "is %s, not a capture file", mw__file_kind((unsigned)st.st_mode));
        return -1;
    }
    /* O_NONBLOCK: should a FIFO be swapped in after the check, open() and read() still return. */
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0) {
        int e = errno;
        *rc = MW_ESYS;
        mw__csv_fail(r, 0, "%s", strerror(e));
    } else if (!S_ISREG(st.st_mode)) {
        *rc = mw__csv_fail(r, 0, "is %s, not a capture file", mw__file_kind((unsigned)st.st_mode));
    } else {
        return fd;
    }
    if (fd >= 0)
        close(fd);
    return -1;
}

int mw__csv_load(const char *path, mw__capture *c, mw__csv_loaded *info, char *err, size_t errlen)
{
    if (!c || !path)
        return MW_EINVAL;
    reader *r = malloc(sizeof(*r));
    if (!r)
        return MW_ENOMEM;
    r->name = path;
    r->err = err;
    r->errlen = errlen;
    r->bufcap = MW__CSV_LINE_MAX + 2 + READ_CHUNK;
    r->buf = malloc(r->bufcap);
    int rc = MW_ENOMEM;
    r->fd = r->buf ? open_capture(r, path, &rc) : -1;
    if (r->fd >= 0) {
        r->p = r->end = r->buf;
        r->eof = false;
        rc = load(r, c, info);
        close(r->fd);
    }
    free(r->buf);
    free(r);
    return rc;
}
