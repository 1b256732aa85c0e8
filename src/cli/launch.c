/* SPDX-License-Identifier: MIT */
/* launch.c — the target process: start a command (fork+execvp), reap it, describe and stop it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "units.h"
#include "atomicfile.h"

static const char *state_word(char st)
{
    switch (st) {
    case 'R': return "running";
    case 'S': return "sleeping";
    case 'D': return "waiting on disk";
    case 'T': return "stopped";
    case 't': return "stopped by debugger";
    case 'Z': return "exited (zombie)";
    case 'X': return "exited";
    case 'I': return "idle";
    default: return "alive";
    }
}

/* Signal names without relying on glibc-only sigabbrev_np. */
static const char *signame(int sig)
{
    static const struct { int sig; const char *name; } names[] = {
        {SIGHUP, "HUP"}, {SIGINT, "INT"}, {SIGQUIT, "QUIT"}, {SIGILL, "ILL"}, {SIGTRAP, "TRAP"},
        {SIGABRT, "ABRT"}, {SIGBUS, "BUS"}, {SIGFPE, "FPE"}, {SIGKILL, "KILL"}, {SIGUSR1, "USR1"},
        {SIGSEGV, "SEGV"}, {SIGUSR2, "USR2"}, {SIGPIPE, "PIPE"}, {SIGALRM, "ALRM"},
        {SIGTERM, "TERM"}, {SIGXCPU, "XCPU"}, {SIGXFSZ, "XFSZ"}, {SIGSYS, "SYS"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].sig == sig)
            return names[i].name;
    return NULL;
}

bool app_target_execd(const app_target *t)
{
    return t->have_info && t->first_name[0] && strcmp(t->info.name, t->first_name) != 0;
}

void app_target_state_text(const app_target *t, char *buf, size_t n)
{
    if (app_cgroup_only(t)) {
        app_cgroup_state_text(t, buf, n);
    } else if (t->reused) {
        snprintf(buf, n, "gone: PID reused by another process");
    } else if (t->reaped) {
        int st = t->wait_status;
        if (WIFEXITED(st))
            snprintf(buf, n, "exited (status %d)", WEXITSTATUS(st));
        else if (WIFSIGNALED(st) && signame(WTERMSIG(st)))
            snprintf(buf, n, "killed by SIG%s%s", signame(WTERMSIG(st)),
                     WCOREDUMP(st) ? " (core dumped)" : "");
        else if (WIFSIGNALED(st))
            snprintf(buf, n, "killed by signal %d%s", WTERMSIG(st),
                     WCOREDUMP(st) ? " (core dumped)" : "");
        else
            snprintf(buf, n, "exited");
    } else if (t->gone) {
        snprintf(buf, n, "exited");
    } else if (t->have_info && app_target_execd(t)) {
        snprintf(buf, n, "%s, exec'd %s", state_word(t->info.state), t->info.name);
    } else if (t->have_info) {
        snprintf(buf, n, "%s", state_word(t->info.state));
    } else {
        snprintf(buf, n, "alive");
    }
}

void app_target_refresh(app_target *t)
{
    if (t->gone)
        return;
    mw_process_info info;
    int rc = mw_process_get_info(t->pid, &info);
    if (rc == MW_ENOPROC) {
        /* Our own child is reaped by app_target_reap, which knows its status. */
        if (!t->launched)
            t->gone = true;
        return;
    }
    if (rc != 0)
        return;
    if (t->start_time == 0) {
        t->start_time = info.start_time;
        snprintf(t->first_name, sizeof(t->first_name), "%s", info.name);
    } else if (info.start_time != t->start_time) {
        t->reused = t->gone = true; /* never silently describe a stranger */
        return;
    }
    if (info.state == 'Z' || info.state == 'X') {
        if (!t->launched)
            t->gone = true;
    }
    t->info = info;
    t->have_info = true;
}

void app_target_set_status(app_target *t, int status, const struct rusage *ru)
{
    t->reaped = t->gone = true;
    t->wait_status = status;
    t->maxrss_bytes = (uint64_t)ru->ru_maxrss * MW_RU_MAXRSS_UNIT; /* KiB on Linux, bytes on macOS */
}

bool app_target_reap(app_target *t)
{
    if (!t->launched)
        return false;
    bool now = false;
    int st;
    struct rusage ru;
    /* With the terminal lent, a stop (Ctrl-Z) is news: memwatch's job must stop with it. */
    pid_t r = t->reaped ? 0 : wait4(t->pid, &st, WNOHANG | (t->tty_lent ? WUNTRACED : 0), &ru);
    if (r == t->pid && WIFSTOPPED(st)) {
        app_job_relay_stop(t);
    } else if (r == t->pid) {
        app_target_set_status(t, st, &ru);
        now = true;
    }
    /* On every poll, the command reaped or not: orphans adopted later are collected (no zombie
     * waits for memwatch's exit), and an emptied group is forgotten. */
    app_job_poll(t);
    return now;
}

