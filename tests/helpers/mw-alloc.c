/* SPDX-License-Identifier: MIT */
/* mw-alloc.c — test-only child that allocates, frees and forks on command so tests can watch its memory. */
#include "config.h"

/* Used by the unit tests (tests/test_probe.c, test_watcher.c) and the tmux end-to-end scenarios;
 * never installed. Its protocol is the usage text below (also printed by --help):
 *
 * Interactive (the default): one command per line on stdin; each is answered with exactly one
 * line on stdout, flushed, once the command has taken effect, so a test can synchronise on the
 * reply instead of sleeping. Replies start with "ok" or "err". EOF on stdin exits 0.
 * Scenario modes (--leak, --spike-every) ignore stdin and run by themselves.
 *
 * Memory comes from mmap and goes back with munmap, and every page is written, so RSS rises by the
 * full amount on alloc and falls again on free (malloc could keep freed memory in its arenas). */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

static const char usage[] =
    "usage: mw-alloc [--alloc MIB] [--ready-file PATH]\n"
    "       mw-alloc --leak MIB --every MS [--steps N] [--then-exit CODE] [--alloc MIB] [--ready-file PATH]\n"
    "       mw-alloc --spike-every MS --spike-mib MIB --hold MS [--steps N] [--then-exit CODE] ...\n"
    "\n"
    "Interactive commands (one per line on stdin; one reply line each, after it is done):\n"
    "  alloc N       mmap N MiB and write every page      -> ok rss_kib=K\n"
    "  free          unmap the newest allocation           -> ok rss_kib=K  (err if none)\n"
    "  freeall       unmap every allocation                -> ok rss_kib=K\n"
    "  spike N MS    alloc N MiB, hold MS ms, unmap it      -> ok rss_kib=K  (after unmapping)\n"
    "  fork K N      fork K children that each alloc N MiB and then wait until this process dies\n"
    "                (PR_SET_PDEATHSIG); replies once all have allocated -> ok pids=P1,P2,...\n"
    "  kill          SIGKILL the forked children and reap them -> ok rss_kib=K\n"
    "  sleep MS      sleep MS ms                            -> ok rss_kib=K\n"
    "  rss           just report                            -> ok rss_kib=K\n"
    "  brk N         grow the brk heap ([heap] in smaps) by N MiB, every page written -> ok rss_kib=K\n"
    "  maps N        map N one-page anonymous regions, protections alternating so none merge\n"
    "                (N separate mappings in smaps; mind vm.max_map_count) -> ok maps=N\n"
    "  exit CODE     reply \"ok exiting\", then exit with CODE\n"
    "  abort         reply \"ok aborting\", then raise SIGABRT (no core file)\n"
    "rss_kib is this process's resident set size in KiB.\n"
    "\n"
    "Options:\n"
    "  --alloc MIB        allocate MIB MiB at start, before anything else\n"
    "  --ready-file PATH  once set up, write this PID and a newline to PATH (atomically)\n"
    "  --leak MIB         scenario: allocate MIB more every --every MS, --steps times (default\n"
    "                     forever), then exit with --then-exit CODE or sleep until killed\n"
    "  --spike-every MS   scenario: every MS ms allocate --spike-mib MIB, hold it --hold MS, free it\n";

#define MAX_ALLOCS 4096
#define MAX_KIDS 64

static struct { void *p; size_t len; } allocs[MAX_ALLOCS];
static size_t nallocs;
static pid_t kids[MAX_KIDS];
static size_t nkids;

