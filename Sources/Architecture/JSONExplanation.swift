import Foundation

/// Why a JSON document could not be read, in words a user can act on: the JSON path of the field
/// (`trainings[2].history.loss[4]`), what was expected there and what was found, never a Swift
/// type name. The one explainer of every JSON file the tool reads: results files, cache records,
/// saved models' headers and architectures.
///
/// A `DecodingError` names the Swift type it wanted but not what it found, and (swift-foundation
/// #1604) a number that does not fit its field comes without a path; so the explainer reads the
/// document's tree as `JSONSerialization` parses it, beside the error.
public enum JSONExplanation {
    /// What a kind of document says of its fields beyond JSON's types, by key: numbers that must be
    /// whole, unsigned 64-bit or within a 32-bit float's range, and strings that must be one of a list.
    public struct Fields: Sendable {
        public var wholeNumbers: Set<String>
        public var unsigned: Set<String>
        public var floats: Set<String>
        public var choices: [String: [String]]

        public init(wholeNumbers: Set<String> = [], unsigned: Set<String> = [], floats: Set<String> = [],
                    choices: [String: [String]] = [:]) {
            (self.wholeNumbers, self.unsigned, self.floats, self.choices) = (wholeNumbers, unsigned, floats, choices)
        }

        public static let none = Fields()

        /// A model's architecture (a saved model's header): its layers' named settings.
        public static let architecture = Fields(choices: ["activation": Activation.allCases.map(\.rawValue),
                                                         "padding": [Padding.valid.rawValue, Padding.same.rawValue]])
    }

    /// Why `data` could not be decoded, as one line: not valid JSON (where), or the JSON path,
    /// what was expected and what was found.
    public static func explain(_ error: any Error, data: Data, fields: Fields = .none) -> String {
        let tree: Any
        do {
            tree = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            return "not valid JSON (\(syntaxProblem(error, in: data)))"
        }
        guard let error = error as? DecodingError else { return "cannot be read (\(error.localizedDescription))" }
        return explain(error, in: tree, text: data, fields: fields)
    }

    /// A decoding error as one line, given the tree the document parses to (nil when the
    /// document is not at hand: the line then says what was expected, not what was found).
    public static func explain(_ error: DecodingError, in tree: Any?, text: Data = Data(), fields: Fields = .none) -> String {
        func found(_ keys: [any CodingKey]) -> String {
            tree.map { ", found " + describe(value(at: keys, in: $0)) } ?? ""
        }
        switch error {
        case let .keyNotFound(key, context):
            return "\(path(context.codingPath + [key])): missing"
        case let .typeMismatch(type, context):
            return "\(located(context.codingPath)): expected \(expected(type))\(found(context.codingPath))"
        case let .valueNotFound(type, context):
            return "\(located(context.codingPath)): expected \(expected(type))\(tree == nil ? ", found null" : found(context.codingPath))"
        case let .dataCorrupted(context):
            guard let key = context.codingPath.last else {
                return tree.flatMap { misfit($0, key: nil, path: "", fields: fields) } ?? outOfRange(text) ?? "a value does not fit its field"
            }
            let allowed = fields.choices[key.stringValue].map { "one of " + $0.joined(separator: ", ") }
            return "\(located(context.codingPath)): expected \(allowed ?? wanted(context.debugDescription))\(found(context.codingPath))"
        @unknown default:
            return "cannot be read"
        }
    }

    /// What a type's own check wanted, from its message, without Swift's type names.
    static func wanted(_ message: String) -> String {
        // "Cannot initialize Padding from invalid String value sideways"
        if message.isEmpty || message.hasPrefix("Cannot initialize") { return "one of the accepted values" }
        // "Parsed JSON number <…> does not fit in Int32."
        if message.contains(" does not fit in ") { return "a number within its field's range" }
        return sentence(message)
    }

