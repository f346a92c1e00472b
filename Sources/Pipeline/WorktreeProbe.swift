import Files
import Results
import Training
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A probe that builds and trains a commit itself, away from the user's checkout: a detached
/// `git worktree` of its own under `workspace`, a `--scratch-path` of the bisection's own there
/// (shared between probes, so later builds are incremental), the shared training cache, and the
/// report written under `workspace` too. The user's work tree, index and `.build` are never
/// touched; each worktree is removed after its probe, by its path, and ``cleanUp()`` removes
/// what is left (call it on an interrupt); ``reclaim()`` removes what an earlier run killed
/// before its clean-up left in the same workspace.
public final class WorktreeProbe: BisectProbe, @unchecked Sendable {
    public let repository: GitRepository
    public let workspace: String
    public let cacheDirectory: String
    public let profile: String
    public let section: String
    /// Says what the probe is doing (build, train), for progress.
    public let progress: @Sendable (String) -> Void

    private let lock = NSLock()
    private var worktrees: Set<String> = []
    private var running: ProcessGroup?
    private var interrupted = false

    /// The longest a probe's build or training may take, in seconds.
    public static let timeout: TimeInterval = 3600

    public init(repository: GitRepository, workspace: String, cacheDirectory: String, profile: String, section: String,
                progress: @escaping @Sendable (String) -> Void = { _ in }) {
        (self.repository, self.workspace, self.cacheDirectory, self.profile, self.section) = (repository, workspace, cacheDirectory, profile, section)
        self.progress = progress
        // What a probe's build leaves behind when it is stopped comes back to this process.
        ProcessGroup.becomeSubreaper()
    }

    /// Whether ``cleanUp()`` ran: a probe ended by it is interrupted, not skipped.
    public var isInterrupted: Bool { lock.withLock { interrupted } }

    public func probe(commit: String) -> ProbeOutcome {
        let short = String(commit.prefix(8))
        let tree = (workspace as NSString).appendingPathComponent("\(Self.worktreePrefix)\(short)")
        let scratch = (workspace as NSString).appendingPathComponent("scratch")
        let reports = (workspace as NSString).appendingPathComponent("reports-\(short)")
        let log = (workspace as NSString).appendingPathComponent("probe-\(short).log")
        guard !isInterrupted else { return .interrupted }
        do {
            lock.withLock { _ = worktrees.insert(tree) }
            try repository.run(["worktree", "add", "--detach", "--force", tree, commit])
        } catch {
            remove(tree)
            return isInterrupted ? .interrupted : .skipped("no worktree: \(error)")
        }
        defer { remove(tree) }
        let output: Int32
        do { output = try Self.openLog(log) } catch { return .skipped("\(error)") }
        defer { close(output) }
        progress("\(short): building (log: \(log))")
        guard execute(["swift", "build", "-c", "release", "--product", "mnist-report", "--scratch-path", scratch], in: tree, log: output) else {
            return isInterrupted ? .interrupted : .skipped("does not build (see \(log))")
        }
        let binary = (scratch as NSString).appendingPathComponent("release/mnist-report")
        progress("\(short): training \(section), \(profile) profile")
        guard execute([binary, "build", "--profile", profile, "--only", section, "--cache-dir", cacheDirectory,
                       "--reports-dir", reports, "--name", "probe"], in: tree, log: output) else {
            return isInterrupted ? .interrupted : .skipped("does not train (see \(log))")
        }
        do {
            return .results(try ResultsDocument.read(path: (reports as NSString).appendingPathComponent("probe/results.json")))
        } catch {
            return .skipped("its results do not read: \(error)")
        }
    }

    /// The name of every worktree a probe adds, before the commit's short hash.
    public static let worktreePrefix = "worktree-"

    /// Opens a probe's log to append to, never through a symbolic link (the names are
    /// predictable) and only when it is this user's own regular file or new (new files respect
    /// the umask).
    /// - Throws: `ReportError` naming the log and what it is.
    static func openLog(_ path: String) throws -> Int32 {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            let code = errno
            throw ReportError(code == ELOOP ? "\(path) is a symbolic link, which a probe's log is never written through; remove it or choose another --workspace"
                              : "cannot open the log \(path): \(String(cString: strerror(code)))")
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid() else {
            close(descriptor)
            throw ReportError("\(path) is not a regular file of yours, so it is not written; remove it or choose another --workspace")
        }
        return descriptor
    }

