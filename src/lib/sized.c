/* SPDX-License-Identifier: MIT */
/* sized.c — copies between the library's public structs and a caller's, each of its own size. */
#include "config.h"

#include <string.h>

#include "sized.h"

/* The plain-named functions' layout is today's whole struct. When a field is appended, its
 * MW__*_SIZE_1 must stay the old size: define it as offsetof(type, the first field appended). */
_Static_assert(MW__STATS_SIZE_1 == offsetof(mw_stats, cg_current_size),
               "mw_stats's 0.2.0 layout ends where the 0.3.0 extensions begin");
_Static_assert(MW__CONFIG_SIZE_1 == sizeof(mw_config), "mw_config grew: freeze MW__CONFIG_SIZE_1");
_Static_assert(MW__STATUS_SIZE_1 == sizeof(mw_watcher_status),
               "mw_watcher_status grew: freeze MW__STATUS_SIZE_1");
_Static_assert(MW__SUMMARY_SIZE_1 == sizeof(mw_run_summary),
               "mw_run_summary grew: freeze MW__SUMMARY_SIZE_1");

void mw__copy_out(void *dst, size_t dst_size, const void *src, size_t src_size)
{
    size_t n = dst_size < src_size ? dst_size : src_size;
    memcpy(dst, src, n);
    if (dst_size > n)
        memset((char *)dst + n, 0, dst_size - n);
}

int mw__copy_in(void *dst, size_t dst_size, const void *src, size_t src_size)
{
    for (size_t i = dst_size; i < src_size; i++)
        if (((const unsigned char *)src)[i] != 0)
            return MW_EINVAL;
    memcpy(dst, src, dst_size < src_size ? dst_size : src_size);
    return 0;
}
