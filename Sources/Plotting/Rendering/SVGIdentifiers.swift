import Foundation

/// Renames the ids of an SVG document so that several documents can live in one HTML page.
///
/// Cairo names glyphs and images alike in every document (`glyph0-1`, …) and numbers its
/// surfaces with a process-wide counter (`surface12`), while the ids of all inline SVGs
/// share the page's one namespace. So every id becomes `prefix` + its rank of first
/// appearance, and every reference follows.
enum SVGIdentifiers {
    /// The places an id is declared or referenced in Cairo's output, and what ends each.
    private static let declaration = (start: " id=\"", end: "\"")
    private static let references = [(start: "href=\"#", end: "\""), (start: "url(#", end: ")")]

    /// `svg` with its ids renamed to `prefix` + rank; by default the prefix is `f`, a hash
    /// of the document with neutral ids, and `-`, so the same figure always gives the same
    /// text and different figures give different ids.
    static func renamed(_ svg: String, prefix: String? = nil) -> String {
        var rank: [String: Int] = [:]
        for id in names(after: declaration, in: svg) where rank[id] == nil { rank[id] = rank.count }
        let prefix = prefix ?? "f\(hash(rewritten(svg, rank: rank, prefix: "")))-"
        return rewritten(svg, rank: rank, prefix: prefix)
    }

    private static func rewritten(_ svg: String, rank: [String: Int], prefix: String) -> String {
        ([declaration] + references).reduce(svg) { text, marker in
            rewrite(text, after: marker) { name in rank[name].map { "\(prefix)\($0)" } ?? name }
        }
    }

    /// The names following `marker.start` up to `marker.end`, in order.
    private static func names(after marker: (start: String, end: String), in text: String) -> [String] {
        var names: [String] = []
        _ = rewrite(text, after: marker) { names.append($0); return $0 }
        return names
    }

    /// `text` with every name between `marker.start` and `marker.end` replaced by `transform(name)`.
    private static func rewrite(_ text: String, after marker: (start: String, end: String),
                                _ transform: (String) -> String) -> String {
        var result = ""
        var position = text.startIndex
        while let start = text.range(of: marker.start, range: position..<text.endIndex),
              let end = text.range(of: marker.end, range: start.upperBound..<text.endIndex) {
            result += text[position..<start.upperBound]
            result += transform(String(text[start.upperBound..<end.lowerBound]))
            position = end.lowerBound
        }
        result += text[position...]
        return result
    }

    /// The 64-bit FNV-1a hash of `text`'s UTF-8 bytes, as 8 hex digits (its low 32 bits).
    static func hash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash & 0xFFFF_FFFF, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
