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
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        var next = 0
        while next < lines.count {
            let number = next + 1
            let line = lines[next].trimmingCharacters(in: .whitespaces)
            next += 1
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line == "[[change]]" {
                try finish()
                (current, tableLine) = ([:], number)
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw ReportError("\(source):\(number): expected [[change]] or key = \"value\", got \"\(UntrustedText.terminal(String(line.prefix(60))))\"")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard current != nil else { throw ReportError("\(source):\(number): \(UntrustedText.terminal(key)) outside a [[change]] table") }
            guard ["commit", "training", "metric", "reason"].contains(key) else {
                throw ReportError("\(source):\(number): unknown key \"\(UntrustedText.terminal(key))\" (expected commit, training, metric, reason)")
            }
            guard current?[key] == nil else { throw ReportError("\(source):\(number): \(key) given twice in one [[change]]") }
            current?[key] = try string(line[line.index(after: equals)...], lines: lines, next: &next, source: "\(source):\(number)")
        }
        try finish()
        return result
    }

    /// The value of a TOML string, then an optional comment: basic (`"…"`, with TOML's
    /// escapes), literal (`'…'`, none), or either multi-line (`"""…"""`, `'''…'''`), which
    /// continues on the following `lines` (`next` is moved past them).
    /// - Throws: `ReportError` naming `source` (the file and the line the value starts on).
    static func string(_ text: Substring, lines: [String], next: inout Int, source: String) throws -> String {
        let trimmed = Substring(text.trimmingCharacters(in: .whitespaces))
        let value: String, rest: Substring
        if trimmed.hasPrefix("\"\"\"") || trimmed.hasPrefix("'''") {
            let quote = trimmed.first!
            var body = String(trimmed.dropFirst(3))
            var found = closing(body, quote: quote, run: 3)
            while found == nil {
                guard next < lines.count else { throw ReportError("\(source): the multi-line string has no closing \(String(repeating: quote, count: 3))") }
                body += "\n" + lines[next]
                next += 1
                found = closing(body, quote: quote, run: 3)
            }
            var raw = String(body[..<found!.end])
            if raw.hasPrefix("\n") { raw.removeFirst() }   // a line break right after the opening quotes is not part of it
            value = quote == "\"" ? try unescape(raw, multiline: true, source: source) : raw
            rest = body[found!.after...]
        } else if let quote = trimmed.first, quote == "\"" || quote == "'" {
            let body = String(trimmed.dropFirst())
            guard let found = closing(body, quote: quote, run: 1) else { throw ReportError("\(source): the string has no closing quote") }
            let raw = String(body[..<found.end])
            value = quote == "\"" ? try unescape(raw, multiline: false, source: source) : raw
            rest = Substring(body[found.after...])
        } else {
            throw ReportError("\(source): expected a string in quotes")
        }
        let after = rest.trimmingCharacters(in: .whitespaces)
        guard after.isEmpty || after.hasPrefix("#") else { throw ReportError("\(source): unexpected text after the string") }
        return value
    }

    /// Where the string in `body` ends: the first run of `run` closing quotes not escaped (a
    /// literal string has no escapes). A multi-line string may end with one or two quotes of its
    /// own before its closing three.
    static func closing(_ body: String, quote: Character, run: Int) -> (end: String.Index, after: String.Index)? {
        var index = body.startIndex
        while index < body.endIndex {
            let character = body[index]
            if character == "\\", quote == "\"" {
                index = body.index(after: index)
                if index < body.endIndex { index = body.index(after: index) }
                continue
            }
            if character == quote {
                var end = index, count = 0
                while end < body.endIndex, body[end] == quote { count += 1; end = body.index(after: end) }
                if count >= run {
                    let extra = run == 3 ? min(count - run, 2) : 0
                    return (body.index(index, offsetBy: extra), body.index(index, offsetBy: extra + run))
                }
                index = end
                continue
            }
            index = body.index(after: index)
        }
        return nil
    }

    /// A basic string's escapes decoded: `\b \t \n \f \r \e \" \\ \xHH \uHHHH \UHHHHHHHH`, and in a
    /// multi-line string a backslash ending a line, which removes the line break and the
    /// white space after it.
    static func unescape(_ raw: String, multiline: Bool, source: String) throws -> String {
        var value = ""
        var characters = raw[...]
        while let character = characters.popFirst() {
            guard character == "\\" else { value.append(character); continue }
            guard let code = characters.popFirst() else { throw ReportError("\(source): a backslash ends the string") }
            switch code {
            case "b": value.append("\u{8}")
            case "t": value.append("\t")
            case "n": value.append("\n")
            case "f": value.append("\u{c}")
            case "r": value.append("\r")
            case "e": value.append("\u{1b}")
            case "\"", "\\": value.append(code)
            case "x", "u", "U":
                let digits = code == "x" ? 2 : code == "u" ? 4 : 8
                let hex = String(characters.prefix(digits))
                guard hex.count == digits, hex.allSatisfy(\.isHexDigit), let number = UInt32(hex, radix: 16),
                      let scalar = Unicode.Scalar(number) else {
                    throw ReportError("\(source): \\\(code) needs \(digits) hexadecimal digits of a Unicode scalar value")
                }
                characters = characters.dropFirst(digits)
                value.unicodeScalars.append(scalar)
            case " ", "\t", "\n":
                // Only white space may follow on the line: then the break and the blanks after it go.
                let blanks = characters.prefix { $0 == " " || $0 == "\t" }
                guard multiline, code == "\n" || characters.dropFirst(blanks.count).first == "\n" else {
                    throw ReportError("\(source): a backslash before a blank is no escape (write \\\\ for a backslash)")
                }
                characters = characters.drop { $0 == " " || $0 == "\t" || $0 == "\n" }
            default:
                throw ReportError("\(source): unknown escape \\\(code)")
            }
        }
        return value
    }
}
