/* SPDX-License-Identifier: MIT */
/* test_atomicfile.c — file safety: whole or nothing, no-replace, no temporary left, errors with their cause. */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atomicfile.h"
#include "file_fixtures.h"
#include "memwatch.h"

/* Start a file at name (in dir) and expect success. */
static mw__atomicfile *start(const char *name, bool overwrite)
{
    mw__atomicfile *f = NULL;
    cr_assert_eq(mw__atomicfile_create(in_dir(name), overwrite, &f), 0, "%s", strerror(errno));
    cr_assert_not_null(f);
    return f;
}

Test(atomicfile, commit_publishes_every_byte_written_in_order, .init = mkdir_tmp, .fini = rm_tmp)
{
    enum { BIG = 3 * 1024 * 1024 + 7 }; /* more than one write() can take from a pipe or disk */
    char *big = malloc(BIG);
    for (size_t i = 0; i < BIG; i++)
        big[i] = (char)('a' + i % 23);
    mw__atomicfile *f = start("out.txt", false);
    cr_assert_eq(mw__atomicfile_write(f, "head\n", 5), 0);
    cr_assert_eq(mw__atomicfile_write(f, big, BIG), 0);
    cr_assert_eq(mw__atomicfile_write(f, "", 0), 0);
    cr_assert_eq(mw__atomicfile_commit(f), 0, "%s", strerror(errno));
    mw__atomicfile_destroy(f);
    size_t len;
    char *got = read_file(in_dir("out.txt"), &len);
    cr_assert_eq(len, 5 + (size_t)BIG);
    cr_assert(memcmp(got, "head\n", 5) == 0 && memcmp(got + 5, big, BIG) == 0);
    cr_assert_eq(count_entries(dir), 1, "a temporary was left behind");
    free(got);
    free(big);
}

Test(atomicfile, nothing_appears_at_the_path_before_commit, .init = mkdir_tmp, .fini = rm_tmp)
{
    mw__atomicfile *f = start("late.txt", false);
    cr_assert_eq(mw__atomicfile_write(f, "x", 1), 0);
    struct stat st;
    cr_assert_eq(lstat(in_dir("late.txt"), &st), -1);
    cr_assert_eq(errno, ENOENT);
    cr_assert_eq(count_entries(dir), 1); /* only the temporary, beside the target */
    mw__atomicfile_destroy(f);
    cr_assert_eq(count_entries(dir), 0, "destroy without commit must remove the temporary");
}

Test(atomicfile, no_replace_refuses_an_existing_target_untouched, .init = mkdir_tmp,
     .fini = rm_tmp)
{
    write_file(in_dir("keep"), "keep me\n", 8);
    mw__atomicfile *f = (mw__atomicfile *)1;
    errno = 0;
    cr_assert_eq(mw__atomicfile_create(in_dir("keep"), false, &f), MW_EALREADY);
    cr_assert_eq(errno, EEXIST);
    cr_assert_null(f);
    char *got = read_file(in_dir("keep"), NULL);
    cr_assert_str_eq(got, "keep me\n");
    free(got);
    cr_assert_eq(count_entries(dir), 1);
}

/* The race the no-replace rename exists for: the target appears while the file is written. */
Test(atomicfile, no_replace_refuses_a_target_created_meanwhile_and_removes_the_temporary,
     .init = mkdir_tmp, .fini = rm_tmp)
{
    mw__atomicfile *f = start("race", false);
    cr_assert_eq(mw__atomicfile_write(f, "ours\n", 5), 0);
    write_file(in_dir("race"), "theirs\n", 7);
    errno = 0;
    cr_assert_eq(mw__atomicfile_commit(f), MW_EALREADY);
    cr_assert_eq(errno, EEXIST);
    mw__atomicfile_destroy(f);
    cr_assert_eq(errno, EEXIST, "destroy must keep errno for the caller's message");
    char *got = read_file(in_dir("race"), NULL);
    cr_assert_str_eq(got, "theirs\n");
    free(got);
    cr_assert_eq(count_entries(dir), 1, "the temporary must be removed");
}

