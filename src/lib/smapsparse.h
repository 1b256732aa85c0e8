/* SPDX-License-Identifier: MIT */
/* smapsparse.h — "where it went": /proc/PID/smaps parsed into groups (heap, stacks, anon, files), diffed, exported. */
#ifndef MW_SMAPSPARSE_H
#define MW_SMAPSPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "memwatch.h"

/* Pure code (no OS headers; fuzzed by fuzz/fuzz_smaps.c): the parser and the group table live in
 * smapsparse.c, the diff and its CSV in smapsdiff.c; only probe-linux.c reads the real file
 * (mw__probe_smaps). Everything is made for 100,000 mappings: a hashed group table, one sort.
 * Nothing locks: a table or diff belongs to one thread at a time (the dashboard hands them from
 * its worker thread to the main one whole). */

/* What a group is, from the mapping's pathname field. */
typedef enum mw__smaps_kind {
    MW__SMAPS_HEAP = 0, /* "[heap]": the brk heap */
    MW__SMAPS_STACK,    /* "[stack]", "[stack:TID]" (old kernels), glibc's named thread stacks */
    MW__SMAPS_ANON,     /* no pathname: one group per mapping, named by its start address */
    MW__SMAPS_FILE,     /* a path ("/usr/lib/libc.so.6", "/tmp/x (deleted)"): summed over its mappings */
    MW__SMAPS_OTHER,    /* anything else, by name: "[vdso]", "[anon:name]", "[vvar]"... */
    MW__SMAPS_KINDS
} mw__smaps_kind;

/* Lower-case names of the kinds: "heap", "stack", "anon", "file", "other" (the CSV's kind column). */
extern const char *const mw__smaps_kind_names[MW__SMAPS_KINDS];

typedef struct mw__smaps_group {
    uint32_t name;     /* offset of its NUL-terminated name in the table's pool */
    uint8_t kind;      /* mw__smaps_kind */
    uint32_t mappings; /* mappings summed into it */
    uint64_t rss, pss, size; /* bytes (the kernel's kB * 1024), summed; a sum saturates */
    uint64_t start, end;     /* MW__SMAPS_ANON: its one mapping's address range (else 0) */
} mw__smaps_group;

/* The groups of one read of smaps. Zero it (or mw__smaps_table_init) before the first parse;
 * mw__smaps_table_free releases it (and leaves it empty, reusable). */
typedef struct mw__smaps_table {
    mw__smaps_group *g; /* in the order first seen */
    size_t n, cap;
    char *pool;         /* the names, NUL-terminated one after the other */
    size_t pool_len, pool_cap;
    uint32_t *slot;     /* hash slots: index + 1 into g, 0 = empty; a power of two long */
    size_t nslots;
    size_t mappings;    /* mappings read */
    uint64_t rss;       /* RSS of every mapping, summed (saturating) */
    uint64_t exe_dev, exe_ino; /* set by mw__probe_smaps: the program's file (stat of
                                  /proc/PID/exe; both 0 = unknown); the parser leaves them */
} mw__smaps_table;

void mw__smaps_table_init(mw__smaps_table *t);
void mw__smaps_table_free(mw__smaps_table *t);
/* The name of group i. */
const char *mw__smaps_name(const mw__smaps_table *t, size_t i);
/* Index of the group named name, or -1. O(1). */
long mw__smaps_find(const mw__smaps_table *t, const char *name);

/* One mapping's header line, cut into its fields (pointers into the caller's text, not
 * NUL-terminated). path_len 0: no pathname (an anonymous mapping). */
typedef struct mw__smaps_header {
    uint64_t start, end;
    char perms[5];
    const char *path;
    size_t path_len;
} mw__smaps_header;

/* Parse one header line text[0..len) (no '\n'): "start-end perms offset dev inode [path]", the
 * path being everything after the blanks that follow the inode (it may hold spaces). Returns 1
 * for a header, 0 for a line that is not one (a "Key: value" line). Never reads past len. */
int mw__smaps_parse_header(const char *text, size_t len, mw__smaps_header *h);

