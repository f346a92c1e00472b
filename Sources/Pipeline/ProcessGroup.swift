import CSystemCalls
import Results
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process in a process group of its own that cannot outlive this process: the kernel
/// kills it when the thread that started it ends, however it ends (`kill -9` included), and
/// ``stop()`` signals the whole group, so what the child started (a compiler, a training's
/// jobs) stops with it. Its output goes to a file descriptor; it reads nothing.
final class ProcessGroup: @unchecked Sendable {
    let pid: pid_t
    private let lock = NSLock()
    private var status: Int32?

    /// Starts `arguments` (the first looked up on `PATH` by `/usr/bin/env`) in `directory`.
    /// - Throws: `ReportError` when the process cannot be started.
    init(_ arguments: [String], in directory: String, output: Int32) throws {
        let argv = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let pid = argv.withUnsafeBufferPointer { system_calls_spawn_dying_with_parent($0.baseAddress!, directory, output) }
        guard pid > 0 else { throw ReportError("cannot start \(arguments[0]): \(String(cString: strerror(errno)))") }
        self.pid = pid
    }

    /// Waits until the child ends or `deadline` passes (then the group is stopped).
    /// - Returns: whether the child exited with status 0.
    func wait(until deadline: Date) -> Bool {
        while true {
            var raw: Int32 = 0
            let answer = waitpid(pid, &raw, WNOHANG)
            if answer == pid {
                lock.withLock { status = raw }
                return raw & 0x7f == 0 && (raw >> 8) & 0xff == 0
            }
            if answer < 0, errno != EINTR { return false }
            if Date() > deadline { stop() }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }

    /// Sends SIGTERM to the child's whole group, unless the child has been waited for, and to
    /// every other descendant of this process: what the child started in groups of their own
    /// (`swift build`'s compiler jobs) and, once this process is their subreaper
    /// (`becomeSubreaper`), what those left behind.
    func stop() {
        lock.withLock {
            if status == nil { kill(-pid, SIGTERM) }
        }
        for descendant in Self.descendants(of: getpid()) { kill(descendant, SIGTERM) }
    }

    /// Makes this process the one that inherits its orphaned descendants (Linux), so that
    /// `stop` still finds a compiler whose `swift build` was stopped first.
    static func becomeSubreaper() { _ = system_calls_become_subreaper() }

    /// The processes below `root`, from /proc's parent links (empty where there is no /proc).
    static func descendants(of root: pid_t) -> [pid_t] {
        var parents: [pid_t: pid_t] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // "pid (name) state ppid …": the name may hold spaces and parentheses, so read after the last ")".
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = pid_t(fields[1]) { parents[pid] = parent }
        }
        var found: [pid_t] = [], frontier: Set<pid_t> = [root]
        while !frontier.isEmpty {
            let next = parents.filter { frontier.contains($0.value) }.map(\.key)
            found += next
            frontier = Set(next)
        }
        return found
    }
}
