import Foundation
import Architecture

/// Facts about where a run happened, for `results.json`.
public enum MachineFacts {
    /// The CPU's model name alone.
    public static var cpuModel: String { cpuInfo("model name") ?? "unknown" }

    /// The feature flags of the first CPU, as Linux lists them; empty where there is no /proc/cpuinfo.
    public static var cpuFlags: Set<String> { Set((cpuInfo("flags") ?? "").split(separator: " ").map(String.init)) }

    /// The value of `field` for the first CPU in /proc/cpuinfo (its one parser), nil where there is none.
    static func cpuInfo(_ field: String) -> String? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field) }),
              let value = line.split(separator: ":", maxSplits: 1).last else { return nil }
        return value.trimmingCharacters(in: .whitespaces)
    }

    /// The Swift compiler that built this binary, to the patch release ("Swift 6.3.1"): the
    /// `#if compiler` chain is resolved when this file is compiled.
    public static var toolchain: String {
        #if compiler(>=6.4)
        return "Swift 6.4 or later"
        #elseif compiler(>=6.3.3)
        return "Swift 6.3.3 or later"
        #elseif compiler(>=6.3.2)
        return "Swift 6.3.2"
        #elseif compiler(>=6.3.1)
        return "Swift 6.3.1"
        #elseif compiler(>=6.3)
        return "Swift 6.3"
        #elseif compiler(>=6.2.1)
        return "Swift 6.2.1 or later"
        #elseif compiler(>=6.2)
        return "Swift 6.2"
        #elseif compiler(>=6.1)
        return "Swift 6.1"
        #else
        return "Swift 6.0"
        #endif
    }

    /// The operating system and its kernel: `PRETTY_NAME` of /etc/os-release and the kernel
    /// release from uname(2) ("Debian GNU/Linux 12 (bookworm), Linux 6.1.0-18-amd64").
    public static var os: String {
        let text = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) ?? ""
        return describeOS(osRelease: text, kernel: kernel)
    }

    /// `PRETTY_NAME` of an os-release file (or its `NAME`) beside the kernel ("Linux 6.1.0").
    static func describeOS(osRelease: String, kernel: String?) -> String {
        func value(_ key: String) -> String? {
            guard let line = osRelease.split(separator: "\n").first(where: { $0.hasPrefix(key + "=") }) else { return nil }
            let raw = line.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces)
            let unquoted = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            return unquoted.isEmpty ? nil : unquoted
        }
        let name = value("PRETTY_NAME") ?? value("NAME")
        return [name, kernel].compactMap { $0 }.joined(separator: ", ").nonEmpty ?? "unknown"
    }

    /// The kernel's name and release from uname(2) ("Linux 6.1.0-18-amd64").
    static var kernel: String? {
        var names = utsname()
        guard uname(&names) == 0 else { return nil }
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return "\(field(names.sysname)) \(field(names.release))"
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
    /// Whether an executable `program` is in a folder of `$PATH`.
    public static func onPath(_ program: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains { folder in
            FileManager.default.isExecutableFile(atPath: (String(folder) as NSString).appendingPathComponent(program))
        }
    }

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

extension String {
    /// Nil for the empty string.
    var nonEmpty: String? { isEmpty ? nil : self }
}
