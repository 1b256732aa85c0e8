/* SPDX-License-Identifier: MIT */
/* fields.h — the one table of per-sample memory fields; every per-field list is generated from it. */
#ifndef MW_FIELDS_H
#define MW_FIELDS_H

#include <stdint.h>
#include "memwatch.h"

/* Why one table: the fields used to be listed in ~9 places (conversions, tree sum, CSV in and
 * out, the "now" row), and one of those lists forgot VmPeak while keeping its MW_HAVE_* bit.
 * Adding a field is now: its member and MW_HAVE_* bit in memwatch.h, a row here, the probe
 * that reads it, and tests.
 *
 * MW__FIELDS(X) calls X(ID, stats, sample, store, have, csv, label, unit, tree) once per field,
 * in CSV column order and "now" row order:
 *   ID     the field's id: MW__FIELD_<ID>
 *   stats  its mw_stats member (public, bytes)
 *   sample its mw__sample member
 *   store  how the sample keeps it: B64 bytes in a uint64_t (exact; any size that can pass
 *          4 TiB, as virtual sizes do under ASan or with big reservations), or K32 KiB in a
 *          uint32_t (rounded up, saturating at 4 TiB; exact for Linux, which reports kB and
 *          charges cgroups by the page), or L32: a limit, K32 whose top value is "no limit"
 *          (MW_CG_UNLIMITED; a limit of 4 TiB or more is kept as just under 4 TiB)
 *   have   its MW_HAVE_* bit, or 0 when every probe always knows it (it is then always written
 *          and required on read; a field with a bit is an empty CSV cell when unknown)
 *   csv    COL("name") for its CSV column, TAIL("name") for one added after the format's first
 *          version (written after the marker column, so that a reader that takes columns by
 *          position up to marker still works), or NOCOL when not exported (a token, so that the
 *          header can be one string literal). Columns follow the table's order; readers find
 *          columns by name (the first six columns are the format's contract)
 *   label  its name on the dashboard's "now" row, or NULL when not shown there
 *   unit   BYTES (the only unit so far; a count would need its own formatting)
 *   tree   ADD: with children, the tree's value is the sum of its processes' (saturating). For a
 *          peak that is the sum of each process's own peak: an upper bound of the tree's.
 *          PSS: not summed per sample by the probe; the PSS sweep (pss.c) sums smaps_rollup
 *          over the tree on its own cadence and the sampler copies the latest sums in.
 *          KEEP: one figure of the whole tree (its cgroup's, read by the sampler, not the
 *          probe): the tree keeps it as it is.
 * The CG_* rows (issue 18) are the cgroup watched with --cgroup; the sample had room for 8 of
 * the hierarchy's figures (sample.h): shmem (part of file), sock and mapped_file are left out. */
