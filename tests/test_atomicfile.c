/* SPDX-License-Identifier: MIT */
/* test_atomicfile.c — file safety: whole or nothing, no-replace, no temporary left, errors with their cause. */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
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

/* ---- mw__write_full: short writes of a pipe --------------------------------------------------- */

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
    size_t n = 1024 * 1024; /* 16 pipe buffers: write() returns short or blocks many times */
    char *buf = calloc(1, n);
    cr_assert_eq(mw__write_full(p[1], buf, n, NULL), 0);
    close(p[1]);
    void *total;
    cr_assert_eq(pthread_join(th, &total), 0);
    cr_assert_eq(*(size_t *)total, n);
    close(p[0]);
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
