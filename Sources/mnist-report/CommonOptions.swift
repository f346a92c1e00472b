import ArgumentParser
import Assignment
import Files
import Foundation
import MNIST
import NeuralEngine

/// Options shared by every command that reads data and computes.
struct MachineOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Folder holding the four MNIST IDX files (.gz or not); default: $\(MNISTDataset.environmentVariable), else the copy embedded in the package.", valueName: "path"))
    var dataDir: String?

    @Option(help: "Threads for the matrix products (default: every core).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    /// Loads the verified data set, reporting failures as clean errors.
    func prepare() throws -> MNISTDataset {
        do {
            return try MNISTDataset.load(directory: dataDir)
        } catch let error as MNISTError {
            throw CommandError(String(describing: error))
        }
    }
}

/// A failure reported as one clear line on standard error, with a non-zero exit.
struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Where the console's messages go: standard output, unless a command writes a file there
/// (`--json -`), in which case they move to standard error so the file stays clean.
enum Console {
    nonisolated(unsafe) static var messagesToStandardError = false

    /// Sends messages to standard error when any of `outputs` is standard output.
    static func keepStandardOutputFor(_ outputs: String?...) {
        if outputs.contains(OutputFile.standardOutput) { messagesToStandardError = true }
    }
}

/// Writes `text` to standard output at once (unbuffered, so it interleaves with progress).
func writeOut(_ text: String) {
    (Console.messagesToStandardError ? FileHandle.standardError : FileHandle.standardOutput).write(Data(text.utf8))
}

/// Writes one line to standard output.
func say(_ line: String = "") { writeOut(line + "\n") }

/// Writes one line of information to standard error, where it cannot mix with a JSON answer.
func note(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Writes to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

extension JSONEncoder {
    static var pretty: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
