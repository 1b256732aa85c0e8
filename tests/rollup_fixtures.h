/* SPDX-License-Identifier: MIT */
/* rollup_fixtures.h — /proc/PID/smaps_rollup texts for test_procparse.c (and the fuzz seeds). */
#ifndef MW_ROLLUP_FIXTURES_H
#define MW_ROLLUP_FIXTURES_H

/* Captured on the dev VM (kernel 6.18, x86_64): python3 that wrote 16 MiB into an
 * mmap(-1, 16 MiB, MAP_SHARED) and printed its own smaps_rollup. Pss = Pss_Anon + Pss_File +
 * Pss_Shmem; "Pss_Dirty:" (6.0+) must not be taken for "Pss:". fuzz/corpus/procparse/
 * rollup-6.18.smaps_rollup holds the same bytes. */
#define ROLLUP_6_18                                                                                \
    "56471094b000-7ffe9d48a000 ---p 00000000 00:00 0                          [rollup]\n"          \
    "Rss:               29936 kB\n"                                                                \
    "Pss:               28173 kB\n"                                                                \
    "Pss_Dirty:         23264 kB\n"                                                                \
    "Pss_Anon:           6880 kB\n"                                                                \
    "Pss_File:           4909 kB\n"                                                                \
    "Pss_Shmem:         16384 kB\n"                                                                \
    "Shared_Clean:       2044 kB\n"                                                                \
    "Shared_Dirty:          0 kB\n"                                                                \
    "Private_Clean:      4628 kB\n"                                                                \
    "Private_Dirty:     23264 kB\n"                                                                \
    "Referenced:        29936 kB\n"                                                                \
    "Anonymous:          6880 kB\n"                                                                \
    "KSM:                   0 kB\n"                                                                \
    "LazyFree:              0 kB\n"                                                                \
    "AnonHugePages:         0 kB\n"                                                                \
    "ShmemPmdMapped:        0 kB\n"                                                                \
    "FilePmdMapped:         0 kB\n"                                                                \
    "Shared_Hugetlb:        0 kB\n"                                                                \
    "Private_Hugetlb:       0 kB\n"                                                                \
    "Swap:                  0 kB\n"                                                                \
    "SwapPss:               0 kB\n"                                                                \
    "Locked:                0 kB\n"

/* Hand-made in the layout of kernel 4.19 (fs/proc/task_mmu.c of that release): no Pss_Anon /
 * Pss_File / Pss_Shmem (5.9+), no Pss_Dirty (6.0+), no FilePmdMapped, no KSM; some swap. Same
 * bytes in fuzz/corpus/procparse/rollup-4.19.smaps_rollup. */
#define ROLLUP_4_19                                                                                \
    "00400000-7ffc1e9f7000 ---p 00000000 00:00 0                              [rollup]\n"          \
    "Rss:                3412 kB\n"                                                                \
    "Pss:                1207 kB\n"                                                                \
    "Shared_Clean:       2480 kB\n"                                                                \
    "Shared_Dirty:          0 kB\n"                                                                \
    "Private_Clean:       120 kB\n"                                                                \
    "Private_Dirty:       812 kB\n"                                                                \
    "Referenced:         3412 kB\n"                                                                \
    "Anonymous:           812 kB\n"                                                                \
    "LazyFree:              0 kB\n"                                                                \
    "AnonHugePages:         0 kB\n"                                                                \
    "ShmemPmdMapped:        0 kB\n"                                                                \
    "Shared_Hugetlb:        0 kB\n"                                                                \
    "Private_Hugetlb:       0 kB\n"                                                                \
    "Swap:                 2048 kB\n"                                                              \
    "SwapPss:               640 kB\n"                                                              \
    "Locked:                0 kB\n"

#endif