int app_target_exit_status(const app_target *t)
{
    if (!t->reaped)
        return APP_EXIT_OK;
    if (WIFEXITED(t->wait_status))
        return WEXITSTATUS(t->wait_status);
    if (WIFSIGNALED(t->wait_status))
        return 128 + WTERMSIG(t->wait_status);
    return APP_EXIT_RUNTIME;
}

/* Create the log for the command's output: a new file only (O_EXCL; O_NOFOLLOW for good
 * measure), so a file or link planted at a guessable name (memwatch-PID.log) is refused, never
 * written through, and no earlier log is ever truncated or appended to. 0644 as a shell
 * redirection makes it. Returns the fd or -1 with errno. */
static int open_log(const char *path)
{
    return open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0644);
}

/* What is at path, for a refusal: "exists", "is a symbolic link", "is a FIFO"... into buf. */
static const char *existing_kind(const char *path, char *buf, size_t n)
{
    struct stat st;
    if (lstat(path, &st) != 0 || S_ISREG(st.st_mode))
        return "exists";
    snprintf(buf, n, "is %s", mw__file_kind((unsigned)st.st_mode));
    return buf;
}

/* The log's creation failed with errno e: one line saying what is in the way and what to do. */
static void report_log_error(const char *path, int e)
{
    if (e == EEXIST || e == ELOOP) {
        char kind[64];
        fprintf(stderr, "memwatch: %s %s: memwatch writes the command's output only to a new "
                        "file; remove it or choose another with --log FILE\n",
                path, existing_kind(path, kind, sizeof(kind)));
        return;
    }
    char msg[4200];
    mw__file_error(msg, sizeof(msg), "create log file", path, strerror(e));
    fprintf(stderr, "memwatch: %s\n", msg);
}

/* path still names the regular file (dev, ino) memwatch created, not one put in its place since
 * (by the command, or by someone sharing the directory): only that file is ever removed. */
static bool still_ours(const char *path, dev_t dev, ino_t ino, bool only_empty)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_dev == dev &&
           st.st_ino == ino && (!only_empty || st.st_size == 0);
}

/* A run that did not start: remove the log memwatch created as fd (still open), if path still
 * names it. */
static void remove_created_log(const char *path, int fd)
{
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && still_ours(path, st.st_dev, st.st_ino, false))
        unlink(path);
}

void app_target_remove_empty_log(const app_target *t)
{
    if (t->log_remove_if_empty && still_ours(t->log_path, t->log_dev, t->log_ino, true))
        unlink(t->log_path);
}

/* A pipe whose ends close on exec (pipe2 where the system has it). */
static int cloexec_pipe(int fd[2])
{
#ifdef HAVE_PIPE2
    return pipe2(fd, O_CLOEXEC);
#else
    if (pipe(fd) != 0)
        return -1;
    fcntl(fd[0], F_SETFD, FD_CLOEXEC);
    fcntl(fd[1], F_SETFD, FD_CLOEXEC);
    return 0;
#endif
}

/* How the child is set up; the parent fills it before fork. */
typedef struct child_setup {
    char **argv;
    int logfd;        /* an explicit --log, opened by the parent; -1: see default_log */
    bool default_log; /* create memwatch-<pid>.log (the dashboard without --log) */
    bool own_tty;     /* the dashboard owns the terminal: stdin from /dev/null */
    int tty_fd;       /* headless in the foreground: take the terminal for the group, else -1 */
    int epw;          /* the exec pipe's write end */
    bool stdout_is_capture; /* headless -o -: memwatch's stdout carries the CSV, so the
                             * command's stdout goes to memwatch's stderr instead */
    int cgfd;         /* --new-cgroup's cgroup.procs, or -1 */
} child_setup;

/* In the forked child: its own process group, its cgroup, stdout and stderr to the log if any,
 * then exec. On failure, {stage: 0 log, 1 exec, 2 cgroup; errno} goes down the exec pipe, and the default log, which
 * only the child holds, is removed here (an explicit --log is the parent's to remove). */
