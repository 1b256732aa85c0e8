/* SPDX-License-Identifier: MIT */
/* sample.c — convert between the public mw_stats and the compact stored mw__sample. */
#include "config.h"

#include <string.h>

#include "sample.h"

static uint32_t to_kib32(uint64_t bytes)
{
    uint64_t kib = (bytes + 1023) / 1024;
    return kib > UINT32_MAX ? UINT32_MAX : (uint32_t)kib;
}

void mw__sample_from_stats(mw__sample *dst, const mw_stats *src)
{
    dst->t_ns = mw__ts_to_ns(&src->timestamp);
    dst->vsz = src->virtual_size;
    dst->rss = src->physical_size;
    dst->hwm = src->peak_physical_size;
    dst->shared_kib = to_kib32(src->shared_size);
    dst->anon_kib = to_kib32(src->anon_size);
    dst->file_kib = to_kib32(src->file_size);
    dst->shmem_kib = to_kib32(src->shmem_size);
    dst->swap_kib = to_kib32(src->swap_size);
    dst->valid = (uint8_t)(src->valid & 0xff);
    dst->flags = (uint8_t)(src->flags & 0xff);
    dst->nprocs = src->nprocs > UINT16_MAX ? UINT16_MAX : (uint16_t)src->nprocs;
}

void mw__sample_to_stats(mw_stats *dst, const mw__sample *src)
{
    memset(dst, 0, sizeof(*dst));
    dst->timestamp = mw__ns_to_ts(src->t_ns);
    dst->virtual_size = src->vsz;
    dst->physical_size = src->rss;
    dst->peak_physical_size = src->hwm;
    dst->shared_size = (uint64_t)src->shared_kib * 1024;
    dst->anon_size = (uint64_t)src->anon_kib * 1024;
    dst->file_size = (uint64_t)src->file_kib * 1024;
    dst->shmem_size = (uint64_t)src->shmem_kib * 1024;
    dst->swap_size = (uint64_t)src->swap_kib * 1024;
    dst->valid = src->valid;
    dst->flags = src->flags;
    dst->nprocs = src->nprocs;
}
