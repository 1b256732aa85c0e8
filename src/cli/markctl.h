/* SPDX-License-Identifier: MIT */
/* markctl.h — marks from outside a live run: the per-user control socket (server and --mark client) and SIGUSR1. */
#ifndef APP_MARKCTL_H
#define APP_MARKCTL_H

#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "capture.h"

/* Where the sockets live (one directory per user, checked with lstat: a real directory, the
 * user's own, mode 0700; never a link):
 *   $XDG_RUNTIME_DIR/memwatch/     or, without a usable XDG_RUNTIME_DIR, /tmp/memwatch-UID/
 *     mw-<memwatch PID>.sock       the run's AF_UNIX stream socket, mode 0600
 *     target-<watched PID>-<memwatch PID>  a symlink to it, found by name only (never followed)
 * The protocol is one line each way: "mark LABEL\n" (LABEL may be empty: numbered M<n>), then
 * "ok MWPID PID LABEL\n", "no MWPID PID REASON\n" or "refused: REASON\n". */
#define APP_MARK_REQ_MAX 64 /* "mark " + the longest label + "\n" fits */

/* What a mark from outside was: the loops say so (the dashboard's message line, a headless line). */
typedef struct app_mark_news {
    char label[MW__MARK_LABEL_MAX];
    int64_t at_ns; /* since the capture's first sample (0 before it) */
    int refused;   /* 0, or app_session_mark's rc: the loop says why (app_mark_refusal) */
} app_mark_news;

/* The control directory into dir; create: make it (0700) when missing. Returns 0, or -1 with why
 * in err ("/tmp/memwatch-0 is not a directory of yours with mode 0700"); errno ENOENT when it
 * does not exist (create false). */
int app_markdir(char *dir, size_t n, bool create, char *err, size_t errlen);
/* The checks every use of a control directory makes (lstat: a directory, not a link; this user's;
 * mode 0700): 0, or -1 with why in err and errno (ENOENT: it does not exist). */
int app_markdir_check(const char *dir, char *err, size_t errlen);
/* Why a label is refused ("it has control characters"...), or NULL when it is good: the keyboard
 * can type neither control characters nor more than a mark holds. */
const char *app_mark_label_problem(const char *label);
/* The keyboard's words for a refused mark (app_session_mark's rc), into buf. */
const char *app_mark_refusal(int rc, char *buf, size_t n);
/* Connect to memwatch mwpid's socket in dir without waiting (a memwatch whose queue is full is
 * busy, not a wait): the fd, or -1 with errno (ECONNREFUSED: no memwatch listens, or the entry
 * is not a socket: stale). */
int app_markdir_connect(const char *dir, long mwpid);
/* Remove the entries of memwatch PID mwpid (its socket refused a connection: it died by -9). */
void app_markdir_forget(const char *dir, long mwpid);
/* After app_markdir_connect failed with errno e: true if memwatch mwpid cannot be reached
 * (ECONNREFUSED, ENOENT). Its entries are removed only when it is proven dead — kill(mwpid, 0)
 * fails with ESRCH — never on a refusal alone (a PID that lives may be a memwatch that has not
 * finished starting, or one whose PID was reused: left alone either way). */
bool app_markdir_unreachable(const char *dir, long mwpid, int e);
/* The directories a memwatch of this user may have put its socket in: $XDG_RUNTIME_DIR/memwatch
 * (when that variable names a usable directory) and /tmp/memwatch-UID, the one a memwatch started
 * without it uses. Writes up to 2 paths of n bytes each into dirs; returns how many. */
size_t app_markdirs(char dirs[][PATH_MAX - 64], size_t n);

/* ---- the server: one per live session (session.c owns it) ---------------------------------- */
typedef struct app_markctl app_markctl;
/* Never NULL for want of a socket (SIGUSR1 still marks); NULL only out of memory. warn gets one
 * line when there is no socket ("" otherwise). */
app_markctl *app_markctl_open(pid_t target, char *warn, size_t n);
/* Close the socket and remove its entries. NULL is a no-op. */
void app_markctl_close(app_markctl *m);
/* The descriptors a loop may sleep on (the listening socket, the connected clients). */
size_t app_markctl_pollfds(const app_markctl *m, struct pollfd *fds, size_t max);
/* Each poll of the session: the SIGUSR1 flag, new connections, requests (marked through
 * app_session_mark, answered at once). Never blocks. */
struct app_session;
void app_markctl_poll(app_markctl *m, struct app_session *s);
/* Take the oldest mark made from outside since last asked: true and *out, or false. */
bool app_markctl_news(app_markctl *m, app_mark_news *out);

/* ---- the client: memwatch --mark PID [LABEL]. Returns the exit status. ------------------- */
int app_mark_client(const char *pid_arg, const char *label);

#endif