static _Noreturn void run_child(const child_setup *c)
{
    int err[2] = {0, 0};
    int logfd = c->logfd;
    char name[64] = "";
    app_job_child_enter(c->tty_fd);
    /* First of all: "0" is the writer itself, so everything it allocates is the cgroup's. */
    if (c->cgfd >= 0 && write(c->cgfd, "0\n", 2) != 2) {
        err[0] = 2;
        err[1] = errno ? errno : EIO;
    }
    if (!err[1] && c->default_log) {
        /* Its name needs this PID: only the child knows it before exec. */
        snprintf(name, sizeof(name), "memwatch-%ld.log", (long)getpid());
        logfd = open_log(name);
        if (logfd < 0)
            err[1] = errno;
    }
    if (!err[1] && logfd >= 0 &&
        (dup2(logfd, STDOUT_FILENO) < 0 || dup2(logfd, STDERR_FILENO) < 0))
        err[1] = errno;
    if (!err[1] && logfd < 0 && c->stdout_is_capture && dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
        err[1] = errno;
    if (!err[1]) {
        /* Under the dashboard the terminal is memwatch's: keys and Ctrl-C reach memwatch,
         * which asks before ending the command. */
        if (c->own_tty) {
            int nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
            if (nullfd >= 0)
                dup2(nullfd, STDIN_FILENO);
        }
        app_signals_restore(); /* the command starts as from a shell */
        execvp(c->argv[0], c->argv);
        err[0] = 1;
        err[1] = errno;
    }
    if (c->default_log)
        remove_created_log(name, logfd); /* -1 when it was never created: nothing to remove */
    ssize_t wr = write(c->epw, err, sizeof(err));
    (void)wr;
    _exit(127);
}

/* The exec pipe said why the child did not run (stage 0: its log, 1: exec): say so, collect
 * it, and leave nothing behind: an explicit --log (logfd, still open) is removed here, the
 * default log by the child. */
static int launch_failed(app_target *t, char **argv, const int child_err[2], int logfd)
{
    waitpid(t->pid, NULL, 0);
    if (logfd >= 0) {
        remove_created_log(t->log_path, logfd); /* created new by us: the command never ran */
        close(logfd);
    }
    app_job_release_tty(t);
    if (child_err[0] == 2) {
        fprintf(stderr, "memwatch: --new-cgroup: cannot move the command into its cgroup: %s\n",
                strerror(child_err[1]));
    } else if (child_err[0] == 0) {
        report_log_error(t->log_path, child_err[1]);
    } else {
        char name[1024];
        fprintf(stderr, "memwatch: cannot run '%s': %s\n", mw__safe_text(name, sizeof(name), argv[0]),
                strerror(child_err[1]));
    }
    return APP_EXIT_USAGE;
}

/* Remember which file the log is, so that the end of the run removes that one only. */
static void note_log(app_target *t, int logfd)
{
    struct stat st;
    if ((logfd >= 0 ? fstat(logfd, &st) : lstat(t->log_path, &st)) == 0) {
        t->log_dev = st.st_dev;
        t->log_ino = st.st_ino;
    }
}

int app_launch(char **argv, const char *log_path, bool own_tty, bool stdout_is_capture,
               int cgroup_procs_fd, app_target *t)
{
    memset(t, 0, sizeof(*t));
    t->launched = true;
    /* The exec pipe is close-on-exec: EOF means exec worked; an int on it is exec's errno. */
    int ep[2];
    if (cloexec_pipe(ep) != 0) {
        char name[1024];
        fprintf(stderr, "memwatch: cannot launch '%s': %s\n", mw__safe_text(name, sizeof(name), argv[0]),
                strerror(errno));
        return APP_EXIT_RUNTIME;
    }
    child_setup c = {argv, -1, own_tty && !log_path, own_tty, -1, ep[1], stdout_is_capture,
                     cgroup_procs_fd};
    /* An explicit --log is created before forking so that a bad path is reported plainly. */
    if (log_path) {
        snprintf(t->log_path, sizeof(t->log_path), "%s", log_path);
        if ((c.logfd = open_log(log_path)) < 0) {
            report_log_error(log_path, errno);
            close(ep[0]);
            close(ep[1]);
            return APP_EXIT_USAGE;
        }
    }
    c.tty_fd = app_job_prepare(!own_tty);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(ep[0]);
        run_child(&c);
    }
    close(ep[1]);
    if (pid < 0) {
        char name[1024];
        fprintf(stderr, "memwatch: cannot launch '%s': %s\n", mw__safe_text(name, sizeof(name), argv[0]),
                strerror(errno));
        close(ep[0]);
        if (c.logfd >= 0) {
            remove_created_log(log_path, c.logfd);
            close(c.logfd);
        }
        if (c.tty_fd >= 0)
            close(c.tty_fd);
        return APP_EXIT_RUNTIME;
    }
    t->pid = pid;
    app_job_parent_enter(t, pid, c.tty_fd);
    if (c.default_log)
        snprintf(t->log_path, sizeof(t->log_path), "memwatch-%ld.log", (long)pid);
    int child_err[2] = {0, 0};
    ssize_t n;
    do {
        n = read(ep[0], child_err, sizeof(child_err));
    } while (n < 0 && errno == EINTR);
    close(ep[0]);
    if (n == (ssize_t)sizeof(child_err))
        return launch_failed(t, argv, child_err, c.logfd);
    t->log_remove_if_empty = c.default_log;
    if (t->log_path[0])
        note_log(t, c.logfd);
    if (c.logfd >= 0)
        close(c.logfd);
    app_target_refresh(t);
    return 0;
}
