import Foundation
import NeuralEngine

/// Facts about where a run happened, for `results.json`.
public enum MachineFacts {
    /// The CPU's model name, from /proc/cpuinfo, and the OpenBLAS kernels that ran on it:
    /// the same CPU gives other numbers with other kernels.
    public static var cpu: String {
        "\(cpuModel) (OpenBLAS \(BLASCore.current) kernels)"
    }

    /// The CPU's model name alone.
    public static var cpuModel: String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
              let name = line.split(separator: ":", maxSplits: 1).last else { return "unknown" }
        return name.trimmingCharacters(in: .whitespaces)
    }

    /// The Swift compiler that built this binary.
    public static var toolchain: String {
        #if compiler(>=6.3)
        return "Swift 6.3 or later"
        #elseif compiler(>=6.2)
        return "Swift 6.2"
        #elseif compiler(>=6.1)
        return "Swift 6.1"
        #else
        return "Swift 6.0"
        #endif
    }

    /// The current commit and whether the tracked files outside `reports/` differ from it (the
    /// code and templates that make a report; reports written by earlier builds do not count),
    /// or nil outside git.
    public static func git(in directory: String = FileManager.default.currentDirectoryPath) -> (commit: String, dirty: Bool)? {
        guard let commit = run(["git", "-C", directory, "rev-parse", "HEAD"])?.trimmingCharacters(in: .whitespacesAndNewlines),
              !commit.isEmpty else { return nil }
        let status = run(["git", "-C", directory, "status", "--porcelain", "--untracked-files=no",
                          "--", ":/", ":(top,exclude)reports"]) ?? ""
        return (commit, !status.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    /// Standard output of a command, or nil when it fails.
    public static func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }
}