static long rss_kib(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static void sleep_ms(unsigned long ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* Write one byte per page. Not instrumented: under AddressSanitizer each checked write would also
 * fault in a shadow page, adding 1/8 to the RSS a test expects to see. */
#if defined(__has_attribute)
#if __has_attribute(no_sanitize)
__attribute__((no_sanitize("address")))
#endif
#endif
static void touch(char *p, size_t len)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    for (size_t off = 0; off < len; off += page)
        ((volatile char *)p)[off] = 1;
}

/* Map and touch mib MiB; remembered for free. Returns 0 or -1. */
static int alloc_mib(unsigned long mib)
{
    if (nallocs == MAX_ALLOCS)
        return -1;
    size_t len = (size_t)mib << 20;
    if (len == 0)
        len = 1;
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return -1;
    touch(p, len);
    allocs[nallocs].p = p;
    allocs[nallocs].len = len;
    nallocs++;
    return 0;
}

static int free_newest(void)
{
    if (nallocs == 0)
        return -1;
    nallocs--;
    munmap(allocs[nallocs].p, allocs[nallocs].len);
    return 0;
}

/* Parse a whole non-negative decimal; -1 on garbage. */
static long num(const char *s)
{
    char *end;
    errno = 0;
    unsigned long v = s ? strtoul(s, &end, 10) : 0;
    if (!s || !*s || *end || errno || *s == '-' || v > 1000000000UL)
        return -1;
    return (long)v;
}

static void reply_rss(void) { printf("ok rss_kib=%ld\n", rss_kib()); }

static void fork_kids(long k, long mib)
{
    int pfd[2];
    if (k < 1 || (size_t)k > MAX_KIDS - nkids || pipe(pfd) != 0) {
        printf("err cannot fork %ld children\n", k);
        return;
    }
    pid_t parent = getpid();
    char list[MAX_KIDS * 12] = "";
    size_t used = 0;
    for (long i = 0; i < k; i++) {
        pid_t c = fork();
        if (c == 0) {
#ifdef __linux__
            prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
            if (getppid() != parent)
                _exit(0); /* the parent died before prctl took effect */
            close(pfd[0]);
            while (free_newest() == 0)
                ; /* only its own memory should count for the child */
            char ok = alloc_mib((unsigned long)mib) == 0 ? 'y' : 'n';
            if (write(pfd[1], &ok, 1) != 1)
                _exit(1);
            for (;;)
                pause();
        }
        if (c < 0)
            break;
        kids[nkids++] = c;
        used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%ld", i ? "," : "", (long)c);
    }
    close(pfd[1]);
    /* Wait for every child to have touched its memory before answering. */
    long ready = 0;
    char ok;
    while (ready < k && read(pfd[0], &ok, 1) == 1 && ok == 'y')
        ready++;
    close(pfd[0]);
    if (ready == k)
        printf("ok pids=%s\n", list);
    else
        printf("err only %ld of %ld children ready\n", ready, k);
}

static void kill_kids(void)
{
    for (size_t i = 0; i < nkids; i++) {
        kill(kids[i], SIGKILL);
        waitpid(kids[i], NULL, 0);
    }
    nkids = 0;
}

/* For "where it went" (tests/e2e/tui_where.sh): memory that smaps shows as [heap], and many
 * mappings. Neither is ever given back. */
static int grow_brk(unsigned long mib)
{
    size_t len = mib << 20;
    char *p = sbrk((intptr_t)len);
    if (p == (void *)-1)
        return -1;
    memset(p, 1, len);
    return 0;
}

static long map_many(long n)
{
    long i;
    for (i = 0; i < n; i++)
        if (mmap(NULL, 4096, i % 2 ? PROT_READ : PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
            break;
    return i;
}

static int command(char *line)
{
    char *save = NULL;
    char *cmd = strtok_r(line, " \t\r\n", &save);
    char *a1 = strtok_r(NULL, " \t\r\n", &save);
    char *a2 = strtok_r(NULL, " \t\r\n", &save);
    if (!cmd) {
        printf("err empty command\n");
    } else if (!strcmp(cmd, "alloc") && num(a1) >= 0) {
        if (alloc_mib((unsigned long)num(a1)) == 0)
            reply_rss();
        else
            printf("err cannot allocate %s MiB\n", a1);
    } else if (!strcmp(cmd, "free")) {
        if (free_newest() == 0)
            reply_rss();
        else
            printf("err nothing to free\n");
    } else if (!strcmp(cmd, "freeall")) {
        while (free_newest() == 0)
            ;
        reply_rss();
    } else if (!strcmp(cmd, "spike") && num(a1) >= 0 && num(a2) >= 0) {
        if (alloc_mib((unsigned long)num(a1)) != 0) {
            printf("err cannot allocate %s MiB\n", a1);
        } else {
            sleep_ms((unsigned long)num(a2));
            free_newest();
            reply_rss();
        }
    } else if (!strcmp(cmd, "fork") && num(a1) >= 0 && num(a2) >= 0) {
        fork_kids(num(a1), num(a2));
    } else if (!strcmp(cmd, "kill")) {
        kill_kids();
        reply_rss();
    } else if (!strcmp(cmd, "sleep") && num(a1) >= 0) {
        sleep_ms((unsigned long)num(a1));
        reply_rss();
    } else if (!strcmp(cmd, "rss")) {
        reply_rss();
    } else if (!strcmp(cmd, "brk") && num(a1) >= 0) {
        if (grow_brk((unsigned long)num(a1)) == 0)
            reply_rss();
        else
            printf("err cannot grow the heap by %s MiB\n", a1);
    } else if (!strcmp(cmd, "maps") && num(a1) >= 0) {
        long got = map_many(num(a1));
        if (got == num(a1))
            printf("ok maps=%ld\n", got);
        else
            printf("err mapped only %ld of %s (vm.max_map_count?)\n", got, a1);
    } else if (!strcmp(cmd, "exit") && num(a1) >= 0) {
        printf("ok exiting\n");
        fflush(stdout);
        return (int)(num(a1) & 255) + 1;
    } else if (!strcmp(cmd, "abort")) {
        printf("ok aborting\n");
        fflush(stdout);
        struct rlimit no_core = {0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        signal(SIGABRT, SIG_DFL);
        raise(SIGABRT);
    } else {
        printf("err bad command: %s\n", cmd);
    }
    fflush(stdout);
    return 0;
}

static int write_ready(const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    fprintf(f, "%ld\n", (long)getpid());
    if (fclose(f) != 0)
        return -1;
    return rename(tmp, path);
}

int main(int argc, char **argv)
{
    long initial = 0, leak = -1, every = -1, steps = -1, then_exit = -1;
    long spike_every = -1, spike_mib = -1, hold = 0;
    const char *ready = NULL;
    for (int i = 1; i < argc; i += 2) { /* every option takes one value (--help exits) */
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        long *dst = !strcmp(o, "--alloc") ? &initial : !strcmp(o, "--leak") ? &leak
                  : !strcmp(o, "--every") ? &every : !strcmp(o, "--steps") ? &steps
                  : !strcmp(o, "--then-exit") ? &then_exit : !strcmp(o, "--spike-every") ? &spike_every
                  : !strcmp(o, "--spike-mib") ? &spike_mib : !strcmp(o, "--hold") ? &hold : NULL;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(o, "--ready-file") && v) {
            ready = v;
        } else if (!dst || num(v) < 0) {
            fprintf(stderr, "mw-alloc: bad option or value: %s\n%s", o, usage);
            return 2;
        } else {
            *dst = num(v);
        }
    }
    if ((leak >= 0 && every < 0) || (spike_every >= 0 && spike_mib < 0) || then_exit > 255) {
        fprintf(stderr, "mw-alloc: --leak needs --every, --spike-every needs --spike-mib\n%s", usage);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN); /* a test that stopped reading must not kill us mid-reply */
    if (initial > 0 && alloc_mib((unsigned long)initial) != 0) {
        fprintf(stderr, "mw-alloc: cannot allocate %ld MiB\n", initial);
        return 1;
    }
    if (ready && write_ready(ready) != 0) {
        fprintf(stderr, "mw-alloc: cannot write %s: %s\n", ready, strerror(errno));
        return 1;
    }

    if (leak >= 0 || spike_every >= 0) {
        for (long step = 0; steps < 0 || step < steps; step++) {
            sleep_ms((unsigned long)(leak >= 0 ? every : spike_every));
            if (leak >= 0) {
                alloc_mib((unsigned long)leak);
            } else if (alloc_mib((unsigned long)spike_mib) == 0) {
                sleep_ms((unsigned long)hold);
                free_newest();
            }
        }
        if (then_exit >= 0)
            return (int)then_exit;
        for (;;)
            pause();
    }

    char line[256];
    while (fgets(line, sizeof(line), stdin)) {
        int rc = command(line);
        if (rc)
            return rc - 1;
    }
    return 0;
}
