/* SPDX-License-Identifier: MIT */
/* markctl.c — a live run's control socket: accept without blocking, check the peer, mark, answer; SIGUSR1 marks too. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "app.h"
#include "markctl.h"
#include "sample.h"

#define CLIENTS_MAX 8      /* connections served at once; more wait in the listen queue */
#define CLIENT_DEADLINE_NS 1000000000LL /* a client silent this long is dropped: one line is quick */
#define NEWS_MAX 16        /* marks from outside the loop has not said yet (older news dropped) */

typedef struct client {
    int fd; /* -1: free */
    int64_t deadline_ns;
    size_t len;
    char buf[APP_MARK_REQ_MAX];
} client;

struct app_markctl {
    int lfd; /* -1: no socket (SIGUSR1 still marks) */
    pid_t target;
    char dir[PATH_MAX - 64];
    char sock[sizeof(((struct sockaddr_un *)0)->sun_path)];
    char link[PATH_MAX];
    client cl[CLIENTS_MAX];
    app_mark_news news[NEWS_MAX];
    size_t news_head, news_count;
};

const char *app_mark_refusal(int rc, char *buf, size_t n)
{
    if (rc == MW_ENODATA)
        snprintf(buf, n, "nothing to mark yet");
    else
        snprintf(buf, n, "mark not added: %s", rc == MW_EINVAL ? "this sample holds too many "
                                                                 "marks, wait for the next"
                                                               : mw_strerror(rc));
    return buf;
}

/* Entries of memwatches killed with -9: their sockets refuse connections and their PIDs are gone
 * (a refusal alone proves nothing: see app_markdir_unreachable). A live one gets a connection
 * that ends at once, which it drops like any silent client. */
static void sweep_stale(const char *dir, long me)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    long mws[32];
    int why[32];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 32) {
        long mw;
        int end = 0;
        if (sscanf(e->d_name, "mw-%ld.sock%n", &mw, &end) != 1 || e->d_name[end] || mw == me)
            continue;
        int fd = app_markdir_connect(dir, mw);
        if (fd >= 0) {
            close(fd);
            continue;
        }
        mws[n] = mw;
        why[n++] = errno;
    }
    closedir(d); /* entries are removed after the walk: readdir and unlink do not mix */
    for (size_t i = 0; i < n; i++)
        app_markdir_unreachable(dir, mws[i], why[i]);
}

/* Bind with a umask that leaves the socket 0600 from its first moment (the directory is 0700
 * anyway: this is the second lock). Bound at path ".new", listening, and only then renamed to
 * path: a socket at its real name always accepts, so a client or another memwatch's sweep never
 * sees a live memwatch's socket refuse (between bind and listen it would). */