    /// `a.b[3].c`; empty for the document itself.
    public static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
    }

    /// `path(keys)`, or "the document" for the empty path.
    public static func located(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "the document" : path(keys)
    }

    /// What a decoding error's type stands for in JSON.
    static func expected(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Float.Type: return "a number"
        case is Int.Type, is UInt64.Type, is Int64.Type, is UInt.Type, is Int32.Type, is UInt32.Type, is UInt8.Type:
            return "a whole number"
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is [Any].Type: return "a list"
        case is [String: Any].Type: return "an object"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "another kind of value"
        }
    }

    /// The value at `path` in the parsed tree, nil when there is none.
    static func value(at path: [any CodingKey], in tree: Any) -> Any? {
        var value: Any? = tree
        for key in path {
            if let index = key.intValue, let array = value as? [Any] {
                value = array.indices.contains(index) ? array[index] : nil
            } else {
                value = (value as? [String: Any])?[key.stringValue]
            }
        }
        return value
    }

    /// A JSON value in words: `a string ("high")`, `the number 1e+300`, `null`.
    public static func describe(_ value: Any?) -> String {
        switch value {
        case nil: return "nothing"
        case is NSNull: return "null"
        case let string as String: return "a string (\(quote(string)))"
        case let number as NSNumber: return isBoolean(number) ? (number.boolValue ? "true" : "false") : "the number \(number)"
        case let array as [Any]: return "a list (\(array.count) value\(array.count == 1 ? "" : "s"))"
        case is [String: Any]: return "an object"
        default: return "an unknown value"
        }
    }

    /// A string for a message: quoted, escaped, cut after 24 characters.
    public static func quote(_ text: String) -> String {
        text.count > 24 ? String(String(text.prefix(24)).debugDescription.dropLast()) + "…\"" : text.debugDescription
    }

    /// JSON's `true` and `false` come as character-typed numbers.
    static func isBoolean(_ number: NSNumber) -> Bool { String(cString: number.objCType) == "c" }

    /// A parsed value as a whole number, nil when it is not one.
    public static func wholeNumber(_ value: Any) -> Int? {
        guard let number = value as? NSNumber, !isBoolean(number) else { return nil }
        return Int(exactly: number)
    }

    /// The first number of the raw text beyond a Double's range, which `JSONSerialization`
    /// rounds to 0 or infinity (so the tree cannot show it), with its line and column.
    static func outOfRange(_ text: Data) -> String? {
        let source = String(decoding: text, as: UTF8.self)
        guard let pattern = try? NSRegularExpression(pattern: #"-?[0-9]+(\.[0-9]+)?[eE][+-]?[0-9]+"#) else { return nil }
        for match in pattern.matches(in: source, range: NSRange(source.startIndex..., in: source)) {
            guard let range = Range(match.range, in: source) else { continue }
            let token = String(source[range])
            let mantissa = token.prefix { $0 != "e" && $0 != "E" }
            guard let value = Double(token), value == 0 || !value.isFinite, Double(mantissa) != 0 else { continue }
            let before = source[..<range.lowerBound]
            let line = before.filter { $0 == "\n" }.count + 1
            let column = before.count - (before.lastIndex(of: "\n").map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0) + 1
            return "the number \(token) at line \(line), column \(column) is beyond the range of numbers"
        }
        return nil
    }

    /// The first number that does not fit its field (`fields`: a whole number, an unsigned
    /// number, a 32-bit float), as `path: expected …, found …`.
    static func misfit(_ value: Any, key: String?, path: String, fields: Fields) -> String? {
        if let object = value as? [String: Any] {
            for name in object.keys.sorted() {
                if let found = misfit(object[name]!, key: name, path: path.isEmpty ? name : path + "." + name, fields: fields) {
                    return found
                }
            }
        } else if let array = value as? [Any] {
            for (i, element) in array.enumerated() {
                if let found = misfit(element, key: key, path: "\(path)[\(i)]", fields: fields) { return found }
            }
        } else if let number = value as? NSNumber, !isBoolean(number), let key {
            if fields.wholeNumbers.contains(key), Int(exactly: number) == nil {
                return "\(path): expected a whole number, found \(describe(number))"
            }
            if fields.unsigned.contains(key), UInt64(exactly: number) == nil {
                return "\(path): expected a whole number from 0 to 2^64 − 1, found \(describe(number))"
            }
            if fields.floats.contains(key), !(abs(number.doubleValue) <= Double(Float.greatestFiniteMagnitude)) {
                return "\(path): expected a number within a 32-bit float's range, found \(describe(number))"
            }
        }
        return nil
    }

    /// A JSON syntax error in words, with its line and column when the parser gives its offset.
    public static func syntaxProblem(_ error: any Error, in data: Data) -> String {
        let text = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? error.localizedDescription
        let bytes = [UInt8](data)
        func position(_ offset: Int) -> String {
            let before = bytes.prefix(max(0, min(offset, bytes.count)))
            let line = before.filter { $0 == 10 }.count + 1
            let column = offset - (before.lastIndex(of: 10).map { $0 + 1 } ?? 0) + 1
            return "line \(line), column \(column)"
        }
        if let range = text.range(of: " around character "),
           let offset = Int(text[range.upperBound...].prefix { $0.isNumber }) {
            return sentence(String(text[..<range.lowerBound])) + " at " + position(offset)
        }
        // "Number 1e400 is not representable in Swift."
        if text.hasPrefix("Number "), let end = text.range(of: " is not representable") {
            let number = String(text[text.index(text.startIndex, offsetBy: 7)..<end.lowerBound])
            let at = bytes.firstRange(of: Array(number.utf8)).map { " at " + position($0.lowerBound) } ?? ""
            return "the number \(number)\(at) is beyond the range of a 64-bit float"
        }
        return sentence(text)
    }

    /// A message fragment: first letter lowercased, no final full stop.
    static func sentence(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
        return (trimmed.first.map { $0.lowercased() } ?? "") + trimmed.dropFirst()
    }
}
