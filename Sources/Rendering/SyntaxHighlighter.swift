/// Colours the report's code listings without a network or a JavaScript library: a small
/// scanner that wraps keywords, strings, numbers, comments and the names of called functions
/// and types in `<span class="hl-…">`, and escapes everything it emits (as `ReportViewModel.escaped` does for SVG), so its output goes into
/// a template with `{{{ }}}`.
///
/// It knows what the listings the report writes contain (Python for Keras, Swift for the engine),
/// not whole languages: no nested string interpolation, no raw strings.
public enum SyntaxHighlighter {
    public enum Language: Sendable {
        case python
        case swift

        var keywords: Set<String> {
            switch self {
            case .python:
                return ["False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
                 "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
                 "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield"]
            case .swift:
                return ["as", "break", "case", "catch", "class", "continue", "default", "defer", "do", "else", "enum", "false",
                 "for", "func", "guard", "if", "import", "in", "inout", "let", "nil", "private", "public", "return",
                 "self", "static", "struct", "switch", "throw", "throws", "true", "try", "var", "where", "while"]
            }
        }

        /// Whether a comment starts at `i`: `#` in Python, `//` in Swift.
        func commentStarts(_ text: [Character], at i: Int) -> Bool {
            switch self {
            case .python: return text[i] == "#"
            case .swift: return text[i] == "/" && i + 1 < text.count && text[i + 1] == "/"
            }
        }
    }

    /// What a span of the listing is; its raw value is the CSS class (`templates/style.mustache`).
    enum Token: String {
        case keyword = "hl-kw"
        case string = "hl-str"
        case number = "hl-num"
        case comment = "hl-com"
        /// An identifier directly followed by `(`: a function, a constructor, a layer.
        case call = "hl-fn"
    }

    /// `source` as HTML: escaped, with the spans of its tokens marked.
    public static func html(_ source: String, language: Language) -> String {
        let text = Array(source)
        let keywords = language.keywords
        var out = ""
        var i = 0
        func emit(_ token: Token?, upTo end: Int) {
            let piece = ReportViewModel.escaped(String(text[i..<end]))
            out += token.map { "<span class=\"\($0.rawValue)\">\(piece)</span>" } ?? piece
            i = end
        }
        while i < text.count {
            let c = text[i]
            if language.commentStarts(text, at: i) {
                emit(.comment, upTo: text[i...].firstIndex(of: "\n") ?? text.count)
            } else if c == "\"" || c == "'" {
                emit(.string, upTo: stringEnd(text, from: i))
            } else if isDigit(c) || (c == "." && i + 1 < text.count && isDigit(text[i + 1]) && !(i > 0 && isWordCharacter(text[i - 1]))) {
                emit(.number, upTo: numberEnd(text, from: i))
            } else if c.isLetter || c == "_" {
                var end = i
                while end < text.count, isWordCharacter(text[end]) { end += 1 }
                let token: Token? = keywords.contains(String(text[i..<end])) ? .keyword
                    : end < text.count && text[end] == "(" ? .call : nil
                emit(token, upTo: end)
            } else {
                emit(nil, upTo: i + 1)
            }
        }
        return out
    }

    static func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
    static func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    /// Past the closing quote of the string opening at `start` (the same quote, not escaped by a
    /// backslash), or the end of its line when it is not closed there.
    static func stringEnd(_ text: [Character], from start: Int) -> Int {
        let quote = text[start]
        var i = start + 1
        while i < text.count, text[i] != quote, text[i] != "\n" {
            i += text[i] == "\\" ? 2 : 1
        }
        return i < text.count && text[i] == quote ? i + 1 : min(i, text.count)
    }

    /// Past the number starting at `start`: digits, underscores, one decimal point, an exponent.
    static func numberEnd(_ text: [Character], from start: Int) -> Int {
        var i = start
        func digits() { while i < text.count, isDigit(text[i]) || text[i] == "_" { i += 1 } }
        digits()
        if i < text.count, text[i] == "." { i += 1; digits() }
        if i < text.count, text[i] == "e" || text[i] == "E" {
            var j = i + 1
            if j < text.count, text[j] == "-" || text[j] == "+" { j += 1 }
            if j < text.count, isDigit(text[j]) { i = j; digits() }
        }
        return i
    }
}
