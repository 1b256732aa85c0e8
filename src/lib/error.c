/* SPDX-License-Identifier: MIT */
/* error.c — mw_strerror and mw_version: the library's words for its own error codes. */
#include "config.h"

#include "memwatch.h"

const char *mw_strerror(int err)
{
    switch (err) {
    case MW_OK: return "success";
    case MW_EALREADY: return "watcher is already running";
    case MW_EUNSUPPORTED: return "memory sampling is not supported on this operating system";
    case MW_ENOPROC: return "no such process";
    case MW_EPERM: return "permission denied";
    case MW_EINVAL: return "invalid argument";
    case MW_ENOMEM: return "out of memory";
    case MW_ESYS: return "system error";
    case MW_EREUSED: return "process ID now belongs to a different process";
    case MW_ENODATA: return "no sample taken yet";
    case MW_EKTHREAD: return "a kernel thread: it has no user memory to watch";
    default: return "unknown error";
    }
}

const char *mw_version(void) { return PACKAGE_VERSION; }
