#define _GNU_SOURCE
#include "system_calls.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

int system_calls_become_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }

pid_t system_calls_spawn_dying_with_parent(char *const argv[], const char *directory, int log_fd) {
    pid_t parent = getpid();
    pid_t child = fork();
    if (child != 0) {
        if (child > 0) setpgid(child, child);   // also here, so the group exists when fork returns
        return child;
    }
    // In the child, only async-signal-safe calls until exec.
    setpgid(0, 0);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 || getppid() != parent) _exit(127);
    struct sigaction standard;
    memset(&standard, 0, sizeof standard);
    standard.sa_handler = SIG_DFL;
    for (int number = 1; number < NSIG; number++) sigaction(number, &standard, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    int input = open("/dev/null", O_RDONLY);
    if (input < 0 || dup2(input, 0) < 0 || dup2(log_fd, 1) < 0 || dup2(log_fd, 2) < 0 || chdir(directory) != 0) _exit(127);
    execv(argv[0], argv);
    _exit(127);
}

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

pid_t system_calls_spawn_dying_with_parent(char *const argv[], const char *directory, int log_fd) {
    (void)argv; (void)directory; (void)log_fd;
    errno = ENOSYS;
    return -1;
}

#endif