Test(atomicfile, overwrite_replaces_an_existing_target, .init = mkdir_tmp, .fini = rm_tmp)
{
    write_file(in_dir("old"), "old\n", 4);
    mw__atomicfile *f = start("old", true);
    cr_assert_eq(mw__atomicfile_write(f, "new\n", 4), 0);
    cr_assert_eq(mw__atomicfile_commit(f), 0);
    mw__atomicfile_destroy(f);
    char *got = read_file(in_dir("old"), NULL);
    cr_assert_str_eq(got, "new\n");
    free(got);
    cr_assert_eq(count_entries(dir), 1);
}

/* The textfile's periodic rewrites: no fsync, but the same rename, so the same whole file. */
Test(atomicfile, no_sync_still_replaces_whole_and_leaves_no_temporary, .init = mkdir_tmp,
     .fini = rm_tmp)
{
    write_file(in_dir("m.prom"), "old\n", 4);
    mw__atomicfile *f = start("m.prom", true);
    mw__atomicfile_no_sync(f);
    cr_assert_eq(mw__atomicfile_write(f, "new 1\n", 6), 0);
    cr_assert_eq(mw__atomicfile_commit(f), 0);
    mw__atomicfile_destroy(f);
    char *got = read_file(in_dir("m.prom"), NULL);
    cr_assert_str_eq(got, "new 1\n");
    free(got);
    cr_assert_eq(count_entries(dir), 1);
}

/* A write that fails half way, the way a full disk does: RLIMIT_FSIZE makes write() fail with
 * EFBIG past 4 KiB, whoever we are (Criterion runs each test in its own process). */
Test(atomicfile, failed_write_reports_its_cause_and_leaves_no_file, .init = mkdir_tmp,
     .fini = rm_tmp)
{
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl;
    cr_assert_eq(getrlimit(RLIMIT_FSIZE, &rl), 0);
    rl.rlim_cur = 4096;
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
    char block[3000];
    memset(block, 'z', sizeof(block));
    mw__atomicfile *f = start("big", false);
    cr_assert_eq(mw__atomicfile_write(f, block, sizeof(block)), 0);
    errno = 0;
    cr_assert_eq(mw__atomicfile_write(f, block, sizeof(block)), MW_ESYS);
    cr_assert_eq(errno, EFBIG);
    mw__atomicfile_destroy(f);
    cr_assert_eq(count_entries(dir), 0, "neither the target nor the temporary may remain");
}

/* The first temporary name is predictable (.NAME.PID.000000): whatever is planted there, a
 * file or a link to a victim, is skipped, never written through, and the commit succeeds. */
Test(atomicfile, a_file_or_link_planted_at_the_first_temporary_name_is_skipped, .init = mkdir_tmp,
     .fini = rm_tmp)
{
    static const char *const names[] = {"plain", "linked"};
    write_file(in_dir("victim"), "victim\n", 7);
    for (int k = 0; k < 2; k++) {
        char planted[64];
        snprintf(planted, sizeof(planted), ".%s.%ld.000000", names[k], (long)getpid());
        if (k == 0)
            write_file(in_dir(planted), "planted\n", 8);
        else
            cr_assert_eq(symlink(in_dir("victim"), in_dir(planted)), 0);
        mw__atomicfile *f = start(names[k], false);
        cr_assert_eq(mw__atomicfile_write(f, "ours\n", 5), 0);
        cr_assert_eq(mw__atomicfile_commit(f), 0, "%s", strerror(errno));
        mw__atomicfile_destroy(f);
        char *got = read_file(in_dir(names[k]), NULL);
        cr_assert_str_eq(got, "ours\n");
        free(got);
        got = read_file(in_dir(planted), NULL); /* through the link: the victim */
        cr_assert_str_eq(got, k == 0 ? "planted\n" : "victim\n", "%s was written through", planted);
        free(got);
        struct stat st;
        cr_assert_eq(lstat(in_dir(planted), &st), 0);
        cr_assert_eq(S_ISLNK(st.st_mode), k == 1, "the planted entry was replaced");
    }
    cr_assert_eq(count_entries(dir), 5, "victim, two planted, two targets: no temporary left");
}

