import ArgumentParser
import Assignment
import Training
import Files
import Foundation
import MNIST
import NeuralEngine
import ReportBuild

/// Options shared by every command that reads data and computes.
struct MachineOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Folder holding the four MNIST IDX files (.gz or not); default: $\(MNISTDataset.environmentVariable), else the copy embedded in the package.", valueName: "path"))
    var dataDir: String?

    @Option(help: ArgumentHelp("Threads for the matrix products: by default every core of this machine, at most 4 × the cores.", valueName: "n"))
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        try Bounds.check("--threads", threads, within: Bounds.threads)
    }

    /// Loads the verified data set, reporting failures as clean errors.
    func prepare() throws -> MNISTDataset { try Self.prepare(dataDir: dataDir) }

    /// The verified data set of `dataDir` (nil: the default), failures as clean errors.
    static func prepare(dataDir: String?) throws -> MNISTDataset { try ReportBuild.loadData(dataDir) }
}

/// The ranges of the numbers that size something (threads, processes, matrices, counts),
/// checked when the command line is parsed, so that no value starts more threads than the
/// machine can hold or allocates what it cannot.
enum Bounds {
    static let cores = max(ProcessInfo.processInfo.activeProcessorCount, 1)
    /// Threads or parallel trainings: up to four per core, enough to oversubscribe on purpose.
    static let threads = 1...(4 * cores)
    static let threadsReason = "4 × the \(cores) cores here"

    /// Throws a message naming the flag, the range and why, when `value` lies outside it.
    static func check(_ flag: String, _ value: Int, within range: ClosedRange<Int>, because reason: String? = nil) throws {
        guard !range.contains(value) else { return }
        let why = reason ?? (range == threads ? threadsReason : nil)
        throw ValidationError("\(flag) must lie in \(range.lowerBound)…\(range.upperBound)\(why.map { " (\($0))" } ?? ""), got \(value)")
    }
}

/// Refuses two output options aimed at one file, or both at standard output (`-`): one of the
/// two results would be lost, or their bytes interleaved.
func checkDistinctOutputs(_ outputs: [(flag: String, path: String?)]) throws {
    let given = outputs.compactMap { output in output.path.map { (flag: output.flag, path: $0) } }
    for (i, first) in given.enumerated() {
        for second in given[(i + 1)...] {
            // The same text, the same path once normalised, or the same target once the symbolic
            // links on the way are followed (--save X --json L with L → X).
            func target(_ path: String) -> String {
                URL(fileURLWithPath: (try? OutputFile.followLinks(path)) ?? path).standardizedFileURL.path
            }
            let same = first.path == second.path
                || (first.path != OutputFile.standardOutput && second.path != OutputFile.standardOutput
                    && (URL(fileURLWithPath: first.path).standardizedFileURL.path == URL(fileURLWithPath: second.path).standardizedFileURL.path
                        || target(first.path) == target(second.path)))
            if same {
                let target = first.path == OutputFile.standardOutput ? "standard output" : first.path
                throw ValidationError("\(first.flag) and \(second.flag) both name \(target); give each its own file")
            }
        }
    }
}

/// Refuses an output aimed at one of the command's `inputs` (symbolic links resolved), each
/// named for the message ("the run A being compared"): what a command read must not be
/// replaced by what it writes.
func checkOutputsSpare(_ inputs: [(path: String, name: String)], outputs: [(flag: String, path: String?)]) throws {
    func resolved(_ path: String) -> String { URL(fileURLWithPath: path).resolvingSymlinksInPath().path }
    for (flag, output) in outputs {
        guard let output, output != OutputFile.standardOutput else { continue }
        if let input = inputs.first(where: { resolved($0.path) == resolved(output) }) {
            throw ValidationError("\(flag) \(output) would overwrite \(input.name); write it elsewhere")
        }
    }
}

/// A failure reported as one clear line on standard error, with a non-zero exit.
struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Where a command's messages go: standard output, unless the command writes a file there
/// (`--json -`), in which case they go to standard error so the file stays clean. A value each
/// command makes from its own options (`ConsoleCommand.console`), not a setting of the process.
struct Console: Sendable {
    let messagesToStandardError: Bool

    /// Messages on standard output.
    init() { messagesToStandardError = false }

    /// Messages on standard error when any of `outputs` is standard output (`-`).
    init(keepingStandardOutputFor outputs: String?...) {
        messagesToStandardError = outputs.contains(OutputFile.standardOutput)
    }

    /// Writes `text` where messages go, at once (unbuffered, so it interleaves with progress).
    func write(_ text: String) {
        Console.write(text, to: messagesToStandardError ? STDERR_FILENO : STDOUT_FILENO)
    }

    /// Writes one line where messages go.
    func say(_ line: String = "") { write(line + "\n") }
}

/// A command that talks through a `Console`: on standard output unless it says otherwise.
protocol ConsoleCommand {
    var console: Console { get }
}

extension ConsoleCommand {
    var console: Console { Console() }

    /// Writes one line where this command's messages go.
    func say(_ line: String = "") { console.say(line) }
}

/// Writes one line of information to standard error, where it cannot mix with a JSON answer.
func note(_ line: String) { writeError(line + "\n") }

/// Writes to standard error.
func printError(_ message: String) { writeError(message + "\n") }

func writeError(_ text: String) { Console.write(text, to: STDERR_FILENO) }

extension Console {
    /// Writes to standard output or error. A stream that fails (closed, a full device, a reader
    /// that left) ends the command with exit 1 and, if standard error still takes it, one line
    /// saying which stream failed; it never crashes. (SIGPIPE is ignored from `main` on, so a
    /// reader that left ends here too, after `ClosingActions`.)
    static func write(_ text: String, to descriptor: Int32) {
        let name = descriptor == STDOUT_FILENO ? "standard output" : "standard error"
        do {
            try OutputFile.writeAll(Array(text.utf8), to: descriptor, path: name)
        } catch {
            if descriptor != STDERR_FILENO {
                try? OutputFile.writeAll(Array("mnist-report: \(error)\n".utf8), to: STDERR_FILENO, path: "standard error")
            }
            ClosingActions.shared.run()
            exit(1)
        }
    }
}

/// What a command must undo when a failed stream ends it (bisect removes its worktrees): run,
/// once, before that exit.
final class ClosingActions: @unchecked Sendable {
    static let shared = ClosingActions()
    private let lock = NSLock()
    private var actions: [@Sendable () -> Void] = []

    func add(_ action: @escaping @Sendable () -> Void) { lock.withLock { actions.append(action) } }

    func run() {
        let pending = lock.withLock { () -> [@Sendable () -> Void] in
            defer { actions = [] }
            return actions
        }
        pending.forEach { $0() }
    }
}

extension JSONEncoder {
    static var pretty: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
