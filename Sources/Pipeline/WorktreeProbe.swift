import Results
import Training
import Foundation

/// A probe that builds and trains a commit itself, away from the user's checkout: a detached
/// `git worktree` of its own under `workspace`, a `--scratch-path` of the bisection's own there
/// (shared between probes, so later builds are incremental), the shared training cache, and the
/// report written under `workspace` too. The user's work tree, index and `.build` are never
/// touched; each worktree is removed after its probe, and ``cleanUp()`` removes what is left
/// (call it on an interrupt).
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
    private var running: Process?

    /// The longest a probe's build or training may take, in seconds.
    public static let timeout: TimeInterval = 3600

    public init(repository: GitRepository, workspace: String, cacheDirectory: String, profile: String, section: String,
                progress: @escaping @Sendable (String) -> Void = { _ in }) {
        (self.repository, self.workspace, self.cacheDirectory, self.profile, self.section) = (repository, workspace, cacheDirectory, profile, section)
        self.progress = progress
    }

    public func probe(commit: String) -> ProbeOutcome {
        let short = String(commit.prefix(8))
        let tree = (workspace as NSString).appendingPathComponent("worktree-\(short)")
        let scratch = (workspace as NSString).appendingPathComponent("scratch")
        let reports = (workspace as NSString).appendingPathComponent("reports-\(short)")
        let log = (workspace as NSString).appendingPathComponent("probe-\(short).log")
        do {
            try repository.run(["worktree", "add", "--detach", "--force", tree, commit])
        } catch {
            return .skipped("no worktree: \(error)")
        }
        lock.withLock { _ = worktrees.insert(tree) }
        defer { remove(tree) }
        progress("\(short): building (log: \(log))")
        guard execute(["swift", "build", "-c", "release", "--product", "mnist-report", "--scratch-path", scratch], in: tree, log: log) else {
            return .skipped("does not build (see \(log))")
        }
        let binary = (scratch as NSString).appendingPathComponent("release/mnist-report")
        progress("\(short): training \(section), \(profile) profile")
        guard execute([binary, "build", "--profile", profile, "--only", section, "--cache-dir", cacheDirectory,
                       "--reports-dir", reports, "--name", "probe"], in: tree, log: log) else {
            return .skipped("does not train (see \(log))")
        }
        do {
            return .results(try ResultsDocument.read(path: (reports as NSString).appendingPathComponent("probe/results.json")))
        } catch {
            return .skipped("its results do not read: \(error)")
        }
    }

    /// Runs `arguments` in `directory`, appending its output to `log`; true when it succeeds.
    func execute(_ arguments: [String], in directory: String, log: String) -> Bool {
        if !FileManager.default.fileExists(atPath: log) { FileManager.default.createFile(atPath: log, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: log) else { return false }
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        handle.write(Data("$ \(arguments.joined(separator: " "))\n".utf8))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        lock.withLock { running = process }
        let deadline = Date().addingTimeInterval(Self.timeout)
        while process.isRunning {
            if Date() > deadline { process.terminate() }
            Thread.sleep(forTimeInterval: 0.2)
        }
        lock.withLock { running = nil }
        return process.terminationStatus == 0 && process.terminationReason == .exit
    }

    func remove(_ tree: String) {
        _ = try? repository.run(["worktree", "remove", "--force", tree])
        try? FileManager.default.removeItem(atPath: tree)
        lock.withLock { _ = worktrees.remove(tree) }
    }

    /// Stops the running build or training and removes every worktree left (and git's note of it).
    public func cleanUp() {
        let (process, trees) = lock.withLock { (running, worktrees) }
        if let process, process.isRunning { process.terminate() }
        for tree in trees { remove(tree) }
        _ = try? repository.run(["worktree", "prune"])
    }
}
