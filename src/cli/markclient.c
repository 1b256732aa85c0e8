/* SPDX-License-Identifier: MIT */
/* markclient.c — the control directory (found, made and checked) and memwatch --mark PID [LABEL], its client. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "markctl.h"
#include "memwatch.h"
#include "options.h"
#include "sample.h"
#include "units.h"

#define REPLY_MAX 256
#define ANSWER_MS 5000 /* a live memwatch answers within a poll (250 ms); a stopped one never */
#define CANDIDATES_MAX 64

/* lstat, never stat: a link planted where the directory should be is refused, not followed. */
int app_markdir_check(const char *dir, char *err, size_t errlen)
{
    struct stat st;
    if (lstat(dir, &st) != 0) {
        int e = errno;
        snprintf(err, errlen, "%s: %s", dir, strerror(e));
        errno = e;
        return -1;
    }
    if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 07777) != 0700) {
        snprintf(err, errlen, "%s is not a directory of yours with mode 0700", dir);
        errno = EPERM;
        return -1;
    }
    return 0;
}

/* $XDG_RUNTIME_DIR/memwatch into dir if that variable names a usable directory: absolute, a real
 * directory of this user's that it can write (our own subdirectory is then checked for 0700
 * itself, whatever mode the runtime directory has). */
static bool xdg_markdir(char *dir, size_t n)
{
    const char *x = getenv("XDG_RUNTIME_DIR");
    struct stat st;
    if (!x || x[0] != '/' || lstat(x, &st) != 0 || !S_ISDIR(st.st_mode) ||
        st.st_uid != geteuid() || access(x, W_OK | X_OK) != 0)
        return false;
    snprintf(dir, n, "%s/memwatch", x);
    return true;
}

size_t app_markdirs(char dirs[][PATH_MAX - 64], size_t n)
{
    size_t k = 0;
    if (k < n && xdg_markdir(dirs[k], sizeof(dirs[k])))
        k++;
    if (k < n)
        snprintf(dirs[k++], sizeof(dirs[0]), "/tmp/memwatch-%ld", (long)geteuid());
    return k;
}

int app_markdir(char *dir, size_t n, bool create, char *err, size_t errlen)
{
    if (!xdg_markdir(dir, n))
        snprintf(dir, n, "/tmp/memwatch-%ld", (long)geteuid());
    if (create) {
        if (mkdir(dir, 0700) == 0)
            chmod(dir, 0700); /* a umask such as 0277 must not leave it unusable */
        else if (errno != EEXIST) {
            snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
            return -1;
        }
    }
    return app_markdir_check(dir, err, errlen);
}

const char *app_mark_label_problem(const char *label)
{
    if (!label)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)label; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return "it has control characters (a label is one line of text)";
    if (strlen(label) > MW__MARK_LABEL_MAX - 1)
        return "it is longer than a mark holds (at most 47 bytes)";
    return NULL;
}

/* Entry names: the only thing read from the directory; links are never followed. */
static bool parse_sock_name(const char *name, long *mw)
{
    int end = 0;
    return sscanf(name, "mw-%ld.sock%n", mw, &end) == 1 && end > 0 && name[end] == '\0' && *mw > 0;
}

static bool parse_target_name(const char *name, long *pid, long *mw)
{
    int end = 0;
    return sscanf(name, "target-%ld-%ld%n", pid, mw, &end) == 2 && end > 0 && name[end] == '\0' &&
           *pid > 0 && *mw > 0;
}

static void unlink_if(const char *dir, const char *name, mode_t type)
{
    char path[PATH_MAX];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == type)
        unlink(path);
}

void app_markdir_forget(const char *dir, long mwpid)
{
    char name[64];
    snprintf(name, sizeof(name), "mw-%ld.sock", mwpid);
    unlink_if(dir, name, S_IFSOCK);
    snprintf(name, sizeof(name), "mw-%ld.sock.new", mwpid); /* died between bind and rename */
    unlink_if(dir, name, S_IFSOCK);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    long pid, mw;
    while ((e = readdir(d)) != NULL)
        if (parse_target_name(e->d_name, &pid, &mw) && mw == mwpid)
            unlink_if(dir, e->d_name, S_IFLNK);
    closedir(d);
}

/* Every memwatch that may watch pid: the one whose own PID it is, and each target-pid-M entry;
 * appended to out[0..have), skipping a memwatch already there (found in the other directory).
 * Returns how many were added. */
static size_t candidates(const char *dir, long pid, long *out, size_t have, size_t max)
{
    size_t n = have;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < max) {
        long a, b = 0;
        if (parse_sock_name(e->d_name, &a) && a == pid)
            b = a;
        else if (!parse_target_name(e->d_name, &a, &b) || a != pid)
            continue;
        bool dup = false;
        for (size_t i = 0; i < n; i++)
            dup |= out[i] == b;
        if (!dup)
            out[n++] = b;
    }
    closedir(d);
    return n - have;
}

bool app_markdir_unreachable(const char *dir, long mw, int e)
{
    if (e != ECONNREFUSED && e != ENOENT)
        return false;
    if (kill((pid_t)mw, 0) != 0 && errno == ESRCH)
        app_markdir_forget(dir, mw); /* killed with -9: its entries stayed */
    return true;
}

