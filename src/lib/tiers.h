/* SPDX-License-Identifier: MIT */
/* tiers.h — history older than the full-resolution ring, merged into coarser buckets in bounded memory. */
#ifndef MW_TIERS_H
#define MW_TIERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sample.h"

/* Why: a ring of N samples forgets the start of any run longer than N intervals, and the start
 * is what growth is measured against (issue 19). The tiers keep everything older than the ring:
 * each bucket stands for a run of consecutive samples and keeps, per field of the field table,
 * its min, max, first, last and mean, so a chart column over any stretch of the run still gets
 * its exact min..max (to the bucket's edges), marks and between-sample spikes included.
 *
 * Shape: level 1 holds buckets of `base` raw samples (the one being filled is the open bucket);
 * when a level is full its oldest MW__TIERS_FAN buckets merge into one bucket of the next level.
 * The last level fills its newest bucket up to the level's width (last_width raw samples) and,
 * when full, merges adjacent pairs in place and doubles that width (its buckets stay even), so
 * the bucket count never grows: memory is fixed at init whatever the run's length, and pushing
 * a sample costs O(1) amortised (each bucket is merged a bounded number of times per level, and
 * a last-level compaction of n buckets happens once per n/2 arrivals).
 *
 * Budget: the capture gives the tiers as many bytes as its ring (cap samples x 96 bytes), but
 * at least MW__TIERS_MIN_BUCKETS buckets. Level-1 buckets are 64 samples wide, or 1/64 of a
 * smaller ring (at least 1), so a small ring still has fine-grained history behind it.
 *
 * Ownership: one owner (the capture's); no locking. Buckets are read in time order, oldest
 * first, with mw__tiers_at; pointers stay valid until the next push. */

#define MW__TIERS_LEVELS 4
#define MW__TIERS_FAN 2 /* 2: widths double level by level, so resolution fades smoothly */
#define MW__TIERS_BASE 64
#define MW__TIERS_MIN_BUCKETS 256 /* ~240 KiB: a small ring still gets a readable past */

/* One field over a bucket's samples. A field no sample of the bucket knew has known == 0 and
 * the rest meaningless (never drawn as 0). Kept together per field, so a chart reading one
 * field of thousands of buckets touches one or two cache lines of each. */
typedef struct mw__bucket_field {
    uint64_t min, max;      /* bytes */
    uint64_t first, last;   /* of the samples that knew it */
    int64_t max_t;          /* time of the (first) sample holding max */
    int64_t min_t;          /* ... and min: a bucket's RSS min is a floor point (verdict.c) */
    double sum;             /* for the mean: sum / known */
    double sq;              /* sum of (v - first)^2: with sum, the spread around the mean, so
                               a trend over merged history keeps an honest R² (stats.c) */
    uint64_t known;         /* samples that knew the field */
} mw__bucket_field;

/* A run of consecutive samples [seq_first, seq_end), merged. */
typedef struct mw__bucket {
    int64_t t_first, t_last;          /* times of its first and last sample */
    uint64_t seq_first, seq_end;      /* the raw samples it stands for */
    uint64_t hwm;                     /* highest hwm among HWM_ROSE samples (single process), 0 none */
    uint8_t flags;                    /* OR of the samples' MW_SAMPLE_* flags */
    mw__bucket_field field[MW__FIELD_COUNT]; /* by mw__field */
} mw__bucket;

typedef struct mw__tier_level {
    mw__bucket *b;     /* a ring of cap buckets; the oldest at head */
    size_t cap, head, n;
} mw__tier_level;

typedef struct mw__tiers {
    mw__bucket *mem;          /* every level's slots, allocated at the first push */
    size_t nbuckets;          /* slots over all levels (the budget) */
    size_t base;              /* raw samples per level-1 bucket */
    mw__tier_level lv[MW__TIERS_LEVELS];
    mw__bucket open;          /* level 1's bucket being filled (open_n samples) */
    mw__bucket closed;        /* every bucket before the open one, merged: the whole history in
                                 one read (a chart's axis over `zoom all`); valid when end > open_n */
    size_t open_n;
    uint64_t end;             /* samples pushed == seq of the next one */
    uint64_t last_width;      /* raw samples per last-level bucket: doubles at each compaction */
    bool failed;              /* the allocation failed: nothing more is kept */
} mw__tiers;

/* Size tiers for history behind a ring of ring_cap samples (nothing is allocated yet). */
void mw__tiers_init(mw__tiers *t, size_t ring_cap);
void mw__tiers_destroy(mw__tiers *t);
/* Forget every bucket (the budget and allocation stay). */
void mw__tiers_clear(mw__tiers *t);

/* Add the next sample (seq mw__tiers_end). Returns 0, or MW_ENOMEM (the first push allocates;
 * on failure the tiers stay empty for good and the caller loses only the old history). */
int mw__tiers_push(mw__tiers *t, const mw__sample *s);

static inline uint64_t mw__tiers_end(const mw__tiers *t) { return t->end; }
/* Buckets held, the open one included. */
size_t mw__tiers_count(const mw__tiers *t);
/* Bucket i in time order (0 is the oldest, count-1 the open bucket), or NULL. O(levels). */
const mw__bucket *mw__tiers_at(const mw__tiers *t, size_t i);
/* A walk over the buckets in time order from bucket i (mw__tiers_at's numbering), without
 * mw__tiers_at's search per bucket: charts read thousands per frame. */
typedef struct mw__tiers_walk {
    const mw__tiers *t;
    int level;         /* MW__TIERS_LEVELS - 1 down to 0, then -1: the open bucket, -2: done */
    size_t i;          /* within the level */
} mw__tiers_walk;
void mw__tiers_walk_from(mw__tiers_walk *w, const mw__tiers *t, size_t i);
/* The next bucket, or NULL at the end. */
const mw__bucket *mw__tiers_walk_next(mw__tiers_walk *w);
/* The first bucket whose last sample is at or after t_ns (count if none). */
size_t mw__tiers_seek_time(const mw__tiers *t, int64_t t_ns);
/* The bucket of the tiers holding sample seq, or NULL (not in the tiers). O(log buckets). */
const mw__bucket *mw__tiers_holding(const mw__tiers *t, uint64_t seq);
/* The whole history merged into *out (closed and open buckets). Returns false when empty. */
bool mw__tiers_all(const mw__tiers *t, mw__bucket *out);
/* Bytes the tiers hold (or will hold once used): constant for their life. */
size_t mw__tiers_bytes(const mw__tiers *t);

/* Start a bucket from one sample of sequence number seq, and merge a newer adjacent bucket
 * into an older one (dst keeps its start, takes src's end). */
void mw__bucket_from_sample(mw__bucket *b, const mw__sample *s, uint64_t seq);
void mw__bucket_merge(mw__bucket *dst, const mw__bucket *src);
/* A bucket's first (last: false) or last sample as the bucket knows it: that sample's time and
 * each field's first or last value, into *out: that sample's own, for every field all samples
 * of the bucket knew (a field some did not know is left unknown: its first or last value may
 * be another sample's). */
void mw__bucket_edge_sample(const mw__bucket *b, bool last, mw__sample *out);

#endif
