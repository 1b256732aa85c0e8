/* SPDX-License-Identifier: MIT */
/* ring.h — a fixed-capacity ring of samples addressed by sequence number; no locking of its own. */
#ifndef MW_RING_H
#define MW_RING_H

#include <stddef.h>
#include <stdint.h>
#include "sample.h"

/* Sequence numbers count every sample ever pushed (the first is 0). The ring holds the newest
 * `cap` of them: seq in [first, end). The owner provides the locking (the watcher's mutex, or
 * the UI thread being the only user of its capture). */
typedef struct mw__ring {
    mw__sample *buf;
    size_t cap;
    uint64_t end; /* sequence number of the next sample to push == samples ever pushed */
    uint64_t base; /* the first sample the ring took (0; more when the run's start came merged:
                      a replayed export's tiers, mw__ring_skip_to) */
} mw__ring;

/* Allocate cap slots. Returns 0, MW_EINVAL (cap 0 or too large), MW_ENOMEM. */
int mw__ring_init(mw__ring *r, size_t cap);
void mw__ring_destroy(mw__ring *r);
/* Forget all samples (sequence numbers restart at 0). */
void mw__ring_clear(mw__ring *r);
/* An empty ring's next sample is seq (the samples before it are elsewhere). MW_EINVAL: not empty. */
int mw__ring_skip_to(mw__ring *r, uint64_t seq);

/* Append, overwriting the oldest when full. Returns a pointer to the stored copy. */
mw__sample *mw__ring_push(mw__ring *r, const mw__sample *s);

static inline size_t mw__ring_count(const mw__ring *r)
{
    return r->end - r->base < r->cap ? (size_t)(r->end - r->base) : r->cap;
}
static inline uint64_t mw__ring_first(const mw__ring *r) { return r->end - mw__ring_count(r); }
static inline uint64_t mw__ring_end(const mw__ring *r) { return r->end; }
static inline uint64_t mw__ring_dropped(const mw__ring *r) { return mw__ring_first(r) - r->base; }

/* The sample with this sequence number, or NULL if it is not (or no longer) in the ring. */
static inline const mw__sample *mw__ring_at(const mw__ring *r, uint64_t seq)
{
    if (seq >= r->end || seq < mw__ring_first(r))
        return NULL;
    return &r->buf[seq % r->cap];
}
/* Newest sample or NULL. */
static inline const mw__sample *mw__ring_last(const mw__ring *r)
{
    return r->end > r->base ? &r->buf[(r->end - 1) % r->cap] : NULL;
}

/* The samples [from, to) as at most two contiguous runs (a then b), clamped to what is stored.
 * Lets a reader scan a range with no per-sample modulo. */
void mw__ring_span(const mw__ring *r, uint64_t from, uint64_t to, const mw__sample **a,
                   size_t *na, const mw__sample **b, size_t *nb);

/* Copy samples [from, from+cap) (clamped; from below first is raised to first) oldest first.
 * Returns the count copied; *copied_from (if non-NULL) gets the first sequence number copied. */
size_t mw__ring_copy(const mw__ring *r, uint64_t from, mw__sample *out, size_t cap,
                     uint64_t *copied_from);

#endif
