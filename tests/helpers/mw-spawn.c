/* SPDX-License-Identifier: MIT */
/* mw-spawn.c — test-only parent of N blocked children (a wide process tree), gone with them when stdin closes. */
#include "config.h"

/* Used by tests/e2e/cli_tree.sh (issue 14: the kernel's children file gives about 682 PIDs per
 * read, so a tree of 2000 children is where a single read undercounts). Never installed.
 *
 *   mw-spawn N [KIB]
 *
 * forks N children; each touches KIB KiB of its own (default 0) and then blocks reading a pipe
 * whose only writer is this parent. Once every child is forked and has touched its memory the
 * parent prints "ready N" (flushed) and waits for EOF on stdin; then, or on SIGTERM/SIGINT/SIGHUP,
 * it exits and the children with it: their read gets EOF, and PR_SET_PDEATHSIG kills any that
 * cannot read (a stopped one). A child never outlives its parent, so a test that fails half way
 * still leaves nothing behind once it kills the parent. Exits 0, or 1 when it could not fork N
 * (it then says how many it did and takes those down with it). */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

static void child(pid_t parent, int hold_fd, int ready_fd, long kib)
{
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    if (getppid() != parent)
        _exit(0); /* the parent died before prctl took effect */
    char ok = 'y';
    if (kib > 0) {
        size_t len = (size_t)kib << 10, page = (size_t)sysconf(_SC_PAGESIZE);
        char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            ok = 'n';
        else
            for (size_t off = 0; off < len; off += page)
                ((volatile char *)p)[off] = 1;
    }
    if (write(ready_fd, &ok, 1) != 1)
        _exit(1);
    close(ready_fd);
    char c;
    while (read(hold_fd, &c, 1) < 0 && errno == EINTR)
        ; /* EOF: the parent is gone */
    _exit(0);
}

static long num(const char *s)
{
    char *end;
    errno = 0;
    long v = s ? strtol(s, &end, 10) : -1;
    return (!s || !*s || *end || errno || v < 0 || v > 1000000) ? -1 : v;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? num(argv[1]) : -1, kib = argc > 2 ? num(argv[2]) : 0;
    if (argc < 2 || argc > 3 || n < 1 || kib < 0) {
        fputs("usage: mw-spawn N [KIB]  (N children that each touch KIB KiB, held until stdin closes)\n",
              stderr);
        return 2;
    }
    int hold[2], ready[2];
    if (pipe(hold) != 0 || pipe(ready) != 0) {
        perror("mw-spawn: pipe");
        return 1;
    }
    /* The default actions would do (the children go with this process either way); ignoring
     * SIGPIPE keeps a test that stopped reading "ready" from killing us before that. */
    signal(SIGPIPE, SIG_IGN);
    pid_t self = getpid();
    long forked = 0;
    for (; forked < n; forked++) {
        pid_t c = fork();
        if (c == 0) {
            close(hold[1]);
            close(ready[0]);
            child(self, hold[0], ready[1], kib);
        }
        if (c < 0) {
            fprintf(stderr, "mw-spawn: fork %ld of %ld: %s\n", forked + 1, n, strerror(errno));
            break;
        }
    }
    close(hold[0]);
    close(ready[1]);
    long got = 0;
    char ok;
    while (got < forked && read(ready[0], &ok, 1) == 1 && ok == 'y')
        got++;
    if (got < n) {
        fprintf(stderr, "mw-spawn: only %ld of %ld children ready\n", got, n);
        return 1; /* hold[1] closes: the children end */
    }
    printf("ready %ld\n", n);
    fflush(stdout);
    char buf[256];
    for (;;) {
        ssize_t r = read(0, buf, sizeof(buf));
        if (r == 0 || (r < 0 && errno != EINTR))
            break;
    }
    close(hold[1]);
    /* Reap them so that a watcher sees the tree go at once (not N zombies until we exit). */
    while (wait(NULL) > 0 || errno == EINTR)
        ;
    return 0;
}