#define MW__FIELDS(X)                                                                                                   \
    X(RSS,      physical_size,      rss,          B64, 0,                 COL("rss_bytes"),        "RSS",    BYTES, ADD) \
    X(VSZ,      virtual_size,       vsz,          B64, 0,                 COL("vsz_bytes"),        "VSZ",    BYTES, ADD) \
    X(SHARED,   shared_size,        shared_kib,   K32, 0,                 COL("shared_bytes"),     "shared", BYTES, ADD) \
    X(ANON,     anon_size,          anon_kib,     K32, MW_HAVE_ANON,      COL("anon_bytes"),       "anon",   BYTES, ADD) \
    X(FILE,     file_size,          file_kib,     K32, MW_HAVE_FILE,      COL("file_bytes"),       "file",   BYTES, ADD) \
    X(SHMEM,    shmem_size,         shmem_kib,    K32, MW_HAVE_SHMEM,     COL("shmem_bytes"),      "shmem",  BYTES, ADD) \
    X(SWAP,     swap_size,          swap_kib,     K32, MW_HAVE_SWAP,      COL("swap_bytes"),       "swap",   BYTES, ADD) \
    X(HWM,      peak_physical_size, hwm,          B64, MW_HAVE_HWM,       COL("hwm_bytes"),        NULL,     BYTES, ADD) \
    X(VPEAK,    peak_virtual_size,  vpeak,        B64, MW_HAVE_VPEAK,     NOCOL,                   NULL,     BYTES, ADD) \
    X(PSS,      pss_size,           pss_kib,      K32, MW_HAVE_PSS,       TAIL("pss_bytes"),       "PSS",    BYTES, ADD) \
    X(PSS_ANON, pss_anon_size,      pss_anon_kib, K32, MW_HAVE_PSS_PARTS, TAIL("pss_anon_bytes"),  NULL,     BYTES, ADD) \
    X(PSS_FILE, pss_file_size,      pss_file_kib, K32, MW_HAVE_PSS_PARTS, TAIL("pss_file_bytes"),  NULL,     BYTES, ADD) \
    X(PSS_SHMEM,pss_shmem_size,     pss_shmem_kib,K32, MW_HAVE_PSS_PARTS, TAIL("pss_shmem_bytes"), NULL,     BYTES, ADD) \
    X(USS,      uss_size,           uss_kib,      K32, MW_HAVE_USS,       TAIL("uss_bytes"),       "USS",    BYTES, ADD) \
    X(SWAP_PSS, swap_pss_size,      swap_pss_kib, K32, MW_HAVE_SWAP_PSS,  TAIL("swap_pss_bytes"),  NULL,     BYTES, ADD) \
    X(CG_CURRENT,cg_current_size,   cg_current_kib,K32,MW_HAVE_CG_CURRENT,TAIL("cg_current_bytes"),NULL,     BYTES, KEEP)\
    X(CG_PEAK,  cg_peak_size,       cg_peak_kib,  K32, MW_HAVE_CG_PEAK,   TAIL("cg_peak_bytes"),   NULL,     BYTES, KEEP)\
    X(CG_LIMIT, cg_limit,           cg_limit_kib, L32, MW_HAVE_CG_LIMIT,  TAIL("cg_limit_bytes"),  NULL,     BYTES, KEEP)\
    X(CG_HIGH,  cg_high,            cg_high_kib,  L32, MW_HAVE_CG_HIGH,   TAIL("cg_high_bytes"),   NULL,     BYTES, KEEP)\
    X(CG_ANON,  cg_anon_size,       cg_anon_kib,  K32, MW_HAVE_CG_ANON,   TAIL("cg_anon_bytes"),   NULL,     BYTES, KEEP)\
    X(CG_FILE,  cg_file_size,       cg_file_kib,  K32, MW_HAVE_CG_FILE,   TAIL("cg_file_bytes"),   NULL,     BYTES, KEEP)\
    X(CG_KERNEL,cg_kernel_size,     cg_kernel_kib,K32, MW_HAVE_CG_KERNEL, TAIL("cg_kernel_bytes"), NULL,     BYTES, KEEP)\
    X(CG_SWAP,  cg_swap_size,       cg_swap_kib,  K32, MW_HAVE_CG_SWAP,   TAIL("cg_swap_bytes"),   NULL,     BYTES, KEEP)

/* Which value of a sample a statistic, a chart or a column looks at. */
typedef enum mw__field {
#define MW__X_ENUM(ID, ...) MW__FIELD_##ID,
    MW__FIELDS(MW__X_ENUM)
#undef MW__X_ENUM
    MW__FIELD_COUNT
} mw__field;

typedef enum mw__unit { MW__UNIT_BYTES } mw__unit;
typedef enum mw__tree { MW__TREE_ADD, MW__TREE_KEEP } mw__tree;

/* A row of the table as data, for code that loops over fields (CSV columns, the "now" row). */
typedef struct mw__field_info {
    const char *name;  /* the ID: "RSS", "VPEAK" */
    unsigned have;     /* MW_HAVE_* bit, 0 = always known */
    const char *csv;   /* column name, NULL = not exported */
    int tail;          /* the column comes after marker (TAIL) */
    const char *label; /* "now" row label, NULL = not shown */
    mw__unit unit;
    mw__tree tree;
} mw__field_info;

extern const mw__field_info mw__fields[MW__FIELD_COUNT];

/* Whether field f of a sample with these MW_HAVE_* bits is known. */
static inline int mw__field_known(mw__field f, unsigned valid)
{
    return mw__fields[f].have == 0 || (valid & mw__fields[f].have) != 0;
}

#endif
