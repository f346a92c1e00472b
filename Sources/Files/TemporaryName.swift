#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// The names of the tool's temporary files and folders, `.<name>.tmp-<pid>-<n>@<host>`: hidden,
/// beside what they become, and carrying the process and the machine that made them, so a later
/// run can tell a leftover of a dead process (removed) from the work of a live one (left alone),
/// also in a folder that several machines share (a cache on a network file system): a process
/// can only be looked up on its own host, so another host's temporary is left alone until it is
/// `foreignAge` old. (Names without `@<host>`, from versions before it, count as this host's.)
public enum TemporaryName {
    private static let counter = Atomic<Int>(0)

    /// How old another host's temporary must be before it counts as abandoned: a day, far
    /// longer than any one training or write of this tool.
    public static let foreignAge: TimeInterval = 24 * 3600

    /// This machine's name as it appears in temporary names: letters, digits, '.' and '_' only.
    public static let host: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        let raw = gethostname(&buffer, buffer.count - 1) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        let kept = String(raw.unicodeScalars.prefix(64).map { scalar in
            (scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == ".")) ? Character(scalar) : "_"
        })
        return kept.isEmpty ? "unknown" : kept
    }()

    /// The most a temporary name adds to the name it stands beside, in bytes:
    /// `.` + `.tmp-` + a pid (10 digits) + `-` + a counter (10 digits) + `@` + a host (64).
    /// A name longer than 255 less this cannot have a temporary beside it on most file systems.
    public static let longestAddition = 1 + 5 + 10 + 1 + 10 + 1 + 64

    /// A fresh temporary name in the folder of `path`, for what will become `path`.
    public static func beside(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let n = counter.add(1, ordering: .relaxed).newValue
        return url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(n)@\(host)").path
    }

    /// The suffix that marks a name as this process's, after `.<name>.<marker>-`.
    public static func ownSuffix() -> String { "\(getpid())@\(host)" }

    /// The process id in a temporary name of ours (`.x.tmp-123-4@h` → 123), or nil for other names.
    public static func owner(of name: String, marker: String = "tmp") -> pid_t? {
        guard name.hasPrefix("."), let range = name.range(of: ".\(marker)-", options: .backwards),
              range.lowerBound > name.index(after: name.startIndex) else { return nil }
        let tail = name[range.upperBound...]
        let numbers = tail.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let fields = numbers.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(fields.count), fields.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let pid = pid_t(fields[0]), pid > 0 else { return nil }
        return pid
    }

    /// The host in a temporary name of ours, nil when it names none (an older name).
    public static func host(of name: String) -> String? {
        guard owner(of: name) != nil || owner(of: name, marker: "old") != nil,
              let at = name.lastIndex(of: "@") else { return nil }
        return String(name[name.index(after: at)...])
    }

    /// Whether process `pid` is still running (or exists under another user).
    public static func isAlive(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    /// Whether the temporary `name` at `path` was left by a process that is gone: one of this
    /// host that no longer runs, or one of another host older than `foreignAge`.
    public static func isAbandoned(_ name: String, at path: String, marker: String = "tmp") -> Bool {
        guard let pid = owner(of: name, marker: marker) else { return false }
        if let other = host(of: name), other != host {
            guard let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date else { return false }
            return Date().timeIntervalSince(modified) > foreignAge
        }
        return pid != getpid() && !isAlive(pid)
    }

    /// Removes the temporary files and folders of dead processes in `directory` (ours by their
    /// name, see above); returns their names. A missing folder has none.
    @discardableResult
    public static func removeStale(in directory: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var removed: [String] = []
        for name in names.sorted() {
            let path = (directory as NSString).appendingPathComponent(name)
            guard isAbandoned(name, at: path) else { continue }
            if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append(name) }
        }
        return removed
    }
}
