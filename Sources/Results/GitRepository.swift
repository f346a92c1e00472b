import Foundation

/// git run in one repository: arguments passed as given (no shell), standard input optional,
/// the answer as text, a failure as a `ReportError` that quotes git's line of complaint (`complaint`).
public struct GitRepository: Sendable {
    /// The folder git runs in (`git -C`).
    public var directory: String
    /// Variables set for git on top of this process's environment (a test's own identity and
    /// configuration, so that it does not depend on the machine's).
    public var environment: [String: String]

    public init(directory: String, environment: [String: String] = [:]) {
        (self.directory, self.environment) = (directory, environment)
    }

    /// Standard output of `git -C directory arguments…`, fed `input` on standard input.
    /// - Throws: `ReportError` naming the command and git's message when git fails or cannot start.
    @discardableResult
    public func run(_ arguments: [String], input: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["LC_ALL"] = "C"
        environment.merge(self.environment) { $1 }
        process.environment = environment
        let (output, errors, standardInput) = (Pipe(), Pipe(), Pipe())
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input == nil ? FileHandle.nullDevice : standardInput
        do { try process.run() } catch {
            throw ReportError("cannot run git in \(directory): \(error.localizedDescription)")
        }
        if let input {
            // Written from another thread: git answers while it reads, and both pipes are bounded.
            let handle = standardInput.fileHandleForWriting
            DispatchQueue.global().async {
                try? handle.write(contentsOf: Data(input.utf8))
                try? handle.close()
            }
        }
        // Standard error is drained beside standard output, so that neither pipe fills and blocks git.
        let errorData = Collected()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorData.data = errors.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = Self.complaint(String(decoding: errorData.data, as: UTF8.self)) ?? "exit status \(process.terminationStatus)"
            throw ReportError("git \(arguments.prefix(2).joined(separator: " ")) in \(directory): \(UntrustedText.terminal(message))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The line of git's standard error that says what failed: its first `fatal:` or `error:`
    /// line (git may first say what it was doing, "Preparing worktree …"), else its first line.
    static func complaint(_ errors: String) -> String? {
        let lines = errors.split(separator: "\n").map(String.init)
        return lines.first { $0.hasPrefix("fatal:") || $0.hasPrefix("error:") } ?? lines.first
    }

    /// The full hash of `revision`'s commit.
    /// - Throws: `ReportError` when `revision` names no commit here.
    public func commit(_ revision: String) throws -> String {
        guard !revision.hasPrefix("-"),
              let hash = try? run(["rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"])
                .trimmingCharacters(in: .whitespacesAndNewlines), !hash.isEmpty else {
            throw ReportError("\(UntrustedText.terminal(revision)) is not a commit of the repository \(directory)")
        }
        return hash
    }
}

/// Bytes read on another thread, handed over once that thread is done (a `DispatchGroup` orders the two).
private final class Collected: @unchecked Sendable {
    var data = Data()
}
