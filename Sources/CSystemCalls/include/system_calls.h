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

#endif
