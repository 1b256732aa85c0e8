/* SPDX-License-Identifier: MIT */
/* sized.h — the public structs' known layouts, and copies in and out of a caller's struct of its own size. */
#ifndef MW_SIZED_H
#define MW_SIZED_H

#include <stddef.h>

#include "memwatch.h"

/* The smallest layout a _sized call accepts (0.1.0's: the fields before the 0.2.0 extensions). */
#define MW__STATS_SIZE_MIN  offsetof(mw_stats, nprocs_unreadable)
#define MW__CONFIG_SIZE_MIN offsetof(mw_config, include_children)
#define MW__STATUS_SIZE_MIN offsetof(mw_watcher_status, pss_unreadable)
/* mw_run_summary came whole (after 0.2.0): its first layout is its smallest. */
#define MW__SUMMARY_SIZE_MIN MW__SUMMARY_SIZE_1

/* The layout the plain-named functions use for ever (0.2.0's, soname libmemwatch.so.1): up to
 * the end of its last field, so a struct with less tail padding (another ABI) is never overrun.
 * When a struct grows, these stay as they are. */
#define MW__STATS_SIZE_1 (offsetof(mw_stats, pss_timestamp) + sizeof(struct timespec))
#define MW__CONFIG_SIZE_1 (offsetof(mw_config, pss_interval_ms) + sizeof(uint64_t))
#define MW__STATUS_SIZE_1 (offsetof(mw_watcher_status, pss_unreadable) + sizeof(uint32_t))
#define MW__SUMMARY_SIZE_1 (offsetof(mw_run_summary, cg_swap_size) + sizeof(mw_figure))

/* Write the library's src (src_size bytes) into the caller's dst (dst_size bytes): the common
 * prefix is copied, a caller's tail the library does not know is zeroed, nothing past dst_size is
 * touched. */
void mw__copy_out(void *dst, size_t dst_size, const void *src, size_t src_size);

/* Read the caller's src (src_size bytes) into the library's dst (dst_size bytes, holding the
 * defaults): the common prefix is copied. A caller's tail the library does not know must be all
 * zero (a field this library cannot honour was set): else MW_EINVAL and dst is left as it was. */
int mw__copy_in(void *dst, size_t dst_size, const void *src, size_t src_size);

#endif /* MW_SIZED_H */
