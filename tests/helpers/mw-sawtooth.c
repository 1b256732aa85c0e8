/* SPDX-License-Identifier: MIT */
/* mw-sawtooth.c — test-only C workload: a malloc/free sawtooth, with or without a malloc leak. */
#include "config.h"

/* For tests/e2e/cli_verdict.sh: every period it mallocs SAW MiB in 64 KiB blocks (below glibc's
 * mmap threshold, so they come from the heap), writes them, and frees them all, so the heap's
 * top is trimmed and RSS falls back: a sawtooth. With --leak-kib K it first mallocs and keeps K
 * KiB per second of running (spread over the periods), allocated before the teeth so the trim
 * still reaches down to it. After each free it holds the bottom one step, as a collector's heap
 * sits at its floor for a while after a collection: an instant trough would be seen only by the
 * rare sample that lands in it. Runs until killed. Never installed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BLOCK (64 * 1024)

int main(int argc, char **argv)
{
    long leak_kib = 0, saw_mib = 30, period_ms = 530; /* not a multiple of a 100 ms sampler */
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--leak-kib"))
            leak_kib = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--saw-mib"))
            saw_mib = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--period-ms"))
            period_ms = atol(argv[i + 1]);
        else {
            fprintf(stderr, "usage: mw-sawtooth [--leak-kib K/s] [--saw-mib M] [--period-ms P]\n");
            return 2;
        }
    }
    size_t nblocks = (size_t)saw_mib * 1024 * 1024 / BLOCK;
    void **saw = calloc(nblocks, sizeof(*saw));
    if (!saw)
        return 1;
    size_t leak_per_period = (size_t)(leak_kib * 1024 * period_ms / 1000);
    struct timespec step = {0, (period_ms * 1000000L) / 11};
    for (;;) {
        if (leak_per_period) {
            char *p = malloc(leak_per_period);
            if (p)
                memset(p, 0x5a, leak_per_period); /* kept: the leak */
        }
        for (int tooth = 0; tooth < 10; tooth++) { /* climb in ten of the period's 11 steps */
            for (size_t i = tooth * nblocks / 10; i < (tooth + 1) * nblocks / 10; i++)
                if ((saw[i] = malloc(BLOCK)))
                    memset(saw[i], tooth + 1, BLOCK);
            nanosleep(&step, NULL);
        }
        for (size_t i = nblocks; i-- > 0;) {
            free(saw[i]);
            saw[i] = NULL;
        }
        nanosleep(&step, NULL); /* the floor, held one step */
    }
}