    /// Runs `arguments` in `directory`, appending its output to `log` (the command first); true
    /// when it succeeds. The child dies with this process and is stopped by ``cleanUp()``.
    func execute(_ arguments: [String], in directory: String, log: Int32) -> Bool {
        _ = try? FileHandle(fileDescriptor: log, closeOnDealloc: false).write(contentsOf: Data("$ \(arguments.joined(separator: " "))\n".utf8))
        let child: ProcessGroup
        do {
            child = try lock.withLock {
                guard !interrupted else { throw ReportError("interrupted") }
                let child = try ProcessGroup(arguments, in: directory, output: log)
                running = child
                return child
            }
        } catch { return false }
        let succeeded = child.wait(until: Date().addingTimeInterval(Self.timeout))
        lock.withLock { running = nil }
        return succeeded
    }

    /// Removes the worktree at `tree` that a probe added, by its path: git's record of it too,
    /// even when its folder has already gone; no other worktree of the repository is touched.
    func remove(_ tree: String) {
        if (try? repository.run(["worktree", "remove", "--force", "--force", tree])) == nil {
            try? FileManager.default.removeItem(atPath: tree)
            forget(tree)
        }
        lock.withLock { _ = worktrees.remove(tree) }
    }

    /// Removes git's record of the worktree at `tree` (its folder under the common git
    /// directory's `worktrees/`, whose `gitdir` file points at `tree/.git`), as `git worktree
    /// prune` would for that one worktree alone.
    func forget(_ tree: String) {
        guard let common = try? repository.run(["rev-parse", "--path-format=absolute", "--git-common-dir"])
            .trimmingCharacters(in: .whitespacesAndNewlines) else { return }
        let records = (common as NSString).appendingPathComponent("worktrees")
        let wanted = Self.canonical((tree as NSString).appendingPathComponent(".git"))
        for name in (try? FileManager.default.contentsOfDirectory(atPath: records)) ?? [] {
            let record = (records as NSString).appendingPathComponent(name)
            guard let pointer = try? String(contentsOfFile: (record as NSString).appendingPathComponent("gitdir"), encoding: .utf8),
                  Self.canonical(pointer.trimmingCharacters(in: .whitespacesAndNewlines)) == wanted else { continue }
            try? FileManager.default.removeItem(atPath: record)
        }
    }

    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// The worktrees of the repository that a probe of an earlier run left in this workspace
    /// (named `worktree-<hash>` directly under it), registered or not; what ``reclaim()`` removes.
    public func leftovers() -> [String] {
        let listing = (try? repository.run(["worktree", "list", "--porcelain"])) ?? ""
        let registered = listing.split(separator: "\n").filter { $0.hasPrefix("worktree ") }.map { String($0.dropFirst("worktree ".count)) }
        let present = ((try? FileManager.default.contentsOfDirectory(atPath: workspace)) ?? []).filter { $0.hasPrefix(Self.worktreePrefix) }
            .map { (workspace as NSString).appendingPathComponent($0) }
        let home = Self.canonical(workspace)
        let ours = (registered + present).filter { path in
            let name = PathText.last(path)
            return name.hasPrefix(Self.worktreePrefix) && Self.canonical(PathText.parent(path)) == home
        }
        return Array(Set(ours.map(Self.canonical))).sorted()
    }

    /// Removes the worktrees an earlier, interrupted run left in this workspace (``leftovers()``).
    /// - Returns: the paths removed.
    @discardableResult
    public func reclaim() -> [String] {
        let found = leftovers()
        for tree in found { remove(tree) }
        return found
    }

    /// Stops the running build or training (its whole process group) and removes every
    /// worktree the probes added, by path; the repository's other worktrees are left alone.
    public func cleanUp() {
        let (child, trees) = lock.withLock {
            interrupted = true
            return (running, worktrees)
        }
        child?.stop()
        for tree in trees { remove(tree) }
    }
}
