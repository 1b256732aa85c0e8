/* SPDX-License-Identifier: MIT */
/* watcher.h — internal hooks into the sampler for tests and benchmarks (not part of the public API). */
#ifndef MW_WATCHER_H
#define MW_WATCHER_H

#include <stdint.h>
#include "memwatch.h"

/* Set the sampling period in nanoseconds, 0 .. 1 h, bypassing the public 1 ms minimum: 0 samples
 * back to back. Lets a soak push millions of samples through the ring in bounded time. Any
 * thread; takes effect at once like mw_watcher_set_interval. Errors: MW_EINVAL. */
int mw__watcher_set_period_ns(mw_watcher *w, int64_t ns);

#endif