int app_markdir_connect(const char *dir, long mw)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    struct stat st;
    int len = snprintf(a.sun_path, sizeof(a.sun_path), "%s/mw-%ld.sock", dir, mw);
    if (len < 0 || (size_t)len >= sizeof(a.sun_path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (lstat(a.sun_path, &st) != 0 || !S_ISSOCK(st.st_mode)) {
        errno = ECONNREFUSED; /* a target entry left without its socket: stale */
        return -1;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* One reply line, waiting at most ANSWER_MS. Returns its length, or -1 on a timeout or error. */
static int read_reply(int fd, char *buf, size_t n)
{
    size_t len = 0;
    int64_t deadline = mw__now_ns() + (int64_t)ANSWER_MS * 1000000;
    while (len + 1 < n) {
        int64_t left = (deadline - mw__now_ns()) / 1000000;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)left) == 0)
            return -1;
        ssize_t k = read(fd, buf + len, n - 1 - len);
        if (k < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (k <= 0)
            break;
        len += (size_t)k;
        if (memchr(buf, '\n', len))
            break;
    }
    buf[len] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    return (int)len;
}

/* Ask memwatch mw to mark. Returns 0 (added), 1 (refused or no answer: said), -1 (stale: gone). */
static int ask(const char *dir, long mw, const char *label)
{
    int fd = app_markdir_connect(dir, mw);
    if (fd < 0 && app_markdir_unreachable(dir, mw, errno))
        return -1;
    if (fd < 0) {
        fprintf(stderr, "memwatch: cannot reach memwatch PID %ld: %s\n", mw, strerror(errno));
        return 1;
    }
    char req[APP_MARK_REQ_MAX + 8], reply[REPLY_MAX], text[REPLY_MAX];
    int len = snprintf(req, sizeof(req), "mark %s\n", label ? label : "");
    /* A refusal can come, and the socket close, before the request is sent: read it anyway. */
    (void)send(fd, req, (size_t)len, MSG_NOSIGNAL);
    int got = read_reply(fd, reply, sizeof(reply));
    close(fd);
    if (got <= 0) {
        fprintf(stderr, "memwatch: memwatch PID %ld %s\n", mw,
                got < 0 ? "did not answer within 5 s (is it stopped?)"
                        : "closed the connection without an answer");
        return 1;
    }
    long m = 0, t = 0;
    int off = 0;
    bool ok = sscanf(reply, "ok %ld %ld %n", &m, &t, &off) == 2 && off > 0;
    bool no = !ok && sscanf(reply, "no %ld %ld %n", &m, &t, &off) == 2 && off > 0;
    mw__safe_text(text, sizeof(text), ok || no ? reply + off : reply); /* its words, escaped */
    if (ok)
        printf("memwatch: mark '%s' added (memwatch PID %ld watching PID %ld)\n", text, m, t);
    else if (no)
        fprintf(stderr, "memwatch: %s (memwatch PID %ld watching PID %ld)\n", text, m, t);
    else
        fprintf(stderr, "memwatch: memwatch PID %ld: %s\n", mw, text);
    return ok ? 0 : 1;
}

int app_mark_client(const char *pid_arg, const char *label)
{
    char *end;
    errno = 0;
    long pid = strtol(pid_arg, &end, 10);
    if (!*pid_arg || *end || errno || pid <= 0 || pid > INT_MAX || *pid_arg < '0' || *pid_arg > '9') {
        fprintf(stderr, "memwatch: --mark: invalid PID '%s': must be a positive number (see "
                        "'memwatch --help')\n", pid_arg);
        return APP_EXIT_USAGE;
    }
    const char *why = app_mark_label_problem(label);
    if (why) {
        fprintf(stderr, "memwatch: --mark: label refused: %s (see 'memwatch --help')\n", why);
        return APP_EXIT_USAGE;
    }
    /* Both directories: a memwatch started without XDG_RUNTIME_DIR (cron, sudo, a service) is in
     * /tmp even when this shell has the variable. A directory not safe to use is named and
     * skipped: nothing in it is touched. */
    char dirs[2][PATH_MAX - 64], err[PATH_MAX];
    size_t ndirs = app_markdirs(dirs, 2);
    long cand[CANDIDATES_MAX];
    size_t where[CANDIDATES_MAX], n = 0;
    int added = 0, refused = 0;
    bool unsafe = false; /* named on stderr; an exit 1 only if no run was marked elsewhere */
    for (size_t d = 0; d < ndirs; d++) {
        if (app_markdir_check(dirs[d], err, sizeof(err)) != 0) {
            if (errno != ENOENT) {
                fprintf(stderr, "memwatch: --mark: %s\n", err);
                unsafe = true;
            }
            continue;
        }
        size_t had = n;
        n += candidates(dirs[d], pid, cand, n, CANDIDATES_MAX);
        for (size_t i = had; i < n; i++)
            where[i] = d;
    }
    for (size_t i = 0; i < n; i++) {
        int rc = ask(dirs[where[i]], cand[i], label);
        added += rc == 0;
        refused += rc == 1;
    }
    if (!added && !refused) {
        if (unsafe)
            return APP_EXIT_RUNTIME;
        fprintf(stderr, "memwatch: no memwatch of yours is watching PID %ld\n", pid);
        return APP_EXIT_RUNTIME;
    }
    return refused ? APP_EXIT_RUNTIME : APP_EXIT_OK;
}
