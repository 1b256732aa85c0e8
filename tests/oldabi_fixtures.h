/* SPDX-License-Identifier: MIT */
/* oldabi_fixtures.h — memwatch.h as a program built against 0.2.0 saw it: its structs and plain calls, frozen. */
#ifndef MW_TESTS_OLDABI_FIXTURES_H
#define MW_TESTS_OLDABI_FIXTURES_H

/* A deliberate copy, never to be updated: tests/test_oldabi.c is such a program, run against the
 * library of today, which must keep writing exactly these layouts through these names whatever
 * fields memwatch.h has grown since. (No macros: 0.2.0's header had none.) */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

typedef struct mw_stats {
    uint64_t virtual_size, physical_size, shared_size;
    struct timespec timestamp;
    uint64_t anon_size, file_size, shmem_size, swap_size, peak_physical_size, peak_virtual_size;
    uint32_t valid, flags, nprocs, nprocs_unreadable;
    uint64_t pss_size, pss_anon_size, pss_file_size, pss_shmem_size, uss_size, swap_pss_size;
    struct timespec pss_timestamp;
} mw_stats;

typedef struct mw_config {
    uint64_t interval_ms;
    size_t history_size;
    bool verbose_logging;
    pid_t pid;
    bool include_children, reset_peaks;
    uint64_t pss_interval_ms;
} mw_config;

typedef struct mw_watcher_status {
    bool running;
    int end_reason;
    pid_t pid;
    uint64_t interval_ms;
    size_t capacity, stored;
    uint64_t samples, dropped;
    int peak_reset_error;
    uint32_t pss_unreadable;
} mw_watcher_status;

typedef struct mw_leak_result {
    int verdict;
    double floor_slope, r2, span_s, warmup_s;
    uint64_t floor_bytes;
    unsigned windows;
    char reason[96];
} mw_leak_result;

typedef struct mw_watcher mw_watcher;

int mw_get_memory_stats(mw_stats *out);
int mw_get_process_memory_stats(pid_t pid, mw_stats *out);
mw_config mw_config_default(void);
mw_watcher *mw_watcher_new(const mw_config *cfg);
void mw_watcher_free(mw_watcher *w);
int mw_watcher_start(mw_watcher *w);
void mw_watcher_stop(mw_watcher *w);
int mw_watcher_current_stats(const mw_watcher *w, mw_stats *out);
int mw_watcher_max_stats(const mw_watcher *w, mw_stats *out);
size_t mw_watcher_history(const mw_watcher *w, mw_stats *buf, size_t cap);
size_t mw_watcher_history_since(const mw_watcher *w, uint64_t *seq, mw_stats *buf, size_t cap,
                                uint64_t *lost);
int mw_watcher_get_status(const mw_watcher *w, mw_watcher_status *out);
int mw_leak_verdict(const mw_stats *samples, size_t n, mw_leak_result *out);

#endif /* MW_TESTS_OLDABI_FIXTURES_H */