Test(atomicfile, a_directory_as_target_is_einval_with_eisdir, .init = mkdir_tmp, .fini = rm_tmp)
{
    cr_assert_eq(mkdir(in_dir("d"), 0755), 0);
    mw__atomicfile *f;
    errno = 0;
    cr_assert_eq(mw__atomicfile_create(in_dir("d"), true, &f), MW_EINVAL);
    cr_assert_eq(errno, EISDIR);
    cr_assert_eq(mw__atomicfile_create(in_dir("new/"), true, &f), MW_EINVAL);
    cr_assert_eq(errno, EISDIR);
    cr_assert_eq(count_entries(in_dir("d")), 0);
}

/* Root writes anywhere, so the creation runs in a child that is not root (uid 65534 when we
 * are); it sends back the result and errno. */
static void create_unprivileged(const char *path, int result[2])
{
    int p[2];
    cr_assert_eq(pipe(p), 0);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        int r[2] = {99, 0};
        if (geteuid() != 0 || (setgid(65534) == 0 && setuid(65534) == 0)) {
            mw__atomicfile *f = NULL;
            r[0] = mw__atomicfile_create(path, false, &f);
            r[1] = errno;
        }
        ssize_t w = write(p[1], r, sizeof(r));
        _exit(w == (ssize_t)sizeof(r) ? 0 : 1);
    }
    close(p[1]);
    cr_assert_eq(read(p[0], result, 2 * sizeof(int)), (ssize_t)(2 * sizeof(int)));
    close(p[0]);
    int st;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
}

Test(atomicfile, an_unwritable_directory_is_esys_with_eacces, .init = mkdir_tmp, .fini = rm_tmp)
{
    cr_assert_eq(chmod(dir, 0755), 0);
    cr_assert_eq(mkdir(in_dir("ro"), 0555), 0);
    int r[2];
    create_unprivileged(in_dir("ro/x.csv"), r);
    cr_assert_neq(r[0], 99, "could not drop root to test permissions");
    cr_assert_eq(r[0], MW_ESYS);
    cr_assert_eq(r[1], EACCES, "errno %d (%s)", r[1], strerror(r[1]));
    cr_assert_eq(count_entries(in_dir("ro")), 0);
}

Test(atomicfile, a_missing_directory_is_esys_with_enoent, .init = mkdir_tmp, .fini = rm_tmp)
{
    mw__atomicfile *f;
    errno = 0;
    cr_assert_eq(mw__atomicfile_create(in_dir("nowhere/x.csv"), false, &f), MW_ESYS);
    cr_assert_eq(errno, ENOENT);
    cr_assert_eq(count_entries(dir), 0);
}

Test(atomicfile, file_error_names_the_verb_the_path_and_the_cause)
{
    char err[128];
    mw__file_error(err, sizeof(err), "export to", "/ro/x.csv", strerror(EACCES));
    cr_assert_str_eq(err, "cannot export to /ro/x.csv: Permission denied");
    mw__file_error(err, 12, "record to", "/a/very/long/path", "cause");
    cr_assert_str_eq(err, "cannot reco"); /* cut to fit, still terminated */
    mw__file_error(NULL, 0, "x", "y", "z"); /* no buffer: nothing happens */
}

/* ---- mw__write_full: big, short and refused writes to a pipe --------------------------------- */

static void *drain_pipe(void *arg)
{
    int fd = *(int *)arg;
    static size_t total;
    char buf[4096];
    ssize_t r;
    while ((r = read(fd, buf, sizeof(buf))) > 0)
        total += (size_t)r;
    return &total;
}

Test(write_full, completes_a_write_larger_than_the_pipe_takes_at_once)
{
    int p[2];
    cr_assert_eq(pipe(p), 0);
    pthread_t th;
    cr_assert_eq(pthread_create(&th, NULL, drain_pipe, &p[0]), 0);
    size_t n = 1024 * 1024; /* 16 pipe buffers: write() blocks many times (a blocking pipe
                             * never returns short by itself: the next tests make it) */
    char *buf = calloc(1, n);
    cr_assert_eq(mw__write_full(p[1], buf, n, NULL), 0);
    close(p[1]);
    void *total;
    cr_assert_eq(pthread_join(th, &total), 0);
    cr_assert_eq(*(size_t *)total, n);
    close(p[0]);
    free(buf);
}

