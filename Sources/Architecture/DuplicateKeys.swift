/// Finds a key that appears twice in one JSON object. JSON allows it and parsers disagree on
/// it (`JSONSerialization` and `JSONDecoder` may keep different copies), so a file that the
/// schema check reads one way could be decoded another: every JSON file the tool reads is
/// refused when it has one (results files, acknowledgements, saved models' headers).
public enum DuplicateKeys {
    /// A key as the message shows it: quoted, cut after 24 characters.
    static func quote(_ text: String) -> String {
        text.count > 24 ? String(String(text.prefix(24)).debugDescription.dropLast()) + "…\"" : text.debugDescription
    }

    /// The deepest nesting looked into; a parser refuses deeper documents first.
    static let maximumDepth = 512

    /// `trainings[3]: key "id" appears twice` for the first duplicate in `bytes` (syntactically
    /// valid JSON), nil when every object's keys are distinct. Keys are compared after their
    /// escapes are decoded (`"id"` and `"\u0069d"` are one key).
    public static func first(in bytes: [UInt8]) -> String? {
        var scanner = Scanner(bytes: bytes)
        return scanner.value(path: "", depth: 0)
    }

    struct Scanner {
        let bytes: [UInt8]
        var at = 0

        mutating func skipSpace() {
            while at < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[at]) { at += 1 }
        }

        /// Scans one value; returns the first duplicate in it.
        mutating func value(path: String, depth: Int) -> String? {
            skipSpace()
            guard at < bytes.count, depth < DuplicateKeys.maximumDepth else { return nil }
            switch bytes[at] {
            case UInt8(ascii: "{"):
                at += 1
                var seen = Set<String>()
                while true {
                    skipSpace()
                    guard at < bytes.count, bytes[at] != UInt8(ascii: "}") else { at += 1; return nil }
                    if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                    let key = string()
                    let place = path.isEmpty ? "the document" : path
                    if !seen.insert(key).inserted { return "\(place): key \(DuplicateKeys.quote(key)) appears twice" }
                    skipSpace()
                    at += 1   // ':'
                    let before = at
                    if let found = value(path: path.isEmpty ? key : "\(path).\(key)", depth: depth + 1) { return found }
                    if at == before { at += 1 }   // not valid JSON: keep going to the end
                }
            case UInt8(ascii: "["):
                at += 1
                var index = 0
                while true {
                    skipSpace()
                    guard at < bytes.count, bytes[at] != UInt8(ascii: "]") else { at += 1; return nil }
                    if bytes[at] == UInt8(ascii: ",") { at += 1; index += 1; continue }
                    let before = at
                    if let found = value(path: "\(path)[\(index)]", depth: depth + 1) { return found }
                    if at == before { at += 1 }   // not valid JSON: keep going to the end
                }
            case UInt8(ascii: "\""):
                _ = string()
                return nil
            default:
                // A number or a literal: up to the next delimiter.
                while at < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09].contains(bytes[at]) {
                    at += 1
                }
                return nil
            }
        }

        /// Scans a string at `at` (its opening quote), decoding its escapes.
        mutating func string() -> String {
            at += 1
            var units: [UInt16] = []
            var raw: [UInt8] = []
            func flush() { units += String(decoding: raw, as: UTF8.self).utf16; raw = [] }
            while at < bytes.count, bytes[at] != UInt8(ascii: "\"") {
                guard bytes[at] == UInt8(ascii: "\\"), at + 1 < bytes.count else { raw.append(bytes[at]); at += 1; continue }
                flush()
                let escaped = bytes[at + 1]
                at += 2
                switch escaped {
                case UInt8(ascii: "u"):
                    let hex = String(decoding: bytes[at..<min(at + 4, bytes.count)], as: UTF8.self)
                    units.append(UInt16(hex, radix: 16) ?? 0xFFFD)
                    at += 4
                case UInt8(ascii: "n"): units.append(0x0A)
                case UInt8(ascii: "t"): units.append(0x09)
                case UInt8(ascii: "r"): units.append(0x0D)
                case UInt8(ascii: "b"): units.append(0x08)
                case UInt8(ascii: "f"): units.append(0x0C)
                default: units.append(UInt16(escaped))   // \" \\ \/
                }
            }
            flush()
            at += 1
            return String(decoding: units, as: UTF16.self)
        }
    }
}
