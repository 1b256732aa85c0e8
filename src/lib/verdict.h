/* SPDX-License-Identifier: MIT */
/* verdict.h — is it a leak? The RSS floor per window, its least-squares line, and the verdict (pure). */
#ifndef MW_VERDICT_H
#define MW_VERDICT_H

#include <stddef.h>
#include <stdint.h>
#include "memwatch.h"
#include "ring.h"
#include "tiers.h"

/* The method (README, "Is it a leak?"):
 * 1. Skip a warm-up: start-up, imports, JIT and caches filling are not a leak.
 * 2. Cut the rest into MW__VERDICT_WINDOWS windows of equal sample count, counted in blocks of
 *    MW__FLOOR_BLOCK samples (never fewer than one block each; an older block that stands for
 *    more samples, below, counts as that many), and take each window's minimum
 *    RSS: the floor, what memory returns to after each collection. A window is an eighth of the
 *    samples after the warm-up: an eighth of that time while the sampler keeps its interval, and
 *    less time where samples came faster. Windows grow with the run, so a collector's sawtooth
 *    whose period is shorter than a window is flattened. Fewer windows would flatten longer
 *    periods but leave too few points to fit.
 * 3. Fit a least-squares line to the floor points (stats.c). The floor CLIMBS when its slope is
 *    >= the noise rate or its fitted rise over the span (slope x span) is > the granularity;
 *    the two bounds because a rate alone lets a long run or a big floor hide a large rise (a
 *    4 GiB floor at +3 MiB/min for an hour: 160 MiB), and a rise alone would call a short run's
 *    clear 1 MiB/min flat. Then decide:
 *    LEAK   the floor climbs, R² >= MW__VERDICT_R2, it rose across at least MW__VERDICT_RISE of
 *           consecutive windows, and the last half of the floor points still climbs (by the
 *           same two bounds) at >= half the whole slope (growth that stopped is a cache that
 *           filled up, or a step);
 *    NO     the floor does not climb, is not a clean line upwards (R² >= MW__VERDICT_R2 and
 *           rising as above: that is a leak too small to tell yet, UNSURE), and the floors lie
 *           close to their line; or the floor climbed, but only up to window
 *           MW__VERDICT_FLAT_FROM, and every floor since lies within the granularity: the flat
 *           part (7 of 8 windows) outlasts the climb many times over, so it filled up;
 *    UNSURE everything else, and too little data. A climb then a flat stretch shorter than
 *           that is UNSURE: one step and a flat stretch no longer than the step's period is what
 *           a leak that grows in rare big steps looks like (10 MiB every 30 s over a minute).
 *
 * Thresholds, and why:
 * - Warm-up max(20 s, 10 % of the history): CPython settles within a second, but Node.js 20's
 *   V8 keeps growing its heap under a steady load for ~15-20 s (measured here: a garbage churn
 *   with no leak climbs 20 -> 78 MiB over the first 18 s, then stays flat); a long run's own start
 *   (a server filling caches) scales with it.
 * - At least 20 s after the warm-up and 6 windows: fewer floor points make R² meaningless.
 * - Noise rate max(128 KiB/min, 0.1 % of the floor per minute): below 128 KiB/min sits the
 *   allocator's granularity (pages, 256 KiB pymalloc arenas, glibc's trim threshold) over a
 *   short run; a large heap's floor moves by more than a small one's.
 * - Granularity max(1 MiB, 0.5 % of the floor) of total rise: a few arenas or trim thresholds,
 *   and a large heap's fragmentation, move a floor by that much without anything leaking.
 * - R² >= 0.8: a straight climb under a sawtooth fits at 0.9+; a step fits a line at ~0.75.
 * - NO needs the floors within max(1 MiB, 2 % of the floor) (RMS) of their line: floors that
 *   scatter more come from teeth longer than a window, and prove nothing (UNSURE).
 * - Rise in >= 70 % of consecutive windows: a steady leak rises in nearly all; noise around a
 *   flat floor rises in about half.
 * - Flat from window 1: a cache that fills in T reads NO once the run is ~5 T long (the warm-up
 *   is 10 % of it, a window 11 %); before that, UNSURE.
 */
