#ifndef MNIST_REPORT_SYSTEM_CALLS_H
#define MNIST_REPORT_SYSTEM_CALLS_H

/// Atomically exchanges the directory entries `a` and `b` (both must exist): Linux's
/// renameat2(RENAME_EXCHANGE). Returns 0, or -1 with errno set (ENOSYS/EINVAL where the kernel
/// or file system cannot exchange).
int system_calls_exchange(const char *a, const char *b);

/// Renames `from` to `to` only if `to` does not exist: renameat2(RENAME_NOREPLACE). Returns 0, or
/// -1 with errno set (EEXIST when `to` exists).
int system_calls_rename_no_replace(const char *from, const char *to);

/// Asks the kernel to send SIGTERM to the calling process when its parent thread exits
/// (prctl(PR_SET_PDEATHSIG)). Returns 0, or -1 with errno set; a no-op returning 0 elsewhere.
int system_calls_die_with_parent(void);

/// Makes the calling process the "subreaper" of its descendants (prctl(PR_SET_CHILD_SUBREAPER)):
/// a descendant whose parent ends is re-parented to it instead of to init, so that it can still
/// find and stop them (a compiler that a build started in a process group of its own). Returns
/// 0, or -1 with errno set.
int system_calls_become_subreaper(void);

#include <sys/types.h>

/// Starts the program at the absolute path `argv[0]` with arguments `argv` (NULL-terminated) in
/// `directory`, standard input from /dev/null, standard output and error to `log_fd`; in a
/// process group of its own (so that signalling the group stops it and everything it started),
/// with every signal at its default and unblocked, and sent SIGKILL when the calling thread
/// exits, however it exits (prctl(PR_SET_PDEATHSIG)). Returns the child's pid, which is also its
/// process group, or -1 with errno set.
pid_t system_calls_spawn_dying_with_parent(char *const argv[], const char *directory, int log_fd);

#endif