/* Parse the whole text of /proc/PID/smaps (buf need not be NUL-terminated; nothing at or past
 * buf[len] is read) into t, which is emptied first. Each mapping's Rss, Pss and Size lines (kB)
 * are added to its group (mw__smaps_kind says which). Returns:
 *   0            every mapping complete (the empty text is 0 mappings: the reader decides what
 *                that means);
 *   MW_EINVAL    a torn or foreign text: not ending in '\n', a line before the first header that
 *                is not one, a mapping without an Rss line (a torn last mapping), a wanted key
 *                twice in one mapping, a wanted key without "N kB", a kB count whose bytes do
 *                not fit in 64 bits, or a pathname holding a NUL byte or longer than 8 KiB. t is then empty: a torn read never becomes a wrong table.
 *   MW_ENOMEM    t is empty.
 * Sums (a group's, the table's) saturate at UINT64_MAX. */
int mw__smaps_parse(const char *buf, size_t len, mw__smaps_table *t);

/* ---- the diff (smapsdiff.c) ------------------------------------------------------------------ */

typedef enum mw__smaps_change {
    MW__SMAPS_BOTH = 0, /* in the baseline and now */
    MW__SMAPS_NEW,      /* only now */
    MW__SMAPS_GONE      /* only in the baseline (vanished) */
} mw__smaps_change;

typedef struct mw__smaps_row {
    const char *name;   /* borrowed from the diff's own pool */
    uint8_t kind, change;
    uint64_t rss_then, rss_now; /* 0 where the group was not */
    int64_t growth;     /* rss_now - rss_then, clamped to the int64 range */
    uint64_t pss_now, size_now;
    uint32_t mappings_now;
} mw__smaps_row;

/* Every group of a baseline and of now, sorted by growth, largest first (ties: larger RSS now,
 * then by name), new and vanished groups included. Anonymous groups are matched by overlapping
 * address RANGE, not by name: the kernel merges a new mmap with an adjacent one (the start moves)
 * and splits one on munmap/mprotect, so each set of then and now anon mappings that overlap one
 * another becomes one row (named after its lowest now mapping; then and now RSS summed over the
 * set), and merges and splits net out. Owns its rows and names: the tables may be
 * freed after mw__smaps_diff. Zero it before the first use; mw__smaps_diff_free releases it. */
typedef struct mw__smaps_diff {
    mw__smaps_row *rows;
    size_t n;
    char *pool;
    int64_t total_growth;     /* RSS of every mapping now minus then */
    /* Set by the caller after mw__smaps_diff_make (which empties them), for the CSV: */
    char since[96];           /* what it counts from: "start", "mark 'M3'", "the exec"... */
    int64_t then_ms, now_ms;  /* when the baseline and the current read were made (ms since
                                 watching began; then_ms < 0: no baseline) */
} mw__smaps_diff;

/* Fill d (emptied first) from then and now. 0 or MW_ENOMEM (d empty). O(n log n). */
int mw__smaps_diff_make(const mw__smaps_table *then, const mw__smaps_table *now, mw__smaps_diff *d);
void mw__smaps_diff_free(mw__smaps_diff *d);

/* The CSV of a diff: mw__smaps_csv_header, then one line per row in the diff's order:
 *   group,kind,change,rss_then_bytes,rss_now_bytes,rss_growth_bytes,pss_now_bytes,size_now_bytes,mappings_now,
 *   since,baseline_s,read_s
 * (mw__smaps_csv_row writes up to mappings_now; the export adds the diff's since (quoted like
 * group), then_ms and now_ms as seconds "12.345" (no locale), the same on every row; baseline_s is
 * empty when then_ms < 0).
 * group always quoted (RFC 4180; a name starting with = + - @ ' tab or CR gets a leading ' so a
 * spreadsheet never runs it as a formula); kind: mw__smaps_kind_names; change: "both", "new",
 * "gone". Lines end with "\n". */
extern const char mw__smaps_csv_header[];
/* Format row r into buf[n] with its "\n" (NUL-terminated); the length, or 0 if n is too small
 * (2 * strlen(name) + 256 always suffices). */
size_t mw__smaps_csv_row(char *buf, size_t n, const mw__smaps_row *r);
/* Write d as CSV to path through the atomic-file module: a new file appears whole or not at all,
 * and an existing file is never replaced (MW_EALREADY). err gets "cannot export to PATH: CAUSE".
 * Errors: MW_EALREADY, MW_EINVAL, MW_ENOMEM, MW_ESYS. */
int mw__smaps_diff_export(const mw__smaps_diff *d, const char *path, char *err, size_t errlen);

#endif