#define MW__FLOOR_BLOCK 8 /* samples a block of the floor index sums up */
#define MW__FLOOR_MIN_BLOCKS 1024 /* 40 KiB: a small ring's run still gets 8 windows of many blocks */
#define MW__VERDICT_WINDOWS 8
#define MW__VERDICT_MIN_WINDOWS 6
#define MW__VERDICT_WARMUP_MIN_S 20.0
#define MW__VERDICT_WARMUP_FRAC 0.10
#define MW__VERDICT_MIN_SPAN_S 20.0
#define MW__VERDICT_NOISE_ABS (128.0 * 1024 / 60) /* bytes per second */
#define MW__VERDICT_NOISE_REL (0.001 / 60)        /* fraction of the floor per second */
#define MW__VERDICT_R2 0.8
#define MW__VERDICT_SCATTER_ABS (1024.0 * 1024) /* bytes */
#define MW__VERDICT_SCATTER_REL 0.02            /* fraction of the floor */
#define MW__VERDICT_RISE 0.7
#define MW__VERDICT_GRAIN_ABS (1024.0 * 1024) /* bytes */
#define MW__VERDICT_GRAIN_REL 0.005           /* fraction of the floor */
#define MW__VERDICT_FLAT_FROM 1               /* a climb then flat is NO if flat from this window */

/* The lowest value of consecutive samples (MW__FLOOR_BLOCK of them, or more once merged), and when. */
typedef struct mw__floor_block {
    int64_t t_first, t_last; /* the block's first and last sample times */
    int64_t t_min;           /* the time of its lowest value (earliest on ties) */
    uint64_t min;            /* bytes */
    uint64_t n;              /* samples in it: MW__FLOOR_BLOCK but for the newest, or more */
} mw__floor_block;

/* An incremental index of block minima: adding a sample is O(1), so the dashboard judges a
 * million samples each frame by looking at 125,000 blocks, not at the samples. Blocks held are
 * [first, end) at b[k % cap], then `cur`, the block being filled. Owned by its user (the UI
 * state, or a one-shot judgement); no lock of its own. A zeroed struct is a valid empty index.
 *
 * Runs of any length (issue 19): when the index is full it merges adjacent pairs of its blocks,
 * oldest first (a merged block's min and t_min are exactly those of its samples), doubles
 * `width` and fills its newest block up to that many samples before starting another (as the
 * tiers' last level does), so it keeps the whole run in bounded memory, its blocks even, at a
 * resolution that halves as the run doubles; the windows count
 * samples, not blocks, so wider old blocks weigh what they stand for. A run that outgrew the
 * ring before the index saw it (a one-shot judgement, a replay, a frame that came too late) is
 * read from the capture's tiers: each bucket is one block (its RSS min and min_t). */
typedef struct mw__floor {
    mw__floor_block *b;
    size_t cap;
    uint64_t first, end;
    mw__floor_block cur;
    uint64_t width;   /* samples a held block takes before the next starts (0: MW__FLOOR_BLOCK) */
    /* Feeding from a ring (mw__floor_sync): which ring, and its next sequence number to read. */
    const mw__sample *src;
    size_t src_cap;
    uint64_t fed;
} mw__floor;

/* Room for max_samples samples (older blocks are dropped as new ones come). 0 or MW_ENOMEM. */
int mw__floor_init(mw__floor *f, size_t max_samples);
void mw__floor_destroy(mw__floor *f);
/* Forget every sample; keeps the room. */
void mw__floor_clear(mw__floor *f);
/* Add one sample; times must not decrease. O(1). */
void mw__floor_add(mw__floor *f, int64_t t_ns, uint64_t v);
/* Add the ring's RSS samples not added yet; a ring cleared or replaced is re-read, and the
 * index sized to it. On allocation failure the index stays empty: 0 or MW_ENOMEM. */
int mw__floor_sync(mw__floor *f, const mw__ring *r);
/* The same, and first the tiers' buckets (t: the history older than the ring, ending where it
 * begins; NULL: none) for samples the index has not seen and the ring no longer holds. A bucket
 * the index saw part of is left out (its other samples are lost to the verdict, nothing more). */
int mw__floor_sync_run(mw__floor *f, const mw__ring *r, const mw__tiers *t);

/* Judge what the index holds. O(blocks). */
void mw__verdict_decide(const mw__floor *f, mw_leak_result *out);
/* Whether the floors' fit was a flat line: every floor equal, so R² is undefined (0/0; the fit
 * reports 1 with a slope of exactly 0, which no other line can give). Shown as "—", not 1.00. */
bool mw__verdict_fit_flat(const mw_leak_result *v);
/* One-shot: the RSS of the ring's samples. 0 or MW_ENOMEM. */
int mw__verdict_of_ring(const mw__ring *r, mw_leak_result *out);
/* One-shot over the whole run: the tiers (may be NULL) and the ring. 0 or MW_ENOMEM. */
int mw__verdict_of_run(const mw__ring *r, const mw__tiers *t, mw_leak_result *out);

/* "leak", "no leak", "not sure". */
const char *mw__verdict_word(int verdict);

#endif