static int listen_on(const char *path)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    int len = snprintf(a.sun_path, sizeof(a.sun_path), "%s.new", path);
    if (len < 0 || (size_t)len >= sizeof(a.sun_path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    mode_t old = umask(0177);
    int rc = bind(fd, (struct sockaddr *)&a, sizeof(a));
    umask(old);
    if (rc != 0 || listen(fd, CLIENTS_MAX) != 0 || rename(a.sun_path, path) != 0) {
        int e = errno;
        if (rc == 0)
            unlink(a.sun_path);
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

app_markctl *app_markctl_open(pid_t target, char *warn, size_t n)
{
    warn[0] = '\0';
    app_markctl *m = calloc(1, sizeof(*m));
    if (!m)
        return NULL;
    m->lfd = -1;
    m->target = target;
    for (size_t i = 0; i < CLIENTS_MAX; i++)
        m->cl[i].fd = -1;
    char err[PATH_MAX + 64];
    if (app_markdir(m->dir, sizeof(m->dir), true, err, sizeof(err)) != 0) {
        snprintf(warn, n, "no control socket (memwatch --mark cannot reach this run): %s", err);
        return m;
    }
    long me = (long)getpid();
    sweep_stale(m->dir, me);
    int len = snprintf(m->sock, sizeof(m->sock), "%s/mw-%ld.sock", m->dir, me);
    if (len < 0 || (size_t)len + 4 >= sizeof(m->sock)) { /* + ".new" while it starts */
        snprintf(warn, n, "no control socket (memwatch --mark cannot reach this run): the path "
                          "under %s is too long for a socket", m->dir);
        m->sock[0] = '\0';
        return m;
    }
    snprintf(m->link, sizeof(m->link), "%s/target-%ld-%ld", m->dir, (long)target, me);
    /* Ours by name: a memwatch that had our PID before is gone. */
    app_markdir_forget(m->dir, me);
    m->lfd = listen_on(m->sock);
    if (m->lfd < 0) {
        snprintf(warn, n, "no control socket (memwatch --mark cannot reach this run): %s: %s",
                 m->sock, strerror(errno));
        m->sock[0] = '\0';
        return m;
    }
    char rel[64];
    snprintf(rel, sizeof(rel), "mw-%ld.sock", me);
    if (symlink(rel, m->link) != 0) {
        snprintf(warn, n, "cannot create %s (%s): memwatch --mark finds this run by memwatch's "
                          "PID %ld only", m->link, strerror(errno), me);
        m->link[0] = '\0';
    }
    return m;
}

static void drop(client *c)
{
    close(c->fd);
    c->fd = -1;
    c->len = 0;
}

static void reply(client *c, const char *line)
{
    (void)send(c->fd, line, strlen(line), MSG_NOSIGNAL | MSG_DONTWAIT); /* a fresh socket's
                                                                          * buffer holds a line */
    drop(c);
}

void app_markctl_close(app_markctl *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < CLIENTS_MAX; i++)
        if (m->cl[i].fd >= 0)
            drop(&m->cl[i]);
    if (m->lfd >= 0) {
        close(m->lfd);
        unlink(m->sock);
    }
    if (m->link[0])
        unlink(m->link);
    free(m);
}

size_t app_markctl_pollfds(const app_markctl *m, struct pollfd *fds, size_t max)
{
    size_t n = 0;
    if (!m || m->lfd < 0)
        return 0;
    if (n < max)
        fds[n++] = (struct pollfd){.fd = m->lfd, .events = POLLIN};
    for (size_t i = 0; i < CLIENTS_MAX && n < max; i++)
        if (m->cl[i].fd >= 0)
            fds[n++] = (struct pollfd){.fd = m->cl[i].fd, .events = POLLIN};
    return n;
}

bool app_markctl_news(app_markctl *m, app_mark_news *out)
{
    if (!m || m->news_count == 0)
        return false;
    *out = m->news[m->news_head];
    m->news_head = (m->news_head + 1) % NEWS_MAX;
    m->news_count--;
    return true;
}

/* Mark through the keyboard's own path; the news says which label it got (M<n> if none). */
static int mark(app_markctl *m, app_session *s, const char *label)
{
    int rc = app_session_mark(s, label);
    if (m->news_count == NEWS_MAX) { /* the loop is far behind: the oldest news goes */
        m->news_head = (m->news_head + 1) % NEWS_MAX;
        m->news_count--;
    }
    app_mark_news *x = &m->news[(m->news_head + m->news_count++) % NEWS_MAX];
    x->refused = rc; /* a refusal is news too: a SIGUSR1 has nobody else to hear it */
    snprintf(x->label, sizeof(x->label), "%s",
             rc ? (label ? label : "") : mw__capture_last_mark(&s->cap)->label);
    x->at_ns = s->cap.have_t0 ? mw__now_ns() - s->cap.t0_ns : 0;
    return rc;
}

static void serve(app_markctl *m, app_session *s, client *c)
{
    char line[APP_MARK_REQ_MAX + 1], why[160], out[APP_MARK_REQ_MAX + 256];
    size_t len = (size_t)((char *)memchr(c->buf, '\n', c->len) - c->buf);
    memcpy(line, c->buf, len);
    line[len] = '\0';
    long me = (long)getpid(), pid = (long)m->target;
    const char *label = NULL;
    if (strcmp(line, "mark") == 0)
        label = "";
    else if (strncmp(line, "mark ", 5) == 0)
        label = line + 5;
    const char *problem = label ? app_mark_label_problem(label) : "unknown request";
    if (label && !problem && strlen(line) != len) /* a NUL would cut the label short, silently */
        problem = "it has control characters (a label is one line of text)";
    const char *prefix = label && problem ? "label refused: " : "";
    int rc = problem ? 0 : mark(m, s, label);
    if (!problem && rc != 0)
        problem = app_mark_refusal(rc, why, sizeof(why));
    if (problem)
        snprintf(out, sizeof(out), "no %ld %ld %s%s\n", me, pid, prefix, problem);
    else
        snprintf(out, sizeof(out), "ok %ld %ld %s\n", me, pid, mw__capture_last_mark(&s->cap)->label);
    reply(c, out);
}

/* Read what a client sent; serve a whole line, drop one that is too long, silent or gone. */
static void read_client(app_markctl *m, app_session *s, client *c, int64_t now)
{
    ssize_t k = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, MSG_DONTWAIT);
    if (k > 0)
        c->len += (size_t)k;
    if (c->len && memchr(c->buf, '\n', c->len))
        serve(m, s, c);
    else if (c->len == sizeof(c->buf))
        reply(c, "refused: request too long\n");
    else if (k == 0 || (k < 0 && errno != EAGAIN && errno != EINTR) || now >= c->deadline_ns)
        drop(c);
}

static void accept_clients(app_markctl *m, int64_t now)
{
    for (size_t i = 0; i < CLIENTS_MAX; i++) {
        client *c = &m->cl[i];
        if (c->fd >= 0)
            continue;
        c->fd = accept4(m->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (c->fd < 0)
            return; /* none waiting (EAGAIN), or a passing error: the next poll tries again */
        struct ucred cred;
        socklen_t len = sizeof(cred);
        if (getsockopt(c->fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 ||
            cred.uid != geteuid()) {
            reply(c, "refused: not your memwatch\n");
            continue;
        }
        c->deadline_ns = now + CLIENT_DEADLINE_NS;
        c->len = 0;
    }
}

void app_markctl_poll(app_markctl *m, app_session *s)
{
    if (!m)
        return;
    if (app_mark_signal) { /* SIGUSR1: an unlabelled mark */
        app_mark_signal = 0;
        (void)mark(m, s, NULL); /* refused only before the first sample or past a full cell */
    }
    if (m->lfd < 0)
        return;
    int64_t now = mw__now_ns();
    accept_clients(m, now);
    for (size_t i = 0; i < CLIENTS_MAX; i++)
        if (m->cl[i].fd >= 0)
            read_client(m, s, &m->cl[i], now);
}
