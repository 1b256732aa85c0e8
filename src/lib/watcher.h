/* SPDX-License-Identifier: MIT */
/* watcher.h — internal hooks into the sampler for tests and benchmarks (not part of the public API). */
#ifndef MW_WATCHER_H
#define MW_WATCHER_H

#include <stdbool.h>
#include <stdint.h>
#include "memwatch.h"

/* Set the sampling period in nanoseconds, 0 .. 1 h, bypassing the public 1 ms minimum: 0 samples
 * back to back. Lets a soak push millions of samples through the ring in bounded time. Any
 * thread; takes effect at once like mw_watcher_set_interval. Errors: MW_EINVAL. */
int mw__watcher_set_period_ns(mw_watcher *w, int64_t ns);

/* Sample a memory cgroup too: the directory path (of cgroup version 1 or 2, as mw__cgroup_find
 * resolved it) is read into every sample (MW_HAVE_CG_* figures, MW_SAMPLE_CG_* events). With
 * no_process the watcher watches the cgroup alone: no process is opened (cfg.pid, children,
 * peaks and PSS are ignored), samples have nprocs 0 and zero process figures, and the status's
 * pid is 0. Without it the process is watched as always and the cgroup beside it (the program's
 * launch into a fresh cgroup). The watch ends when the cgroup is removed (end reason MW_ENOPROC,
 * mw__watcher_cgroup_removed true) or, with a process, when the process ends. Before
 * mw_watcher_start, on the controlling thread; path is copied.
 * Errors: MW_EINVAL (NULL or empty path, longer than MW__CG_PATH_MAX, a bad version, running),
 * MW_ENOMEM. */
int mw__watcher_set_cgroup(mw_watcher *w, const char *path, int version, bool no_process);

/* Whether the watch ended because its cgroup was removed. Any thread. */
bool mw__watcher_cgroup_removed(const mw_watcher *w);

#endif
