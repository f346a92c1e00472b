import Files
import Foundation

/// A change the project knows about and accepts: at `commit` (a hash or its prefix of at least
/// 7 digits), the training `training` (its id, a sweep point's id, or `*` for every training)
/// changed, for `reason`. `history` shows such changes as acknowledged, not as regressions.
///
/// They are read from a small TOML file (`reports/acknowledged.toml`), one table per change:
/// ```toml
/// [[change]]
/// commit = "f0a2094"
/// training = "*"
/// metric = "speed"        # optional: "accuracy" or "speed"; both when left out
/// reason = "engine 3: the engine's own kernels replace OpenBLAS"
/// ```
/// Only this subset of TOML is read (tables `[[change]]`, basic strings, comments); anything
/// else is refused with its line number.
public struct Acknowledgement: Sendable, Equatable {
    public var commit: String
    public var training: String
    public var metric: HistoryAnalysis.Metric?
    public var reason: String

    public init(commit: String, training: String, metric: HistoryAnalysis.Metric? = nil, reason: String) {
        (self.commit, self.training, self.metric, self.reason) = (commit.lowercased(), training, metric, reason)
    }

    /// Whether this covers a change of `series`' `metric` at `commit` (a full hash).
    public func covers(commit full: String?, series: String, metric: HistoryAnalysis.Metric) -> Bool {
        guard let full, full.lowercased().hasPrefix(commit) else { return false }
        return (training == "*" || training == series) && (self.metric == nil || self.metric == metric)
    }

    /// The largest acknowledgements file read.
    public static let maximumFileSize = 1 << 20
    /// The most acknowledgements in one file.
    public static let maximumCount = 10_000

    /// The acknowledgements in the file at `path`.
    /// - Throws: `FileProblem` when it cannot be read; `ReportError` naming the line at fault.
    public static func read(path: String) throws -> [Acknowledgement] {
        let bytes = try InputFile.read(path, limit: maximumFileSize, what: "an acknowledgements file")
        guard let text = String(bytes: bytes, encoding: .utf8) else { throw ReportError("\(path): not UTF-8 text") }
        return try parse(text, source: path)
    }

    /// The acknowledgements in `text`, read from `source` (for the messages).
    public static func parse(_ text: String, source: String) throws -> [Acknowledgement] {
        var result: [Acknowledgement] = []
        var current: [String: String]?
        var tableLine = 0
        func finish() throws {
            guard let fields = current else { return }
            func field(_ name: String) throws -> String {
                guard let value = fields[name], !value.isEmpty else {
                    throw ReportError("\(source):\(tableLine): [[change]] needs \(name) = \"…\"")
                }
                return value
            }
            let commit = try field("commit")
            guard commit.count >= 7, commit.count <= 64, commit.allSatisfy(\.isHexDigit) else {
                throw ReportError("\(source):\(tableLine): commit must be a hash of 7 to 64 hex digits, got \"\(UntrustedText.terminal(commit))\"")
            }
            var metric: HistoryAnalysis.Metric?
            if let name = fields["metric"] {
                switch name {
                case "accuracy": metric = .accuracy
                case "speed": metric = .speed
                default: throw ReportError("\(source):\(tableLine): metric must be \"accuracy\" or \"speed\", got \"\(UntrustedText.terminal(name))\"")
                }
            }
            result.append(Acknowledgement(commit: commit, training: try field("training"), metric: metric, reason: try field("reason")))
            guard result.count <= maximumCount else { throw ReportError("\(source): more than \(maximumCount) acknowledgements") }
        }
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line == "[[change]]" {
                try finish()
                (current, tableLine) = ([:], number + 1)
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw ReportError("\(source):\(number + 1): expected [[change]] or key = \"value\", got \"\(UntrustedText.terminal(String(line.prefix(60))))\"")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard current != nil else { throw ReportError("\(source):\(number + 1): \(UntrustedText.terminal(key)) outside a [[change]] table") }
            guard ["commit", "training", "metric", "reason"].contains(key) else {
                throw ReportError("\(source):\(number + 1): unknown key \"\(UntrustedText.terminal(key))\" (expected commit, training, metric, reason)")
            }
            guard current?[key] == nil else { throw ReportError("\(source):\(number + 1): \(key) given twice in one [[change]]") }
            current?[key] = try basicString(line[line.index(after: equals)...], source: "\(source):\(number + 1)")
        }
        try finish()
        return result
    }

    /// The value of a TOML basic string (`"…"` with `\"`, `\\`, `\n`, `\t` escapes), then an optional comment.
    static func basicString(_ text: Substring, source: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.first == "\"" else { throw ReportError("\(source): expected a string in double quotes") }
        var value = ""
        var escaped = false
        var rest: Substring?
        for (offset, character) in trimmed.dropFirst().enumerated() {
            if escaped {
                switch character {
                case "\"", "\\": value.append(character)
                case "n": value.append("\n")
                case "t": value.append("\t")
                default: throw ReportError("\(source): unknown escape \\\(character)")
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                rest = trimmed.dropFirst(offset + 2)
                break
            } else {
                value.append(character)
            }
        }
        guard let rest else { throw ReportError("\(source): the string has no closing quote") }
        let after = rest.trimmingCharacters(in: .whitespaces)
        guard after.isEmpty || after.hasPrefix("#") else { throw ReportError("\(source): unexpected text after the string") }
        return value
    }
}