/* A short write that is not the end: the writer fills an empty pipe and blocks in write() with
 * a pipe's worth already taken; a signal (a handler, no SA_RESTART) then makes that write()
 * return short, and the rest must still follow, in order, as the reader drains. */
static void on_usr1(int sig) { (void)sig; }

typedef struct slow_reader {
    int fd;
    pthread_t writer;
    bool interrupted;  /* the writer was signalled while blocked with the pipe full */
    size_t total;
    bool in_order;     /* every byte read is the pattern's */
} slow_reader;

static void *interrupt_then_drain(void *arg)
{
    slow_reader *r = arg;
    int cap = fcntl(r->fd, F_GETPIPE_SZ), queued = 0;
    struct timespec ms = {0, 1000000};
    for (int i = 0; i < 10000 && queued < cap; i++) /* a 10 s deadline */
        if (ioctl(r->fd, FIONREAD, &queued) != 0 || (queued < cap && nanosleep(&ms, NULL)))
            break;
    r->interrupted = queued >= cap && pthread_kill(r->writer, SIGUSR1) == 0;
    char buf[4096];
    ssize_t n;
    r->in_order = true;
    while ((n = read(r->fd, buf, sizeof(buf))) > 0)
        for (ssize_t i = 0; i < n; i++, r->total++)
            r->in_order &= buf[i] == (char)(r->total % 251);
    return NULL;
}

Test(write_full, a_write_cut_short_by_a_signal_is_finished)
{
    alarm(10); /* a watchdog: Criterion 2.4's .timeout leaks under ASan (see test_watcher) */
    struct sigaction sa = {.sa_handler = on_usr1}; /* no SA_RESTART */
    cr_assert_eq(sigaction(SIGUSR1, &sa, NULL), 0);
    int p[2];
    cr_assert_eq(pipe(p), 0);
    slow_reader r = {.fd = p[0], .writer = pthread_self()};
    pthread_t th;
    cr_assert_eq(pthread_create(&th, NULL, interrupt_then_drain, &r), 0);
    size_t n = 1024 * 1024;
    char *buf = malloc(n);
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)(i % 251);
    size_t written = 0;
    int rc = mw__write_full(p[1], buf, n, &written), e = errno;
    close(p[1]); /* the reader ends at EOF whatever happened: nothing is left blocked */
    cr_assert_eq(pthread_join(th, NULL), 0);
    cr_assert_eq(rc, 0, "%s", strerror(e));
    cr_assert_eq(written, n);
    cr_assert(r.interrupted, "the pipe never filled: no write() was cut short");
    cr_assert_eq(r.total, n);
    cr_assert(r.in_order, "bytes lost or repeated after the short write");
    close(p[0]);
    free(buf);
}

/* A non-blocking descriptor is not waited for (atomicfile.h): a full pipe takes what fits (a
 * short write), the retry gets EAGAIN, and *written says what went. */
Test(write_full, a_full_nonblocking_pipe_is_a_short_write_then_esys_with_eagain)
{
    int p[2];
    cr_assert_eq(pipe(p), 0);
    cr_assert_eq(fcntl(p[1], F_SETFL, O_NONBLOCK), 0);
    int cap = fcntl(p[1], F_GETPIPE_SZ);
    cr_assert_gt(cap, 0);
    size_t n = 2 * (size_t)cap, written = 0;
    char *buf = calloc(1, n);
    errno = 0;
    cr_assert_eq(mw__write_full(p[1], buf, n, &written), MW_ESYS);
    cr_assert_eq(errno, EAGAIN, "%s", strerror(errno));
    cr_assert_eq(written, (size_t)cap, "the short write is counted, the retry refused");
    close(p[0]);
    close(p[1]);
    free(buf);
}

Test(write_full, a_closed_reader_is_esys_with_epipe)
{
    signal(SIGPIPE, SIG_IGN);
    int p[2];
    cr_assert_eq(pipe(p), 0);
    close(p[0]);
    errno = 0;
    cr_assert_eq(mw__write_full(p[1], "x", 1, NULL), MW_ESYS);
    cr_assert_eq(errno, EPIPE);
    close(p[1]);
}
