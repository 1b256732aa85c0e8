/* SPDX-License-Identifier: MIT */
/* demo.c — the built-in demo workload: a leak, a sawtooth, a spike and a plateau, bounded, repeating. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "app.h"

#define MIB (1024u * 1024u)
#define LEAK_STEPS 40     /* steady leak: +2 MiB every 0.5 s, 20 s, 80 MiB */
#define LEAK_STEP_MIB 2
#define SAW_TEETH 3       /* sawtooth: +6 MiB every 0.25 s up to 48 MiB, then free, x3 */
#define SAW_STEP_MIB 6
#define SAW_STEPS 8
#define SPIKE_MIB 120     /* spike: 120 MiB touched, held 300 ms, freed */
#define PLATEAU_MS 8000   /* plateau: hold everything still */
/* Peak held at once: 80 (leak) + 48 (saw) + 120 (spike) = 248 MiB, under the 300 MiB bound. */

static pid_t g_parent; /* the memwatch that started us: when it is gone, so are we */

static void nap_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
    if (getppid() != g_parent)
        _exit(0); /* never outlive the dashboard */
}

/* mmap, not malloc: munmap hands the memory straight back, so the chart shows every free. */
static void *grab(size_t mib)
{
    size_t n = mib * MIB;
    void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        _exit(3);
    memset(p, 0xa5, n); /* touch every page so it is resident */
    return p;
}

static void drop(void *p, size_t mib) { munmap(p, mib * MIB); }

void app_demo_workload(void)
{
    void *leak[LEAK_STEPS];
    void *saw[SAW_STEPS];
    for (;;) {
        for (int i = 0; i < LEAK_STEPS; i++) {
            leak[i] = grab(LEAK_STEP_MIB);
            nap_ms(500);
        }
        for (int t = 0; t < SAW_TEETH; t++) {
            for (int i = 0; i < SAW_STEPS; i++) {
                saw[i] = grab(SAW_STEP_MIB);
                nap_ms(250);
            }
            for (int i = 0; i < SAW_STEPS; i++)
                drop(saw[i], SAW_STEP_MIB);
            nap_ms(1000);
        }
        void *spike = grab(SPIKE_MIB);
        nap_ms(300);
        drop(spike, SPIKE_MIB);
        nap_ms(PLATEAU_MS);
        for (int i = 0; i < LEAK_STEPS; i++)
            drop(leak[i], LEAK_STEP_MIB);
        nap_ms(3000);
    }
}

int app_demo_launch(app_target *t)
{
    pid_t parent = getpid();
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "memwatch: cannot start the demo: %s\n", strerror(errno));
        return APP_EXIT_RUNTIME;
    }
    if (pid == 0) {
        g_parent = parent;
        signal(SIGINT, SIG_IGN); /* the dashboard decides when the demo ends */
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        app_demo_workload();
    }
    memset(t, 0, sizeof(*t));
    t->pid = pid;
    t->launched = true;
    app_target_refresh(t);
    return 0;
}
