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
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
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
    if (t->reused) {
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

bool app_target_reap(app_target *t)
{
    if (!t->launched || t->reaped)
        return false;
    int st;
    struct rusage ru;
    pid_t r = wait4(t->pid, &st, WNOHANG, &ru);
    if (r != t->pid)
        return false;
    t->reaped = t->gone = true;
    t->wait_status = st;
    t->maxrss_bytes = (uint64_t)ru.ru_maxrss * MW_RU_MAXRSS_UNIT; /* KiB on Linux, bytes on macOS */
    return true;
}

void app_target_terminate(app_target *t, int grace_ms)
{
    if (!t->launched || t->reaped)
        return;
    kill(t->pid, SIGTERM);
    /* The grace is clock time, not a count of naps: on a loaded machine each nap runs long. */
    int64_t deadline = mw__now_ns() + (int64_t)grace_ms * 1000000;
    do {
        if (app_target_reap(t))
            return;
        nanosleep(&(struct timespec){0, 10 * 1000000}, NULL);
    } while (mw__now_ns() < deadline);
    kill(t->pid, SIGKILL);
    while (!t->reaped) {
        int st;
        struct rusage ru;
        pid_t r = wait4(t->pid, &st, 0, &ru);
        if (r == t->pid) {
            t->reaped = t->gone = true;
            t->wait_status = st;
            t->maxrss_bytes = (uint64_t)ru.ru_maxrss * MW_RU_MAXRSS_UNIT;
        } else if (r < 0 && errno != EINTR) {
            t->reaped = t->gone = true; /* not our child any more: nothing left to wait for */
        }
    }
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

/* Open the log file for the child's output: O_EXCL is not used because re-running the same
 * command is normal; it is truncated. Returns the fd or -1 with errno. */
static int open_log(const char *path)
{
    return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0644);
}

/* The log's open failure (errno e), in the wording of every output file (mw__file_error). */
static void report_log_error(const char *path, int e)
{
    char msg[4200];
    mw__file_error(msg, sizeof(msg), "open log file", path, strerror(e));
    fprintf(stderr, "memwatch: %s\n", msg);
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

/* In the forked child: stdout and stderr to the log (logfd, or memwatch-<pid>.log when -1), then
 * exec. On failure, {stage: 0 log, 1 exec; errno} goes down the exec pipe epw. */
static _Noreturn void run_child(char **argv, int logfd, int epw, bool own_tty)
{
    char tmp_log[64];
    int err[2] = {0, 0};
    if (logfd < 0) {
        snprintf(tmp_log, sizeof(tmp_log), "memwatch-%ld.log", (long)getpid());
        logfd = open_log(tmp_log);
    }
    if (logfd < 0) {
        err[1] = errno;
    } else if (dup2(logfd, STDOUT_FILENO) < 0 || dup2(logfd, STDERR_FILENO) < 0) {
        err[1] = errno;
    } else {
        /* Under the dashboard the terminal is memwatch's: the command gets /dev/null as
         * stdin and its own process group, so keys and Ctrl-C reach memwatch, which asks
         * before ending it. Headless, it keeps stdin and the terminal's Ctrl-C, as with
         * time(1). */
        if (own_tty) {
            int nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
            if (nullfd >= 0)
                dup2(nullfd, STDIN_FILENO);
            setpgid(0, 0);
        }
        app_signals_restore(); /* the command starts as from a shell */
        execvp(argv[0], argv);
        err[0] = 1;
        err[1] = errno;
    }
    ssize_t wr = write(epw, err, sizeof(err));
    (void)wr;
    _exit(127);
}

int app_launch(char **argv, const char *log_path, bool own_tty, app_target *t)
{
    /* The exec pipe is close-on-exec: EOF means exec worked; an int on it is exec's errno. */
    int ep[2];
    if (cloexec_pipe(ep) != 0) {
        fprintf(stderr, "memwatch: cannot launch '%s': %s\n", argv[0], strerror(errno));
        return APP_EXIT_RUNTIME;
    }
    /* The default log name needs the child's PID, known only after fork: the child opens
     * memwatch-<its pid>.log itself. An explicit --log is opened before forking so an
     * unwritable path is reported plainly. */
    int logfd = -1;
    if (log_path) {
        logfd = open_log(log_path);
        if (logfd < 0) {
            report_log_error(log_path, errno);
            close(ep[0]);
            close(ep[1]);
            return APP_EXIT_USAGE;
        }
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "memwatch: cannot launch '%s': %s\n", argv[0], strerror(errno));
        close(ep[0]);
        close(ep[1]);
        if (logfd >= 0)
            close(logfd);
        return APP_EXIT_RUNTIME;
    }
    if (pid == 0) {
        close(ep[0]);
        run_child(argv, logfd, ep[1], own_tty);
    }
    close(ep[1]);
    if (logfd >= 0)
        close(logfd);
    int child_err[2] = {0, 0};
    ssize_t n;
    do {
        n = read(ep[0], child_err, sizeof(child_err));
    } while (n < 0 && errno == EINTR);
    close(ep[0]);
    memset(t, 0, sizeof(*t));
    t->pid = pid;
    t->launched = true;
    if (log_path)
        snprintf(t->log_path, sizeof(t->log_path), "%s", log_path);
    else
        snprintf(t->log_path, sizeof(t->log_path), "memwatch-%ld.log", (long)pid);
    if (n == (ssize_t)sizeof(child_err)) {
        waitpid(pid, NULL, 0);
        if (child_err[0] == 0) {
            report_log_error(t->log_path, child_err[1]);
        } else {
            fprintf(stderr, "memwatch: cannot run '%s': %s\n", argv[0], strerror(child_err[1]));
            if (!log_path)
                unlink(t->log_path); /* the empty log of a command that never ran */
        }
        return APP_EXIT_USAGE;
    }
    app_target_refresh(t);
    return 0;
}
