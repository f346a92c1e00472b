#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// The names of the tool's temporary files and folders, `.<name>.tmp-<pid>-<n>`: hidden, beside
/// what they become, and carrying the process that made them, so a later run can tell a
/// leftover of a dead process (removed) from the work of a live one (left alone).
public enum TemporaryName {
    private static let counter = Atomic<Int>(0)

    /// A fresh temporary name in the folder of `path`, for what will become `path`.
    public static func beside(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let n = counter.add(1, ordering: .relaxed).newValue
        return url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(n)").path
    }

    /// The process id in a temporary name of ours (`.x.tmp-123-4` → 123), or nil for other names.
    public static func owner(of name: String, marker: String = "tmp") -> pid_t? {
        guard name.hasPrefix("."), let range = name.range(of: ".\(marker)-", options: .backwards),
              range.lowerBound > name.index(after: name.startIndex) else { return nil }
        let fields = name[range.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(fields.count), fields.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let pid = pid_t(fields[0]), pid > 0 else { return nil }
        return pid
    }

    /// Whether process `pid` is still running (or exists under another user).
    public static func isAlive(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    /// Removes the temporary files and folders of dead processes in `directory` (ours by their
    /// name, see above); returns their names. A missing folder has none.
    @discardableResult
    public static func removeStale(in directory: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var removed: [String] = []
        for name in names.sorted() {
            guard let pid = owner(of: name), pid != getpid(), !isAlive(pid) else { continue }
            let path = (directory as NSString).appendingPathComponent(name)
            if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append(name) }
        }
        return removed
    }
}
