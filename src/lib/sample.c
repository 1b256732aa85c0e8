/* SPDX-License-Identifier: MIT */
/* sample.c — the field table as data, and conversions between mw_stats and the stored mw__sample. */
#include "config.h"

#include <string.h>

#include "sample.h"

#define CSV_NAME_COL(name) name, 0
#define CSV_NAME_TAIL(name) name, 1
#define CSV_NAME_NOCOL NULL, 0
const mw__field_info mw__fields[MW__FIELD_COUNT] = {
#define X(ID, st, sm, store, have, csv, label, unit, tree)                                         \
    [MW__FIELD_##ID] = {#ID, have, CSV_NAME_##csv, label, MW__UNIT_##unit, MW__TREE_##tree},
    MW__FIELDS(X)
#undef X
};

/* Rounded up, without the overflow of (bytes + 1023) for a saturated tree sum. */
static uint32_t to_kib32(uint64_t bytes)
{
    uint64_t kib = bytes / 1024 + (bytes % 1024 != 0);
    return kib > UINT32_MAX ? UINT32_MAX : (uint32_t)kib;
}

static uint64_t sat_add(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

/* A limit: "none" is the top value, so a real one stops just below it. */
static uint32_t to_limit32(uint64_t bytes)
{
    if (bytes == MW_CG_UNLIMITED)
        return UINT32_MAX;
    uint32_t kib = to_kib32(bytes);
    return kib == UINT32_MAX ? UINT32_MAX - 1 : kib;
}

#define STORE_B64(v) (v)
#define STORE_K32(v) to_kib32(v)
#define STORE_L32(v) to_limit32(v)

void mw__sample_from_stats(mw__sample *dst, const mw_stats *src)
{
    memset(dst, 0, sizeof(*dst));
    dst->t_ns = mw__ts_to_ns(&src->timestamp);
#define X(ID, st, sm, store, ...) dst->sm = STORE_##store(src->st);
    MW__FIELDS(X)
#undef X
    dst->valid = src->valid & 0xffffff;
    dst->flags = src->flags & 0xff;
    dst->nprocs = src->nprocs > UINT16_MAX ? UINT16_MAX : (uint16_t)src->nprocs;
    dst->unreadable = src->nprocs_unreadable > UINT16_MAX ? UINT16_MAX
                                                          : (uint16_t)src->nprocs_unreadable;
    if (src->valid & MW_HAVE_PSS) {
        int64_t age = dst->t_ns - mw__ts_to_ns(&src->pss_timestamp);
        age = age < 0 ? 0 : age / 1000000;
        dst->pss_age_ms = age > UINT32_MAX ? UINT32_MAX : (uint32_t)age;
    }
}

void mw__sample_to_stats(mw_stats *dst, const mw__sample *src)
{
    memset(dst, 0, sizeof(*dst));
    dst->timestamp = mw__ns_to_ts(src->t_ns);
#define X(ID, st, sm, store, ...) dst->st = MW__X_LOAD_##store(src->sm);
    MW__FIELDS(X)
#undef X
    dst->valid = src->valid;
    dst->flags = src->flags;
    dst->nprocs = src->nprocs;
    dst->nprocs_unreadable = src->unreadable;
    if (src->valid & MW_HAVE_PSS)
        dst->pss_timestamp = mw__ns_to_ts(src->t_ns - (int64_t)src->pss_age_ms * 1000000);
}

void mw__sample_set_field(mw__sample *x, mw__field f, uint64_t bytes)
{
    switch (f) {
#define X(ID, st, sm, store, ...)                                                                  \
    case MW__FIELD_##ID:                                                                           \
        x->sm = STORE_##store(bytes);                                                              \
        break;
        MW__FIELDS(X)
#undef X
    default:
        break;
    }
}

void mw__stats_tree_add(mw_stats *sum, const mw_stats *kid)
{
    /* A figure the whole tree shares (its cgroup's) keeps the root's value. */
#define TREE_ADD(a, b) sat_add(a, b)
#define TREE_KEEP(a, b) ((void)(b), (a))
#define X(ID, st, sm, store, have, csv, label, unit, tree) sum->st = TREE_##tree(sum->st, kid->st);
    MW__FIELDS(X)
#undef X
#undef TREE_ADD
#undef TREE_KEEP
    /* The root's bits stay: a process read without some line adds nothing to that field rather
     * than blanking the tree's (a process appearing or vanishing must not blank a column). */
    sum->nprocs++;
}
