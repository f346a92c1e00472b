#define _GNU_SOURCE
#include "system_calls.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>

#if defined(__linux__)
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static int rename_with_flags(const char *from, const char *to, unsigned int flags) {
    // The system call directly: older C libraries have no wrapper.
    return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, flags);
}

int system_calls_exchange(const char *a, const char *b) { return rename_with_flags(a, b, RENAME_EXCHANGE); }

int system_calls_rename_no_replace(const char *from, const char *to) {
    return rename_with_flags(from, to, RENAME_NOREPLACE);
}

int system_calls_die_with_parent(void) { return prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0); }

#else

int system_calls_exchange(const char *a, const char *b) {
    (void)a; (void)b;
    errno = ENOSYS;
    return -1;
}

int system_calls_rename_no_replace(const char *from, const char *to) {
    (void)from; (void)to;
    errno = ENOSYS;
    return -1;
}

int system_calls_die_with_parent(void) { return 0; }

#endif
